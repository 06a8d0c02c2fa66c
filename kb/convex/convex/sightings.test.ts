// The forum's k-client gate under convex-test: sightings per client hash, gated search, forgetting a client.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema from "./schema";

const hash = (c: string) => c.repeat(64);
const [ACME, GLOBEX, INITECH] = [hash("1"), hash("2"), hash("3")];
const post = (origin: string, body: string) => ({
  sourceType: "gmail", phase: "explore" as const, fileType: "eml", title: "Hint", body, originHash: hash(origin),
});
const shared = post("a", "replies quote the first mail");
const pair = post("b", "invoices arrive as attachments");
const alone = post("c", "receipts arrive weekly");

async function seeded() {
  const t = convexTest(schema);
  for (const client of [ACME, GLOBEX, INITECH]) await t.mutation(internal.forum.post, { posts: [shared], clientHash: client });
  for (const client of [ACME, GLOBEX]) await t.mutation(internal.forum.post, { posts: [pair, pair], clientHash: client });
  await t.mutation(internal.forum.post, { posts: [alone], clientHash: ACME });
  return t;
}

const sightings = (t: ReturnType<typeof convexTest>) => t.run((ctx) => ctx.db.query("forum_sightings").collect());

describe("forum k-client gate", () => {
  test("a client's sightings are recorded once per pattern; bad hashes are refused", async () => {
    const t = await seeded();
    expect(await sightings(t)).toHaveLength(3 + 2 + 1);
    // Support counts clients: a client posting its pattern again does not raise it.
    const [twice] = await t.mutation(internal.forum.post, { posts: [pair], clientHash: ACME });
    expect(twice.supportCount).toBe(2);
    const [third] = await t.mutation(internal.forum.post, { posts: [pair], clientHash: INITECH });
    expect(third.supportCount).toBe(3);
    expect(await sightings(t)).toHaveLength(7);
    await t.mutation(internal.forum.post, { posts: [post("d", "no client")] });
    expect(await sightings(t)).toHaveLength(7);
    await expect(t.mutation(internal.forum.post, { posts: [shared], clientHash: "acme" })).rejects.toThrow(/clientHash/);
    await expect(t.query(internal.forum.search, { terms: [], limit: 5, clientHash: "ACME" })).rejects.toThrow(/clientHash/);
  });

  test("search shows a pattern once k clients saw it, or to a client that saw it", async () => {
    const t = await seeded();
    const bodies = async (args: object) =>
      (await t.query(internal.forum.search, { terms: [], limit: 10, ...args })).map((p) => p.body).sort();
    expect(await bodies({})).toHaveLength(3);
    expect(await bodies({ minClients: 1 })).toHaveLength(3);
    expect(await bodies({ minClients: 2 })).toEqual([pair.body, shared.body].sort());
    expect(await bodies({ minClients: 3 })).toEqual([shared.body]);
    expect(await bodies({ minClients: 3, clientHash: GLOBEX })).toEqual([pair.body, shared.body].sort());
    expect(await bodies({ minClients: 3, clientHash: ACME })).toHaveLength(3);
    expect(await bodies({ minClients: 4, clientHash: INITECH })).toEqual([shared.body]);
    expect(await bodies({ minClients: 2, terms: ["arrive"] })).toEqual([pair.body]);
    expect(await bodies({ minClients: 2, terms: ["arrive"], clientHash: ACME })).toEqual([pair.body, alone.body].sort());
    // Hidden best matches make room for the next ones instead of shrinking the page.
    const best = (clientHash?: string) =>
      t.query(internal.forum.search, { terms: ["arrive", "weekly"], limit: 1, minClients: 2, clientHash });
    expect((await best(ACME)).map((p) => p.body)).toEqual([alone.body]);
    expect((await best()).map((p) => p.body)).toEqual([pair.body]);
  });

  test("forgetClient drops a client's sightings and the patterns left below k", async () => {
    const t = await seeded();
    const first = await t.mutation(internal.sightings.forgetClient, { clientHash: ACME, minClients: 2, limit: 2 });
    const rest = await t.mutation(internal.sightings.forgetClient, { clientHash: ACME, minClients: 2, limit: 2 });
    expect(first.isDone).toBe(false);
    expect(rest.isDone).toBe(true);
    expect(first.removed + rest.removed).toBe(2);
    const left = await t.query(internal.forum.search, { terms: [], limit: 10 });
    expect(left.map((p) => p.body)).toEqual([shared.body]);
    expect((await sightings(t)).map((s) => s.clientHash).sort()).toEqual([GLOBEX, INITECH]);
    expect(await t.mutation(internal.sightings.forgetClient, { clientHash: ACME, minClients: 2, limit: 10 }))
      .toEqual({ removed: 0, isDone: true });
  });
});

describe("clients", () => {
  test("deleteRows removes one client's rows of a table, a batch at a time", async () => {
    const t = convexTest(schema);
    const at = (name: string) => ({ name, slug: name.toLowerCase() });
    const draft = (content: string) => ({
      domain: at("Finance"), skill: at("Payroll"), group: at("Runs"), groupDescription: "", title: "Run",
      content, sourceType: "gmail", fileType: "eml", locator: `gmail:${content}`, itemId: content,
    });
    for (const clientId of ["acme", "globex"]) {
      await t.mutation(internal.entries.upsert, { clientId, runId: "r1", drafts: [draft("one"), draft("two"), draft("three")] });
    }
    const del = (table: "entries" | "tree" | "items", limit: number) =>
      t.mutation(internal.clients.deleteRows, { clientId: "acme", table, limit });
    expect(await del("entries", 2)).toEqual({ deleted: 2, isDone: false });
    expect(await del("entries", 2)).toEqual({ deleted: 1, isDone: true });
    expect(await del("tree", 100)).toEqual({ deleted: 3, isDone: true });
    expect(await del("items", 100)).toEqual({ deleted: 0, isDone: true });
    expect(await t.query(internal.counts.tree, { clientId: "acme" })).toEqual({ domain: 0, skill: 0, entry_group: 0 });
    expect(await t.query(internal.counts.tree, { clientId: "globex" })).toEqual({ domain: 1, skill: 1, entry_group: 1 });
    await expect(t.mutation(internal.clients.deleteRows, { clientId: " ", table: "tree", limit: 1 })).rejects.toThrow(/clientId/);
  });
});
