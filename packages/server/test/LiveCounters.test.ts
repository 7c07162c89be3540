import { Effect, Layer, Option } from "effect"
import { ChannelId, ConfigStore, DialogListStore, Engine, EventStore, InboundMessage, Message } from "@switchboard/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { LiveHub } from "../src/live/LiveHub.js"
import { actorOf } from "../src/panel/Actor.js"
import { viewerOf } from "../src/panel/ListView.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp } from "./PanelClient.js"

/**
 * The counter race: a stream's counters are counted once when it opens, then kept by the hub from
 * each batch. A dialog arriving while the count reads the store was lost (the hub skipped it, the
 * count had read before it) or counted twice (the count saw it, and the hub added it again). The
 * store's count is made to let a new dialog in at the worst moments.
 */
let during: ((when: "before" | "after") => Effect.Effect<void>) | undefined
const racing = Layer.effect(
  DialogListStore,
  Effect.map(DialogListStore, (store) => ({
    ...store,
    unread: (viewer: Parameters<typeof store.unread>[0]) =>
      Effect.gen(function* () {
        const hook = during
        during = undefined
        if (hook !== undefined) yield* hook("before")
        const summary = yield* store.unread(viewer)
        if (hook !== undefined) yield* hook("after")
        return summary
      })
  }))
)
const { runtime } = panelApp(racing.pipe(Layer.provideMerge(memoryStorage.layer)))
beforeAll(() => runtime.runPromise(seedIfEmpty))
afterAll(() => runtime.dispose())

let client = 0
const newDialog = Effect.flatMap(Engine, (engine) =>
  engine.receive(InboundMessage.make({ channelId: ChannelId.make("telegram"), from: `race-${client++}`, message: Message.MessageInput.make({ text: "hello" }) })))

describe("live counters", () => {
  for (const moment of ["before", "after"] as const) {
    it(`a dialog arriving ${moment} the count reads the store is counted once`, async () => {
      await runtime.runPromise(Effect.gen(function* () {
        const hub = yield* LiveHub
        const eventStore = yield* EventStore
        const anna = Option.getOrThrow(yield* actorOf("anna"))
        const fresh = Effect.flatMap(Effect.flatMap(ConfigStore, (config) => config.getSettings()), (settings) =>
          Effect.flatMap(DialogListStore, (store) => store.unread(viewerOf(anna, settings))))
        const connection = yield* hub.open(anna)
        const before = (yield* fresh).new
        let arrived = false
        const engine = yield* Engine
        during = (when) => when !== moment ? Effect.void : Effect.gen(function* () {
          arrived = true
          yield* Effect.orDie(Effect.provideService(newDialog, Engine, engine))
          // "after": the hub handles the new dialog while the count is still on its way.
          if (moment === "after") yield* hub.settled(yield* eventStore.lastPosition)
        })
        yield* hub.count(connection)
        yield* hub.settled(yield* eventStore.lastPosition)
        expect(arrived).toBe(true)
        expect(connection.counters?.new).toBe(before + 1)
        expect(connection.counters).toEqual(yield* fresh)
        // And the next dialog still moves them by one.
        yield* newDialog
        yield* hub.settled(yield* eventStore.lastPosition)
        expect(connection.counters).toEqual(yield* fresh)
        yield* hub.close(connection)
      }))
    })
  }
})
