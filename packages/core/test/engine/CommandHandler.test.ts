import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { storeContext, type StoreService, storeService } from "../../src/ports/Store.js"
import { VersionConflict } from "../../src/shared/Errors.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import { anna, engineLayer, inbound, seed } from "../../src/testing/fixtures.js"

/**
 * The in-memory store, except that the next `failing.commits` dialog commits fail with
 * `VersionConflict` (as if another server had written the dialog between read and commit), and
 * dialog reads are counted.
 */
const conflictingStore = (failing: { commits: number; dialogReads: number }) =>
  Layer.syncContext(() => storeContext(((): StoreService => {
    const inner = MemoryStore.make()
    return {
      ...inner,
      loadDialog: (id) => Effect.zipRight(Effect.sync(() => failing.dialogReads++), inner.loadDialog(id)),
      commit: (batch) => {
        const dialog = batch.streams.find((write) => write.kind === "dialog")
        if (dialog === undefined || failing.commits === 0) return inner.commit(batch)
        failing.commits--
        return Effect.fail(new VersionConflict({ streamId: `dialog:${dialog.id}`, expectedVersion: dialog.expectedVersion }))
      }
    }
  })()))

describe("the command handler: append with the expected version, retry conflicts", () => {
  it.effect("a command whose append conflicts is decided again on a fresh read and lands once", () => {
    const failing = { commits: 0, dialogReads: 0 }
    return Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      const store = yield* storeService
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      failing.commits = 2
      failing.dialogReads = 0
      const stored = yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      expect(stored.map((entry) => entry.event._tag)).toContain("DialogAssigned")
      expect(failing.dialogReads).toBe(3)
      const assigned = (yield* store.readStream(`dialog:${dialogId}`)).filter((entry) => entry.event._tag === "DialogAssigned")
      expect(assigned.length).toBe(1)
      expect(Option.getOrThrow(yield* store.loadDialog(dialogId)).state.status).toBe("active")
    }).pipe(Effect.provide(engineLayer(conflictingStore(failing))))
  })

  it.effect("a command that conflicts every time gives up after nine attempts, backing off between the later ones", () => {
    const failing = { commits: 0, dialogReads: 0 }
    return Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      failing.commits = Number.POSITIVE_INFINITY
      failing.dialogReads = 0
      const fiber = yield* Effect.fork(Effect.flip(engine.execute(anna, new Dialog.Accept({ dialogId }))))
      // The first retries are immediate; the later ones wait (jittered) until the clock moves.
      yield* TestClock.adjust("1 millis")
      expect(failing.dialogReads).toBe(4)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      expect(error._tag).toBe("VersionConflict")
      expect(failing.dialogReads).toBe(9)
    }).pipe(Effect.provide(engineLayer(conflictingStore(failing))))
  })
})
