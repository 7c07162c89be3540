/**
 * The Router over the real engine and the in-memory store: passes applied through the command
 * path, triggers and the safety tick, the time-driven duties, and the concurrency guarantees
 * (INV-14) under fast-check's scheduler.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Fiber, Layer, ManagedRuntime, Option, TestClock, TestContext } from "effect"
import fc from "fast-check"
import { UserActor } from "../../src/access/Access.js"
import { Channel } from "../../src/channels/Channel.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { Scheduler } from "../../src/engine/Scheduler.js"
import { SetRouting } from "../../src/operators/Operator.js"
import { storeContext, type StoreService, storeService } from "../../src/ports/Store.js"
import { QueuePolicy, RoutingConfig, SkillGroupId } from "../../src/routing/Routing.js"
import { Router } from "../../src/routing/Router.js"
import { type DialogId, Language, QueueId, TopicId } from "../../src/shared/Ids.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import { anna, boris, inbound, monday, owner, widget } from "../../src/testing/fixtures.js"
import { arrive, carol, dialogState, eventsOf, given, layerFor, offers, operators, setStatus } from "./harness.js"

describe("Router: passes through the engine", () => {
  it.effect("a pass assigns queued dialogs through the command path, and each assignment bumps the operator's stream", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2 } }, { who: boris, capacity: { telegram: 1 } }])
      const router = yield* Router
      const store = yield* storeService
      const ids = yield* arrive(4)
      const report = yield* router.runPass()
      expect(report.applied).toHaveLength(3)
      expect(report.lost).toEqual([])
      expect((yield* store.loadOf(anna.id)).length).toBe(2)
      expect((yield* store.loadOf(boris.id)).length).toBe(1)
      const assigned = yield* Effect.forEach(ids, (id) => Effect.map(eventsOf(`dialog:${id}`), (events) => events.filter((e) => e._tag === "DialogAssigned")))
      expect(assigned.flat().map((e) => (e._tag === "DialogAssigned" ? e.mode : ""))).toEqual(["route", "route", "route"])
      const reserved = [...(yield* eventsOf(`operator:${anna.id}`)), ...(yield* eventsOf(`operator:${boris.id}`))].filter((e) => e._tag === "OperatorLoadReserved")
      expect(reserved).toHaveLength(3)
      // the oldest three got an operator; the newest waits
      expect((yield* dialogState(ids[3] as DialogId)).status).toBe("queued")
      expect((yield* router.runPass()).planned).toBe(0)
    }).pipe(Effect.provide(layerFor())))

  it.effect("topics decide eligibility: a subtopic goes to an operator whose skills hold its parent topic", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 5 }, skills: ["tech"] }, { who: boris, capacity: { telegram: 5 }, skills: ["billing"] }])
      const router = yield* Router
      const engine = yield* Engine
      const [refund, plain] = yield* arrive(2)
      yield* engine.execute(owner, new Dialog.SetTopics({ dialogId: refund as DialogId, topics: [TopicId.make("billing/refunds")] }))
      yield* router.runPass()
      expect(Option.getOrUndefined((yield* dialogState(refund as DialogId)).assigneeId)).toBe("boris")
      expect((yield* dialogState(plain as DialogId)).status).toBe("active")
    }).pipe(Effect.provide(layerFor(RoutingConfig.make({ topicParents: { "billing/refunds": TopicId.make("billing") } })))))

  it.effect("named skill groups and levels from the stored settings act: BEST_SKILL gives a billing dialog to the strongest in billing, a Ukrainian one to who speaks it", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 5 } }, { who: boris, capacity: { telegram: 5 } }, { who: carol, capacity: { telegram: 5 } }])
      const engine = yield* Engine
      const router = yield* Router
      const profile = (levels: Record<string, number>, languages: ReadonlyArray<string>) => ({
        capacity: { telegram: 5 },
        skills: [],
        queues: [],
        skillGroups: [SkillGroupId.make("billing")],
        skillLevels: levels,
        languages: languages.map((l) => Language.make(l))
      })
      yield* engine.operator(owner, new SetRouting({ userId: anna.id, ...profile({ billing: 3 }, ["en"]) }))
      yield* engine.operator(owner, new SetRouting({ userId: boris.id, ...profile({ billing: 9 }, ["en"]) }))
      yield* engine.operator(owner, new SetRouting({ userId: carol.id, capacity: { telegram: 5 }, skills: [], queues: [], languages: [Language.make("uk")] }))
      const [invoice, plain, ukrainian] = yield* arrive(3)
      yield* engine.execute(owner, new Dialog.SetTopics({ dialogId: invoice!, topics: [TopicId.make("billing/refunds")] }))
      yield* engine.execute(owner, new Dialog.SetLanguage({ dialogId: ukrainian!, language: Language.make("uk") }))
      yield* router.runPass()
      expect(Option.getOrUndefined((yield* dialogState(invoice!)).assigneeId)).toBe("boris")
      expect(Option.getOrUndefined((yield* dialogState(ukrainian!)).assigneeId)).toBe("carol")
      expect((yield* dialogState(plain!)).status).toBe("active")
    }).pipe(
      Effect.provide(
        layerFor(
          RoutingConfig.make({
            skillGroups: { billing: [TopicId.make("billing")] },
            topicParents: { "billing/refunds": TopicId.make("billing") },
            defaultPolicy: QueuePolicy.make({ selection: "BEST_SKILL" })
          })
        )
      )
    ))

  it.effect("OFFER: the engine's timer expires the offer and the next pass offers the dialog to someone else", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }, { who: boris, capacity: { telegram: 1 } }])
      const router = yield* Router
      const scheduler = yield* Scheduler
      const [id] = yield* arrive(1)
      const dialogId = id as DialogId
      yield* router.runPass()
      const first = Option.getOrThrow((yield* dialogState(dialogId)).offer).operatorId
      yield* TestClock.adjust("30 seconds")
      yield* scheduler.runDue()
      const expired = yield* dialogState(dialogId)
      expect(expired.excludedOperators).toEqual([first])
      expect(Option.getOrUndefined(expired.enqueuedAt)).toBe(monday)
      yield* router.runPass()
      const second = Option.getOrThrow((yield* dialogState(dialogId)).offer).operatorId
      expect(second).not.toBe(first)
    }).pipe(Effect.provide(layerFor(offers()))))
})

describe("Router: triggers and the safety tick", () => {
  it.effect("a queued dialog is routed without anyone calling a pass, and freed capacity pulls the next one", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }])
      const router = yield* Router
      const engine = yield* Engine
      const loop = yield* Effect.fork(router.run)
      const [a, b] = yield* arrive(2)
      yield* TestClock.adjust("1 millis")
      expect(Option.getOrUndefined((yield* dialogState(a as DialogId)).assigneeId)).toBe("anna")
      expect((yield* dialogState(b as DialogId)).status).toBe("queued")
      yield* engine.execute(anna, new Dialog.Close({ dialogId: a as DialogId, force: true }))
      yield* TestClock.adjust("1 millis")
      expect(Option.getOrUndefined((yield* dialogState(b as DialogId)).assigneeId)).toBe("anna")
      yield* Fiber.interrupt(loop)
    }).pipe(Effect.provide(layerFor())))

  it.effect("an operator becoming available triggers a pass over the waiting backlog, oldest first", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2 }, status: "break" }])
      const router = yield* Router
      const loop = yield* Effect.fork(router.run)
      const ids: Array<DialogId> = []
      for (let i = 0; i < 4; i++) {
        ids.push(...(yield* Effect.map(Engine, (engine) => engine).pipe(Effect.flatMap((engine) => engine.receive(inbound(`c${i}`, "hi"))), Effect.map((r) => [r.dialogId]))))
        yield* TestClock.adjust("1 second")
      }
      expect((yield* Effect.forEach(ids, dialogState)).map((d) => d.status)).toEqual(["queued", "queued", "queued", "queued"])
      yield* setStatus(anna, "online")
      yield* TestClock.adjust("1 millis")
      expect((yield* Effect.forEach(ids, dialogState)).map((d) => d.status)).toEqual(["active", "active", "queued", "queued"])
      yield* Fiber.interrupt(loop)
    }).pipe(Effect.provide(layerFor())))

  it.effect("the periodic tick routes work that no event announced", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }])
      const router = yield* Router
      const store = yield* storeService
      const [id] = yield* arrive(1)
      // capacity appears without an event on the bus (written straight to the store by another process)
      const op = Option.getOrThrow(yield* store.loadOperator(anna.id))
      const loop = yield* Effect.fork(router.run)
      yield* store.commit({ streams: [{ kind: "operator", id: anna.id, expectedVersion: op.version, events: [], state: { ...op.state, capacity: { telegram: 0 } } }], messages: [], timers: [] })
      yield* TestClock.adjust("1 millis")
      const waiting = yield* dialogState(id as DialogId)
      expect(waiting.status).toBe("queued")
      const now = Option.getOrThrow(yield* store.loadOperator(anna.id))
      yield* store.commit({ streams: [{ kind: "operator", id: anna.id, expectedVersion: now.version, events: [], state: { ...now.state, capacity: { telegram: 1 } } }], messages: [], timers: [] })
      yield* TestClock.adjust("29 seconds")
      expect((yield* dialogState(id as DialogId)).status).toBe("queued")
      yield* TestClock.adjust("1 second")
      expect((yield* dialogState(id as DialogId)).status).toBe("active")
      yield* Fiber.interrupt(loop)
    }).pipe(Effect.provide(layerFor(RoutingConfig.make({}), { tick: "30 seconds" }))))
})

describe("Router: time-driven duties (A3)", () => {
  it.effect("an operator going unavailable loses pending offers at once, without being excluded", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }])
      const router = yield* Router
      const [id] = yield* arrive(1)
      yield* router.runPass()
      expect(Option.isSome((yield* dialogState(id as DialogId)).offer)).toBe(true)
      yield* setStatus(anna, "break")
      const swept = yield* router.sweep()
      expect(swept.rescinded).toBe(1)
      const d = yield* dialogState(id as DialogId)
      expect(Option.isNone(d.offer)).toBe(true)
      expect(d.excludedOperators).toEqual([])
      expect(Option.getOrUndefined(d.enqueuedAt)).toBe(monday)
    }).pipe(Effect.provide(layerFor(offers()))))

  it.effect("REQUEUE_AFTER: past the grace period an absent operator's live dialogs are requeued with their original queue time", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1, widget: 1 } }, { who: boris, capacity: { telegram: 1 }, status: "break" }])
      const router = yield* Router
      const [chat] = yield* arrive(1)
      yield* router.runPass()
      yield* TestClock.adjust("10 seconds")
      yield* setStatus(anna, "break")
      yield* router.sweep()
      yield* TestClock.adjust("119 seconds")
      expect((yield* router.sweep()).requeued).toBe(0)
      yield* TestClock.adjust("1 second")
      expect((yield* router.sweep()).requeued).toBe(1)
      const d = yield* dialogState(chat as DialogId)
      expect(d.status).toBe("queued")
      expect(Option.getOrUndefined(d.enqueuedAt)).toBe(monday)
      const requeued = (yield* eventsOf(`dialog:${chat}`)).find((e) => e._tag === "DialogRequeued")
      expect(requeued?._tag === "DialogRequeued" ? requeued.reason : "").toBe("operator_unavailable")
      yield* setStatus(boris, "online")
      yield* router.runPass()
      expect(Option.getOrUndefined((yield* dialogState(chat as DialogId)).assigneeId)).toBe("boris")
    }).pipe(Effect.provide(layerFor())))

  it.effect("the grace period and KEEP/REQUEUE_AFTER come from the dialog's own queue policy", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1, widget: 1 } }])
      const router = yield* Router
      const store = yield* storeService
      yield* store.putChannel(Channel.make({ ...widget, queueId: QueueId.make("web-queue") }))
      const [chat] = yield* arrive(1)
      const [web] = yield* arrive(1, "web")
      yield* router.runPass()
      yield* setStatus(anna, "break")
      yield* router.sweep()
      yield* TestClock.adjust("10 seconds")
      yield* router.sweep()
      expect((yield* dialogState(chat as DialogId)).status).toBe("active")
      expect((yield* dialogState(web as DialogId)).status).toBe("queued")
      yield* TestClock.adjust("1 hour")
      yield* router.sweep()
      expect((yield* dialogState(chat as DialogId)).status).toBe("active")
    }).pipe(
      Effect.provide(
        layerFor(
          RoutingConfig.make({
            defaultPolicy: QueuePolicy.make({ onOperatorUnavailable: { live: { _tag: "KEEP" }, async: { _tag: "KEEP" }, byChannel: {} } }),
            queues: { "web-queue": QueuePolicy.make({ onOperatorUnavailable: { live: { _tag: "REQUEUE_AFTER", graceSec: 10 }, async: { _tag: "KEEP" }, byChannel: {} } }) }
          })
        )
      )
    ))

  it.effect("heartbeat presence: without a heartbeat for presenceTtl the operator is absent and gets nothing", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 5 } }])
      const router = yield* Router
      yield* arrive(1)
      expect((yield* router.runPass()).planned).toBe(0)
      yield* router.heartbeat(anna.id)
      expect((yield* router.runPass()).applied).toHaveLength(1)
      yield* TestClock.adjust("60 seconds")
      yield* arrive(1, "web")
      yield* Effect.flatMap(Engine, (engine) => engine.operator(owner, new SetRouting({ userId: anna.id, capacity: { telegram: 5, widget: 5 }, skills: [], queues: [] })))
      expect((yield* router.runPass()).planned).toBe(0)
      const board = yield* router.board()
      expect(board.operators.find((o) => o.operatorId === anna.id)).toMatchObject({ presence: "offline", absent: true })
    }).pipe(Effect.provide(layerFor(RoutingConfig.make({}), { presence: "heartbeat" }))))

  it.effect("heartbeats: one call makes every operator it names present (a server's beat for all its panels)", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }, { who: boris, capacity: { telegram: 1 } }])
      const router = yield* Router
      yield* arrive(2)
      expect((yield* router.runPass()).planned).toBe(0)
      yield* router.heartbeats([anna.id, boris.id])
      const pass = yield* router.runPass()
      expect(pass.applied.map((decision) => decision.operatorId).sort()).toEqual([anna.id, boris.id].sort())
    }).pipe(Effect.provide(layerFor(RoutingConfig.make({}), { presence: "heartbeat" }))))

  it.effect("heartbeat presence is shared through the store: a heartbeat taken by one server's router counts for another's", () =>
    Effect.scoped(Effect.gen(function* () {
      const store = yield* Layer.build(MemoryStore.layer)
      const serverA = yield* Layer.build(layerFor(RoutingConfig.make({}), { presence: "heartbeat" }, Layer.succeedContext(store)))
      const serverB = yield* Layer.build(layerFor(RoutingConfig.make({}), { presence: "heartbeat" }, Layer.succeedContext(store)))
      yield* given([{ who: anna, capacity: { telegram: 5 } }]).pipe(Effect.provide(serverA))
      const [routerA, routerB] = [Context.get(serverA, Router), Context.get(serverB, Router)]
      yield* arrive(1).pipe(Effect.provide(serverA))
      expect((yield* routerB.runPass()).planned).toBe(0)
      // Anna's panel is connected to server A.
      yield* routerA.heartbeat(anna.id)
      expect((yield* routerB.runPass()).applied).toHaveLength(1)
      const board = yield* routerB.board()
      expect(board.operators.find((o) => o.operatorId === anna.id)).toMatchObject({ presence: "online", absent: false })
      // Her connection ends: after presenceTtl both servers see her absent.
      yield* TestClock.adjust("60 seconds")
      expect((yield* routerA.board()).operators.find((o) => o.operatorId === anna.id)).toMatchObject({ presence: "offline", absent: true })
    })))

  it.effect("exclusion reset: a decliner can be offered the dialog again only after exclusionResetSec", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }])
      const router = yield* Router
      const engine = yield* Engine
      const [id] = yield* arrive(1)
      const dialogId = id as DialogId
      yield* router.runPass()
      yield* engine.execute(anna, new Dialog.DeclineOffer({ dialogId }))
      yield* router.sweep()
      expect((yield* router.runPass()).planned).toBe(0)
      yield* TestClock.adjust("299 seconds")
      expect((yield* router.sweep()).exclusionsReset).toBe(0)
      yield* TestClock.adjust("1 second")
      expect((yield* router.sweep()).exclusionsReset).toBe(1)
      yield* router.runPass()
      expect(Option.getOrThrow((yield* dialogState(dialogId)).offer).operatorId).toBe("anna")
    }).pipe(Effect.provide(layerFor(offers({ exclusionResetSec: 300 })))))
})

/**
 * The in-memory store with every call held by fast-check's scheduler while `gate.scheduler` is
 * set: concurrent passes interleave between any read and any commit, in orders fast-check picks.
 */
const scheduledStore = (inner: StoreService, gate: { scheduler: fc.Scheduler | undefined }): StoreService => {
  const wrap =
    <Args extends ReadonlyArray<unknown>, A, E>(name: string, method: (...args: Args) => Effect.Effect<A, E>) =>
    (...args: Args): Effect.Effect<A, E> =>
      Effect.suspend(() => {
        const s = gate.scheduler
        return s === undefined ? method(...args) : Effect.zipRight(Effect.promise(() => s.schedule(Promise.resolve(), name)), method(...args))
      })
  return {
    ...inner,
    loadDialog: wrap("loadDialog", inner.loadDialog),
    loadOperator: wrap("loadOperator", inner.loadOperator),
    listOperators: wrap("listOperators", inner.listOperators),
    commit: wrap("commit", inner.commit),
    readStream: wrap("readStream", inner.readStream),
    queued: wrap("queued", inner.queued),
    loadOf: wrap("loadOf", inner.loadOf),
    getSettings: wrap("getSettings", inner.getSettings),
    getChannel: wrap("getChannel", inner.getChannel),
    listChannels: wrap("listChannels", inner.listChannels),
    loadClient: wrap("loadClient", inner.loadClient)
  }
}

describe("Router: concurrency (INV-14)", () => {
  it("with fast-check interleaving 2–4 concurrent passes over the in-memory store, no operator exceeds capacity and no dialog has two owners", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 })),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 2, max: 4 }),
        fc.boolean(),
        async (s, capacities, dialogs, passes, offering) => {
          const gate: { scheduler: fc.Scheduler | undefined } = { scheduler: undefined }
          const store = scheduledStore(MemoryStore.make(), gate)
          const runtime = ManagedRuntime.make(
            layerFor(offering ? offers() : RoutingConfig.make({}), {}, Layer.succeedContext(storeContext(store))).pipe(Layer.provideMerge(TestContext.TestContext))
          )
          try {
            const staff = operators.map((who, i) => ({ who, capacity: { telegram: capacities[i] ?? 0 } }))
            const ids = await runtime.runPromise(Effect.zipRight(given(staff), arrive(dialogs)))
            gate.scheduler = s
            const reports = await s.waitFor(Promise.all(Array.from({ length: passes }, () => runtime.runPromise(Effect.flatMap(Router, (router) => router.runPass())))))
            gate.scheduler = undefined

            await runtime.runPromise(
              Effect.gen(function* () {
                const st = yield* storeService
                // INV-1: nobody over capacity
                for (const [i, who] of operators.entries()) {
                  expect((yield* st.loadOf(who.id)).length).toBeLessThanOrEqual(capacities[i] ?? 0)
                }
                // INV-3: one owner per dialog, and one routing event per dialog across all passes
                for (const id of ids) {
                  const d = Option.getOrThrow(yield* st.loadDialog(id)).state
                  expect(!(d.status === "active" && Option.isSome(d.offer))).toBe(true)
                  const routed = (yield* st.readStream(`dialog:${id}`)).filter((e) => e.event._tag === "DialogAssigned" || e.event._tag === "DialogOffered")
                  expect(routed.length).toBeLessThanOrEqual(1)
                }
                // every reservation on an operator stream matches one dialog they hold
                for (const who of operators) {
                  const reserved = (yield* st.readStream(`operator:${who.id}`)).filter((e) => e.event._tag === "OperatorLoadReserved")
                  expect(reserved.length).toBe((yield* st.loadOf(who.id)).length)
                }
                const applied = reports.reduce((n, r) => n + r.applied.length, 0)
                const held = (yield* Effect.forEach(operators, (who) => st.loadOf(who.id))).flat().length
                expect(applied).toBe(held)
                // at quiescence one more pass fills whatever the races left (INV-5)
                yield* Effect.flatMap(Router, (router) => router.runPass())
                const total = capacities.reduce((a, b) => a + b, 0)
                expect((yield* Effect.forEach(operators, (who) => st.loadOf(who.id))).flat().length).toBe(Math.min(total, dialogs))
              })
            )
          } finally {
            gate.scheduler = undefined
            await runtime.dispose()
          }
        }
      ),
      { numRuns: 60 }
    )
  }, 120_000)

  it("two operators picking the same dialog at the same moment: exactly one wins, the other gets AlreadyTaken", async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const gate: { scheduler: fc.Scheduler | undefined } = { scheduler: undefined }
        const runtime = ManagedRuntime.make(layerFor(RoutingConfig.make({}), {}, Layer.succeedContext(storeContext(scheduledStore(MemoryStore.make(), gate)))).pipe(Layer.provideMerge(TestContext.TestContext)))
        try {
          const [id] = await runtime.runPromise(Effect.zipRight(given([{ who: anna, capacity: { telegram: 3 } }, { who: boris, capacity: { telegram: 3 } }]), arrive(1)))
          const dialogId = id as DialogId
          gate.scheduler = s
          const pick = (who: UserActor) => runtime.runPromise(Effect.either(Effect.flatMap(Engine, (engine) => engine.execute(who, new Dialog.Accept({ dialogId })))))
          const results = await s.waitFor(Promise.all([pick(anna), pick(boris)]))
          gate.scheduler = undefined
          expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
          expect(results.flatMap((r) => (r._tag === "Left" && r.left._tag === "DialogRejected" ? [r.left.reason] : []))).toEqual(["AlreadyTaken"])
        } finally {
          gate.scheduler = undefined
          await runtime.dispose()
        }
      }),
      { numRuns: 40 }
    )
  }, 60_000)
})

describe("Router: restart (A6)", () => {
  it("restart while dialogs are offered: the offers expire once, the dialogs are offered again, nothing is duplicated or lost", async () => {
    const shared = MemoryStore.make()
    const first = ManagedRuntime.make(layerFor(offers(), {}, Layer.succeedContext(storeContext(shared))).pipe(Layer.provideMerge(TestContext.TestContext)))
    const ids = await first.runPromise(
      Effect.gen(function* () {
        yield* given([{ who: anna, capacity: { telegram: 3 } }, { who: boris, capacity: { telegram: 3 } }])
        const ids = yield* arrive(3)
        yield* Effect.flatMap(Router, (router) => router.runPass())
        return ids
      })
    )
    await first.dispose() // the process dies with three offers pending

    const second = ManagedRuntime.make(layerFor(offers(), {}, Layer.succeedContext(storeContext(shared))).pipe(Layer.provideMerge(TestContext.TestContext)))
    try {
      await second.runPromise(
        Effect.gen(function* () {
          const store = yield* storeService
          const scheduler = yield* Scheduler
          const router = yield* Router
          yield* TestClock.setTime(monday + 10 * 60_000)
          expect(yield* scheduler.runDue()).toBe(3)
          expect(yield* scheduler.runDue()).toBe(0)
          yield* router.runPass()
          for (const id of ids) {
            const events = (yield* store.readStream(`dialog:${id}`)).map((e) => e.event)
            const ended = events.filter((e) => e._tag === "OfferEnded")
            expect(ended.map((e) => (e._tag === "OfferEnded" ? e.outcome : ""))).toEqual(["expired"])
            const d = Option.getOrThrow(yield* store.loadDialog(id)).state
            expect(d.status).toBe("queued")
            expect(Option.isSome(d.offer)).toBe(true)
            expect(d.excludedOperators).toHaveLength(1)
            expect(Option.getOrThrow(d.offer).operatorId).not.toBe(d.excludedOperators[0])
            expect(Option.getOrUndefined(d.enqueuedAt)).toBe(monday)
          }
          const held = [...(yield* store.loadOf(anna.id)), ...(yield* store.loadOf(boris.id))].map((e) => e.dialogId).sort()
          expect(held).toEqual([...ids].sort())
        })
      )
    } finally {
      await second.dispose()
    }
  })
})

describe("Router: sticky reopen (ROUTING A3)", () => {
  it.effect("a dialog its client reopens goes back to the operator who closed it, even when someone else is less loaded", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 3 } }, { who: boris, capacity: { telegram: 3 } }])
      const router = yield* Router
      const engine = yield* Engine
      const [first, second] = yield* arrive(2)
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first as DialogId }))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: second as DialogId }))
      yield* engine.execute(anna, new Dialog.Close({ dialogId: first as DialogId }))
      yield* engine.receive(inbound("client-tg-0", "one more question"))
      expect((yield* dialogState(first as DialogId)).reopenedFrom).toEqual(Option.some(anna.id))
      yield* router.runPass()
      const state = yield* dialogState(first as DialogId)
      expect(Option.getOrUndefined(state.assigneeId)).toBe(anna.id)
      const assigned = (yield* eventsOf(`dialog:${first}`)).filter((e) => e._tag === "DialogAssigned")
      expect(assigned.map((e) => (e._tag === "DialogAssigned" ? e.mode : ""))).toEqual(["accept", "sticky"])
      expect(state.reopenedFrom).toEqual(Option.none())
    }).pipe(Effect.provide(layerFor())))

  it.effect("when the previous operator has no room, the reopened dialog is routed normally", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 1 } }, { who: boris, capacity: { telegram: 3 } }])
      const router = yield* Router
      const engine = yield* Engine
      const [first, second] = yield* arrive(2)
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first as DialogId }))
      yield* engine.execute(anna, new Dialog.Close({ dialogId: first as DialogId }))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: second as DialogId }))
      yield* engine.receive(inbound("client-tg-0", "me again"))
      yield* router.runPass()
      expect(Option.getOrUndefined((yield* dialogState(first as DialogId)).assigneeId)).toBe(boris.id)
    }).pipe(Effect.provide(layerFor())))
})

describe("Router: inactivity switches the status (OPS-02)", () => {
  it.effect("with heartbeats, an operator whose heartbeat expires is switched to the configured status", () =>
    Effect.gen(function* () {
      yield* given([{ who: anna, capacity: { telegram: 2 } }])
      const router = yield* Router
      const store = yield* storeService
      yield* router.heartbeat(anna.id)
      yield* TestClock.adjust("59 seconds")
      yield* router.sweep()
      expect(Option.getOrThrow(yield* store.loadOperator(anna.id)).state.statusId).toBe("online")
      yield* TestClock.adjust("2 seconds")
      yield* router.sweep()
      expect(Option.getOrThrow(yield* store.loadOperator(anna.id)).state.statusId).toBe("offline")
    }).pipe(Effect.provide(layerFor(RoutingConfig.make({}), { presence: "heartbeat", statusOnInactivity: "offline" }))))
})
