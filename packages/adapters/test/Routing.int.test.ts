import { describe } from "@effect/vitest"
import { Layer } from "effect"
import { routingProperties } from "@switchboard/core/testing/contract"
import { SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

// ROUTING.md's invariants over Engine + Router on the SQL store: each run gets a fresh schema of
// the test worker's one PGlite, migrated from scratch.
routingProperties("PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer())), { numRuns: 6, orderRuns: 15, maxSteps: 30, timeout: 600_000 })

const url = process.env["DATABASE_URL"]

// Unset: reported as skipped. Set but unreachable: every layer build fails, so every run fails.
describe.runIf(url !== undefined && url !== "")("PostgreSQL (DATABASE_URL)", () => {
  routingProperties("PostgreSQL", () => SqlStore.layerPgScratch({ url: url ?? "", maxConnections: 4 }), { numRuns: 10, orderRuns: 15, maxSteps: 30, timeout: 600_000 })
})
