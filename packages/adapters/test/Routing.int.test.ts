import { afterAll, describe } from "@effect/vitest"
import { Effect, Layer, ManagedRuntime } from "effect"
import { routingProperties } from "@switchboard/core/testing/contract"
import { Pglite, SqlStore } from "../src/index.js"

// ROUTING.md's invariants over Engine + Router on the SQL store. PGlite boots once for the file
// (2–3 s of WebAssembly start-up); each run gets a fresh schema in it, migrated from scratch.
const pglite = ManagedRuntime.make(Pglite.layer())
afterAll(() => pglite.dispose())
let schemas = 0

const freshSchema = () =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const sql = yield* SqlStore.SqlClient.SqlClient
      const name = `routing_${++schemas}`
      yield* sql.unsafe(`CREATE SCHEMA ${name}`)
      yield* sql.unsafe(`SET search_path TO ${name}`)
      return SqlStore.layer.pipe(Layer.provide(Layer.succeed(SqlStore.SqlClient.SqlClient, sql)))
    }).pipe(Effect.provide(pglite))
  )

routingProperties("PGlite", freshSchema, { numRuns: 6, orderRuns: 15, maxSteps: 30, timeout: 600_000 })

const url = process.env["DATABASE_URL"]

// Unset: reported as skipped. Set but unreachable: every layer build fails, so every run fails.
describe.runIf(url !== undefined && url !== "")("PostgreSQL (DATABASE_URL)", () => {
  routingProperties("PostgreSQL", () => SqlStore.layerPgScratch({ url: url ?? "", maxConnections: 4 }), { numRuns: 10, orderRuns: 15, maxSteps: 30, timeout: 600_000 })
})
