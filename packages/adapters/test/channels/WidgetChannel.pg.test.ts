import { describe } from "@effect/vitest"
import { SqlStore } from "../../src/index.js"
import { widgetConformance } from "./widgetConformance.js"

const url = process.env["DATABASE_URL"] ?? ""

// Without DATABASE_URL the run reports these tests skipped. Set but unreachable: every layer
// build fails, so every test fails (never skips).
describe.skipIf(url === "")("PostgreSQL (DATABASE_URL)", () => {
  widgetConformance("PostgreSQL", () => SqlStore.layerPgScratch({ url, maxConnections: 4 }))
})
