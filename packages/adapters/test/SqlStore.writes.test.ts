import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Dialog, Engine, storeService, TagId } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Effect, Layer, Option } from "effect"
import { vi } from "vitest"
import { SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

vi.setConfig({ testTimeout: 60_000 })

/** One in-memory PGlite with the engine and store on it, the raw client beside them. */
const withEngine = () => {
  const client = PgliteScratch.layer()
  return Layer.merge(Fixtures.engineLayer(SqlStore.layer.pipe(Layer.provide(client))), client)
}

describe("SQL store: one-statement commit and batched point reads", () => {
  it.effect("a stale version names the stream and both versions (SQLSTATE SB409 from switchboard_commit)", () =>
    Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      yield* store.putChannel(Fixtures.telegram)
      const received = yield* engine.receive(Fixtures.inbound("c1", "hello"))
      const dialog = Option.getOrThrow(yield* store.loadDialog(received.dialogId))
      const event = new Dialog.TagsSet({ tags: [TagId.make("vip")], by: "test", at: 1 })
      const conflict = yield* Effect.flip(store.commit({
        streams: [{ kind: "dialog", id: dialog.state.id, expectedVersion: dialog.version - 1, events: [event], state: dialog.state }],
        messages: [],
        timers: []
      }))
      expect(conflict).toMatchObject({ _tag: "VersionConflict", streamId: `dialog:${dialog.state.id}`, expectedVersion: dialog.version - 1, actualVersion: dialog.version })
    }).pipe(Effect.provide(withEngine())))

  it.effect("side-by-side reads answer each caller; reads inside a caller's transaction see it and do not wait for it", () =>
    Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const sql = yield* SqlClient.SqlClient
      yield* store.putChannel(Fixtures.telegram)
      const a = yield* engine.receive(Fixtures.inbound("a", "one"))
      const b = yield* engine.receive(Fixtures.inbound("b", "two"))
      const read = yield* Effect.all({
        settings: store.getSettings(),
        channel: store.getChannel(Fixtures.telegram.id),
        missing: store.getChannel(Fixtures.widget.id),
        a: store.findClient(Fixtures.telegram.id, "a"),
        b: store.findClient(Fixtures.telegram.id, "b"),
        nobody: store.findClient(Fixtures.telegram.id, "nobody"),
        dialogA: store.loadDialog(a.dialogId),
        clientB: store.loadClient(b.clientId)
      }, { concurrency: "unbounded" })
      expect(read.channel).toEqual(Option.some(Fixtures.telegram))
      expect(read.missing).toEqual(Option.none())
      expect(read.a).toEqual(Option.some(a.clientId))
      expect(read.b).toEqual(Option.some(b.clientId))
      expect(read.nobody).toEqual(Option.none())
      expect(Option.map(read.dialogA, (dialog) => dialog.state.id)).toEqual(Option.some(a.dialogId))
      expect(Option.map(read.clientB, (client) => client.version)).toEqual(Option.some(2))
      let inside: Option.Option<unknown> = Option.some("not read")
      const rolledBack = yield* Effect.flip(sql.withTransaction(Effect.gen(function* () {
        yield* sql.unsafe(`DELETE FROM channels WHERE id = $1`, [Fixtures.telegram.id])
        inside = yield* store.getChannel(Fixtures.telegram.id)
        return yield* Effect.fail("roll back")
      })))
      expect(rolledBack).toBe("roll back")
      expect(inside).toEqual(Option.none())
      expect(yield* store.getChannel(Fixtures.telegram.id)).toEqual(Option.some(Fixtures.telegram))
    }).pipe(Effect.provide(withEngine())))
})
