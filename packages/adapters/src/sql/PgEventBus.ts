import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { EventBus, type EventBusService, Store, type StoredEvent, subscribeTo } from "@switchboard/core"
import { Effect, Layer, PubSub, Ref, type Scope, Stream } from "effect"
import { type PgOptions, pgClientLayer } from "./SqlStore.js"

/** The LISTEN/NOTIFY channel every Switchboard server of one database shares. */
export const channel = "switchboard_events"

/** How many events a subscriber pulls from the store per read while catching up. */
const batch = 500

/**
 * Cross-server live events over PostgreSQL LISTEN/NOTIFY. A notification carries only the
 * newest global position (NOTIFY payloads are small and capped); every server then reads the
 * events after the last position it delivered from the store, in order. So nothing is lost when
 * notifications coalesce, and a client that reconnects resumes from `Store.readAll(position)`.
 *
 * Needs the server's `Store` on the same database (and schema) as `pg`.
 */
export const make: Effect.Effect<EventBusService, SqlError, PgClient.PgClient | Store | Scope.Scope> = Effect.gen(function* () {
  const pg = yield* PgClient.PgClient
  const store = yield* Store
  const pubsub = yield* Effect.acquireRelease(PubSub.unbounded<StoredEvent>(), PubSub.shutdown)
  const start = yield* pg.unsafe<{ readonly position: string | number | null }>(`SELECT max(position) AS position FROM events`)
  const last = yield* Ref.make(Number(start[0]?.position ?? 0))
  const reading = yield* Effect.makeSemaphore(1)

  const catchUp = reading.withPermits(1)(
    Effect.gen(function* () {
      for (;;) {
        const after = yield* Ref.get(last)
        const events = yield* store.readAll(after, batch)
        if (events.length === 0) return
        yield* PubSub.publishAll(pubsub, events)
        yield* Ref.set(last, events[events.length - 1]!.position)
        if (events.length < batch) return
      }
    })
  )

  yield* pg.listen(channel).pipe(
    Stream.runForEach(() => catchUp),
    Effect.tapErrorCause((cause) => Effect.logError("PgEventBus: LISTEN failed", cause)),
    Effect.forkScoped
  )

  return {
    publish: (events) =>
      events.length === 0
        ? Effect.void
        : // `PgClient.notify` sends `NOTIFY chan, $1`, which PostgreSQL rejects (NOTIFY takes no parameters).
          pg.unsafe(`SELECT pg_notify($1, $2)`, [channel, String(Math.max(...events.map((event) => event.position)))]).pipe(
            Effect.catchAll((error) => Effect.logWarning("PgEventBus: NOTIFY failed; subscribers catch up on the next one", error))
          ),
    subscribe: subscribeTo(pubsub)
  }
})

/** `EventBus` on LISTEN/NOTIFY with its own small pool (a listening connection and one for NOTIFY). */
export const layer = (options: PgOptions): Layer.Layer<EventBus, SqlError, Store> =>
  Layer.scoped(EventBus, make).pipe(Layer.provide(pgClientLayer({ ...options, maxConnections: 2 })))
