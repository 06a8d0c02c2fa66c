// Entry vectors under convex-test: stored with upserts, embedded once, nearest entries scoped by client and subtree.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema, { EMBEDDING_DIMENSIONS } from "./schema";

const at = (name: string) => ({ name, slug: name.toLowerCase().replace(/\W+/g, "-") });
/** A unit vector pointing mostly along axis `axis`. */
function axis(n: number, lean = 0): number[] {
  const out = new Array(EMBEDDING_DIMENSIONS).fill(0);
  out[n] = 1;
  out[(n + 1) % EMBEDDING_DIMENSIONS] = lean;
  const norm = Math.hypot(...out);
  return out.map((x) => x / norm);
}
function draft(domain: string, title: string, content: string, embedding?: number[]) {
  return {
    domain: at(domain), skill: at("Skill"), group: at("Group"), groupDescription: "",
    title, content, sourceType: "drive", fileType: "txt", locator: `drive:${title}.txt`, itemId: title,
    ...(embedding ? { embedding } : {}),
  };
}

describe("entry vectors", () => {
  test("nearest entries are the client's own, within the subtree asked", async () => {
    const t = convexTest(schema);
    await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts: [
      draft("Finance", "Restart plan", "the restart will cost two million", axis(0)),
      draft("Finance", "Budget", "the yearly budget", axis(0, 0.8)),
      draft("HR", "Leave", "twenty-five days of leave", axis(5)),
    ] });
    await t.mutation(internal.entries.upsert, { clientId: "globex", runId: "r1", drafts: [
      draft("Finance", "Their plan", "another client's restart plan", axis(0)),
    ] });
    const hits = await t.action(internal.search.similar, { clientId: "acme", vector: axis(0), under: [], limit: 5 });
    expect(hits.map((h: any) => h.entry.title)).toEqual(["Restart plan", "Budget", "Leave"]);
    expect(hits[0].score).toBeCloseTo(1, 5);
    expect(hits[0].path).toEqual(["Finance", "Skill", "Group"]);
    expect(hits.every((h: any) => h.entry.clientId === "acme" && !("embedding" in h.entry))).toBe(true);
    const hr = await t.action(internal.search.similar, { clientId: "acme", vector: axis(0), under: [at("HR")], limit: 5 });
    expect(hr.map((h: any) => h.entry.title)).toEqual(["Leave"]);
    expect(await t.action(internal.search.similar, { clientId: "acme", vector: axis(0), under: [at("Legal")], limit: 5 })).toEqual([]);
    const theirs = await t.action(internal.search.similar, { clientId: "globex", vector: axis(0), under: [], limit: 5 });
    expect(theirs.map((h: any) => h.entry.title)).toEqual(["Their plan"]);
  });

  test("an entry is embedded once; one stored without a vector gets it at its next write", async () => {
    const t = convexTest(schema);
    const bare = draft("Finance", "Tax calendar", "filings are due in April");
    await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r1", drafts: [bare] });
    const page = await t.query(internal.entries.list, { clientId: "acme", treeNodeId: null, paginationOpts: { numItems: 5, cursor: null } });
    const hash = page.page[0].contentHash;
    expect(await t.query(internal.entries.embedded, { clientId: "acme", contentHashes: [hash] })).toEqual([]);
    const again = await t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r2", drafts: [{ ...bare, embedding: axis(3) }] });
    expect(again).toMatchObject({ inserted: 0, unchanged: 1 });
    expect(await t.query(internal.entries.embedded, { clientId: "acme", contentHashes: [hash, "nope"] })).toEqual([hash]);
    const hits = await t.action(internal.search.similar, { clientId: "acme", vector: axis(3), under: [], limit: 5 });
    expect(hits.map((h: any) => h.entry.title)).toEqual(["Tax calendar"]);
    await expect(t.mutation(internal.entries.upsert, { clientId: "acme", runId: "r3", drafts: [
      { ...draft("Finance", "Bad", "wrong length"), embedding: [1, 0] },
    ] })).rejects.toThrow(/256 numbers/);
  });
});
