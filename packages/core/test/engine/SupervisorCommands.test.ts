import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { Access } from "../../src/index.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { SetStatus } from "../../src/operators/Operator.js"
import { ConfigStore } from "../../src/ports/ConfigStore.js"
import { EventStore } from "../../src/ports/EventStore.js"
import { PresenceStore } from "../../src/ports/PresenceStore.js"
import { Settings } from "../../src/settings/Settings.js"
import { UserId } from "../../src/shared/Ids.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import { anna, boris, engineLayer, inbound, monday, owner, seed, supervisor } from "../../src/testing/fixtures.js"

const admin = new Access.UserActor({ id: UserId.make("adam"), name: "Adam", role: "admin" })

/** Anna holds two dialogs (accepted from the queue). */
const annaHoldsTwo = Effect.gen(function* () {
  const engine = yield* Engine
  yield* seed
  const ids: Array<Dialog.DialogState["id"]> = []
  for (const from of ["c1", "c2"]) {
    const received = yield* engine.receive(inbound(from, "hello"))
    ids.push(received.dialogId)
    yield* engine.execute(anna, new Dialog.Accept({ dialogId: received.dialogId }))
  }
  return ids
})

describe("the supervisor's commands from the board", () => {
  it.effect("redistributing an operator's dialogs sends each back to its queue, keeping its wait (OPS-05)", () =>
    Effect.gen(function* () {
      const ids = yield* annaHoldsTwo
      const engine = yield* Engine
      const events = yield* EventStore
      yield* TestClock.adjust("1 minute")
      expect(yield* engine.redistribute(supervisor, anna.id)).toEqual({ requeued: 2, skipped: 0 })
      for (const id of ids) {
        const state = Option.getOrThrow(yield* events.loadDialog(id)).state
        expect([state.status, Option.getOrUndefined(state.assigneeId), Option.getOrUndefined(state.enqueuedAt)]).toEqual(["queued", undefined, monday])
      }
      expect(yield* (yield* PresenceStore).loadOf(anna.id)).toEqual([])
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))

  it.effect("an operator may not redistribute a colleague's dialogs, and nothing moves", () =>
    Effect.gen(function* () {
      yield* annaHoldsTwo
      const engine = yield* Engine
      const error = yield* Effect.flip(engine.redistribute(boris, anna.id))
      expect(error._tag).toBe("Forbidden")
      expect((yield* (yield* PresenceStore).loadOf(anna.id)).length).toBe(2)
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))

  it.effect("status changes from the board: supervisors for anyone, operators only for themselves; the time in status starts anew", () =>
    Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      const events = yield* EventStore
      yield* TestClock.adjust("10 minutes")
      yield* engine.operator(supervisor, new SetStatus({ userId: anna.id, statusId: "break" }))
      const state = Option.getOrThrow(yield* events.loadOperator(anna.id)).state
      expect([state.statusId, state.statusSince]).toEqual(["break", monday + 10 * 60_000])
      const refused = yield* Effect.flip(engine.operator(boris, new SetStatus({ userId: anna.id, statusId: "online" })))
      expect(refused).toMatchObject({ _tag: "OperatorRejected", reason: "Forbidden" })
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))
})

describe("company settings changes", () => {
  it.effect("a change from form input is decoded over the current settings, stored, and audited with who, when, before and after", () =>
    Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      yield* TestClock.adjust("1 minute")
      const result = yield* engine.changeSettings(admin, { topicRequired: true, tags: [{ id: "vip", name: "<script>VIP</script>", color: "#ff0000" }] })
      expect(result.changes.map((change) => change.setting)).toEqual(["topicRequired", "tags"])
      const stored = yield* (yield* ConfigStore).getSettings()
      expect([stored.topicRequired, stored.tags.map((tag) => tag.name)]).toEqual([true, ["<script>VIP</script>"]])
      const history = yield* engine.settingsHistory(owner, { limit: 10 })
      expect(history.items.map((entry) => [entry.change.actorId, entry.change.at, entry.change.changes.map((c) => [c.setting, c.before, c.after])])).toEqual([
        ["adam", monday + 60_000, [["topicRequired", false, true], ["tags", [], [{ id: "vip", name: "<script>VIP</script>", color: "#ff0000" }]]]]
      ])
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))

  it.effect("invalid input names the field's path, and nothing is stored or audited", () =>
    Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      const before = yield* (yield* ConfigStore).config()
      const error = yield* Effect.flip(engine.changeSettings(owner, { tags: [{ id: "vip", name: "VIP", color: "#ff0000" }, { id: "new", name: "New", color: "red" }] }))
      expect(error).toMatchObject({ _tag: "InvalidInput", path: "tags[1].color" })
      const unknown = yield* Effect.flip(engine.changeSettings(owner, { nonsense: true }))
      expect(unknown).toMatchObject({ _tag: "InvalidInput", path: "nonsense" })
      expect((yield* (yield* ConfigStore).config()).version).toBe(before.version)
      expect((yield* engine.settingsHistory(owner, { limit: 10 })).items).toEqual([])
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))

  it.effect("supervisors and operators may neither change settings nor read the audit log", () =>
    Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      for (const who of [supervisor, anna]) {
        expect((yield* Effect.flip(engine.changeSettings(who, { topicRequired: true })))._tag).toBe("Forbidden")
        expect((yield* Effect.flip(engine.settingsHistory(who, { limit: 10 })))._tag).toBe("Forbidden")
      }
      expect((yield* (yield* ConfigStore).getSettings()).topicRequired).toBe(false)
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))

  it.effect("an unchanged submission writes nothing and records nothing", () =>
    Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      const before = yield* (yield* ConfigStore).config()
      const result = yield* engine.changeSettings(owner, { topicRequired: false })
      expect(result.changes).toEqual([])
      expect((yield* (yield* ConfigStore).config()).version).toBe(before.version)
      expect(Settings.make(result.settings)).toEqual(before.settings)
    }).pipe(Effect.provide(engineLayer(MemoryStore.layer))))
})
