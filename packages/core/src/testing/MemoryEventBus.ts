import { Effect, Layer, PubSub } from "effect"
import { EventBus, type EventBusService, subscribeTo } from "../ports/EventBus.js"
import type { StoredEvent } from "../ports/Store.js"

/**
 * An in-process event bus on an unbounded PubSub that hands on exactly what is published, in
 * publish order (tests that publish events of their own). A server uses `StoreEventBus`, which
 * also keeps position order when commits publish out of order.
 */
export const make: Effect.Effect<EventBusService> = Effect.map(PubSub.unbounded<StoredEvent>(), (pubsub) => ({
  publish: (events) => Effect.asVoid(PubSub.publishAll(pubsub, events)),
  subscribe: subscribeTo(pubsub)
}))

/** Provides `EventBus` in memory: subscribers get exactly what is published, in publish order. */
export const layer: Layer.Layer<EventBus> = Layer.effect(EventBus, make)
