// Ledger functions under convex-test: rows upserted by key, scoped reads, paged counts.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema from "./schema";

describe("items", () => {
  test("record upserts by (client, source type, item id)", async () => {
    const t = convexTest(schema);
    const row = {
      sourceType: "gmail", itemId: "m1", revision: "1", contentHash: "h1",
      status: "ok" as const, reason: "", lastSeenRunId: "r1",
    };
    await t.mutation(internal.items.record, { clientId: "acme", items: [row, { ...row, itemId: "m0" }] });
    await t.mutation(internal.items.record, { clientId: "acme", items: [{ ...row, revision: "2", status: "failed", reason: "too big" }] });
    const got = await t.query(internal.items.get, { clientId: "acme", sourceType: "gmail", itemId: "m1" });
    expect(got).toMatchObject({ clientId: "acme", revision: "2", status: "failed", reason: "too big" });
    expect(await t.query(internal.items.get, { clientId: "other", sourceType: "gmail", itemId: "m1" })).toBeNull();
    const page = await t.query(internal.items.list, { clientId: "acme", paginationOpts: { numItems: 10, cursor: null } });
    expect(page.page.map((i) => i.itemId)).toEqual(["m0", "m1"]);
    const count = await t.query(internal.counts.page, { clientId: "acme", table: "items", paginationOpts: { numItems: 1, cursor: null } });
    expect(count).toMatchObject({ count: 1, isDone: false });
  });
});
