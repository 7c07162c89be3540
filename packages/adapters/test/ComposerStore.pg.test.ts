import { describe } from "@effect/vitest"
import { vi } from "vitest"
import { composerStoreContract } from "@switchboard/core/testing/contract"
import { SqlStore } from "../src/index.js"

vi.setConfig({ testTimeout: 60_000 })

const url = process.env["DATABASE_URL"]

// DATABASE_URL unset: the PostgreSQL run is reported as skipped (not as a passing empty test).
describe.skipIf(url === undefined || url === "")("PostgreSQL (DATABASE_URL)", () => {
  composerStoreContract("SQL on PostgreSQL", () => SqlStore.layerPgScratch({ url: url ?? "", maxConnections: 2 }))
})
