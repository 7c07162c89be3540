import { defineConfig } from "vitest/config"

/**
 * One workspace config for every package. Tiers (STYLE.md):
 * `*.test.ts` pure and in-memory, `*.int.test.ts` real databases and HTTP, `tests/e2e` browser.
 */
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "hono/jsx" },
  test: {
    // On CI a JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: process.env["CI"] ? ["default", ["json", { outputFile: ".ci/out/vitest.json" }]] : ["default"],
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.{ts,tsx}", "examples/**/*.test.ts"],
          exclude: ["**/*.int.test.{ts,tsx}", "**/node_modules/**"]
        }
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.int.test.{ts,tsx}", "tests/**/*.test.{ts,tsx}"],
          exclude: ["**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks"
        }
      }
    ]
  }
})
