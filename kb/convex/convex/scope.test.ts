// Client scoping under convex-test: a call for one client reads, changes and deletes none of another's rows.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema from "./schema";

const at = (name: string) => ({ name, slug: name.toLowerCase() });
const drafts = [
  { domain: at("Finance"), skill: at("Payroll"), group: at("Runs"), groupDescription: "monthly",
    title: "March payroll", content: "payroll run approved", sourceType: "gmail", fileType: "eml",
    locator: "msg/m1", itemId: "m1" },
];
const ledgerRow = {
  sourceType: "gmail", itemId: "m1", revision: "1", contentHash: "h1", status: "ok" as const, reason: "", lastSeenRunId: "r1",
};
const ACME_HASH = "a".repeat(64);
const OTHER_HASH = "b".repeat(64);
const page = { numItems: 100, cursor: null };

/** Every stored row, without Convex's own fields, so two snapshots compare by content. */
async function snapshot(t: ReturnType<typeof convexTest>, clientId: string) {
  return await t.run(async (ctx) => {
    const strip = (rows: any[]) => rows.map(({ _id, _creationTime, ...row }) => row);
    const mine = <T extends { clientId: string }>(rows: T[]) => rows.filter((r) => r.clientId === clientId);
    return {
      tree: strip(mine(await ctx.db.query("knowledge_tree").collect())),
      entries: strip(mine(await ctx.db.query("knowledge_entries").collect())),
      items: strip(mine(await ctx.db.query("source_items").collect())),
      sightings: strip((await ctx.db.query("forum_sightings").collect()).filter((s) => s.clientHash === ACME_HASH)),
    };
  });
}

async function seeded() {
  const t = convexTest(schema);
  await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts });
  await t.mutation(internal.items.record, { clientId: "acme", items: [ledgerRow] });
  const post = { sourceType: "gmail", phase: "explore" as const, fileType: "eml", title: "Hint", body: "replies quote", originHash: "c".repeat(64) };
  await t.mutation(internal.forum.post, { posts: [post], clientHash: ACME_HASH });
  return t;
}

describe("client scope", () => {
  test("another client's reads see none of acme's rows", async () => {
    const t = await seeded();
    const [domain] = await t.query(internal.tree.list, { clientId: "acme" });
    const groupId = (await t.query(internal.entries.list, { clientId: "acme", treeNodeId: null, paginationOpts: page })).page[0].treeNodeId;
    const other = { clientId: "other" };
    expect(await t.query(internal.tree.list, other)).toEqual([]);
    expect(await t.query(internal.tree.children, { ...other, parentId: null })).toEqual([]);
    expect(await t.query(internal.tree.children, { ...other, parentId: domain.id })).toEqual([]);
    expect((await t.query(internal.entries.list, { ...other, treeNodeId: null, paginationOpts: page })).page).toEqual([]);
    expect((await t.query(internal.entries.list, { ...other, treeNodeId: groupId, paginationOpts: page })).page).toEqual([]);
    expect(await t.query(internal.search.entries, { ...other, terms: ["payroll"], under: [], limit: 10 })).toEqual([]);
    expect(await t.query(internal.items.get, { ...other, sourceType: "gmail", itemId: "m1" })).toBeNull();
    expect((await t.query(internal.items.list, { ...other, paginationOpts: page })).page).toEqual([]);
    expect(await t.query(internal.counts.tree, other)).toEqual({ domain: 0, skill: 0, entry_group: 0 });
    for (const table of ["entries", "items"] as const) {
      expect(await t.query(internal.counts.page, { ...other, table, paginationOpts: page })).toMatchObject({ count: 0 });
    }
    // The same reads for acme do find its rows, so the empty answers above are the scope at work.
    expect(await t.query(internal.search.entries, { clientId: "acme", terms: ["payroll"], under: [], limit: 10 })).toHaveLength(1);
    expect(await t.query(internal.counts.tree, { clientId: "acme" })).toEqual({ domain: 1, skill: 1, entry_group: 1 });
  });

  test("another client's writes and deletes leave acme's rows as they were", async () => {
    const t = await seeded();
    const before = await snapshot(t, "acme");
    const [domain, , group] = await t.query(internal.tree.list, { clientId: "acme" });
    const other = { clientId: "other" };
    await expect(
      t.mutation(internal.tree.ensureNode, { ...other, parentId: domain.id, level: "skill", name: "S", slug: "s" }),
    ).rejects.toThrow(/no node/);
    const theirs = await t.mutation(internal.tree.ensurePath, { ...other, domain: at("Finance"), skill: at("Payroll"), group: at("Runs"), groupDescription: "theirs" });
    expect(theirs[2].id).not.toBe(group.id);
    expect(await t.mutation(internal.entries.upsert, { ...other, runId: "r9", drafts })).toMatchObject({ inserted: 1 });
    await t.mutation(internal.items.record, { ...other, items: [{ ...ledgerRow, revision: "9", status: "failed" }] });
    expect(await t.mutation(internal.entries.deleteItem, { ...other, sourceType: "gmail", itemId: "m1" })).toBe(1);
    for (const table of ["entries", "tree", "items"] as const) {
      await t.mutation(internal.clients.deleteRows, { ...other, table, limit: 1000 });
    }
    await t.mutation(internal.sightings.forgetClient, { clientHash: OTHER_HASH, minClients: 2, limit: 100 });
    expect(await snapshot(t, "acme")).toEqual(before);
    expect(await snapshot(t, "other")).toMatchObject({ tree: [], entries: [], items: [] });
    expect(before.entries).toHaveLength(1);
    expect(before.sightings).toHaveLength(1);
  });

  test("a call without a client is refused by every client function", async () => {
    const t = await seeded();
    const none = { clientId: " " };
    const calls = [
      t.query(internal.tree.list, none),
      t.query(internal.tree.children, { ...none, parentId: null }),
      t.mutation(internal.tree.ensurePath, { ...none, domain: at("A"), skill: at("B"), group: at("C") }),
      t.mutation(internal.tree.ensureNode, { ...none, parentId: null, level: "domain", name: "A", slug: "a" }),
      t.mutation(internal.entries.upsert, { ...none, runId: "r", drafts }),
      t.mutation(internal.entries.deleteItem, { ...none, sourceType: "gmail", itemId: "m1" }),
      t.query(internal.entries.list, { ...none, treeNodeId: null, paginationOpts: page }),
      t.query(internal.search.entries, { ...none, terms: ["payroll"], under: [], limit: 5 }),
      t.mutation(internal.items.record, { ...none, items: [ledgerRow] }),
      t.query(internal.items.get, { ...none, sourceType: "gmail", itemId: "m1" }),
      t.query(internal.items.list, { ...none, paginationOpts: page }),
      t.query(internal.counts.tree, none),
      t.query(internal.counts.page, { ...none, table: "entries", paginationOpts: page }),
      t.mutation(internal.clients.deleteRows, { ...none, table: "entries", limit: 10 }),
    ];
    for (const call of calls) await expect(call).rejects.toThrow(/clientId is required/);
    await expect(t.mutation(internal.sightings.forgetClient, { clientHash: "acme", minClients: 2, limit: 10 })).rejects.toThrow(/sha256/);
  });
});
