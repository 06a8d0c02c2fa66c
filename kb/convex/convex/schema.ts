// Tables of the grove knowledge base: a three-level tree per client, its entries, the shared forum
// with its sightings, the item ledger.
import { defineSchema, defineTable } from "convex/server";
import { v } from "convex/values";

/** Length of an entry embedding (kb.embed.DIM). */
export const EMBEDDING_DIMENSIONS = 256;

export const level = v.union(v.literal("domain"), v.literal("skill"), v.literal("entry_group"));
export const phase = v.union(v.literal("explore"), v.literal("structure"));
export const itemStatus = v.union(
  v.literal("ok"),
  v.literal("failed"),
  v.literal("skipped"),
  v.literal("deleted"),
);

export default defineSchema({
  // nodeId is deterministic from (clientId, parentId, slug), so ids agree across runs and backends.
  knowledge_tree: defineTable({
    nodeId: v.string(),
    clientId: v.string(),
    parentId: v.union(v.string(), v.null()),
    level,
    name: v.string(),
    slug: v.string(),
    description: v.string(),
  })
    .index("by_clientId_and_parentId", ["clientId", "parentId"])
    .index("by_clientId_and_parentId_and_slug", ["clientId", "parentId", "slug"])
    .index("by_clientId_and_nodeId", ["clientId", "nodeId"]),

  knowledge_entries: defineTable({
    entryId: v.string(),
    clientId: v.string(),
    treeNodeId: v.string(),
    domainId: v.string(),
    skillId: v.string(),
    title: v.string(),
    content: v.string(),
    sourceType: v.string(),
    fileType: v.string(),
    locator: v.string(),
    itemId: v.string(),
    contentHash: v.string(),
    runId: v.string(),
    // The entry's text embedding (kb.embed: computed by the writer, 256 numbers); absent on
    // entries written before vectors existed until their next write.
    embedding: v.optional(v.array(v.float64())),
    // Locators of the same text elsewhere (merged duplicates); absent on entries written before it.
    alsoAt: v.optional(v.array(v.string())),
  })
    .index("by_clientId_and_treeNodeId", ["clientId", "treeNodeId"])
    .index("by_clientId_and_contentHash", ["clientId", "contentHash"])
    .index("by_clientId_and_domainId", ["clientId", "domainId"])
    .index("by_clientId_and_skillId", ["clientId", "skillId"])
    .index("by_clientId_and_sourceType_and_itemId", ["clientId", "sourceType", "itemId"])
    // Two search indexes (a search index has one field): an entry matches by its content or its title.
    .searchIndex("search_content", {
      searchField: "content",
      filterFields: ["clientId", "domainId", "skillId", "treeNodeId"],
    })
    .searchIndex("search_title", {
      searchField: "title",
      filterFields: ["clientId", "domainId", "skillId", "treeNodeId"],
    })
    // Nearest entries to a question's embedding, filtered by client or by a subtree's node ids.
    .vectorIndex("by_embedding", {
      vectorField: "embedding",
      dimensions: EMBEDDING_DIMENSIONS,
      filterFields: ["clientId", "domainId", "skillId", "treeNodeId"],
    }),

  // The one table shared by every client: patterns only, bodies scrubbed before they arrive.
  forum_entries: defineTable({
    postId: v.string(),
    sourceType: v.string(),
    phase,
    fileType: v.string(),
    title: v.string(),
    body: v.string(),
    originHash: v.string(),
    supportCount: v.number(),
    // A rule (kb/forum_rules.py): its kind and its payload as canonical JSON; absent on text patterns.
    kind: v.optional(v.string()),
    rule: v.optional(v.string()),
  })
    .index("by_originHash", ["originHash"])
    .index("by_supportCount", ["supportCount"])
    // The hint query every agent runs (source type and phase, maybe file type; most supported
    // first) reads only its filter's posts through these, however large the forum grows.
    .index("by_sourceType_and_phase_and_supportCount", ["sourceType", "phase", "supportCount"])
    .index("by_sourceType_and_phase_and_fileType_and_supportCount", ["sourceType", "phase", "fileType", "supportCount"])
    .searchIndex("search_body", {
      searchField: "body",
      filterFields: ["sourceType", "phase", "fileType"],
    })
    .searchIndex("search_title", {
      searchField: "title",
      filterFields: ["sourceType", "phase", "fileType"],
    }),

  // Which clients saw each forum pattern, as one-way hashes (never client ids): a pattern is
  // shown to other clients only once enough distinct clients saw it (k-anonymity gate).
  forum_sightings: defineTable({
    originHash: v.string(),
    clientHash: v.string(),
  })
    .index("by_originHash_and_clientHash", ["originHash", "clientHash"])
    .index("by_clientHash", ["clientHash"]),

  source_items: defineTable({
    clientId: v.string(),
    sourceType: v.string(),
    itemId: v.string(),
    revision: v.string(),
    contentHash: v.string(),
    status: itemStatus,
    reason: v.string(),
    lastSeenRunId: v.string(),
  }).index("by_clientId_and_sourceType_and_itemId", ["clientId", "sourceType", "itemId"]),
});
