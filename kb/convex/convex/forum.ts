// The forum every client shares: scrubbed patterns, a support count per pattern, filtered gated search.
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel";
import { phase } from "./schema";
import { adminQuery, adminMutation, fail } from "./guards";
import { candidates, score, searchText } from "./rank";
import { checkHash, gateSize, recordSighting, visible } from "./sightings";
import { mostSupported } from "./supported";

export function toPost(doc: Doc<"forum_entries">) {
  const { _id, _creationTime, postId: id, kind, rule, ...fields } = doc;
  return { id, ...fields, kind: kind ?? "", rule: rule ?? "" };
}

const SEARCH_INDEXES = [["search_body", "body"], ["search_title", "title"]] as const;
/** Most posts a gated search without words checks (each check is one index read of sightings). */
export const GATE_CHECKS = 1024;

const draft = v.object({
  sourceType: v.string(),
  phase,
  fileType: v.string(),
  title: v.string(),
  body: v.string(),
  originHash: v.string(),
  kind: v.optional(v.string()),
  rule: v.optional(v.string()),
});

/**
 * Write posts (already scrubbed, origin hashed by kb.models.forum_origin_hash or, for rules,
 * kb.forum_rules.rule_origin_hash); a repeated pattern raises its support count. With
 * `clientHash` (kb.models.forum_client_hash), each pattern is recorded as seen by that client
 * and its support rises only on that client's first sighting (support counts clients).
 * Returns the stored post of each draft, in order.
 */
export const post = adminMutation({
  args: { posts: v.array(draft), clientHash: v.optional(v.string()) },
  handler: async (ctx, { posts, clientHash }) => {
    if (clientHash !== undefined) checkHash("clientHash", clientHash);
    for (const p of posts) {
      checkHash("originHash", p.originHash);
      if (!p.title.trim() && !p.body.trim()) fail("KBError", "a forum post needs a title or a body");
      const known = await ctx.db
        .query("forum_entries")
        .withIndex("by_originHash", (q) => q.eq("originHash", p.originHash))
        .unique();
      const firstSighting = clientHash === undefined || (await recordSighting(ctx, p.originHash, clientHash));
      if (known === null) {
        await ctx.db.insert("forum_entries", { ...p, postId: p.originHash.slice(0, 32), supportCount: 1 });
      } else if (firstSighting) {
        await ctx.db.patch(known._id, { supportCount: known.supportCount + 1 });
      }
    }
    const stored = [];
    for (const p of posts) {
      const doc = await ctx.db
        .query("forum_entries")
        .withIndex("by_originHash", (q) => q.eq("originHash", p.originHash))
        .unique();
      stored.push(toPost(doc!));
    }
    return stored;
  },
});

/**
 * Posts matching every given filter: best match for `terms` first, or most supported first.
 * With `minClients` above 1, a post shows only once that many distinct clients saw it, or
 * when `clientHash` is one of them (a client always sees its own patterns).
 */
export const search = adminQuery({
  args: {
    terms: v.array(v.string()),
    sourceType: v.optional(v.string()),
    phase: v.optional(phase),
    fileType: v.optional(v.string()),
    limit: v.number(),
    minClients: v.optional(v.number()),
    clientHash: v.optional(v.string()),
  },
  handler: async (ctx, { terms, limit, minClients, clientHash, ...filters }) => {
    if (limit <= 0) return [];
    if (clientHash !== undefined) checkHash("clientHash", clientHash);
    const n = Math.floor(limit);
    const k = gateSize(minClients);
    const shown = (d: Doc<"forum_entries">) => visible(ctx, d.originHash, k, clientHash);
    const words = terms.map((t) => t.toLowerCase()).filter(Boolean);
    const keep = (d: Doc<"forum_entries">) =>
      (filters.sourceType === undefined || d.sourceType === filters.sourceType) &&
      (filters.phase === undefined || d.phase === filters.phase) &&
      (filters.fileType === undefined || d.fileType === filters.fileType);
    if (words.length === 0) {
      const top = [];
      let checks = 0;
      for await (const d of mostSupported(ctx, filters)) {
        if (!keep(d)) continue;
        if (k > 1 && ++checks > GATE_CHECKS) break;
        if (await shown(d)) top.push(toPost(d));
        if (top.length >= n) break;
      }
      return top;
    }
    const found = new Map<string, Doc<"forum_entries">>();
    for (const [index, field] of SEARCH_INDEXES) {
      const docs = await ctx.db
        .query("forum_entries")
        .withSearchIndex(index, (q) => {
          let s = q.search(field, searchText(words));
          if (filters.sourceType !== undefined) s = s.eq("sourceType", filters.sourceType);
          if (filters.phase !== undefined) s = s.eq("phase", filters.phase);
          if (filters.fileType !== undefined) s = s.eq("fileType", filters.fileType);
          return s;
        })
        .take(candidates(n));
      for (const doc of docs) if (!found.has(doc._id)) found.set(doc._id, doc);
    }
    const ranked = [...found.values()]
      .map((d) => ({ d, s: score(d.title, d.body, words) }))
      .sort((a, b) => b.s - a.s || b.d.supportCount - a.d.supportCount || a.d._creationTime - b.d._creationTime);
    // Gate in rank order, so hidden posts make room for the next best ones (candidates are bounded).
    const top = [];
    for (const { d } of ranked) {
      if (top.length >= n) break;
      if (await shown(d)) top.push(toPost(d));
    }
    return top;
  },
});
