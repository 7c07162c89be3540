import { Context, type Effect, type Stream } from "effect"
import type { StoredEvent } from "./Store.js"

/**
 * Publishes committed events to every server and every live panel. Adapters: an in-process
 * PubSub (`@switchboard/core/testing`) and PostgreSQL LISTEN/NOTIFY (`@switchboard/adapters`).
 * Events carry their global position, so a subscriber that reconnects resumes from the store.
 */
export interface EventBusService {
  readonly publish: (events: ReadonlyArray<StoredEvent>) => Effect.Effect<void>
  /** Events published from now on; the scope ends the subscription. */
  readonly subscribe: Stream.Stream<StoredEvent>
}

export class EventBus extends Context.Tag("@switchboard/core/EventBus")<EventBus, EventBusService>() {}
