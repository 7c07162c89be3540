import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Store } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import { vi } from "vitest"
import { Migrations, Pglite, SqlStore } from "../src/index.js"

vi.setConfig({ testTimeout: 60_000 })

/** One in-memory PGlite with the store on it, the raw client beside it to break things by hand. */
const database = () => {
  const client = Pglite.layer()
  return Layer.merge(SqlStore.layer.pipe(Layer.provide(client)), client)
}

/** The same database with the engine on top (layers are shared by reference within one build). */
const withEngine = () => {
  const client = Pglite.layer()
  return Layer.merge(Fixtures.engineLayer(SqlStore.layer.pipe(Layer.provide(client))), client)
}

describe("migrations", () => {
  it.effect("run twice: the second run applies nothing", () =>
    Effect.gen(function* () {
      const first = yield* Migrations.run()
      const second = yield* Migrations.run()
      expect(first.applied).toEqual(Migrations.migrations.map((migration) => migration.version))
      expect(second).toEqual({ from: Migrations.latestVersion, to: Migrations.latestVersion, applied: [] })
    }).pipe(Effect.provide(Pglite.layer())))

  it.effect("a database migrated by newer code is refused with a clear error", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Migrations.run()
      yield* sql.unsafe(`INSERT INTO switchboard_migrations (version, name) VALUES ($1, 'from the future')`, [Migrations.latestVersion + 1])
      const error = yield* Effect.flip(Migrations.run())
      expect(error._tag).toBe("SchemaTooNew")
      expect(error.message).toContain(`version ${Migrations.latestVersion + 1}`)
      expect(error.message).toContain("refusing to start")
    }).pipe(Effect.provide(Pglite.layer())))
})

describe("bad data", () => {
  it.effect("a malformed dialog row is a defect naming the table, the column and the row", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      const { Engine } = yield* Effect.promise(() => import("@switchboard/core"))
      const engine = yield* Engine
      yield* Fixtures.seed
      const received = yield* engine.receive(Fixtures.inbound("c1", "hello"))
      yield* sql.unsafe(`UPDATE dialogs SET state = jsonb_set(state, '{status}', '"exploded"') WHERE id = $1`, [received.dialogId])
      const exit = yield* Effect.exit(store.loadDialog(received.dialogId))
      expect(Exit.isFailure(exit)).toBe(true)
      const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(defect).toBeInstanceOf(SqlStore.MalformedRow)
      expect(String((defect as Error).message)).toMatch(new RegExp(`dialogs\\.state \\(key ${received.dialogId}\\).*status`, "s"))
      // Other rows still read fine.
      expect(Option.isSome(yield* store.loadClient(received.clientId))).toBe(true)
    }).pipe(Effect.provide(withEngine())))

  it.effect("a malformed event payload is a defect naming the stream and version", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* Store
      yield* store.commit({ streams: [], messages: [], timers: [] })
      yield* sql.unsafe(`INSERT INTO events (stream_id, version, type, payload) VALUES ('dialog:x', 1, 'Nope', '{"_tag":"Nope"}')`)
      const exit = yield* Effect.exit(store.readStream("dialog:x"))
      const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(defect).toBeInstanceOf(SqlStore.MalformedRow)
      expect((defect as Error).message).toContain("events.payload (key dialog:x#1)")
    }).pipe(Effect.provide(database())))
})
