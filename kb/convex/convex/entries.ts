// Entries of a client's tree: idempotent upserts keyed by content hash, deletes that prune, paged listing.
import { v } from "convex/values";
import { paginationOptsValidator } from "convex/server";
import type { MutationCtx } from "./_generated/server";
import type { Doc } from "./_generated/dataModel";
import { adminQuery, adminMutation, fail, scoped } from "./guards";
import { EMBEDDING_DIMENSIONS } from "./schema";
import { entryHash, entryId } from "./ids";
import { LEVELS, ensurePathIn, getNode, place } from "./tree";

export function toEntry(doc: Doc<"knowledge_entries">) {
  const { _id, _creationTime, entryId: id, embedding, ...fields } = doc;
  return { id, ...fields };
}

const embedding = v.optional(v.array(v.float64()));

function checkEmbedding(vector: number[] | undefined) {
  if (vector !== undefined && vector.length !== EMBEDDING_DIMENSIONS) {
    fail("KBError", `an embedding has ${EMBEDDING_DIMENSIONS} numbers, got ${vector.length}`);
  }
}

const draft = v.object({
  domain: place,
  skill: place,
  group: place,
  groupDescription: v.string(),
  title: v.string(),
  content: v.string(),
  sourceType: v.string(),
  fileType: v.string(),
  locator: v.string(),
  itemId: v.string(),
  embedding,
  alsoAt: v.optional(v.array(v.string())),
});

/**
 * Place drafts under their entry groups; a draft whose content hash is stored is unchanged
 * (its embedding is only added when the stored entry has none).
 */
export const upsert = adminMutation({
  args: { clientId: v.string(), runId: v.string(), drafts: v.array(draft) },
  handler: async (ctx, { clientId, runId, drafts }) => {
    scoped(clientId);
    const pathKey = (d: typeof draft.type) => [d.domain.slug, d.skill.slug, d.group.slug].join("/");
    const described = new Map<string, typeof draft.type>();
    for (const d of drafts) {
      const seen = described.get(pathKey(d));
      if (seen === undefined || (!seen.groupDescription && d.groupDescription)) described.set(pathKey(d), d);
    }
    const places = new Map<string, Awaited<ReturnType<typeof ensurePathIn>>>();
    for (const [key, d] of described) places.set(key, await ensurePathIn(ctx, clientId, d, d.groupDescription));
    let inserted = 0;
    const entryIds: string[] = [];
    for (const d of drafts) {
      const contentHash = await entryHash(clientId, d.locator, d.title, d.content);
      const id = await entryId(clientId, contentHash);
      entryIds.push(id);
      const known = await ctx.db
        .query("knowledge_entries")
        .withIndex("by_clientId_and_contentHash", (q) => q.eq("clientId", clientId).eq("contentHash", contentHash))
        .first();
      checkEmbedding(d.embedding);
      if (known !== null) {
        if (known.embedding === undefined && d.embedding !== undefined) {
          await ctx.db.patch(known._id, { embedding: d.embedding });
        }
        continue;
      }
      const [domain, skill, group] = places.get(pathKey(d))!;
      const { title, content, sourceType, fileType, locator, itemId } = d;
      const alsoAt = [...new Set(d.alsoAt ?? [])].sort();
      await ctx.db.insert("knowledge_entries", {
        entryId: id, clientId, treeNodeId: group.id, domainId: domain.id, skillId: skill.id,
        title, content, sourceType, fileType, locator, itemId, contentHash, runId, alsoAt,
        ...(d.embedding !== undefined ? { embedding: d.embedding } : {}),
      });
      inserted += 1;
    }
    return { inserted, unchanged: drafts.length - inserted, entryIds };
  },
});

/** Remove the entries of one source item, then prune the groups, skills and domains left empty. */
export const deleteItem = adminMutation({
  args: { clientId: v.string(), sourceType: v.string(), itemId: v.string() },
  handler: async (ctx, { clientId, sourceType, itemId }) => {
    const docs = await ctx.db
      .query("knowledge_entries")
      .withIndex("by_clientId_and_sourceType_and_itemId", (q) =>
        q.eq("clientId", scoped(clientId)).eq("sourceType", sourceType).eq("itemId", itemId),
      )
      .collect();
    for (const doc of docs) await ctx.db.delete(doc._id);
    await prune(ctx, clientId, new Set(docs.map((d) => d.treeNodeId)));
    return docs.length;
  },
});

async function prune(ctx: MutationCtx, clientId: string, groups: Set<string>) {
  let ids = [...groups].sort();
  for (const lvl of [...LEVELS].reverse()) {
    const parents = new Set<string>();
    for (const id of ids) {
      const used =
        lvl === "entry_group"
          ? await ctx.db.query("knowledge_entries")
              .withIndex("by_clientId_and_treeNodeId", (q) => q.eq("clientId", clientId).eq("treeNodeId", id))
              .first()
          : await ctx.db.query("knowledge_tree")
              .withIndex("by_clientId_and_parentId", (q) => q.eq("clientId", clientId).eq("parentId", id))
              .first();
      const node = used === null ? await getNode(ctx, clientId, id) : null;
      if (node === null || node.level !== lvl) continue;
      await ctx.db.delete(node._id);
      if (node.parentId !== null) parents.add(node.parentId);
    }
    ids = [...parents].sort();
  }
}

/** One page of the client's entries (or one entry group's), group by group, oldest first. */
export const list = adminQuery({
  args: { clientId: v.string(), treeNodeId: v.union(v.string(), v.null()), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { clientId, treeNodeId, paginationOpts }) => {
    const page = await ctx.db
      .query("knowledge_entries")
      .withIndex("by_clientId_and_treeNodeId", (q) =>
        treeNodeId === null ? q.eq("clientId", scoped(clientId)) : q.eq("clientId", scoped(clientId)).eq("treeNodeId", treeNodeId),
      )
      .paginate(paginationOpts);
    return { ...page, page: page.page.map(toEntry) };
  },
});

/** Which of these entries are stored with an embedding already (the writer embeds only the others). */
export const embedded = adminQuery({
  args: { clientId: v.string(), contentHashes: v.array(v.string()) },
  handler: async (ctx, { clientId, contentHashes }) => {
    scoped(clientId);
    const out: string[] = [];
    for (const contentHash of new Set(contentHashes)) {
      const doc = await ctx.db
        .query("knowledge_entries")
        .withIndex("by_clientId_and_contentHash", (q) => q.eq("clientId", clientId).eq("contentHash", contentHash))
        .first();
      if (doc !== null && doc.embedding !== undefined) out.push(contentHash);
    }
    return out;
  },
});
