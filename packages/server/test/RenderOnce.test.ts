import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber } from "effect"
import { renderOnce } from "../src/RenderOnce.js"

describe("renderOnce", () => {
  it.effect("computes a key once for every caller, concurrent or later", () =>
    Effect.gen(function* () {
      const cache = renderOnce<string>(10)
      let runs = 0
      const gate = yield* Deferred.make<void>()
      const compute = Effect.zipRight(Deferred.await(gate), Effect.sync(() => `bubble ${++runs}`))
      const callers = yield* Effect.forEach([1, 2, 3], () => Effect.fork(cache.get(7, compute)))
      yield* Effect.yieldNow()
      yield* Deferred.succeed(gate, undefined)
      expect(yield* Effect.forEach(callers, Fiber.join)).toEqual(["bubble 1", "bubble 1", "bubble 1"])
      expect(yield* cache.get(7, compute)).toBe("bubble 1")
      expect(runs).toBe(1)
    }))

  it.effect("a first caller interrupted mid-render (its connection closed) leaves the value to the others", () =>
    Effect.gen(function* () {
      const cache = renderOnce<string>(10)
      const started = yield* Deferred.make<void>()
      const gate = yield* Deferred.make<void>()
      const compute = Effect.zipRight(Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(gate)), Effect.succeed("bubble"))
      const first = yield* Effect.fork(cache.get(1, compute))
      yield* Deferred.await(started)
      const second = yield* Effect.fork(cache.get(1, compute))
      const interrupting = yield* Effect.fork(Fiber.interrupt(first))
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(interrupting)
      expect(yield* Fiber.join(second)).toBe("bubble")
      expect(yield* cache.get(1, Effect.succeed("rendered again"))).toBe("bubble")
    }))

  it.effect("keeps the newest keys only", () =>
    Effect.gen(function* () {
      const cache = renderOnce<string>(2)
      for (const key of [1, 2, 3]) yield* cache.get(key, Effect.succeed(`first ${key}`))
      expect(yield* cache.get(1, Effect.succeed("again 1"))).toBe("again 1")
      expect(yield* cache.get(3, Effect.succeed("again 3"))).toBe("first 3")
    }))
})
