import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Engine, EventBus, Store, type StoredEvent } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Chunk, Effect, Fiber, Layer, Stream } from "effect"
import { Migrations, PgEventBus, RandomIds, SqlStore } from "../src/index.js"

const url = process.env["DATABASE_URL"] ?? ""

/** One "server": its own pools for the store and the bus, on a shared schema. */
const server = (schema: string) => {
  const store = SqlStore.layerPg({ url, schema, maxConnections: 4 })
  const bus = PgEventBus.layer({ url, schema }).pipe(Layer.provide(store))
  return Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(store, bus, RandomIds.layer)))
}

describe("PostgreSQL: migrations and LISTEN/NOTIFY across servers", () => {
  if (url === "") {
    it("needs DATABASE_URL: unset, so the PostgreSQL cases are not registered", () => {})
    return
  }

  it.live("migrations from several processes at once: applied once, nobody fails", () =>
    Effect.scoped(Effect.gen(function* () {
      const schema = yield* SqlStore.scratchSchema(url)
      const runs = yield* Effect.forEach(
        [1, 2, 3, 4],
        () => Migrations.run().pipe(Effect.provide(SqlStore.pgClientLayer({ url, schema, maxConnections: 1 }))),
        { concurrency: "unbounded" }
      )
      expect(runs.flatMap((run) => run.applied)).toEqual(Migrations.migrations.map((migration) => migration.version))
      const rows = yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`SELECT count(*)::int AS n FROM switchboard_migrations`)).pipe(
        Effect.provide(SqlStore.pgClientLayer({ url, schema, maxConnections: 1 }))
      )
      expect(rows).toEqual([{ n: Migrations.latestVersion }])
    })))

  it.live("an event committed on one server reaches the other's subscribers, in position order", () =>
    Effect.scoped(Effect.gen(function* () {
      const schema = yield* SqlStore.scratchSchema(url)
      const a = yield* Layer.build(server(schema))
      const b = yield* Layer.build(server(schema))
      const busB = yield* Effect.provide(EventBus, b)
      const seen = yield* (yield* busB.subscribe).pipe(Stream.take(8), Stream.runCollect, Effect.fork)
      yield* Effect.sleep("300 millis") // let LISTEN settle: it is real I/O
      const engineA = yield* Effect.provide(Engine, a)
      yield* Effect.flatMap(Store, (store) => store.putChannel(Fixtures.telegram)).pipe(Effect.provide(a))
      const published: Array<StoredEvent> = []
      for (let i = 0; i < 2; i++) {
        const received = yield* engineA.receive(Fixtures.inbound(`c${i}`, `hello ${i}`))
        published.push(...received.events)
      }
      const events = Chunk.toReadonlyArray(yield* Fiber.join(seen).pipe(Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error("server B never saw server A's events") })))
      const positions = events.map((event) => event.position)
      expect([...positions].sort((x, y) => x - y)).toEqual(positions)
      expect(events.slice(-published.length).map((event) => event.position)).toEqual(published.map((event) => event.position))
    })))
})
