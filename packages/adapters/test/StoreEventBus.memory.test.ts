import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Stream, TestClock, TestContext } from "effect"
import * as fc from "fast-check"
import { Engine, EventStore, type StoredEvent, storeService } from "@switchboard/core"
import { Fixtures, MemoryStore } from "@switchboard/core/testing"
import { StoreEventBus } from "../src/index.js"

/** The engine on the in-memory store (its own bus is the plain memory one; the bus under test is made beside it). */
const world = Layer.provideMerge(Layer.effectDiscard(Fixtures.seed), Fixtures.engineLayer(MemoryStore.layer))

describe("StoreEventBus", () => {
  it("delivers the store's events in position order, each once and without holes, whatever order the publishes come in", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 12 }),
        // For each receive: whether its publish happens (a publisher may be interrupted after its commit),
        // the order of the publishes, and a few yields after each.
        fc.func(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3 }))),
        async (count, plan) => {
          const program = Effect.scoped(Effect.gen(function* () {
            const engine = yield* Engine
            const store = yield* storeService
            // Committed before the bus starts: not delivered.
            yield* engine.receive(Fixtures.inbound("before", "not delivered"))
            const start = yield* store.lastPosition
            const bus = yield* StoreEventBus.make
            const subscribed = yield* bus.subscribe
            const received: Array<ReadonlyArray<StoredEvent>> = []
            for (let i = 0; i < count; i++) received.push((yield* engine.receive(Fixtures.inbound(`c${i % 4}`, `m${i}`))).events)
            const publishes = received
              .map((events, index) => ({ events, index, plan: plan(index) }))
              .filter((entry, index) => entry.plan[0] || index === count - 1) // the newest one publishes: it says how far to read
              .sort((a, b) => a.plan[1] - b.plan[1] || a.index - b.index)
            const everything = yield* store.readAll(start, 10_000)
            const reader = yield* subscribed.pipe(Stream.take(everything.length), Stream.runCollect, Effect.fork)
            // The publishes race one another: each is its own fiber, with yields in between.
            const fibers = []
            for (const entry of publishes) {
              fibers.push(yield* Effect.fork(bus.publish(entry.events)))
              for (let i = 0; i < entry.plan[2]; i++) yield* Effect.yieldNow()
            }
            yield* Fiber.joinAll(fibers)
            const delivered = Chunk.toReadonlyArray(yield* Fiber.join(reader))
            return { delivered: delivered.map((event) => event.position), expected: everything.map((event) => event.position) }
          }))
          const { delivered, expected } = await Effect.runPromise(Effect.provide(program, Layer.provideMerge(world, TestContext.TestContext)))
          expect(delivered).toEqual(expected)
          expect(expected.length).toBeGreaterThanOrEqual(count)
        }
      ),
      { numRuns: 100 }
    )
  })

  it.effect("a publish returns once its events are with the subscribers, those committed before them included", () =>
    Effect.scoped(Effect.gen(function* () {
      const engine = yield* Engine
      const bus = yield* StoreEventBus.make
      const subscribed = yield* bus.subscribe
      const first = yield* engine.receive(Fixtures.inbound("a", "one"))
      const second = yield* engine.receive(Fixtures.inbound("b", "two"))
      // Only the later commit publishes: the earlier one comes too, before it.
      yield* bus.publish(second.events)
      const pull = yield* Stream.toPull(subscribed)
      const chunk = Chunk.toReadonlyArray(yield* pull)
      expect(chunk.map((event) => event.position)).toEqual([...first.events, ...second.events].map((event) => event.position))
      // Publishing what was delivered already delivers nothing again.
      yield* bus.publish(first.events)
      const third = yield* engine.receive(Fixtures.inbound("a", "three"))
      yield* bus.publish(third.events)
      expect(Chunk.toReadonlyArray(yield* pull).map((event) => event.position)).toEqual(third.events.map((event) => event.position))
    }).pipe(Effect.provide(world))))

  it.effect("a commit whose publish never came, with nothing after it, still goes out within the safety interval", () =>
    Effect.scoped(Effect.gen(function* () {
      const engine = yield* Engine
      const bus = yield* StoreEventBus.make
      const pull = yield* Stream.toPull(yield* bus.subscribe)
      // Committed; its publish went to the engine's own bus only, never to this one.
      const lonely = yield* engine.receive(Fixtures.inbound("alone", "nobody publishes after me"))
      yield* TestClock.adjust("10 seconds")
      expect(Chunk.toReadonlyArray(yield* pull).map((event) => event.position)).toEqual(lonely.events.map((event) => event.position))
    }).pipe(Effect.provide(world))))

  it.effect("a failed read of the store fails no publish; the next catch-up delivers from where delivery stopped", () =>
    Effect.scoped(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      let failing = true
      // The bus reads through a store whose database is away for a moment.
      const flaky = { ...store, readAll: (after: number, limit: number) => (failing ? Effect.die(new Error("connection lost")) : store.readAll(after, limit)) }
      const bus = yield* StoreEventBus.make.pipe(Effect.provideService(EventStore, flaky))
      const pull = yield* Stream.toPull(yield* bus.subscribe)
      const first = yield* engine.receive(Fixtures.inbound("a", "one"))
      const second = yield* engine.receive(Fixtures.inbound("b", "two"))
      // Only the later one publishes: the bus must read, and the read fails. The publish does not.
      yield* bus.publish(second.events)
      failing = false
      yield* TestClock.adjust("10 seconds")
      expect(Chunk.toReadonlyArray(yield* pull).map((event) => event.position)).toEqual([...first.events, ...second.events].map((event) => event.position))
    }).pipe(Effect.provide(world))))
})
