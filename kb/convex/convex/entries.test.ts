// Entry functions under convex-test: idempotent upserts, deletes that prune, scoped search.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema from "./schema";

const at = (name: string) => ({ name, slug: name.toLowerCase().replace(/\W+/g, "-") });
function draft(domain: string, skill: string, group: string, title: string, content: string, itemId = title) {
  return {
    domain: at(domain), skill: at(skill), group: at(group), groupDescription: "",
    title, content, sourceType: "gmail", fileType: "eml", locator: `msg/${itemId}`, itemId,
  };
}
const drafts = [
  draft("Finance", "Payroll", "Runs", "March payroll", "payroll run approved for the spring salaries"),
  draft("Finance", "Invoices", "Vendors", "Vendor invoice", "invoice from the pipeline vendor, payroll unrelated"),
  draft("Legal", "Contracts", "NDAs", "Confidentiality", "confidentiality agreement with the gas trader"),
];

describe("entries", () => {
  test("upsert is keyed by content hash and idempotent", async () => {
    const t = convexTest(schema);
    const first = await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts });
    const again = await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r2", drafts: [...drafts, drafts[0]] });
    expect(first).toMatchObject({ inserted: 3, unchanged: 0 });
    expect(again).toMatchObject({ inserted: 0, unchanged: 4 });
    expect(again.entryIds.slice(0, 3)).toEqual(first.entryIds);
    const page = await t.query(internal.entries.list, { clientId: "acme", treeNodeId: null, paginationOpts: { numItems: 10, cursor: null } });
    expect(page.page).toHaveLength(3);
    expect(page.page.every((e) => e.runId === "r1")).toBe(true);
    expect(await t.query(internal.counts.tree, { clientId: "acme" })).toEqual({ domain: 2, skill: 3, entry_group: 3 });
  });

  test("deleteItem removes an item's entries and prunes empty nodes", async () => {
    const t = convexTest(schema);
    await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts });
    expect(await t.mutation(internal.entries.deleteItem, { clientId: "acme", sourceType: "gmail", itemId: "Confidentiality" })).toBe(1);
    expect(await t.mutation(internal.entries.deleteItem, { clientId: "acme", sourceType: "gmail", itemId: "Confidentiality" })).toBe(0);
    const nodes = await t.query(internal.tree.list, { clientId: "acme" });
    expect(nodes.map((n) => n.name).sort()).toEqual(["Finance", "Invoices", "Payroll", "Runs", "Vendors"]);
  });

  test("search is scoped by client and subtree, best coverage first", async () => {
    const t = convexTest(schema);
    await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts });
    await t.mutation(internal.entries.upsert, { clientId: "other", runId: "r1", drafts });
    const search = (terms: string[], under: string[] = []) =>
      t.query(internal.search.entries, { clientId: "acme", terms, under: under.map(at), limit: 10 });
    const all = await search(["payroll", "march"]);
    expect(all.map((h) => h.entry.title)).toEqual(["March payroll", "Vendor invoice"]);
    expect(all[0].path).toEqual(["Finance", "Payroll", "Runs"]);
    expect(all[0].snippet).toContain("**payroll**");
    expect(all.every((h) => h.entry.clientId === "acme")).toBe(true);
    expect((await search(["payroll"], ["finance", "invoices"])).map((h) => h.entry.title)).toEqual(["Vendor invoice"]);
    expect(await search(["payroll"], ["Legal"])).toEqual([]);
    expect(await search(["payroll"], ["Nowhere"])).toEqual([]);
    expect(await search([])).toEqual([]);
    await expect(search(["x"], ["a", "b", "c", "d"])).rejects.toThrow(/at most three names/);
  });

  test("a word of the title alone is enough to match", async () => {
    const t = convexTest(schema);
    await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts });
    const hits = await t.query(internal.search.entries, { clientId: "acme", terms: ["confidentiality"], under: [], limit: 10 });
    expect(hits.map((h) => h.entry.title)).toEqual(["Confidentiality"]);
    const byTitle = await t.query(internal.search.entries, { clientId: "acme", terms: ["march"], under: [], limit: 10 });
    expect(byTitle.map((h) => h.entry.title)).toEqual(["March payroll"]);
  });
});
