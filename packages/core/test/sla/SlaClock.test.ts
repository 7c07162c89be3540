import { describe, expect, it } from "@effect/vitest"
import { DateTime, Effect, Fiber, Layer, Option, TestClock } from "effect"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { Scheduler } from "../../src/engine/Scheduler.js"
import { type StorePorts, storeService } from "../../src/ports/Store.js"
import * as SlaClock from "../../src/sla/SlaClock.js"
import type { SlaSettings } from "../../src/sla/SlaClock.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import { anna, engineLayer, inbound, owner, seed, supervisor, text } from "../../src/testing/fixtures.js"
import { Schema } from "effect"

// 09:00–18:00 on weekdays in Kyiv (UTC+2 in winter): 30 min to first reply, 2 h to close.
const settings: SlaSettings = Schema.decodeUnknownSync(SlaClock.SlaSettings)({
  calendar: {
    name: "Kyiv desk",
    timezone: "Europe/Kyiv",
    week: { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]], sat: [], sun: [] },
    holidays: [],
    specialDays: []
  },
  policies: {
    policies: [{ name: "urgent", priorities: ["urgent"], targets: { firstResponse: 5 } }],
    fallback: { name: "standard", targets: { firstResponse: 30, timeToClose: 120 } }
  }
})

const kyiv = (day: number, hour: number, minute: number) => Date.UTC(2026, 0, day, hour - 2, minute)
const FRIDAY = 16 // 2026-01-16 is a Friday
const MONDAY = 19

const layer = Scheduler.Default.pipe(Layer.provideMerge(engineLayer(MemoryStore.layer, settings)))

const slaOf = (dialogId: Dialog.DialogState["id"]) =>
  Effect.flatMap(storeService, (store) => Effect.map(store.loadDialog(dialogId), (found) => Option.getOrThrow(Option.getOrThrow(found).state.sla)))

const slaEvents = (dialogId: Dialog.DialogState["id"]) =>
  Effect.flatMap(storeService, (store) =>
    Effect.map(store.readStream(`dialog:${dialogId}`), (events) =>
      events.flatMap((stored) => (stored.event._tag === "SlaUpdated" ? [{ at: stored.event.at, statuses: stored.event.sla.statuses, changed: stored.event.changed }] : []))
    )
  )

const run = <A, E>(body: Effect.Effect<A, E, Engine | StorePorts | Scheduler>) =>
  Effect.provide(Effect.zipRight(seed, Effect.zipRight(TestClock.setTime(kyiv(FRIDAY, 17, 50)), body)), layer)

describe("SLA through the engine and the scheduler (TestClock)", () => {
  it.effect("created Friday 17:50, 30-minute first response: warning Monday 09:14, breach Monday 09:20", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      const scheduler = yield* Scheduler
      const { dialogId } = yield* engine.receive(inbound("c1", "my order?"))
      const created = yield* slaOf(dialogId)
      expect(created.statuses.firstResponse).toBe("running")
      expect(created.responseDueAt).toEqual(Option.some(kyiv(MONDAY, 9, 20)))
      const loop = yield* Effect.fork(scheduler.run("1 hour"))
      yield* TestClock.setTime(kyiv(MONDAY, 9, 13))
      expect((yield* slaOf(dialogId)).statuses.firstResponse).toBe("running")
      yield* TestClock.setTime(kyiv(MONDAY, 9, 14))
      expect((yield* slaOf(dialogId)).statuses.firstResponse).toBe("warning")
      yield* TestClock.setTime(kyiv(MONDAY, 9, 19, ))
      expect((yield* slaOf(dialogId)).statuses.firstResponse).toBe("warning")
      yield* TestClock.setTime(kyiv(MONDAY, 9, 20))
      expect((yield* slaOf(dialogId)).statuses.firstResponse).toBe("breached")
      const events = yield* slaEvents(dialogId)
      expect(events.filter((e) => e.changed.includes("firstResponse")).map((e) => [e.at, e.statuses.firstResponse])).toEqual([
        [kyiv(FRIDAY, 17, 50), "running"],
        [kyiv(MONDAY, 9, 14), "warning"],
        [kyiv(MONDAY, 9, 20), "breached"]
      ])
      yield* Fiber.interrupt(loop)
    })))

  it.effect("a reply before the deadline marks first response met, and no warning ever fires", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      const scheduler = yield* Scheduler
      const { dialogId } = yield* engine.receive(inbound("c1", "my order?"))
      const loop = yield* Effect.fork(scheduler.run("1 hour"))
      yield* TestClock.setTime(kyiv(MONDAY, 9, 5))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Checking now") }))
      expect((yield* slaOf(dialogId)).statuses.firstResponse).toBe("met")
      yield* TestClock.setTime(kyiv(MONDAY, 12, 0))
      const changes = (yield* slaEvents(dialogId)).flatMap((e) => (e.changed.includes("firstResponse") ? [e.statuses.firstResponse] : []))
      expect(changes).toEqual(["running", "met"])
      yield* Fiber.interrupt(loop)
    })))

  it.effect("waiting on the client pauses time to close", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      yield* TestClock.setTime(kyiv(MONDAY, 9, 0))
      const { dialogId } = yield* engine.receive(inbound("c1", "my order?"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Which order number?") }))
      yield* TestClock.setTime(kyiv(MONDAY, 10, 0))
      yield* engine.execute(anna, new Dialog.SetWaitingOnClient({ dialogId, waiting: true }))
      expect((yield* slaOf(dialogId)).statuses.timeToClose).toBe("paused")
      yield* TestClock.setTime(kyiv(MONDAY, 15, 0))
      yield* engine.receive(inbound("c1", "#42"))
      const resumed = yield* slaOf(dialogId)
      expect(resumed.statuses.timeToClose).toBe("running")
      // 60 working minutes used before the pause; the remaining 60 run from 15:00, due at 16:00.
      const store = yield* storeService
      const state = Option.getOrThrow(yield* store.loadDialog(dialogId)).state
      const evaluation = SlaClock.evaluateDialog(SlaClock.compile(settings), state, kyiv(MONDAY, 15, 0))
      expect(Option.map(evaluation.timeToClose, (m) => m.elapsed)).toEqual(Option.some(60))
      expect(Option.map(Option.flatMap(evaluation.timeToClose, (m) => m.due), DateTime.toEpochMillis)).toEqual(Option.some(kyiv(MONDAY, 16, 0)))
    })))

  it.effect("changing the policy recomputes open dialogs' due instants; operators may not change it", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      yield* TestClock.setTime(kyiv(MONDAY, 10, 0))
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      expect((yield* slaOf(dialogId)).responseDueAt).toEqual(Option.some(kyiv(MONDAY, 10, 30)))
      const denied = yield* Effect.flip(engine.configureSla(anna, settings))
      expect(denied._tag).toBe("Forbidden")
      const faster: SlaSettings = { ...settings, policies: { ...settings.policies, fallback: { ...settings.policies.fallback, targets: { firstResponse: 10 } } } }
      expect(yield* engine.configureSla(owner, faster)).toBe(1)
      expect((yield* slaOf(dialogId)).responseDueAt).toEqual(Option.some(kyiv(MONDAY, 10, 10)))
    })))

  it.effect("processing order puts the earliest due unanswered dialog first (DLG-20)", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      yield* TestClock.setTime(kyiv(MONDAY, 10, 0))
      const early = yield* engine.receive(inbound("c1", "first"))
      yield* TestClock.setTime(kyiv(MONDAY, 10, 5))
      const answered = yield* engine.receive(inbound("c2", "second"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: answered.dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: answered.dialogId, input: text("hi") }))
      yield* TestClock.setTime(kyiv(MONDAY, 10, 10))
      const late = yield* engine.receive(inbound("c3", "third"))
      const page = yield* store.listDialogs({ viewer: { userId: supervisor.id, seesAll: true }, folder: "new", sort: "processingOrder", limit: 10 })
      expect(page.items.map((row) => row.dialogId)).toEqual([early.dialogId, late.dialogId])
      const all = yield* store.listDialogs({ viewer: { userId: supervisor.id, seesAll: true }, folder: "active", sort: "processingOrder", limit: 10 })
      expect(all.items.map((row) => [row.dialogId, row.sla._tag])).toEqual([[answered.dialogId, "Some"]])
    })))
})
