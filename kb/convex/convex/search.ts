// Full-text search over a client's entries, optionally within a DOMAIN[/SKILL[/GROUP]] subtree.
import { v } from "convex/values";
import { internalQuery, type QueryCtx } from "./_generated/server";
import { internal } from "./_generated/api";
import type { Id } from "./_generated/dataModel";
import type { Doc } from "./_generated/dataModel";
import { adminAction, adminQuery, fail, scoped } from "./guards";
import { candidates, score, searchText, snippet } from "./rank";
import { LEVELS, getNode, place, type Place } from "./tree";
import { toEntry } from "./entries";

// An entry carries its domain and skill ids, so each scope depth is one search filter field.
const SCOPE_FIELD = ["domainId", "skillId", "treeNodeId"] as const;
const SEARCH_INDEXES = [["search_content", "content"], ["search_title", "title"]] as const;

/** Ids of the client's nodes a name path designates: a name matches a node's name in any case, or its slug. */
async function scopeIds(ctx: QueryCtx, clientId: string, under: Place[]): Promise<string[]> {
  let ids: (string | null)[] = [null];
  for (const part of under) {
    const next: string[] = [];
    for (const parentId of ids) {
      const kids = await ctx.db
        .query("knowledge_tree")
        .withIndex("by_clientId_and_parentId", (q) => q.eq("clientId", clientId).eq("parentId", parentId))
        .collect();
      for (const k of kids) {
        if (k.slug === part.slug || k.name.toLowerCase() === part.name.toLowerCase()) next.push(k.nodeId);
      }
    }
    if (next.length === 0) return [];
    ids = next;
  }
  return ids as string[];
}

/**
 * The client's best hits for `terms` (content words, as kb.query.query_terms gives them).
 * No terms, a non-positive limit, or a scope naming no node: no hits.
 */
export const entries = adminQuery({
  args: { clientId: v.string(), terms: v.array(v.string()), under: v.array(place), limit: v.number() },
  handler: async (ctx, { clientId, terms, under, limit }) => {
    scoped(clientId);
    if (under.length > LEVELS.length) {
      fail("LevelError", `a scope has at most three names (domain/skill/group), got ${under.length}`);
    }
    const words = terms.map((t) => t.toLowerCase()).filter(Boolean);
    if (words.length === 0 || limit <= 0) return [];
    const scopes: (string | null)[] = under.length ? await scopeIds(ctx, clientId, under) : [null];
    const found = new Map<string, Doc<"knowledge_entries">>();
    for (const id of scopes) {
      for (const [index, field] of SEARCH_INDEXES) {
        const docs = await ctx.db
          .query("knowledge_entries")
          .withSearchIndex(index, (q) => {
            const s = q.search(field, searchText(words)).eq("clientId", clientId);
            return id === null ? s : s.eq(SCOPE_FIELD[under.length - 1], id);
          })
          .take(candidates(limit));
        for (const doc of docs) if (!found.has(doc._id)) found.set(doc._id, doc);
      }
    }
    const ranked = [...found.values()]
      .map((doc) => ({ doc, score: score(doc.title, doc.content, words) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, Math.floor(limit));
    const names = new Map<string, string>();
    const nameOf = async (id: string) => {
      if (!names.has(id)) names.set(id, (await getNode(ctx, clientId, id))?.name ?? "");
      return names.get(id)!;
    };
    const hits = [];
    for (const { doc, score: s } of ranked) {
      const path = [await nameOf(doc.domainId), await nameOf(doc.skillId), await nameOf(doc.treeNodeId)];
      hits.push({ entry: toEntry(doc), path, snippet: snippet(doc.content, words), score: s });
    }
    return hits;
  },
});

const SIMILAR_SNIPPET = 200;
/** Convex vector search returns at most 256 results. */
const MAX_SIMILAR = 256;

/** The node ids a scope path names for a client, and whether the path was given at all. */
export const scopeOf = internalQuery({
  args: { clientId: v.string(), under: v.array(place) },
  handler: async (ctx, { clientId, under }) => {
    scoped(clientId);
    if (under.length > LEVELS.length) {
      fail("LevelError", `a scope has at most three names (domain/skill/group), got ${under.length}`);
    }
    return under.length ? await scopeIds(ctx, clientId, under) : [];
  },
});

/** Hits for vector search results, in their order; a result of another client is dropped. */
export const hitsOf = internalQuery({
  args: { clientId: v.string(), results: v.array(v.object({ id: v.id("knowledge_entries"), score: v.number() })) },
  handler: async (ctx, { clientId, results }) => {
    const names = new Map<string, string>();
    const nameOf = async (id: string) => {
      if (!names.has(id)) names.set(id, (await getNode(ctx, clientId, id))?.name ?? "");
      return names.get(id)!;
    };
    const hits = [];
    for (const { id, score } of results) {
      const doc = await ctx.db.get(id);
      if (doc === null || doc.clientId !== clientId) continue;
      const path = [await nameOf(doc.domainId), await nameOf(doc.skillId), await nameOf(doc.treeNodeId)];
      const text = doc.content.split(/\s+/).join(" ").trim();
      const cut = text.length <= SIMILAR_SNIPPET ? text : text.slice(0, SIMILAR_SNIPPET).replace(/\s\S*$/, "") + "…";
      hits.push({ entry: toEntry(doc), path, snippet: cut, score });
    }
    return hits;
  },
});

/**
 * The client's entries nearest to `vector` (a question's embedding, kb.embed), best first, within
 * the DOMAIN[/SKILL[/GROUP]] subtree if given; each hit's score is the cosine similarity.
 */
export const similar = adminAction({
  args: { clientId: v.string(), vector: v.array(v.float64()), under: v.array(place), limit: v.number() },
  handler: async (ctx, { clientId, vector, under, limit }): Promise<any[]> => {
    scoped(clientId);
    if (limit <= 0) return [];
    const ids: string[] = await ctx.runQuery(internal.search.scopeOf, { clientId, under });
    if (under.length && ids.length === 0) return [];
    const field = SCOPE_FIELD[under.length - 1];
    // Node ids embed their client (kb.models.node_id), and hitsOf checks the client of every result.
    const found = await ctx.vectorSearch("knowledge_entries", "by_embedding", {
      vector,
      limit: Math.min(MAX_SIMILAR, Math.max(1, Math.floor(limit))),
      filter: (q) => (under.length ? q.or(...ids.map((id) => q.eq(field, id))) : q.eq("clientId", clientId)),
    });
    const results = found.map((r) => ({ id: r._id as Id<"knowledge_entries">, score: r._score }));
    return await ctx.runQuery(internal.search.hitsOf, { clientId, results });
  },
});
