import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import * as Dialog from "../../dialogs/Dialog.js"
import { Engine } from "../../engine/Engine.js"
import { HistoryStore } from "../../ports/HistoryStore.js"
import { anna, inbound, owner, text } from "../fixtures.js"
import { runner, type StoreLayer } from "./support.js"

/**
 * The behaviour every `HistoryStore` adapter must have: a dialog's messages newest first, paged back by cursor, notes for staff only, edits, deletions and delivery updates as the last commit left them.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const historyStoreContract = (name: string, makeStore: StoreLayer) =>
  describe(`HistoryStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("history is newest first and pages back with a cursor; notes only for staff", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* HistoryStore
        const { dialogId } = yield* engine.receive(inbound("c1", "m1"))
        for (let i = 2; i <= 25; i++) {
          yield* TestClock.adjust("1 minute")
          yield* engine.receive(inbound("c1", `m${i}`))
        }
        yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
        yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("note"), internal: true }))
        const first = yield* store.messages({ dialogId, limit: 10, includeInternal: false })
        expect(first.items.map((m) => m.text)).toEqual(["Anna joined the conversation", "m25", "m24", "m23", "m22", "m21", "m20", "m19", "m18", "m17"])
        const cursor = Number(Option.getOrThrow(first.nextCursor))
        const second = yield* store.messages({ dialogId, beforeSeq: cursor, limit: 10, includeInternal: false })
        expect(second.items[0]!.text).toBe("m16")
        const third = yield* store.messages({ dialogId, cursor: Option.getOrThrow(second.nextCursor), limit: 10, includeInternal: false })
        expect(third.items.map((m) => m.text)).toEqual(["m6", "m5", "m4", "m3", "m2", "m1"])
        expect(third.nextCursor).toEqual(Option.none())
        const staff = yield* store.messages({ dialogId, limit: 1, includeInternal: true })
        expect(staff.items[0]!.text).toBe("note")
        expect(staff.items[0]!.internal).toBe(true)
      })))

    it.effect("edits, deletions and delivery updates reach the message projection", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* HistoryStore
        const { dialogId } = yield* engine.receive(inbound("c1", "hi"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
        const sent = yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("helo") }))
        const message = (sent.find((e) => e.event._tag === "StaffMessageSent")!.event as Dialog.StaffMessageSent).message
        yield* TestClock.adjust("1 minute")
        yield* engine.execute(anna, new Dialog.EditMessage({ dialogId, messageId: message.id, text: "hello" }))
        yield* engine.execute(owner, new Dialog.UpdateDelivery({ dialogId, messageId: message.id, status: "delivered" }))
        const page = yield* store.messages({ dialogId, limit: 1, includeInternal: true })
        expect(page.items[0]!.text).toBe("hello")
        expect(Option.isSome(page.items[0]!.editedAt)).toBe(true)
        expect(Option.map(page.items[0]!.delivery, (d) => d.status)).toEqual(Option.some("delivered"))
        yield* engine.execute(anna, new Dialog.DeleteMessage({ dialogId, messageId: message.id }))
        expect(Option.isSome((yield* store.messages({ dialogId, limit: 1, includeInternal: true })).items[0]!.deletedAt)).toBe(true)
      })))
  })
