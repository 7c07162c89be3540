/**
 * ROUTING.md A6: regressions taken from real bugs, on the shipping path (engine, router, memory
 * store). The pick race and the restart while offered are in `Router.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, ManagedRuntime, Option, TestClock, TestContext } from "effect"
import fc from "fast-check"
import { Channel } from "../../src/channels/Channel.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { RegisterOperator, SetRouting, SetStatus } from "../../src/operators/Operator.js"
import { storeService } from "../../src/ports/Store.js"
import { QueuePolicy, RoutingConfig, Selection } from "../../src/routing/Routing.js"
import { Router } from "../../src/routing/Router.js"
import { ChannelId, QueueId } from "../../src/shared/Ids.js"
import { anna, boris, owner } from "../../src/testing/fixtures.js"
import { arrive, carol, dialogState, given, heldBy, layerFor, operators, setStatus } from "./harness.js"

const withPolicy = (policy: Partial<ConstructorParameters<typeof QueuePolicy>[0]>) => RoutingConfig.make({ defaultPolicy: QueuePolicy.make(policy) })
const close = (dialogId: string) => Effect.flatMap(Engine, (engine) => engine.execute(owner, new Dialog.Close({ dialogId: dialogId as Dialog.DialogState["id"], force: true })))
const pass = Effect.flatMap(Router, (router) => router.runPass())
const queuedIds = Effect.flatMap(storeService, (store) => Effect.map(store.queued(100), (entries) => entries.map((e) => e.state.id as string)))

describe("A6 regressions", () => {
  it("a load burst with a limit of 2: no operator ever holds more than 2, and at rest every free slot is filled", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("arrive", "arrive", "arrive", "pass", "close"), { minLength: 10, maxLength: 40 }), fc.constantFrom(...Selection.literals), async (burst, selection) => {
        const runtime = ManagedRuntime.make(layerFor(withPolicy({ selection })).pipe(Layer.provideMerge(TestContext.TestContext)))
        try {
          await runtime.runPromise(
            Effect.gen(function* () {
              yield* given(operators.map((who) => ({ who, capacity: { telegram: 2 } })))
              let n = 0
              for (const step of burst) {
                if (step === "arrive") yield* arrive(1, "tg", `burst${n++}`)
                else if (step === "pass") yield* pass
                else {
                  const held = yield* heldBy(operators[n % 3]!)
                  if (held[0] !== undefined) yield* close(held[0])
                }
                for (const who of operators) expect((yield* heldBy(who)).length).toBeLessThanOrEqual(2)
              }
              yield* pass
              const held = (yield* Effect.forEach(operators, heldBy)).flat().length
              expect(held === 6 || (yield* queuedIds).length === 0).toBe(true)
            })
          )
        } finally {
          await runtime.dispose()
        }
      }),
      { numRuns: 25 }
    )
  }, 60_000)

  it.effect("per-queue vs global load: an operator serving two queues is limited by their total load on the channel kind", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2, widget: 1 } }])
      const store = yield* storeService
      yield* store.putChannel(Channel.make({ id: ChannelId.make("tg2"), kind: "telegram", name: "Telegram 2", queueId: QueueId.make("q2") }))
      const [a1, a2] = yield* arrive(2)
      yield* Effect.flatMap(Router, (router) => router.runPass({ queues: [QueueId.make("default")] }))
      expect((yield* heldBy(anna)).sort()).toEqual([a1, a2].sort())
      const [b1] = yield* arrive(1, "tg2")
      yield* Effect.flatMap(Router, (router) => router.runPass({ queues: [QueueId.make("q2")] }))
      yield* pass
      expect((yield* dialogState(b1!)).status).toBe("queued")
      // ...while capacity is per channel kind: the widget has its own limit
      const [w1] = yield* arrive(1, "web")
      yield* pass
      expect(Option.getOrUndefined((yield* dialogState(w1!)).assigneeId)).toBe("anna")
      yield* close(a1!)
      yield* pass
      expect(Option.getOrUndefined((yield* dialogState(b1!)).assigneeId)).toBe("anna")
    }).pipe(Effect.provide(layerFor())))

  it.effect("when an operator frees capacity, the backlog is assigned oldest first", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }])
      const [first] = yield* arrive(1)
      yield* pass
      const backlog: Array<string> = []
      for (let i = 0; i < 4; i++) {
        yield* TestClock.adjust("1 second")
        backlog.push(...(yield* arrive(1, "tg", `late${i}`)))
      }
      yield* pass
      expect(yield* queuedIds).toEqual(backlog)
      yield* close(first!)
      yield* pass
      expect(yield* heldBy(anna)).toEqual([backlog[0]])
      yield* close(backlog[0]!)
      yield* pass
      expect(yield* heldBy(anna)).toEqual([backlog[1]])
    }).pipe(Effect.provide(layerFor())))

  it.effect("when an operator comes online, the waiting backlog is assigned oldest first", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2 }, status: "break" }])
      const waiting: Array<string> = []
      for (let i = 0; i < 4; i++) {
        yield* TestClock.adjust("1 second")
        waiting.push(...(yield* arrive(1, "tg", `w${i}`)))
      }
      yield* pass
      expect(yield* heldBy(anna)).toEqual([])
      yield* setStatus(anna, "online")
      yield* pass
      expect((yield* heldBy(anna)).sort()).toEqual(waiting.slice(0, 2).sort())
      expect(yield* queuedIds).toEqual(waiting.slice(2))
    }).pipe(Effect.provide(layerFor())))

  it.effect("the first operator of the morning with a backlog of 18 and capacity 10 gets exactly the 10 oldest", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 10 }, status: "break" }])
      const backlog: Array<string> = []
      for (let i = 0; i < 18; i++) {
        yield* TestClock.adjust("1 second")
        backlog.push(...(yield* arrive(1, "tg", `n${i}`)))
      }
      yield* pass
      yield* setStatus(anna, "online")
      yield* pass
      expect((yield* heldBy(anna)).sort()).toEqual(backlog.slice(0, 10).sort())
      expect(yield* queuedIds).toHaveLength(8)
      yield* pass
      expect(yield* heldBy(anna)).toHaveLength(10)
    }).pipe(Effect.provide(layerFor())))

  it.effect("with a ramp-up cap of 3 per pass, the morning operator fills up 3 at a time and still stops at 10", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 10 }, status: "break" }])
      yield* arrive(18)
      yield* setStatus(anna, "online")
      const sizes: Array<number> = []
      for (let i = 0; i < 5; i++) {
        yield* pass
        sizes.push((yield* heldBy(anna)).length)
      }
      expect(sizes).toEqual([3, 6, 9, 10, 10])
    }).pipe(Effect.provide(layerFor(withPolicy({ rampUpPerPass: 3 })))))

  it("the exclusion list really excludes: a decliner is never offered that dialog again, whatever the selection mode", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Selection.literals), fc.integer({ min: 1, max: 6 }), async (selection, passes) => {
        const config = withPolicy({ selection, delivery: { _tag: "OFFER", timeoutSec: 30, missesBeforeAway: 0 }, exclusionResetSec: 300 })
        const runtime = ManagedRuntime.make(layerFor(config).pipe(Layer.provideMerge(TestContext.TestContext)))
        try {
          await runtime.runPromise(
            Effect.gen(function* () {
              yield* given([{ who: anna, capacity: { telegram: 5 } }, { who: boris, capacity: { telegram: 5 } }])
              const engine = yield* Engine
              const [id] = yield* arrive(1)
              const dialogId = id!
              const holder = Effect.map(dialogState(dialogId), (d) => Option.getOrThrow(d.offer).operatorId)
              const decline = (who: string) => engine.execute(who === "anna" ? anna : boris, new Dialog.DeclineOffer({ dialogId }))
              yield* pass
              const first = yield* holder
              yield* decline(first)
              yield* pass
              const second = yield* holder
              expect(second).not.toBe(first)
              yield* decline(second)
              for (let i = 0; i < passes; i++) {
                yield* TestClock.adjust("10 seconds")
                yield* pass
              }
              expect(yield* dialogState(dialogId)).toMatchObject({ status: "queued", excludedOperators: [first, second] })
              yield* engine.operator(owner, new RegisterOperator({ userId: carol.id, name: carol.name, role: carol.role }))
              yield* engine.operator(owner, new SetStatus({ userId: carol.id, statusId: "online" }))
              yield* engine.operator(owner, new SetRouting({ userId: carol.id, capacity: { telegram: 5 }, skills: [], queues: [] }))
              yield* pass
              expect(yield* holder).toBe("carol")
            })
          )
        } finally {
          await runtime.dispose()
        }
      }),
      { numRuns: 20 }
    )
  }, 60_000)
})
