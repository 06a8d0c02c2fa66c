// The item ledger: what the last run saw of each source item and what became of it.
import { v } from "convex/values";
import { paginationOptsValidator } from "convex/server";
import type { Doc } from "./_generated/dataModel";
import { itemStatus } from "./schema";
import { adminQuery, adminMutation, scoped } from "./guards";

export function toItem(doc: Doc<"source_items">) {
  const { _id, _creationTime, ...fields } = doc;
  return fields;
}

// A ledger row without its client: one call records one client's rows.
const item = v.object({
  sourceType: v.string(),
  itemId: v.string(),
  revision: v.string(),
  contentHash: v.string(),
  status: itemStatus,
  reason: v.string(),
  lastSeenRunId: v.string(),
});

/** Insert or update the client's ledger rows, keyed by (sourceType, itemId). */
export const record = adminMutation({
  args: { clientId: v.string(), items: v.array(item) },
  handler: async (ctx, { clientId, items }) => {
    scoped(clientId);
    for (const fields of items) {
      const row = { clientId, ...fields };
      const known = await ctx.db
        .query("source_items")
        .withIndex("by_clientId_and_sourceType_and_itemId", (q) =>
          q.eq("clientId", clientId).eq("sourceType", row.sourceType).eq("itemId", row.itemId),
        )
        .unique();
      if (known === null) await ctx.db.insert("source_items", row);
      else await ctx.db.patch(known._id, row);
    }
    return null;
  },
});

export const get = adminQuery({
  args: { clientId: v.string(), sourceType: v.string(), itemId: v.string() },
  handler: async (ctx, { clientId, sourceType, itemId }) => {
    const doc = await ctx.db
      .query("source_items")
      .withIndex("by_clientId_and_sourceType_and_itemId", (q) =>
        q.eq("clientId", scoped(clientId)).eq("sourceType", sourceType).eq("itemId", itemId),
      )
      .unique();
    return doc === null ? null : toItem(doc);
  },
});

/** One page of the client's ledger rows (of one source type if given), by source type and item id. */
export const list = adminQuery({
  args: { clientId: v.string(), sourceType: v.optional(v.string()), paginationOpts: paginationOptsValidator },
  handler: async (ctx, { clientId, sourceType, paginationOpts }) => {
    const page = await ctx.db
      .query("source_items")
      .withIndex("by_clientId_and_sourceType_and_itemId", (q) =>
        sourceType === undefined
          ? q.eq("clientId", scoped(clientId))
          : q.eq("clientId", scoped(clientId)).eq("sourceType", sourceType),
      )
      .paginate(paginationOpts);
    return { ...page, page: page.page.map(toItem) };
  },
});
