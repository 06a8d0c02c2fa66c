// The test server's gate: a KB function runs for the admin key only; a stranger is told it does not exist.
import { queryGeneric } from "convex/server";
import { describe, expect, test } from "vitest";
import * as clients from "../convex/clients";
import * as tree from "../convex/tree";
import { caller, refused } from "./access";

const KEY = "local:grove|secret";
const publicQuery = queryGeneric({ args: {}, handler: async () => null });

describe("access", () => {
  test("the admin key makes an admin; no header a stranger", () => {
    expect(caller(`Convex ${KEY}`, KEY)).toEqual({ admin: true });
    expect(caller(undefined, KEY)).toEqual({ admin: false });
    expect(caller("", KEY)).toEqual({ admin: false });
  });

  test("a wrong key, a user token or a bad header is refused outright", () => {
    for (const header of [`Convex ${KEY}x`, "Convex ", "Convex local:grove|secreT", "Convex"]) {
      expect(caller(header, KEY)).toMatchObject({ status: 401, body: { code: "BadAdminKey" } });
    }
    expect(caller("Bearer eyJhbGciOi", KEY)).toMatchObject({ status: 401, body: { code: "NoAuthProvider" } });
    expect(caller(KEY, KEY)).toMatchObject({ status: 401, body: { code: "BadAuthHeader" } });
  });

  test("a stranger cannot run an internal KB function and is answered as for a missing one", () => {
    const stranger = { admin: false };
    const missing = refused(undefined, "clients:nope", stranger);
    expect(missing).toMatch(/^Could not find public function for 'clients:nope'/);
    expect(refused(clients.deleteRows, "clients:deleteRows", stranger)).toBe(missing!.replace("nope", "deleteRows"));
    expect(refused(tree.list, "tree:list", stranger)).toMatch(/Could not find public function for 'tree:list'/);
    expect(refused(publicQuery, "open:query", stranger)).toBeNull();
  });

  test("the admin runs internal functions; nobody runs a missing one", () => {
    const admin = { admin: true };
    expect(refused(clients.deleteRows, "clients:deleteRows", admin)).toBeNull();
    expect(refused(tree.list, "tree:list", admin)).toBeNull();
    expect(refused(undefined, "tree:nope", admin)).toMatch(/Could not find public function/);
  });
});
