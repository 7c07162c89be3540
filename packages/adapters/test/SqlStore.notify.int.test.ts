import { describe, expect, it } from "@effect/vitest"
import { Engine, Store } from "@switchboard/core"
import { Fixtures, MemoryEventBus } from "@switchboard/core/testing"
import { Context, Effect, Layer } from "effect"
import pg from "pg"
import { RandomIds, SqlStore } from "../src/index.js"

const url = process.env["DATABASE_URL"] ?? ""

describe("PostgreSQL: a store that NOTIFYs inside its commits", () => {
  if (url === "") {
    it("needs DATABASE_URL: unset, so the PostgreSQL cases are not registered", () => {})
    return
  }

  it.live("a commit that appends notifies once with its newest position; one that appends nothing, not at all", () =>
    Effect.scoped(Effect.gen(function* () {
      const schema = yield* SqlStore.scratchSchema(url)
      const channel = `sb_test_${schema}`
      const listener = yield* Effect.acquireRelease(
        Effect.promise(async () => {
          const client = new pg.Client({ connectionString: url })
          await client.connect()
          await client.query(`LISTEN ${channel}`)
          return client
        }),
        (client) => Effect.promise(() => client.end())
      )
      const heard: Array<string> = []
      listener.on("notification", (message) => void heard.push(message.payload ?? ""))
      const context = yield* Layer.build(
        Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(SqlStore.layerWith({ notify: channel }).pipe(Layer.provide(SqlStore.pgClientLayer({ url, schema, maxConnections: 4 }))), MemoryEventBus.layer, RandomIds.layer)))
      ).pipe(Effect.catchAll(Effect.die))
      const store = Context.get(context, Store)
      const engine = Context.get(context, Engine)
      yield* store.putChannel(Fixtures.telegram)
      const received = yield* engine.receive(Fixtures.inbound("notify-me", "hello"))
      // Timers only: nothing appended, nothing to hear.
      yield* store.commit({ streams: [], messages: [], timers: [{ _tag: "Set", timer: { key: "t", kind: "t", subject: "t", dueAt: 0 } }] })
      const again = yield* engine.receive(Fixtures.inbound("notify-me", "again"))
      // A notification arrives on the listener's connection once the commit is visible.
      yield* Effect.promise(() => listener.query("SELECT 1"))
      yield* Effect.suspend(() => (heard.length >= 2 ? Effect.void : Effect.fail("not yet"))).pipe(Effect.retry({ times: 200 }), Effect.timeout("10 seconds"), Effect.orDie)
      expect(heard).toEqual([String(received.events.at(-1)!.position), String(again.events.at(-1)!.position)])
    })))
})
