// Counts of a client's tree nodes, entries and ledger rows, a page at a time so no read limit is hit.
import { v } from "convex/values";
import { paginationOptsValidator } from "convex/server";
import { adminQuery, scoped } from "./guards";

/** How many nodes of each level the client's tree has. */
export const tree = adminQuery({
  args: { clientId: v.string() },
  handler: async (ctx, { clientId }) => {
    const out = { domain: 0, skill: 0, entry_group: 0 };
    const nodes = ctx.db
      .query("knowledge_tree")
      .withIndex("by_clientId_and_parentId", (q) => q.eq("clientId", scoped(clientId)));
    for await (const node of nodes) out[node.level] += 1;
    return out;
  },
});

/** Count one page of the client's entries or ledger rows; call again with continueCursor until isDone. */
export const page = adminQuery({
  args: {
    clientId: v.string(),
    table: v.union(v.literal("entries"), v.literal("items")),
    paginationOpts: paginationOptsValidator,
  },
  handler: async (ctx, { clientId, table, paginationOpts }) => {
    scoped(clientId);
    const result =
      table === "entries"
        ? await ctx.db
            .query("knowledge_entries")
            .withIndex("by_clientId_and_treeNodeId", (q) => q.eq("clientId", clientId))
            .paginate(paginationOpts)
        : await ctx.db
            .query("source_items")
            .withIndex("by_clientId_and_sourceType_and_itemId", (q) => q.eq("clientId", clientId))
            .paginate(paginationOpts);
    return { count: result.page.length, isDone: result.isDone, continueCursor: result.continueCursor };
  },
});
