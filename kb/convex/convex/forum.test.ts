// Forum functions under convex-test: support counts, filters with and without query words.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema from "./schema";

const hash = (c: string) => c.repeat(64);
const post = (originHash: string, sourceType: string, phase: "explore" | "structure", body: string) => ({
  sourceType, phase, fileType: "pdf", title: `${sourceType} hint`, body, originHash,
});

describe("forum", () => {
  test("a repeated origin raises the support count", async () => {
    const t = convexTest(schema);
    const p = post(hash("a"), "drive", "explore", "scanned forms need OCR first");
    const [first] = await t.mutation(internal.forum.post, { posts: [p] });
    const [again, twice] = await t.mutation(internal.forum.post, { posts: [p, p] });
    expect(first.supportCount).toBe(1);
    expect(again).toEqual(twice);
    expect(again).toMatchObject({ id: first.id, supportCount: 3 });
    await expect(t.mutation(internal.forum.post, { posts: [{ ...p, originHash: "x" }] })).rejects.toThrow(/sha256/);
  });

  test("a rule keeps its kind and payload; text patterns read back with empty ones", async () => {
    const t = convexTest(schema);
    const rule = { ...post(hash("e"), "drive", "structure", "items in legal folders are legal"),
                   kind: "folder_domain", rule: '{"domain":"Legal","folder":"legal"}' };
    const [stored] = await t.mutation(internal.forum.post, { posts: [rule, post(hash("f"), "drive", "structure", "plain")] });
    expect(stored).toMatchObject({ kind: "folder_domain", rule: rule.rule, supportCount: 1 });
    const found = await t.query(internal.forum.search, { terms: [], sourceType: "drive", limit: 5 });
    expect(found.map((p) => p.kind).sort()).toEqual(["", "folder_domain"]);
  });

  test("search applies filters, with and without query words", async () => {
    const t = convexTest(schema);
    await t.mutation(internal.forum.post, {
      posts: [
        post(hash("a"), "drive", "explore", "scanned forms need OCR first"),
        post(hash("b"), "gmail", "explore", "threads repeat quoted forms"),
        post(hash("c"), "gmail", "structure", "invoices group by vendor"),
        post(hash("b"), "gmail", "explore", "threads repeat quoted forms"),
      ],
    });
    const titles = async (args: object) =>
      (await t.query(internal.forum.search, { terms: [], limit: 10, ...args })).map((p) => p.body);
    expect(await titles({})).toHaveLength(3);
    expect((await titles({}))[0]).toBe("threads repeat quoted forms");
    expect(await titles({ sourceType: "gmail", phase: "structure" })).toEqual(["invoices group by vendor"]);
    expect((await titles({ terms: ["forms"] })).sort()).toEqual(["scanned forms need OCR first", "threads repeat quoted forms"]);
    expect(await titles({ terms: ["forms"], sourceType: "drive" })).toEqual(["scanned forms need OCR first"]);
    expect(await titles({ terms: ["forms"], fileType: "xlsx" })).toEqual([]);
    expect(await titles({ terms: ["drive"] })).toEqual(["scanned forms need OCR first"]);
  });

  test("without words, equal support lists the oldest first", async () => {
    const t = convexTest(schema);
    const [a, b, c] = ["a", "b", "c"].map((x) => post(hash(x), "drive", "explore", `pattern ${x}`));
    await t.mutation(internal.forum.post, { posts: [a, b, c] });
    await t.mutation(internal.forum.post, { posts: [c] });
    const bodies = async (limit: number) =>
      (await t.query(internal.forum.search, { terms: [], limit })).map((p) => p.body);
    expect(await bodies(10)).toEqual(["pattern c", "pattern a", "pattern b"]);
    expect(await bodies(2)).toEqual(["pattern c", "pattern a"]);
    // The hint query's filters read through the narrower indexes, in the same order.
    const d = { ...post(hash("d"), "gmail", "explore", "pattern d"), fileType: "eml" };
    const e = post(hash("e"), "drive", "structure", "pattern e");
    await t.mutation(internal.forum.post, { posts: [d, e, d] });
    const within = async (args: object) =>
      (await t.query(internal.forum.search, { terms: [], limit: 10, ...args })).map((p) => p.body);
    expect(await within({ sourceType: "drive", phase: "explore" })).toEqual(["pattern c", "pattern a", "pattern b"]);
    expect(await within({ sourceType: "drive", phase: "explore", fileType: "pdf", limit: 2 })).toEqual(["pattern c", "pattern a"]);
    expect(await within({ sourceType: "gmail", phase: "explore", fileType: "pdf" })).toEqual([]);
    expect(await within({ phase: "explore" })).toEqual(["pattern c", "pattern d", "pattern a", "pattern b"]);
    expect(await within({ fileType: "pdf" })).toEqual(["pattern c", "pattern a", "pattern b", "pattern e"]);
  });
});
