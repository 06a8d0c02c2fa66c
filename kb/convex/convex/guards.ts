// The gate every KB function passes: internal builders (deploy key only), client scoping, typed failures.
import { ConvexError } from "convex/values";
import { internalAction, internalMutation, internalQuery } from "./_generated/server";

export type ErrorCode = "LevelError" | "ScopeError" | "KBError";

/**
 * Builders of every KB function. Internal functions cannot be called with a deployment's URL alone:
 * Convex runs them only for the deployment's admin identity (its deploy or admin key, sent as
 * `Authorization: Convex <key>`) and answers anyone else as it answers for a function that does not
 * exist. kb/convex_store/ calls them with CONVEX_DEPLOY_KEY; surface.test.ts fails on any public export.
 */
export const adminQuery = internalQuery;
export const adminMutation = internalMutation;
export const adminAction = internalAction;

export function fail(code: ErrorCode, message: string): never {
  throw new ConvexError({ code, message });
}

/** Return the client id, or fail: every read and write of client data names its client. */
export function scoped(clientId: string): string {
  if (clientId.trim() === "") fail("ScopeError", "a clientId is required");
  return clientId;
}
