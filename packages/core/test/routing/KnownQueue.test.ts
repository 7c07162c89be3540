/**
 * The router's view of the queue (`internal/KnownQueue`): folded from the bus's events it equals a
 * fresh read of the store's queued dialogs, whatever happens to the dialogs (arrivals, routing,
 * leaves, closes, reopens, deletes) and whatever the events' repeats and gaps.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, Option } from "effect"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { DialogListStore } from "../../src/ports/DialogListStore.js"
import { EventStore } from "../../src/ports/EventStore.js"
import * as KnownQueue from "../../src/routing/internal/KnownQueue.js"
import { Router } from "../../src/routing/Router.js"
import { anna, boris, owner } from "../../src/testing/fixtures.js"
import { arrive, given, layerFor, setStatus } from "./harness.js"

const action = fc.constantFrom("arrive", "route", "leave", "close", "reopen", "delete", "break", "online")

describe("KnownQueue", () => {
  it.effect.prop(
    "folded from the events (some repeated, some missed) it equals the store's queued dialogs, and a list it answered stays as it was",
    [fc.array(fc.record({ action, pick: fc.nat(20), deliver: fc.constantFrom("once", "twice", "lost") }), { minLength: 1, maxLength: 14 })],
    ([steps]) =>
      Effect.gen(function* () {
        yield* given([{ who: anna, capacity: { telegram: 2 } }, { who: boris, capacity: { telegram: 1 } }])
        const eventStore = yield* EventStore
        const listStore = yield* DialogListStore
        const engine = yield* Engine
        const router = yield* Router
        const queued = () => listStore.queued(1_000)
        yield* arrive(3, "tg", "early")
        const known = yield* KnownQueue.make(listStore, eventStore, 1_000)
        let position = yield* eventStore.lastPosition
        let lost = false
        const dialogs = () => Effect.map(eventStore.readAll(0, 10_000), (all) => [...new Set(all.filter((stored) => stored.streamId.startsWith("dialog:")).map((stored) => stored.streamId.slice("dialog:".length)))])
        for (const [index, step] of steps.entries()) {
          const ids = yield* dialogs()
          const id = ids[step.pick % Math.max(1, ids.length)]
          const dialog = id === undefined ? Option.none() : yield* eventStore.loadDialog(id as Dialog.DialogState["id"])
          const state = Option.map(dialog, (found) => found.state)
          const run = (command: Dialog.DialogCommand) => Effect.ignore(engine.execute(owner, command))
          switch (step.action) {
            case "arrive":
              yield* arrive(1, "tg", `c${index}`)
              break
            case "route":
              yield* router.runPass()
              break
            case "leave":
              if (Option.isSome(state)) yield* run(new Dialog.Requeue({ dialogId: state.value.id, reason: "operator_unavailable" }))
              break
            case "close":
              if (Option.isSome(state)) yield* run(new Dialog.Close({ dialogId: state.value.id, force: true }))
              break
            case "reopen": {
              // A closed one, if any.
              const closed = yield* Effect.findFirst(ids, (candidate) =>
                Effect.map(eventStore.loadDialog(candidate as Dialog.DialogState["id"]), (found) => Option.exists(found, (entry) => entry.state.status === "closed")))
              if (Option.isSome(closed)) yield* run(new Dialog.Reopen({ dialogId: closed.value as Dialog.DialogState["id"] }))
              // And a client's message into their closed dialog reopens it into the queue (DLG-07).
              yield* arrive(1, "tg", "early")
              break
            }
            case "delete":
              if (Option.isSome(state)) yield* run(new Dialog.DeleteDialog({ dialogId: state.value.id }))
              break
            case "break":
            case "online":
              yield* Effect.ignore(setStatus(anna, step.action))
              break
          }
          const events = yield* eventStore.readAll(position, 1_000)
          // A list the view answered is the pass's: folding events in later never changes it.
          const answered = known.all(1_000)
          const asAnswered = [...answered]
          for (const stored of events) {
            if (step.deliver === "lost" && stored.streamId.startsWith("dialog:")) continue
            yield* known.apply(stored)
            if (step.deliver === "twice") yield* known.apply(stored)
          }
          expect(answered).toEqual(asAnswered)
          position = events.at(-1)?.position ?? position
          lost ||= step.deliver === "lost" && events.some((stored) => stored.streamId.startsWith("dialog:"))
          // Until an event is lost, the fold alone keeps it equal to the store.
          if (!lost) expect(known.all(1_000)).toEqual(yield* queued())
        }
        // A lost event is made good by a refresh.
        yield* known.refresh
        expect(known.all(1_000)).toEqual(yield* queued())
      }).pipe(Effect.provide(layerFor())),
    { fastCheck: { numRuns: 30 } }
  )
})

describe("KnownQueue, one dialog", () => {
  it.effect("a dialog closed from the queue and reopened into it by its client joins the view again", () =>
    Effect.gen(function* () {
      yield* given([])
      const eventStore = yield* EventStore
      const listStore = yield* DialogListStore
      const engine = yield* Engine
      const known = yield* KnownQueue.make(listStore, eventStore, 1_000)
      const from = yield* eventStore.lastPosition
      yield* arrive(1, "tg", "solo")
      const [entry] = yield* listStore.queued(10)
      const outcome = yield* Effect.either(engine.execute(owner, new Dialog.Close({ dialogId: entry!.state.id, force: true })))
      // The client writes again: their closed dialog reopens into the queue (DLG-07).
      yield* arrive(1, "tg", "solo")
      for (const stored of yield* eventStore.readAll(from, 100)) yield* known.apply(stored)
      expect(outcome._tag).toBe("Right")
      expect(known.all(10).map((d) => d.state.id)).toEqual([entry!.state.id])
      expect(known.all(10)).toEqual(yield* listStore.queued(10))
    }).pipe(Effect.provide(layerFor())))
})
