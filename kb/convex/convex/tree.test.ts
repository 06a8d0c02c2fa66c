// Tree functions under convex-test: stable ids, three levels enforced, client scoping.
import { convexTest } from "convex-test";
import { describe, expect, test } from "vitest";
import { internal } from "./_generated/api";
import schema from "./schema";
import { contentHash, entryId, nodeId } from "./ids";

const at = (name: string) => ({ name, slug: name.toLowerCase().replace(/\W+/g, "-") });
const path = { domain: at("Finance"), skill: at("Payroll"), group: at("Run 2002") };

describe("ids", () => {
  test("match kb.models byte for byte", async () => {
    const finance = await nodeId("acme", null, "finance");
    expect(finance).toBe("fec946bb90c167749e66ee2205fbd259");
    expect(await nodeId("acme", finance, "payroll")).toBe("e42873392d0d223a93889a112e878c30");
    const hash = await contentHash("acme", "mail/1", "Títle ✓", "body");
    expect(hash).toBe("c0c91af11e50d94ebc7aa9d0b93351d15fc6d296b9ec1a3299660774ce4dc146");
    expect(await entryId("acme", hash)).toBe("5a2dddd635a101b5a9dee003859d060c");
  });
});

describe("tree", () => {
  test("ensurePath creates three levels once and reuses them", async () => {
    const t = convexTest(schema);
    const first = await t.mutation(internal.tree.ensurePath, { clientId: "acme", ...path, groupDescription: "" });
    const again = await t.mutation(internal.tree.ensurePath, { clientId: "acme", ...path, groupDescription: "runs" });
    expect(first.map((n) => n.level)).toEqual(["domain", "skill", "entry_group"]);
    expect(again.map((n) => n.id)).toEqual(first.map((n) => n.id));
    expect(first[0].id).toBe(await nodeId("acme", null, "finance"));
    expect(again[2].description).toBe("runs");
    expect(await t.query(internal.tree.list, { clientId: "acme" })).toHaveLength(3);
    expect(await t.query(internal.tree.children, { clientId: "acme", parentId: null })).toHaveLength(1);
  });

  test("levels are enforced by the mutation", async () => {
    const t = convexTest(schema);
    const [domain, skill, group] = await t.mutation(internal.tree.ensurePath, { clientId: "acme", ...path });
    const node = (parentId: string | null, level: "domain" | "skill" | "entry_group") =>
      t.mutation(internal.tree.ensureNode, { clientId: "acme", parentId, level, name: "X", slug: "x" });
    await expect(node(group.id, "entry_group")).rejects.toThrow(/entry_group sits under a skill/);
    await expect(node(domain.id, "entry_group")).rejects.toThrow(/not under a domain/);
    await expect(node(null, "skill")).rejects.toThrow(/none was given/);
    await expect(node(skill.id, "domain")).rejects.toThrow(/has no parent/);
    await expect(node("nope", "skill")).rejects.toThrow(/no node nope/);
    await expect(
      t.mutation(internal.tree.ensurePath, { clientId: "acme", ...path, skill: { name: "!!", slug: "" } }),
    ).rejects.toThrow(/needs a name with letters or digits/);
    expect((await node(skill.id, "entry_group")).level).toBe("entry_group");
  });

  test("every call is scoped by client", async () => {
    const t = convexTest(schema);
    const [domain] = await t.mutation(internal.tree.ensurePath, { clientId: "acme", ...path });
    await expect(t.query(internal.tree.list, { clientId: " " })).rejects.toThrow(/clientId is required/);
    expect(await t.query(internal.tree.list, { clientId: "other" })).toEqual([]);
    await expect(
      t.mutation(internal.tree.ensureNode, { clientId: "other", parentId: domain.id, level: "skill", name: "S", slug: "s" }),
    ).rejects.toThrow(/no node/);
  });
});
