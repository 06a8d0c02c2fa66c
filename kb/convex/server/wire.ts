// Convex's wire format for function results: encoded JSON values, float64s written as floats.
import { ConvexError, convexToJson, jsonToConvex, type JSONValue, type Value } from "convex/values";

/** Decode `args` as the clients send them (`$integer`, `$bytes`, `$float` wrappers included). */
export function decodeArgs(args: unknown): Record<string, Value> {
  if (typeof args !== "object" || args === null || Array.isArray(args)) {
    throw new Error("the request `args` must be an object");
  }
  return jsonToConvex(args as JSONValue) as Record<string, Value>;
}

export function encodeValue(value: unknown): JSONValue {
  return convexToJson((value ?? null) as Value);
}

/** The error response of a failed function; a ConvexError also carries its data. */
export function errorBody(error: unknown): object {
  if (error instanceof ConvexError || (error as any)?.[Symbol.for("ConvexError")] === true) {
    const e = error as ConvexError<Value>;
    return { status: "error", errorMessage: `Uncaught ConvexError: ${e.message}`, errorData: encodeValue(e.data) };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { status: "error", errorMessage: `Uncaught ${e.name}: ${e.message}` };
}

/**
 * JSON text in which every number is a float, as the Convex backend (serde_json) writes them:
 * 3 is sent as 3.0. The Python client relies on it: its json_to_convex rejects JSON integers.
 */
export function stringify(json: unknown): string {
  if (typeof json === "number") {
    return Number.isInteger(json) && Math.abs(json) < 1e21 ? `${json}.0` : JSON.stringify(json);
  }
  if (Array.isArray(json)) return `[${json.map(stringify).join(",")}]`;
  if (typeof json === "object" && json !== null) {
    const fields = Object.entries(json).filter(([, v]) => v !== undefined);
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(json ?? null);
}
