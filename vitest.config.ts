import { availableParallelism } from "node:os"
import { defineConfig } from "vitest/config"

/**
 * Adapter tests that need no database. Every other test of `packages/adapters` starts one
 * (PGlite, or PostgreSQL with `DATABASE_URL`), so it belongs to the integration tier whatever its
 * name: a new adapter test is slow-but-safe by default.
 */
const pureAdapterTests = ["packages/adapters/test/FastEncode.test.ts", "packages/adapters/test/**/*.memory.test.ts"]

/**
 * One workspace config for every package. Tiers (STYLE.md): `unit` is pure and in-memory
 * (`pnpm test:unit`); `integration` is databases (PGlite, PostgreSQL) and HTTP; `e2e` is the browser.
 */
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "hono/jsx" },
  test: {
    // On CI a JSON report lets .ci/run print a plain "N passed, N failed" line.
    reporters: process.env["CI"] ? ["default", ["json", { outputFile: ".ci/out/vitest.json" }]] : ["default"],
    // Vitest's default leaves one core idle (cores - 1): on a 2-core machine that is one worker.
    maxWorkers: availableParallelism(),
    // Vitest 3 reads a pool's isolation from the root config only (a project's `isolate` alone still
    // starts a process per file). The unit tier runs on threads, which share a worker across files;
    // the integration tier stays on forks, one process per file (sharing one let a PostgreSQL layer
    // reach a PGlite run).
    poolOptions: { threads: { isolate: false } },
    // Property runs take a second or two alone; on a 2-core machine shared with other work, several times that.
    testTimeout: 30_000,
    // Hooks start servers and databases; vitest's 10 s default for them is less than a test gets, and the
    // custom-channel example's server start once failed both its tests on a loaded machine.
    hookTimeout: 30_000,
    // Also how long a worker may take to terminate (tinypool's terminateTimeout): at load 18 on this
    // machine the 10 s default ran out, and "Failed to terminate worker" failed a green run and cost
    // it its JSON report.
    teardownTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          // Pure and in-memory: one module graph per worker (65 s → 35 s for the tier on 2 cores). The
          // integration tier stays isolated: sharing a worker there let a PostgreSQL layer reach a PGlite run.
          pool: "threads",
          isolate: false,
          include: ["packages/{core,server,ui-htmx}/test/**/*.test.{ts,tsx}", ...pureAdapterTests, "examples/**/*.test.ts"],
          exclude: ["**/*.int.test.{ts,tsx}", "**/node_modules/**"]
        }
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.int.test.{ts,tsx}", "packages/adapters/test/**/*.test.ts", "tests/**/*.test.{ts,tsx}"],
          exclude: [...pureAdapterTests, "tests/e2e/**", "**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks"
        }
      },
      {
        extends: true,
        test: {
          // The browser tier (STYLE.md): one Chromium for the run, launched by the global setup only
          // when an e2e file is queued; each file connects to it (tests/e2e/support/e2e.ts).
          name: "e2e",
          include: ["tests/e2e/**/*.test.{ts,tsx}"],
          globalSetup: ["tests/e2e/support/chromium.global.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks"
        }
      }
    ]
  }
})
