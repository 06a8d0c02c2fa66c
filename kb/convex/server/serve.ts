// Serve the KB functions over Convex's HTTP function API (POST /api/query, /api/mutation, /api/action),
// executed in memory by convex-test. For tests and local runs: binds 127.0.0.1 only.
//
//   GROVE_CONVEX_ADMIN_KEY=<key> node --import tsx server/serve.ts [--port N] [--exit-with-stdin]
//
// Port from --port, else $GROVE_CONVEX_PORT, else 0 (the OS picks); the chosen port is the first
// line on stdout. Callers authenticate as on a deployment (access.ts): the KB functions are internal,
// so only `Authorization: Convex <GROVE_CONVEX_ADMIN_KEY>` runs them. POST /_test/reset drops every
// table (a fresh deployment); it is not Convex API and takes the same key.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { convexTest } from "convex-test";
import { makeFunctionReference } from "convex/server";
import schema from "../convex/schema.ts";
import { caller, refused, type Caller } from "./access.ts";
import { decodeArgs, encodeValue, errorBody, stringify } from "./wire.ts";

const KINDS = { "/api/query": "query", "/api/mutation": "mutation", "/api/action": "action" } as const;
type Kind = (typeof KINDS)[keyof typeof KINDS];
const MAX_BODY = 16 * 1024 * 1024;
const ADMIN_KEY = (process.env.GROVE_CONVEX_ADMIN_KEY ?? "").trim();
if (ADMIN_KEY === "") {
  console.error("GROVE_CONVEX_ADMIN_KEY is not set: the test deployment needs the admin key its callers must send");
  process.exit(2);
}

const functionsDir = fileURLToPath(new URL("../convex/", import.meta.url));
const files = readdirSync(functionsDir, { recursive: true, encoding: "utf8" }).filter(
  (f) => /\.(ts|js)$/.test(f) && !/\.(test|d)\.ts$/.test(f),
);
const modules: Record<string, () => Promise<any>> = Object.fromEntries(
  files.map((f) => [`../convex/${f.split("\\").join("/")}`, () => import(pathToFileURL(join(functionsDir, f)).href)]),
);
// Production limits (documents and bytes read or written per transaction) are enforced.
const fresh = () => convexTest({ schema, modules, transactionLimits: true });
let backend = fresh();
let queue: Promise<unknown> = Promise.resolve();

/** The function at `path` ("module:export", "dir/module:export") `who` may run, if it is of `kind`. */
async function resolve(path: string, kind: Kind, who: Caller): Promise<string> {
  const [mod, name = "default"] = path.split(":");
  const load = modules[`../convex/${mod.replace(/\.js$/, "")}.ts`];
  const found = load && (await load())[name];
  const fn = found && (found.isQuery || found.isMutation || found.isAction) ? found : undefined;
  const refusal = refused(fn, path.replace(/\.js$/, ""), who);
  if (refusal !== null) throw new Error(refusal);
  const actual: Kind = fn.isQuery ? "query" : fn.isMutation ? "mutation" : "action";
  if (actual !== kind) throw new Error(`Trying to execute ${path} as ${kind}, but it is defined as ${actual}.`);
  return `${mod.replace(/\.js$/, "")}:${name}`;
}

async function call(kind: Kind, request: any, who: Caller): Promise<object> {
  try {
    if (typeof request?.path !== "string") throw new Error("the request body needs a string `path`");
    const ref = makeFunctionReference<any>(await resolve(request.path, kind, who));
    const args = decodeArgs(request.args ?? {});
    const value = await (backend[kind] as (f: unknown, a: unknown) => Promise<unknown>)(ref, args);
    return { status: "success", value: encodeValue(value) };
  } catch (error) {
    return errorBody(error);
  }
}

function send(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { "content-type": "application/json" }).end(stringify(body));
}

async function read(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const server = createServer(async (req, res) => {
  const route = (req.url ?? "").split("?")[0];
  const who = caller(req.headers.authorization, ADMIN_KEY);
  if ("status" in who) return send(res, who.status, who.body);
  if (req.method === "POST" && route === "/_test/reset") {
    if (!who.admin) return send(res, 401, { code: "Unauthenticated", message: "resetting the test deployment takes its admin key" });
    queue = queue.then(() => (backend = fresh()));
    await queue;
    return send(res, 200, { status: "success", value: null });
  }
  const kind = KINDS[route as keyof typeof KINDS];
  if (req.method !== "POST" || kind === undefined) {
    return send(res, 404, { code: "NotFound", message: `no route ${req.method} ${route}` });
  }
  let request: unknown;
  try {
    request = JSON.parse(await read(req));
  } catch (error) {
    return send(res, 400, { code: "BadJsonBody", message: String(error) });
  }
  // One function at a time, like a single-writer deployment: transactions never interleave.
  const result = queue.then(() => call(kind, request, who));
  queue = result.catch(() => undefined);
  send(res, 200, await result);
});

const argv = process.argv.slice(2);
const flag = argv.indexOf("--port");
const port = Number(flag >= 0 ? argv[flag + 1] : process.env.GROVE_CONVEX_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`bad port ${JSON.stringify(port)}`);
  process.exit(2);
}
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const chosen = typeof address === "object" && address !== null ? address.port : port;
  process.stdout.write(`${chosen}\n`);
  console.error(`grove convex test server on http://127.0.0.1:${chosen} (${relative(process.cwd(), functionsDir) || "."})`);
});
const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
if (argv.includes("--exit-with-stdin")) {
  process.stdin.on("end", stop).on("close", stop).resume();
}
