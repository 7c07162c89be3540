import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream } from "effect"
import * as fc from "fast-check"
import { EventBus, type StoredEvent } from "../../src/index.js"
import { MemoryEventBus } from "../../src/testing/index.js"

/** A stored event that only carries its position (the bus never looks inside). */
const at = (position: number) => ({ position, streamId: "dialog:d", version: position, event: { _tag: "SlaUpdated" } }) as unknown as StoredEvent

describe("EventBus subscription (subscribeTo, the memory bus)", () => {
  it("delivers every event published after subscribing exactly once, in order, and never splits one publish across chunks", async () => {
    await fc.assert(
      fc.asyncProperty(
        // Publishes of 1-6 events, each followed by 0-3 yields, with a reader that is slow (1-3 yields per chunk) or not.
        fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 3 }),
        async (publishes, readerDelay) => {
          const total = publishes.reduce((sum, [size]) => sum + size, 0)
          const program = Effect.scoped(Effect.gen(function* () {
            const bus = yield* EventBus
            // Published before subscribing: not in the stream.
            yield* bus.publish([at(0)])
            const events = yield* bus.subscribe
            const chunks: Array<ReadonlyArray<number>> = []
            const reader = yield* events.pipe(
              Stream.mapChunksEffect((chunk) =>
                Effect.as(Effect.zipRight(Effect.sync(() => chunks.push(Chunk.toReadonlyArray(chunk).map((event) => event.position))), Effect.repeatN(Effect.yieldNow(), readerDelay)), chunk)),
              Stream.take(total),
              Stream.runDrain,
              Effect.fork
            )
            let position = 1
            const batches: Array<ReadonlyArray<number>> = []
            for (const [size, pause] of publishes) {
              const batch = Array.from({ length: size }, () => position++)
              batches.push(batch)
              yield* bus.publish(batch.map(at))
              for (let i = 0; i < pause; i++) yield* Effect.yieldNow()
            }
            yield* Fiber.join(reader)
            return { chunks, batches }
          }))
          const { chunks, batches } = await Effect.runPromise(Effect.provide(program, MemoryEventBus.layer))
          // Exactly once, in order: the chunks put together are the publishes put together.
          expect(chunks.flat()).toEqual(batches.flat())
          // A publish is never split: each one lies inside one chunk.
          for (const batch of batches) {
            expect(chunks.some((chunk) => batch.every((position) => chunk.includes(position))), `publish ${batch.join(",")} in chunks ${JSON.stringify(chunks)}`).toBe(true)
          }
        }
      ),
      { numRuns: 200 }
    )
  })
})
