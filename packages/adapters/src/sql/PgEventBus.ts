import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { EventBus, type EventBusService, type Store, StoreEventBus } from "@switchboard/core"
import { Effect, Layer, type Scope, Stream } from "effect"
import { type PgOptions, pgClientLayer } from "./SqlStore.js"

/** The LISTEN/NOTIFY channel every Switchboard server of one database shares. */
export const channel = "switchboard_events"

/**
 * Cross-server live events over PostgreSQL LISTEN/NOTIFY. A notification carries only the
 * newest global position (NOTIFY payloads are small and capped); every other server then reads the
 * events after the last position it delivered from the store, in order (`StoreEventBus.follow`;
 * the publisher's own subscribers get them at once, unless a gap sends it to the store too). So nothing is lost when notifications coalesce, and a client that
 * reconnects resumes from `Store.readAll(position)`.
 *
 * Needs the server's `Store` on the same database (and schema) as `pg`.
 */
export const make: Effect.Effect<EventBusService, SqlError, PgClient.PgClient | Store | Scope.Scope> = Effect.gen(function* () {
  const pg = yield* PgClient.PgClient
  const follower = yield* StoreEventBus.follow

  yield* pg.listen(channel).pipe(
    Stream.runForEach(() => follower.catchUp()),
    Effect.tapErrorCause((cause) => Effect.logError("PgEventBus: LISTEN failed", cause)),
    Effect.forkScoped
  )

  return {
    // This server's subscribers get the events at once (`offer`); the others on the notification.
    publish: (events) =>
      events.length === 0
        ? Effect.void
        : Effect.all([
          follower.offer(events),
          // `PgClient.notify` sends `NOTIFY chan, $1`, which PostgreSQL rejects (NOTIFY takes no parameters).
          pg.unsafe(`SELECT pg_notify($1, $2)`, [channel, String(Math.max(...events.map((event) => event.position)))]).pipe(
            Effect.catchAll((error) => Effect.logWarning("PgEventBus: NOTIFY failed; subscribers catch up on the next one", error))
          )
        ], { concurrency: 2, discard: true }),
    subscribe: follower.subscribe
  }
})

/** `EventBus` on LISTEN/NOTIFY with its own small pool (a listening connection and one for NOTIFY). */
export const layer = (options: PgOptions): Layer.Layer<EventBus, SqlError, Store> =>
  Layer.scoped(EventBus, make).pipe(Layer.provide(pgClientLayer({ ...options, maxConnections: 2 })))
