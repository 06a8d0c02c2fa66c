// Removing one client's rows (entries, tree, ledger) a batch at a time, within transaction limits.
import { v } from "convex/values";
import { adminMutation, scoped } from "./guards";

/** Most rows one deleteRows call removes (Convex caps the documents a transaction writes). */
export const DELETE_BATCH = 1000;

const table = v.union(v.literal("entries"), v.literal("tree"), v.literal("items"));

/** Delete up to `limit` of the client's rows of one table; call again until `isDone`. */
export const deleteRows = adminMutation({
  args: { clientId: v.string(), table, limit: v.number() },
  handler: async (ctx, { clientId, table, limit }) => {
    scoped(clientId);
    const n = Math.min(DELETE_BATCH, Math.max(1, Math.floor(limit) || 1));
    const docs =
      table === "entries"
        ? await ctx.db
            .query("knowledge_entries")
            .withIndex("by_clientId_and_treeNodeId", (q) => q.eq("clientId", clientId))
            .take(n)
        : table === "tree"
          ? await ctx.db
              .query("knowledge_tree")
              .withIndex("by_clientId_and_parentId", (q) => q.eq("clientId", clientId))
              .take(n)
          : await ctx.db
              .query("source_items")
              .withIndex("by_clientId_and_sourceType_and_itemId", (q) => q.eq("clientId", clientId))
              .take(n);
    for (const doc of docs) await ctx.db.delete(doc._id);
    return { deleted: docs.length, isDone: docs.length < n };
  },
});
