// Vitest runs the Convex functions under convex-test in the edge runtime Convex itself mirrors.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "edge-runtime",
    server: { deps: { inline: ["convex-test"] } },
    include: ["convex/**/*.test.ts", "server/**/*.test.ts"],
  },
});
