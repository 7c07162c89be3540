import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { EventBus, type EventBusService, type Store } from "@switchboard/core"
import { Data, Deferred, Duration, Effect, Exit, Layer, Queue, Redacted, Schedule, type Scope } from "effect"
import pg from "pg"
import * as StoreEventBus from "../bus/StoreEventBus.js"
import type * as Migrations from "./Migrations.js"
import * as SqlStore from "./SqlStore.js"
import { type PgOptions, pgClientLayer } from "./SqlStore.js"

/** The LISTEN/NOTIFY channel every Switchboard server of one database shares. */
export const channel = "switchboard_events"

/** Why the listening connection went away (it is opened again). */
class ListenLost extends Data.TaggedError("ListenLost")<{ readonly cause: unknown }> {}

/** Reconnecting after a lost LISTEN: quickly at first, then every 5 s at most. */
const reconnect = Schedule.exponential(Duration.millis(200)).pipe(Schedule.union(Schedule.spaced(Duration.seconds(5))))

/** How often a server reads the store for new events even without a notification. */
const safetyNet = Duration.seconds(10)

export interface ListenOptions {
  readonly url: string | Redacted.Redacted
  /** Shows in `pg_stat_activity.application_name` of the listening connection. */
  readonly applicationName?: string | undefined
  /**
   * The store NOTIFYs within every commit (`SqlStore` option `notify: channel`), so a publish only
   * hands the events to this server's subscribers: no NOTIFY round trip of its own.
   */
  readonly storeNotifies?: boolean | undefined
}

/**
 * Cross-server live events over PostgreSQL LISTEN/NOTIFY. A notification carries only the
 * newest global position (NOTIFY payloads are small and capped); every other server then reads the
 * events after the last position it delivered from the store, in order (`StoreEventBus.follow`;
 * the publisher's own subscribers get them at once, unless a gap sends it to the store too).
 * So nothing is lost when notifications coalesce, and a client that reconnects resumes from
 * `Store.readAll(position)`.
 *
 * The listening connection is its own (`pg`), watched: when it errors or ends (a database restart,
 * a dropped network, an administrator's `pg_terminate_backend`) it is opened again with backoff and
 * the store is read for whatever was committed meanwhile. Every `safetyNet` the store is read
 * anyway, so even a connection that dies silently delays events by seconds, never loses them.
 *
 * Needs the server's `Store` on the same database (and schema) as `pg`.
 */
export const make = (listen: ListenOptions): Effect.Effect<EventBusService, SqlError, PgClient.PgClient | Store | Scope.Scope> =>
  Effect.gen(function* () {
    const notifier = yield* PgClient.PgClient
    const follower = yield* StoreEventBus.follow
    // Notifications ask for a catch-up; one reader does them, so a burst of notifications costs one read.
    const wanted = yield* Queue.sliding<void>(1)
    yield* Queue.take(wanted).pipe(Effect.zipRight(follower.catchUp()), Effect.forever, Effect.forkScoped)

    const session = Effect.scoped(Effect.gen(function* () {
      // Failed when the connection errors or ends, whenever that happens (before LISTEN too).
      const gone = yield* Deferred.make<never, ListenLost>()
      const client = yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: async () => {
            const client = new pg.Client({
              connectionString: Redacted.isRedacted(listen.url) ? Redacted.value(listen.url) : listen.url,
              application_name: listen.applicationName ?? "switchboard-listen",
              keepAlive: true,
              connectionTimeoutMillis: 10_000
            })
            // Every handler before connecting: an error event without a listener would crash the process,
            // and a notification that comes right after LISTEN must not be missed.
            client.on("notification", (message) => {
              if (message.channel === channel) Queue.unsafeOffer(wanted, undefined)
            })
            client.on("error", (cause) => Deferred.unsafeDone(gone, Exit.fail(new ListenLost({ cause }))))
            client.on("end", () => Deferred.unsafeDone(gone, Exit.fail(new ListenLost({ cause: "the connection ended" }))))
            await client.connect()
            return client
          },
          catch: (cause) => new ListenLost({ cause })
        }),
        (client) => Effect.promise(() => client.end().catch(() => undefined))
      )
      yield* Effect.tryPromise({ try: () => client.query(`LISTEN ${channel}`), catch: (cause) => new ListenLost({ cause }) })
      // Whatever was committed while nobody listened.
      yield* Queue.offer(wanted, undefined)
      return yield* Deferred.await(gone)
    }))

    yield* session.pipe(
      Effect.tapError((error) => Effect.logWarning("PgEventBus: the LISTEN connection was lost; opening it again", error.cause)),
      Effect.retry(reconnect),
      Effect.forkScoped
    )
    yield* Queue.offer(wanted, undefined).pipe(Effect.repeat(Schedule.spaced(safetyNet)), Effect.forkScoped)

    return {
      // This server's subscribers get the events at once (`offer`); the others on the notification.
      publish: (events) =>
        events.length === 0
          ? Effect.void
          : listen.storeNotifies === true
          ? follower.offer(events)
          : Effect.all([
            follower.offer(events),
            // `PgClient.notify` sends `NOTIFY chan, $1`, which PostgreSQL rejects (NOTIFY takes no parameters).
            notifier.unsafe(`SELECT pg_notify($1, $2)`, [channel, String(Math.max(...events.map((event) => event.position)))]).pipe(
              Effect.catchAll((error) => Effect.logWarning("PgEventBus: NOTIFY failed; subscribers catch up on the next one", error))
            )
          ], { concurrency: 2, discard: true }),
      subscribe: follower.subscribe
    }
  })

const listenName = (schema: string | undefined) => (schema === undefined ? "switchboard-listen" : `switchboard-listen:${schema}`)

/**
 * `EventBus` on LISTEN/NOTIFY beside any store on the same database: a small pool for NOTIFY and
 * its own listening connection (named `switchboard-listen`, or `switchboard-listen:<schema>` on a
 * schema of its own).
 */
export const layer = (options: PgOptions): Layer.Layer<EventBus, SqlError, Store> =>
  Layer.scoped(EventBus, make({ url: options.url, applicationName: listenName(options.schema) })).pipe(
    Layer.provide(pgClientLayer({ ...options, maxConnections: 1 }))
  )

/**
 * A server's storage on PostgreSQL: the store, which NOTIFYs inside every commit, and this bus over
 * it, which then sends no NOTIFY of its own (one round trip per receive, not two, and a notification
 * exactly when a commit becomes visible).
 */
export const storage = (options: PgOptions): Layer.Layer<Store | EventBus, SqlError | Migrations.SchemaTooNew> =>
  Layer.scoped(EventBus, make({ url: options.url, applicationName: listenName(options.schema), storeNotifies: true })).pipe(
    Layer.provide(pgClientLayer({ ...options, maxConnections: 1 })),
    Layer.provideMerge(SqlStore.layerWith({ notify: channel }).pipe(Layer.provide(pgClientLayer(options))))
  )
