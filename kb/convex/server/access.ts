// Who may run which function: the rule a Convex deployment applies to its HTTP function API.
//
// `Authorization: Convex <key>` is the deployment's admin identity (deploy or admin key) and may run
// every function, internal ones included; a wrong key is refused outright (401 BadAdminKey). Without
// it a caller reaches public functions only, and an internal one is answered exactly as a missing one,
// so a stranger learns nothing of which functions exist. No auth provider is configured, so a user
// token (`Bearer ...`) is refused too.

export type Caller = { admin: boolean };
export type Refusal = { status: number; body: { code: string; message: string } };
type Fn = { isInternal?: boolean; isPublic?: boolean };

function refusal(status: number, code: string, message: string): Refusal {
  return { status, body: { code, message } };
}

/** Equal strings, compared in time that does not depend on where they differ. */
function sameKey(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

/** The caller behind an Authorization header value, or why the request is refused. */
export function caller(authorization: string | undefined, adminKey: string): Caller | Refusal {
  if (authorization === undefined || authorization === "") return { admin: false };
  const [scheme, ...rest] = authorization.split(" ");
  const token = rest.join(" ").trim();
  if (scheme === "Convex") {
    return token !== "" && sameKey(token, adminKey)
      ? { admin: true }
      : refusal(401, "BadAdminKey", "The provided admin key was invalid for this instance");
  }
  if (scheme === "Bearer") {
    return refusal(401, "NoAuthProvider", "No auth provider found matching the given token: this deployment configures none");
  }
  return refusal(401, "BadAuthHeader", "The Authorization header is neither `Convex <key>` nor `Bearer <token>`");
}

/** Why `caller` may not run `fn` at `path` (Convex's own message), or null when it may. */
export function refused(fn: Fn | undefined, path: string, who: Caller): string | null {
  if (fn !== undefined && (who.admin || fn.isPublic === true)) return null;
  return `Could not find public function for '${path}'. Did you forget to run \`npx convex dev\` or \`npx convex deploy\`?`;
}
