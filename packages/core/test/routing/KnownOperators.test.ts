/**
 * The router's operator directory (`internal/KnownOperators`): folded from the bus's events it
 * equals a fresh read of the store, whatever the operator events, their repeats and their gaps.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc } from "effect"
import { EventStore } from "../../src/ports/EventStore.js"
import * as KnownOperators from "../../src/routing/internal/KnownOperators.js"
import { anna, boris } from "../../src/testing/fixtures.js"
import { arrive, carol, given, layerFor, setStatus } from "./harness.js"
import { Router } from "../../src/routing/Router.js"

const statuses = ["online", "break", "offline"] as const

describe("KnownOperators", () => {
  it.effect.prop(
    "folded from the events (some repeated, some missed) it equals the store's operators",
    [fc.array(fc.record({ who: fc.constantFrom(anna, boris, carol), status: fc.constantFrom(...statuses), arrivals: fc.nat(2), deliver: fc.constantFrom("once", "twice", "lost") }), { minLength: 1, maxLength: 12 })],
    ([steps]) =>
      Effect.gen(function* () {
        yield* given([{ who: anna, capacity: { telegram: 2 } }, { who: boris, capacity: { telegram: 1 } }])
        const eventStore = yield* EventStore
        const router = yield* Router
        const known = yield* KnownOperators.make(eventStore)
        let position = yield* eventStore.lastPosition
        let lost = false
        for (const step of steps) {
          yield* Effect.ignore(setStatus(step.who, step.status))
          yield* arrive(step.arrivals, "tg", `c${position}`)
          // Routing's own operator events (load reserved) come too.
          yield* router.runPass()
          const events = yield* eventStore.readAll(position, 1_000)
          for (const stored of events) {
            if (step.deliver === "lost" && stored.streamId.startsWith("operator:")) continue
            yield* known.apply(stored)
            if (step.deliver === "twice") yield* known.apply(stored)
          }
          position = events.at(-1)?.position ?? position
          lost ||= step.deliver === "lost"
          // Until an event is lost, the fold alone keeps it equal to the store.
          if (!lost) expect(known.all()).toEqual(yield* eventStore.listOperators())
        }
        // A lost event is made good by the next event of that operator (a gap) or by a refresh.
        yield* known.refresh
        expect(known.all()).toEqual(yield* eventStore.listOperators())
      }).pipe(Effect.provide(layerFor())),
    { fastCheck: { numRuns: 30 } }
  )

  it.effect("an event after a missed one reads its operator again; the next in line is folded", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2 } }])
      const eventStore = yield* EventStore
      const known = yield* KnownOperators.make(eventStore)
      const from = yield* eventStore.lastPosition
      yield* setStatus(anna, "break")
      yield* setStatus(anna, "online")
      const events = (yield* eventStore.readAll(from, 100)).filter((stored) => stored.streamId === `operator:${anna.id}`)
      expect(events).toHaveLength(2)
      yield* known.apply(events[1]!)
      expect(known.all().find((entry) => entry.state.id === anna.id)?.state.statusId).toBe("online")
      expect(known.all()).toEqual(yield* eventStore.listOperators())
    }).pipe(Effect.provide(layerFor())))
})
