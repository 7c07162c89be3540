import { Cause, Chunk, Context, Effect, Option, PubSub, Queue, type Scope, Stream } from "effect"
import type { StoredEvent } from "./Store.js"

/**
 * Publishes committed events to every server and every live panel. Adapters (`@switchboard/adapters`):
 * `StoreEventBus` (one server: reads what to deliver back from the store) and PostgreSQL LISTEN/NOTIFY, both delivering the store's events in position order, each once, with
 * no holes, so a subscriber that reconnects resumes after the last position it saw
 * (`EventStore.readAll`). `MemoryEventBus` (`@switchboard/core/testing`) hands on exactly what is
 * published, in publish order: for tests that publish events of their own.
 */
export interface EventBusService {
  /**
   * Hand committed events on (the engine calls it after each commit); never fails: a bus that cannot
   * deliver dies.
   */
  readonly publish: (events: ReadonlyArray<StoredEvent>) => Effect.Effect<void>
  /**
   * Subscribe now: every event published after this effect completes is in the stream, until the
   * scope ends. (A stream that subscribed only when run would miss what is published between a
   * caller's read of the store and its first pull.)
   */
  readonly subscribe: Effect.Effect<Stream.Stream<StoredEvent>, never, Scope.Scope>
}

/** The `EventBus` port's tag; provide one adapter (see `EventBusService`). */
export class EventBus extends Context.Tag("@switchboard/core/EventBus")<EventBus, EventBusService>() {}

/**
 * `EventBusService.subscribe` over a `PubSub`: subscribed when the effect completes, and each chunk
 * of the stream holds every event waiting when it is pulled: all of one publish (a commit's events
 * together), and whatever piled up while the reader was busy. The stream ends when the PubSub shuts down.
 */
export const subscribeTo = (pubsub: PubSub.PubSub<StoredEvent>): Effect.Effect<Stream.Stream<StoredEvent>, never, Scope.Scope> =>
  Effect.map(PubSub.subscribe(pubsub), (queue) =>
    Stream.repeatEffectChunkOption(
      Effect.flatMap(Queue.take(queue), (first) => Effect.map(Queue.takeAll(queue), (rest) => Chunk.prepend(rest, first))).pipe(
        Effect.catchAllCause((cause) =>
          Effect.flatMap(Queue.isShutdown(queue), (down) => (down && Cause.isInterruptedOnly(cause) ? Effect.fail(Option.none()) : Effect.failCause(cause)))
        )
      )
    ))
