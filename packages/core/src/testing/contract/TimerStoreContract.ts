import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { EventStore } from "../../ports/EventStore.js"
import { TimerStore } from "../../ports/TimerStore.js"
import {  } from "../fixtures.js"
import { runner, type StoreLayer } from "./support.js"

/**
 * The behaviour every `TimerStore` adapter must have: timers set and cancelled by commits, claimed with a lease, completed only in the claimed version.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const timerStoreContract = (name: string, makeStore: StoreLayer) =>
  describe(`TimerStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("timers: set, replace, cancel, claim with a lease, complete only the claimed version", () =>
      run(Effect.gen(function* () {
        const eventStore = yield* EventStore
        const timerStore = yield* TimerStore
        const set = (key: string, dueAt: number) => eventStore.commit({ streams: [], messages: [], timers: [{ _tag: "Set", timer: { key, kind: "test", subject: key, dueAt } }] })
        yield* set("a", 100)
        yield* set("b", 200)
        yield* set("c", 300)
        yield* eventStore.commit({ streams: [], messages: [], timers: [{ _tag: "Cancel", key: "c" }] })
        expect(yield* timerStore.nextDueAt()).toEqual(Option.some(100))
        expect(yield* timerStore.claimDue(50, 10, 1000)).toEqual([])
        const claimed = yield* timerStore.claimDue(250, 10, 1000)
        expect(claimed.map((t) => t.key)).toEqual(["a", "b"])
        expect(yield* timerStore.claimDue(260, 10, 1000)).toEqual([])
        yield* set("b", 500)
        for (const timer of claimed) yield* timerStore.completeTimer(timer)
        expect((yield* timerStore.claimDue(400, 10, 1000)).map((t) => t.key)).toEqual([])
        const again = yield* timerStore.claimDue(600, 10, 1000)
        expect(again.map((t) => [t.key, t.dueAt])).toEqual([["b", 500]])
        expect((yield* timerStore.claimDue(1700, 10, 1000)).map((t) => t.key)).toEqual(["b"])
      })))
  })
