import { Effect, Layer, PubSub } from "effect"
import { EventBus, type EventBusService, subscribeTo } from "../ports/EventBus.js"
import type { StoredEvent } from "../ports/Store.js"

/** An in-process event bus on an unbounded PubSub: one server, any number of subscribers. */
export const make: Effect.Effect<EventBusService> = Effect.map(PubSub.unbounded<StoredEvent>(), (pubsub) => ({
  publish: (events) => Effect.asVoid(PubSub.publishAll(pubsub, events)),
  subscribe: subscribeTo(pubsub)
}))

export const layer: Layer.Layer<EventBus> = Layer.effect(EventBus, make)
