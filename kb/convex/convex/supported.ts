// Forum posts most supported first, ties oldest first, read through the narrowest filter index.
import type { Infer } from "convex/values";
import type { QueryCtx } from "./_generated/server";
import type { Doc } from "./_generated/dataModel";
import type { phase } from "./schema";

export type Filters = { sourceType?: string; phase?: Infer<typeof phase>; fileType?: string };
type Count = { eq: number } | { below: number } | null;

/**
 * The posts of `f` whose supportCount is `c.eq`, or below `c.below` (or any, for null), on the index
 * that covers the most of `f`: an agent's hint query (source type and phase, maybe file type)
 * then reads only its own filter's posts however large the forum grows.
 */
function byCount(ctx: QueryCtx, f: Filters, c: Count) {
  const posts = ctx.db.query("forum_entries");
  const { sourceType, phase: ph, fileType } = f;
  if (sourceType !== undefined && ph !== undefined && fileType !== undefined) {
    return posts.withIndex("by_sourceType_and_phase_and_fileType_and_supportCount", (q) => {
      const r = q.eq("sourceType", sourceType).eq("phase", ph).eq("fileType", fileType);
      return c === null ? r : "eq" in c ? r.eq("supportCount", c.eq) : r.lt("supportCount", c.below);
    });
  }
  if (sourceType !== undefined && ph !== undefined) {
    return posts.withIndex("by_sourceType_and_phase_and_supportCount", (q) => {
      const r = q.eq("sourceType", sourceType).eq("phase", ph);
      return c === null ? r : "eq" in c ? r.eq("supportCount", c.eq) : r.lt("supportCount", c.below);
    });
  }
  return posts.withIndex("by_supportCount", (q) =>
    c === null ? q : "eq" in c ? q.eq("supportCount", c.eq) : q.lt("supportCount", c.below),
  );
}

/**
 * Posts within `f` (the index's share of it; the caller checks the rest), most supported first
 * and, among equals, oldest first as the SQLite backend lists them. One support level at a time:
 * a descending index walk would list equals newest first.
 */
export async function* mostSupported(ctx: QueryCtx, f: Filters): AsyncGenerator<Doc<"forum_entries">> {
  let next = await byCount(ctx, f, null).order("desc").first();
  while (next !== null) {
    const level = next.supportCount;
    yield* byCount(ctx, f, { eq: level });
    next = await byCount(ctx, f, { below: level }).order("desc").first();
  }
}
