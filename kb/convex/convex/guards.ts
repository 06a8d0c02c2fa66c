// Typed failures the Python store maps to kb.models errors: {code, message} in a ConvexError.
import { ConvexError } from "convex/values";

export type ErrorCode = "LevelError" | "ScopeError" | "KBError";

export function fail(code: ErrorCode, message: string): never {
  throw new ConvexError({ code, message });
}

/** Return the client id, or fail: every read and write of client data names its client. */
export function scoped(clientId: string): string {
  if (clientId.trim() === "") fail("ScopeError", "a clientId is required");
  return clientId;
}
