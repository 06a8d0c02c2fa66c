/* eslint-disable */
/**
 * Generated `api` utility.
 *
 * THIS CODE IS AUTOMATICALLY GENERATED.
 *
 * To regenerate, run `npx convex dev`.
 * @module
 */

import type {
  ApiFromModules,
  FilterApi,
  FunctionReference,
} from "convex/server";
import type * as clients from "../clients.js";
import type * as counts from "../counts.js";
import type * as entries from "../entries.js";
import type * as forum from "../forum.js";
import type * as guards from "../guards.js";
import type * as ids from "../ids.js";
import type * as items from "../items.js";
import type * as rank from "../rank.js";
import type * as search from "../search.js";
import type * as sightings from "../sightings.js";
import type * as supported from "../supported.js";
import type * as tree from "../tree.js";

/**
 * A utility for referencing Convex functions in your app's API.
 *
 * Usage:
 * ```js
 * const myFunctionReference = api.myModule.myFunction;
 * ```
 */
declare const fullApi: ApiFromModules<{
  clients: typeof clients;
  counts: typeof counts;
  entries: typeof entries;
  forum: typeof forum;
  guards: typeof guards;
  ids: typeof ids;
  items: typeof items;
  rank: typeof rank;
  search: typeof search;
  sightings: typeof sightings;
  supported: typeof supported;
  tree: typeof tree;
}>;
export declare const api: FilterApi<
  typeof fullApi,
  FunctionReference<any, "public">
>;
export declare const internal: FilterApi<
  typeof fullApi,
  FunctionReference<any, "internal">
>;
