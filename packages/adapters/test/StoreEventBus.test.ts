import { describe, expect, it } from "@effect/vitest"
import { Engine, EventBus, storeOf, type StorePorts } from "@switchboard/core"
import { Fixtures, SequentialIds } from "@switchboard/core/testing"
import { Chunk, Context, Effect, Fiber, Layer, Stream } from "effect"
import { vi } from "vitest"
import { SqlStore, StoreEventBus } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

vi.setConfig({ testTimeout: 60_000 })

const url = process.env["DATABASE_URL"] ?? ""

/** The engine publishing to `StoreEventBus` over a SQL store: what a single server runs. */
const server = (store: Layer.Layer<StorePorts, unknown>) =>
  Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(StoreEventBus.layer, SequentialIds.layer).pipe(Layer.provideMerge(store))))

const targets: ReadonlyArray<readonly [string, () => Layer.Layer<StorePorts, unknown>]> = [
  ["PGlite", () => SqlStore.layer.pipe(Layer.provide(PgliteScratch.layer()))],
  ...(url === "" ? [] : [["PostgreSQL", () => Layer.unwrapScoped(Effect.map(SqlStore.scratchSchema(url), (schema) => SqlStore.layerPg({ url, schema, maxConnections: 4 })))] as const])
]

describe.each(targets)("StoreEventBus on %s", (_name, store) => {
  it.live("subscribers get every commit of concurrent receives (group commits) once, in position order, as the store holds them", () =>
    Effect.scoped(Effect.gen(function* () {
      const context = yield* Layer.build(server(store()))
      const [engine, sql, bus] = [Context.get(context, Engine), storeOf(context), Context.get(context, EventBus)]
      yield* sql.putChannel(Fixtures.telegram)
      const start = yield* sql.lastPosition
      const events = yield* bus.subscribe
      // 60 receives, 16 in flight: the store commits them in groups, and their publishes race.
      yield* Effect.forEach(Array.from({ length: 60 }, (_, i) => i), (i) => engine.receive(Fixtures.inbound(`c${i % 20}`, `m${i}`)), { concurrency: 16, discard: true })
      const stored = yield* sql.readAll(start, 10_000)
      const seen = yield* events.pipe(Stream.take(stored.length), Stream.runCollect, Effect.fork)
      const delivered = Chunk.toReadonlyArray(yield* Fiber.join(seen))
      expect(delivered.map((event) => event.position)).toEqual(stored.map((event) => event.position))
      expect(stored.length).toBeGreaterThanOrEqual(60)
    })))
})
