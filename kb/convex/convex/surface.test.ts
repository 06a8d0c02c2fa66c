// No KB function is public: a deployment runs every one of them for its deploy/admin key alone.
/// <reference types="vite/client" />
import { describe, expect, test } from "vitest";

const modules = import.meta.glob<Record<string, any>>(["./*.ts", "!./*.test.ts", "!./*.d.ts"], { eager: true });
const functions = Object.entries(modules).flatMap(([file, mod]) =>
  Object.entries(mod)
    .filter(([, f]) => f?.isQuery || f?.isMutation || f?.isAction)
    .map(([name, f]) => [`${file.slice(2, -3)}:${name}`, f] as const),
);

describe("surface", () => {
  test("every module's functions are found", () => {
    const names = functions.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(["clients:deleteRows", "tree:list", "forum:search", "items:record"]));
    expect(names.length).toBeGreaterThanOrEqual(17);
  });

  test.each(functions)("%s is internal", (_name, f) => {
    expect(f.isInternal).toBe(true);
    expect(f.isPublic).toBeFalsy();
  });
});
