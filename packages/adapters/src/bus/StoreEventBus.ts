import { EventBus, type EventBusService, EventStore, type StoredEvent, subscribeTo } from "@switchboard/core"
import { Duration, Effect, Layer, PubSub, Schedule, type Scope } from "effect"

/** How many events one read of the store brings while catching up. */
const page = 500

/** A stream of the store's events for subscribers, and the ways to move it forward. */
export interface StoreFollower {
  /**
   * Read the store after the last position delivered and hand every event to the subscribers, in
   * position order; with `upTo`, do nothing if that position was delivered already. Callers at the
   * same time wait for one another, and whoever comes second usually finds their events delivered.
   */
  readonly catchUp: (upTo?: number) => Effect.Effect<void>
  /**
   * Hand on committed events: directly if they are exactly the positions after the last one
   * delivered (the usual case, no read), else by catching up to the newest of them.
   */
  readonly offer: (events: ReadonlyArray<StoredEvent>) => Effect.Effect<void>
  readonly subscribe: EventBusService["subscribe"]
}

/**
 * Follow the store from the position it has reached now. Subscribers get the events the store
 * holds, in position order, each once, and without holes: an event committed while another's
 * publish overtook it, or one whose publisher was interrupted between its commit and its publish,
 * goes out with the next catch-up, before anything after it. A panel that reconnects and resumes
 * after the last position it saw (`EventStore.readAll`) therefore misses nothing (the store hands out
 * positions in commit order).
 */
export const follow: Effect.Effect<StoreFollower, never, EventStore | Scope.Scope> = Effect.gen(function* () {
  const store = yield* EventStore
  const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<StoredEvent>(), PubSub.shutdown)
  let last = yield* store.lastPosition
  const reading = yield* Effect.makeSemaphore(1)
  // A read that fails (the database away for a moment) is logged, not passed on: a publish never fails
  // for it, the reader loops keep running, and the next catch-up (at the latest the safety net's)
  // delivers from where delivery stopped.
  const readOn = (upTo: number | undefined) =>
    Effect.gen(function* () {
      while (upTo === undefined || last < upTo) {
        const events = yield* store.readAll(last, page)
        const end = events.at(-1)
        if (end === undefined) return
        yield* PubSub.publishAll(pubsub, events)
        last = end.position
        if (events.length < page) return
      }
    }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("StoreEventBus: reading the store failed; the next catch-up delivers", cause)))
  const catchUp = (upTo?: number) => reading.withPermits(1)(readOn(upTo))
  const offer = (events: ReadonlyArray<StoredEvent>) =>
    events.length === 0
      ? Effect.void
      : reading.withPermits(1)(
        Effect.suspend(() => {
          const sorted = [...events].sort((a, b) => a.position - b.position)
          const newest = sorted.at(-1)!.position
          if (newest <= last) return Effect.void
          if (!sorted.every((event, index) => event.position === last + 1 + index)) return readOn(newest)
          last = newest
          return PubSub.publishAll(pubsub, sorted)
        })
      )
  return { catchUp, offer, subscribe: subscribeTo(pubsub) }
})

/** How often the single-server bus reads the store even when nobody publishes. */
const safetyNet = Duration.seconds(10)

/**
 * The in-process bus of a single server (embedded PGlite, or the in-memory store): a publish
 * returns once its events, and any committed before them, are with every subscriber, in position
 * order (`follow`). Events that follow the last delivered ones go straight through; after a gap
 * (a publish overtaken, or one that never came) the bus reads the store. Every `safetyNet` it reads
 * the store anyway, so a commit whose publish never came is delivered even if nothing follows it.
 */
export const make: Effect.Effect<EventBusService, never, EventStore | Scope.Scope> = Effect.gen(function* () {
  const follower = yield* follow
  yield* follower.catchUp().pipe(Effect.repeat(Schedule.spaced(safetyNet)), Effect.forkScoped)
  return { publish: follower.offer, subscribe: follower.subscribe }
})

/**
 * Provides `EventBus` for a single server over the event store it is given (see `make`); the
 * embedded-PGlite and in-memory setups use it.
 */
export const layer: Layer.Layer<EventBus, never, EventStore> = Layer.scoped(EventBus, make)
