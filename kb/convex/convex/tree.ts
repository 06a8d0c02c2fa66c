// The client's three-level tree (domain -> skill -> entry_group); node ids are stable across runs.
import { v } from "convex/values";
import type { MutationCtx, QueryCtx } from "./_generated/server";
import type { Doc } from "./_generated/dataModel";
import { level } from "./schema";
import { adminQuery, adminMutation, fail, scoped } from "./guards";
import { nodeId } from "./ids";

export const LEVELS = ["domain", "skill", "entry_group"] as const;
export type Level = (typeof LEVELS)[number];
const MAX_SLUG = 80;

/** A node named by the caller: its display name and the slug kb.slug.slugify made of it. */
export const place = v.object({ name: v.string(), slug: v.string() });
export type Place = { name: string; slug: string };

export function toNode(doc: Doc<"knowledge_tree">) {
  const { nodeId: id, clientId, parentId, level, name, slug, description } = doc;
  return { id, clientId, parentId, level, name, slug, description };
}

export async function getNode(ctx: QueryCtx, clientId: string, id: string) {
  return await ctx.db
    .query("knowledge_tree")
    .withIndex("by_clientId_and_nodeId", (q) => q.eq("clientId", clientId).eq("nodeId", id))
    .unique();
}

/** Create or reuse one node; LevelError unless its parent is a node of the level above. */
export async function ensureNodeIn(
  ctx: MutationCtx,
  clientId: string,
  parentId: string | null,
  lvl: Level,
  rawName: string,
  slug: string,
  description = "",
) {
  const name = rawName.split(/\s+/).filter(Boolean).join(" ");
  if (slug === "" || slug.length > MAX_SLUG || /[\s/]/.test(slug)) {
    fail("LevelError", `a ${lvl} needs a name with letters or digits, got ${JSON.stringify(name)}`);
  }
  const depth = LEVELS.indexOf(lvl);
  if (parentId === null && depth !== 0) {
    fail("LevelError", `a ${lvl} sits under a ${LEVELS[depth - 1]}; none was given`);
  }
  if (parentId !== null) {
    if (depth === 0) fail("LevelError", "a domain is a root: it has no parent");
    const parent = await getNode(ctx, clientId, parentId);
    if (parent === null) fail("LevelError", `no node ${parentId} in this client's tree`);
    if (parent.level !== LEVELS[depth - 1]) {
      fail("LevelError", `a ${lvl} sits under a ${LEVELS[depth - 1]}, not under a ${parent.level}`);
    }
  }
  const existing = await ctx.db
    .query("knowledge_tree")
    .withIndex("by_clientId_and_parentId_and_slug", (q) =>
      q.eq("clientId", clientId).eq("parentId", parentId).eq("slug", slug),
    )
    .unique();
  if (existing !== null) {
    if (existing.level !== lvl) {
      fail("LevelError", `${JSON.stringify(name)} exists as a ${existing.level}, not a ${lvl}`);
    }
    if (existing.description === "" && description !== "") {
      await ctx.db.patch(existing._id, { description });
      return toNode({ ...existing, description });
    }
    return toNode(existing);
  }
  const doc = { nodeId: await nodeId(clientId, parentId, slug), clientId, parentId, level: lvl };
  await ctx.db.insert("knowledge_tree", { ...doc, name, slug, description });
  return toNode({ ...doc, name, slug, description } as Doc<"knowledge_tree">);
}

export async function ensurePathIn(
  ctx: MutationCtx,
  clientId: string,
  names: { domain: Place; skill: Place; group: Place },
  groupDescription = "",
) {
  const d = await ensureNodeIn(ctx, clientId, null, "domain", names.domain.name, names.domain.slug);
  const s = await ensureNodeIn(ctx, clientId, d.id, "skill", names.skill.name, names.skill.slug);
  const g = await ensureNodeIn(
    ctx, clientId, s.id, "entry_group", names.group.name, names.group.slug, groupDescription,
  );
  return [d, s, g] as const;
}

export const ensureNode = adminMutation({
  args: {
    clientId: v.string(),
    parentId: v.union(v.string(), v.null()),
    level,
    name: v.string(),
    slug: v.string(),
    description: v.optional(v.string()),
  },
  handler: async (ctx, a) =>
    await ensureNodeIn(ctx, scoped(a.clientId), a.parentId, a.level, a.name, a.slug, a.description),
});

export const ensurePath = adminMutation({
  args: {
    clientId: v.string(),
    domain: place,
    skill: place,
    group: place,
    groupDescription: v.optional(v.string()),
  },
  handler: async (ctx, { clientId, groupDescription, ...names }) =>
    await ensurePathIn(ctx, scoped(clientId), names, groupDescription),
});

/** Every node of the client's tree: domains, then skills, then groups, each by parent and slug. */
export const list = adminQuery({
  args: { clientId: v.string() },
  handler: async (ctx, { clientId }) => {
    const docs = await ctx.db
      .query("knowledge_tree")
      .withIndex("by_clientId_and_parentId", (q) => q.eq("clientId", scoped(clientId)))
      .collect();
    const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
    docs.sort(
      (a, b) =>
        cmp(LEVELS.indexOf(a.level), LEVELS.indexOf(b.level)) ||
        cmp(a.parentId ?? "", b.parentId ?? "") ||
        cmp(a.slug, b.slug),
    );
    return docs.map(toNode);
  },
});

/** The nodes directly under `parentId` (the domains when null), by slug. */
export const children = adminQuery({
  args: { clientId: v.string(), parentId: v.union(v.string(), v.null()) },
  handler: async (ctx, { clientId, parentId }) => {
    const docs = await ctx.db
      .query("knowledge_tree")
      .withIndex("by_clientId_and_parentId_and_slug", (q) =>
        q.eq("clientId", scoped(clientId)).eq("parentId", parentId),
      )
      .collect();
    return docs.map(toNode);
  },
});
