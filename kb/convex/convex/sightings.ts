// Who saw each forum pattern, as one-way client hashes: the k-client gate and forgetting a client.
import { v } from "convex/values";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import { adminMutation, fail } from "./guards";

const SHA256 = /^[0-9a-f]{64}$/;
/** Most of a client's sightings one forgetClient call handles (each costs up to four index reads). */
export const FORGET_BATCH = 256;

/** Fail unless `value` is a sha256 hex digest (origin and client hashes are computed in Python). */
export function checkHash(name: string, value: string): void {
  if (!SHA256.test(value)) fail("KBError", `${name} must be a sha256 hex digest`);
}

/** The gate's k as an integer; 1 or less means no gate. */
export function gateSize(minClients: number | undefined): number {
  return Number.isFinite(minClients) ? Math.floor(minClients!) : 1;
}

function sightingsOf(ctx: QueryCtx, originHash: string) {
  return ctx.db
    .query("forum_sightings")
    .withIndex("by_originHash_and_clientHash", (q) => q.eq("originHash", originHash));
}

/** Record that the client behind `clientHash` saw the pattern, once per (pattern, client); true when new. */
export async function recordSighting(ctx: MutationCtx, originHash: string, clientHash: string): Promise<boolean> {
  const known = await ctx.db
    .query("forum_sightings")
    .withIndex("by_originHash_and_clientHash", (q) => q.eq("originHash", originHash).eq("clientHash", clientHash))
    .unique();
  if (known !== null) return false;
  await ctx.db.insert("forum_sightings", { originHash, clientHash });
  return true;
}

/**
 * Whether a pattern passes the gate: `k` distinct clients saw it, or `clientHash` is one of them.
 * One index range and at most `k` documents read: below `k`, every sighting is in hand.
 */
export async function visible(ctx: QueryCtx, originHash: string, k: number, clientHash?: string): Promise<boolean> {
  if (k <= 1) return true;
  const seen = await sightingsOf(ctx, originHash).take(k);
  return seen.length >= k || (clientHash !== undefined && seen.some((s) => s.clientHash === clientHash));
}

/**
 * Drop up to `limit` of a client's sightings; a pattern it saw that fewer than `minClients` others
 * saw goes too, with its remaining sightings. Call again until `isDone`; returns the posts removed.
 */
export const forgetClient = adminMutation({
  args: { clientHash: v.string(), minClients: v.number(), limit: v.number() },
  handler: async (ctx, { clientHash, minClients, limit }) => {
    checkHash("clientHash", clientHash);
    const k = Math.max(0, gateSize(minClients));
    const n = Math.min(FORGET_BATCH, Math.max(1, Math.floor(limit) || 1));
    const mine = await ctx.db
      .query("forum_sightings")
      .withIndex("by_clientHash", (q) => q.eq("clientHash", clientHash))
      .take(n);
    let removed = 0;
    for (const sighting of mine) {
      await ctx.db.delete(sighting._id);
      const left = k > 0 ? await sightingsOf(ctx, sighting.originHash).take(k) : [];
      if (left.length >= k) continue;
      for (const other of left) await ctx.db.delete(other._id);
      const post = await ctx.db
        .query("forum_entries")
        .withIndex("by_originHash", (q) => q.eq("originHash", sighting.originHash))
        .unique();
      if (post !== null) {
        await ctx.db.delete(post._id);
        removed += 1;
      }
    }
    return { removed, isDone: mine.length < n };
  },
});
