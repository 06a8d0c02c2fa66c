// Full-text search over a client's entries, optionally within a DOMAIN[/SKILL[/GROUP]] subtree.
import { v } from "convex/values";
import type { QueryCtx } from "./_generated/server";
import type { Doc } from "./_generated/dataModel";
import { adminQuery, fail, scoped } from "./guards";
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
