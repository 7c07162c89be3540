import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { type AccountStore, type ComposerStore, EventBus, type WidgetSessionStore, type EventBusService, type EventStore, type StorePorts } from "@switchboard/core"
import { Data, Deferred, Duration, Effect, Exit, Layer, Queue, Redacted, Schedule, type Scope } from "effect"
import pg from "pg"
import * as StoreEventBus from "../bus/StoreEventBus.js"
import type * as Migrations from "./Migrations.js"
import * as SqlStore from "./SqlStore.js"
import { type PgOptions, pgClientLayer } from "./PgConnection.js"

/**
 * The LISTEN/NOTIFY channel the Switchboard servers of one schema share. Channels are per database
 * in PostgreSQL, so installations on different schemas of one database get channels of their own
 * (otherwise each would read its store on every commit of the others).
 */
export const channelFor = (schema: string | undefined): string => (schema === undefined ? "switchboard_events" : `switchboard_events_${schema}`.slice(0, 63))

/** Why the listening connection went away (it is opened again). */
class ListenLost extends Data.TaggedError("ListenLost")<{ readonly cause: unknown }> {}

/** Reconnecting after a lost LISTEN: quickly at first, then every 5 s at most. */
const reconnect = Schedule.exponential(Duration.millis(200)).pipe(Schedule.union(Schedule.spaced(Duration.seconds(5))))

/** How often a server reads the store for new events even without a notification. */
const safetyNet = Duration.seconds(10)

/** Where the bus listens: the database URL, the LISTEN channel and the connection's application name. */
export interface ListenOptions {
  readonly url: string | Redacted.Redacted
  /** `channelFor(schema)`. */
  readonly channel: string
  /** Shows in `pg_stat_activity.application_name` of the listening connection. */
  readonly applicationName?: string | undefined
}

/**
 * Cross-server live events over PostgreSQL LISTEN/NOTIFY. A notification carries only the
 * newest global position (NOTIFY payloads are small and capped); every other server then reads the
 * events after the last position it delivered from the store, in order (`StoreEventBus.follow`;
 * the publisher's own subscribers get them at once, unless a gap sends it to the store too).
 * So nothing is lost when notifications coalesce, and a client that reconnects resumes from
 * `EventStore.readAll(position)`.
 *
 * The listening connection is its own (`pg`), watched: when it errors or ends (a database restart,
 * a dropped network, an administrator's `pg_terminate_backend`) it is opened again with backoff and
 * the store is read for whatever was committed meanwhile. Not `PgClient.listen`: in @effect/sql-pg
 * 0.53 its stream stays open but silent for good once its connection is gone (it swallows the
 * connection's errors and never opens it again; `PgEventBus.int.test.ts`, "PgClient.listen stays
 * silent after its connection is terminated"). Every `safetyNet` the store is read
 * anyway, so even a connection that dies silently delays events by seconds, never loses them.
 *
 * Needs the server's `EventStore` on the same database (and schema) as `pg`.
 */
export const make = (listen: ListenOptions): Effect.Effect<EventBusService, SqlError, PgClient.PgClient | EventStore | Scope.Scope> =>
  Effect.gen(function* () {
    const notifier = yield* PgClient.PgClient
    const follower = yield* StoreEventBus.follow
    // Notifications ask for a catch-up up to the position they name; one reader does them, so a burst
    // of notifications costs one read, and one about this server's own commits (delivered already by
    // `offer`) costs none. A reconnect or the safety net asks for a read whatever was delivered.
    const wake = yield* Queue.sliding<void>(1)
    let wanted = -1
    const want = (upTo: number) => {
      wanted = Math.max(wanted, upTo)
      Queue.unsafeOffer(wake, undefined)
    }
    yield* Queue.take(wake).pipe(
      Effect.zipRight(Effect.suspend(() => {
        const upTo = wanted
        wanted = -1
        return follower.catchUp(upTo === Number.POSITIVE_INFINITY ? undefined : upTo)
      })),
      Effect.forever,
      Effect.forkScoped
    )

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
              if (message.channel !== listen.channel) return
              const position = Number(message.payload)
              want(Number.isSafeInteger(position) ? position : Number.POSITIVE_INFINITY)
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
      yield* Effect.tryPromise({ try: () => client.query(`LISTEN ${pg.escapeIdentifier(listen.channel)}`), catch: (cause) => new ListenLost({ cause }) })
      // Whatever was committed while nobody listened.
      yield* Effect.sync(() => want(Number.POSITIVE_INFINITY))
      return yield* Deferred.await(gone)
    }))

    yield* session.pipe(
      Effect.tapError((error) => Effect.logWarning("PgEventBus: the LISTEN connection was lost; opening it again", error.cause)),
      Effect.retry(reconnect),
      Effect.forkScoped
    )
    yield* Effect.sync(() => want(Number.POSITIVE_INFINITY)).pipe(Effect.repeat(Schedule.spaced(safetyNet)), Effect.forkScoped)

    // The other servers hear of commits from one notifier: a publish does not wait for it, and the
    // commits published while a NOTIFY is on its way go out together in the next (the newest position).
    const notifyWake = yield* Queue.sliding<void>(1)
    let notifyUpTo = 0
    yield* Queue.take(notifyWake).pipe(
      Effect.zipRight(Effect.suspend(() =>
        notifier.unsafe(`SELECT pg_notify($1, $2)`, [listen.channel, String(notifyUpTo)]).pipe(
          Effect.catchAll((error) => Effect.logWarning("PgEventBus: NOTIFY failed; the other servers catch up on the next one (or within 10 s)", error))
        ))),
      Effect.forever,
      Effect.forkScoped
    )

    return {
      // This server's subscribers get the events at once (`offer`); the others on the notification.
      publish: (events) =>
        events.length === 0
          ? Effect.void
          : Effect.zipRight(
            Effect.sync(() => {
              notifyUpTo = Math.max(notifyUpTo, ...events.map((event) => event.position))
              Queue.unsafeOffer(notifyWake, undefined)
            }),
            follower.offer(events)
          ),
      subscribe: follower.subscribe
    }
  })

const listenName = (schema: string | undefined) => (schema === undefined ? "switchboard-listen" : `switchboard-listen:${schema}`)

/**
 * `EventBus` on LISTEN/NOTIFY beside any store on the same database: a small pool for NOTIFY and
 * its own listening connection (named `switchboard-listen`, or `switchboard-listen:<schema>` on a
 * schema of its own).
 */
export const layer = (options: PgOptions): Layer.Layer<EventBus, SqlError, EventStore> =>
  Layer.scoped(EventBus, make({ url: options.url, channel: channelFor(options.schema), applicationName: listenName(options.schema) })).pipe(
    Layer.provide(pgClientLayer({ ...options, maxConnections: 1 }))
  )

/**
 * A server's storage on PostgreSQL: the store and this bus over it. (A NOTIFY inside the commit
 * statement instead of the notifier was measured and rejected: the lock PostgreSQL takes for it at
 * commit made receives ~30% slower; see `bench/storage/notify-results.md`.)
 */
export const storage = (options: PgOptions): Layer.Layer<StorePorts | AccountStore | WidgetSessionStore | ComposerStore | EventBus, SqlError | Migrations.SchemaTooNew> =>
  layer(options).pipe(Layer.provideMerge(SqlStore.layerPg(options)))
