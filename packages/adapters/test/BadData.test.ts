import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { storeService } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import { vi } from "vitest"
import { Migrations, SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

vi.setConfig({ testTimeout: 60_000 })

/** One in-memory PGlite with the store on it, the raw client beside it to break things by hand. */
const database = () => {
  const client = PgliteScratch.layer()
  return Layer.merge(SqlStore.layer.pipe(Layer.provide(client)), client)
}

/** The same database with the engine on top (layers are shared by reference within one build). */
const withEngine = () => {
  const client = PgliteScratch.layer()
  return Layer.merge(Fixtures.engineLayer(SqlStore.layer.pipe(Layer.provide(client))), client)
}

describe("migrations", () => {
  it.effect("run twice: the second run applies nothing", () =>
    Effect.gen(function* () {
      const first = yield* Migrations.run()
      const second = yield* Migrations.run()
      expect(first.applied).toEqual(Migrations.migrations.map((migration) => migration.version))
      expect(second).toEqual({ from: Migrations.latestVersion, to: Migrations.latestVersion, applied: [] })
    }).pipe(Effect.provide(PgliteScratch.layer())))

  it.effect("a database migrated by newer code is refused with a clear error", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Migrations.run()
      yield* sql.unsafe(`INSERT INTO switchboard_migrations (version, name) VALUES ($1, 'from the future')`, [Migrations.latestVersion + 1])
      const error = yield* Effect.flip(Migrations.run())
      expect(error._tag).toBe("SchemaTooNew")
      expect(error.message).toContain(`version ${Migrations.latestVersion + 1}`)
      expect(error.message).toContain("refusing to start")
    }).pipe(Effect.provide(PgliteScratch.layer())))

  it.effect("a database of schema 12 gets its queue's read marks and its dialogs' message hours from the rows it holds", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Migrations.run(Migrations.migrations.filter((migration) => migration.version <= 12))
      const hour = 3_600_000
      const message = (dialog: string, seq: number, at: number, author: string, deleted = false) =>
        sql.unsafe(`INSERT INTO messages (dialog_id, seq, id, internal, deleted, text, payload) VALUES ($1, $2, $3, false, $4, 'hi', $5::jsonb)`, [
          dialog, seq, `${dialog}.m${seq}`, deleted, JSON.stringify({ createdAt: at, author: { _tag: author } })
        ])
      // d1: two messages in hour 10, one in hour 12; d2: a notice in hour 10 and a deleted message in hour 11, then one in hour 13.
      yield* message("d1", 1, 10 * hour + 5, "Client")
      yield* message("d1", 2, 10 * hour + 50, "Operator")
      yield* message("d1", 3, 12 * hour, "Client")
      yield* message("d2", 1, 10 * hour + 7, "System")
      yield* message("d2", 2, 11 * hour + 7, "Operator", true)
      yield* message("d2", 3, 14 * hour - 1, "Client")
      const dialog = (id: string, status: string, state: object) =>
        sql.unsafe(`INSERT INTO dialogs (id, version, status, deleted, channel_id, queue_id, last_activity_at, client_message_count, state)
                    VALUES ($1, 1, $2, false, 'tg', 'default', 0, 2, $3::jsonb)`, [id, status, JSON.stringify(state)])
      yield* dialog("d1", "queued", { reads: { anna: 2 }, markedUnread: ["boris"] })
      yield* dialog("d2", "queued", { reads: {}, markedUnread: [] })
      const outcome = yield* Migrations.run()
      expect(outcome.applied).toEqual(Migrations.migrations.filter((migration) => migration.version > 12).map((migration) => migration.version))
      const hours = yield* sql.unsafe<{ readonly hour: number; readonly dialog_id: string }>(`SELECT hour, dialog_id FROM message_hours ORDER BY hour, dialog_id`)
      expect(hours.map((row) => [row.hour, row.dialog_id])).toEqual([[10, "d1"], [12, "d1"], [13, "d2"]])
      const marks = yield* sql.unsafe<{ readonly id: string; readonly read_counts: unknown; readonly marked_unread: unknown }>(
        `SELECT id, read_counts, marked_unread FROM dialogs ORDER BY id`
      )
      expect(marks.map((row) => [row.id, row.read_counts, row.marked_unread])).toEqual([["d1", { anna: 2 }, ["boris"]], ["d2", null, null]])
      // From now on the database keeps the hours itself: a deleted message takes its hour away unless another still counts there.
      yield* sql.unsafe(`UPDATE messages SET deleted = true WHERE dialog_id = 'd1' AND seq = 1`)
      yield* sql.unsafe(`UPDATE messages SET deleted = true WHERE dialog_id = 'd1' AND seq = 3`)
      yield* message("d2", 4, 11 * hour + 30, "Client")
      const after = yield* sql.unsafe<{ readonly hour: number; readonly dialog_id: string }>(`SELECT hour, dialog_id FROM message_hours ORDER BY hour, dialog_id`)
      expect(after.map((row) => [row.hour, row.dialog_id])).toEqual([[10, "d1"], [11, "d2"], [13, "d2"]])
    }).pipe(Effect.provide(PgliteScratch.layer())))
})

describe("bad data", () => {
  it.effect("a malformed dialog row is a defect naming the table, the column and the row", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const store = yield* storeService
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
      const store = yield* storeService
      yield* store.commit({ streams: [], messages: [], timers: [] })
      yield* sql.unsafe(`INSERT INTO events (stream_id, version, type, payload) VALUES ('dialog:x', 1, 'Nope', '{"_tag":"Nope"}')`)
      const exit = yield* Effect.exit(store.readStream("dialog:x"))
      const defect = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(defect).toBeInstanceOf(SqlStore.MalformedRow)
      expect((defect as Error).message).toContain("events.payload (key dialog:x#1)")
    }).pipe(Effect.provide(database())))
})
