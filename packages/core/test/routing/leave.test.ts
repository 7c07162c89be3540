/**
 * "Leaving must not bounce" (DLG-04, ROUTING A3): an operator below capacity who leaves a dialog
 * is not given the same dialog back by the router until the queue's `leaveCooldownSec` has run;
 * older waiting dialogs go to them first, and once the cooldown has run the dialog may come back.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock, TestContext } from "effect"
import fc from "fast-check"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { storeService } from "../../src/ports/Store.js"
import { QueuePolicy, RoutingConfig } from "../../src/routing/Routing.js"
import { Router } from "../../src/routing/Router.js"
import type { DialogId } from "../../src/shared/Ids.js"
import { anna, boris } from "../../src/testing/fixtures.js"
import { arrive, carol, dialogState, eventsOf, given, heldBy, layerFor, setStatus } from "./harness.js"

const cooldownSec = 120
const config = RoutingConfig.make({ defaultPolicy: QueuePolicy.make({ leaveCooldownSec: cooldownSec }) })

/** The "joined" notices the client saw in a dialog. */
const joinedNotices = (id: DialogId) =>
  Effect.map(eventsOf(`dialog:${id}`), (events) => events.filter((e) => e._tag === "StaffMessageSent" && e.message.author._tag === "System" && /joined/i.test(e.message.text)).length)

describe("Router: leaving does not bounce (DLG-04)", () => {
  it.effect("the leaver gets the next waiting dialog, not the one they left; after the cooldown it may come back", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2 } }])
      const router = yield* Router
      const engine = yield* Engine
      const [first, second, third] = yield* arrive(3)
      yield* router.runPass()
      expect((yield* heldBy(anna)).sort()).toEqual([first, second].sort())
      const joinedBefore = yield* joinedNotices(first!)
      yield* engine.execute(anna, new Dialog.Leave({ dialogId: first! }))
      // Anna has room again: the pass gives her the dialog that was waiting, not the one she left (older though it is).
      yield* router.runPass()
      expect((yield* heldBy(anna)).sort()).toEqual([second, third].sort())
      expect((yield* dialogState(first!)).status).toBe("queued")
      // Seconds later, with room again, still not: she is excluded until the cooldown has run.
      yield* engine.execute(anna, new Dialog.Close({ dialogId: third!, force: true }))
      yield* TestClock.adjust("10 seconds")
      yield* router.sweep()
      expect((yield* router.runPass()).planned).toBe(0)
      expect((yield* dialogState(first!)).status).toBe("queued")
      expect(yield* joinedNotices(first!)).toBe(joinedBefore)
      // She may still take it by hand.
      expect((yield* dialogState(first!)).excludedOperators).toEqual([anna.id])
      // Once the cooldown has run, the sweep clears the exclusion and the dialog is hers again.
      yield* TestClock.adjust(`${cooldownSec - 10} seconds`)
      yield* router.sweep()
      yield* router.runPass()
      expect(Option.getOrUndefined((yield* dialogState(first!)).assigneeId)).toBe(anna.id)
    }).pipe(Effect.provide(layerFor(config))))

  it.effect("another operator with room gets the left dialog at once, keeping its place in line", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }, { who: boris, capacity: { telegram: 1 }, status: "break" }])
      const router = yield* Router
      const engine = yield* Engine
      const [first] = yield* arrive(1)
      yield* router.runPass()
      const enqueuedAt = (yield* dialogState(first!)).enqueuedAt
      yield* engine.execute(anna, new Dialog.Leave({ dialogId: first! }))
      yield* setStatus(boris, "online")
      yield* router.runPass()
      const state = yield* dialogState(first!)
      expect(Option.getOrUndefined(state.assigneeId)).toBe(boris.id)
      expect(state.enqueuedAt).toEqual(enqueuedAt)
    }).pipe(Effect.provide(layerFor(config))))
})

/** One step of a random day: an operator leaves one of their dialogs, a routing pass, a sweep, time passing. */
type Step =
  | { readonly _tag: "leave"; readonly operator: number }
  | { readonly _tag: "pass" }
  | { readonly _tag: "sweep" }
  | { readonly _tag: "wait"; readonly seconds: number }
  | { readonly _tag: "close"; readonly operator: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ _tag: fc.constant("leave" as const), operator: fc.nat(2) }),
  fc.constant({ _tag: "pass" as const }),
  fc.constant({ _tag: "sweep" as const }),
  fc.record({ _tag: fc.constant("wait" as const), seconds: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ _tag: fc.constant("close" as const), operator: fc.nat(2) })
)

describe("Router: leaving does not bounce, as a property", () => {
  it("over random leaves, passes, sweeps and waits: the router never gives a leaver the dialog back within the cooldown, a pass leaves no free non-excluded operator idle beside a waiting dialog, and a sweep after the cooldown lifts the exclusion", async () => {
    const staff = [anna, boris, carol]
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(step, { minLength: 1, maxLength: 25 }),
        (capacities, dialogs, steps) =>
          Effect.runPromise(
            Effect.gen(function* () {
              const team = capacities.map((capacity, i) => ({ who: staff[i]!, capacity: { telegram: capacity } }))
              yield* given(team)
              const router = yield* Router
              const engine = yield* Engine
              const store = yield* storeService
              const ids = yield* arrive(dialogs)
              for (const s of steps) {
                const member = "operator" in s ? team[s.operator % team.length]!.who : undefined
                if (s._tag === "wait") yield* TestClock.adjust(`${s.seconds} seconds`)
                else if (s._tag === "sweep") yield* router.sweep()
                else if (s._tag === "pass") yield* router.runPass()
                else {
                  const held = yield* heldBy(member!)
                  if (held.length > 0) {
                    const dialogId = held[0] as DialogId
                    yield* engine.execute(member!, s._tag === "leave" ? new Dialog.Leave({ dialogId }) : new Dialog.Close({ dialogId, force: true }))
                  }
                }
                const now = yield* TestClock.currentTimeMillis
                for (const id of ids) {
                  const events = yield* eventsOf(`dialog:${id}`)
                  // No bounce: a routed assignment to an operator who left the dialog less than the cooldown before.
                  const leftAt = new Map<string, number>()
                  for (const event of events) {
                    if (event._tag === "DialogRequeued" && event.reason === "left" && Option.isSome(event.fromOperatorId)) leftAt.set(event.fromOperatorId.value, event.at)
                    if (event._tag === "DialogAssigned" && event.mode === "route") {
                      const left = leftAt.get(event.operatorId)
                      if (left !== undefined) expect(event.at).toBeGreaterThanOrEqual(left + cooldownSec * 1000)
                    }
                  }
                  const state = yield* dialogState(id)
                  if (state.status !== "queued") continue
                  if (s._tag === "pass") {
                    // Work conservation with exclusions (INV-5): everyone with room is excluded from a dialog still waiting.
                    for (const { who, capacity } of team) {
                      if ((yield* store.loadOf(who.id)).length < capacity.telegram) expect(state.excludedOperators).toContain(who.id)
                    }
                  }
                  if (s._tag === "sweep") {
                    // The exclusion lasts the cooldown, no longer.
                    const last = Math.max(0, ...leftAt.values())
                    if (now >= last + cooldownSec * 1000) expect(state.excludedOperators).toEqual([])
                  }
                }
              }
            }).pipe(Effect.provide(layerFor(config)), Effect.provide(TestContext.TestContext))
          )
      ),
      { numRuns: 40 }
    )
  })
})
