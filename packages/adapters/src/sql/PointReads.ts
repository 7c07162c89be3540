import { SqlClient } from "@effect/sql"
import { type Array as Arr, Deferred, Effect, Exit, Option, Request, RequestResolver } from "effect"
import { num } from "./Tables.js"

/** What a point read looks up (`switchboard_lookup`, `functions/switchboard_lookup.sql`). */
export type LookupKind = "settings" | "channel" | "identity" | "client" | "dialog" | "operator" | "inboundClient" | "inboundDialog"

/** A row a point read found: a stream's version (streams only) and the stored JSON. */
export interface LookupRow {
  readonly version: number | null
  readonly payload: unknown
}

/** Which row a point read reads: its kind and key (`key2`: an identity's external id). */
export interface LookupKey {
  readonly kind: LookupKind
  readonly key: string
  readonly key2: string
}

/** One point read as an Effect `Request`, resolved with the others of its statement by `resolver`. */
export class Lookup extends Request.TaggedClass("Lookup")<Option.Option<LookupRow>, never, LookupKey> {}

/** Point reads go through `switchboard_lookup` (`functions/switchboard_lookup.sql`): its queries are planned once per connection. */
const lookupSql = `SELECT i, version, payload FROM switchboard_lookup($1::jsonb)`

/** At most this many lookups per statement. */
const lookupBatch = 64

type LookupResult = ReadonlyArray<{ readonly i: number; readonly version: number | null; readonly payload: unknown }>

/**
 * Point reads of settings, a channel, a client's identity, a client, a dialog or an operator. The
 * reads of every fiber issued in one turn of the event loop go out together as one call of
 * `switchboard_lookup` (at most 64 reads): the side-by-side reads of one command, and those of the
 * commands in flight at the same time, share a round trip.
 */
export interface PointReads {
  readonly lookup: (kind: LookupKind, key?: string, key2?: string) => Effect.Effect<Option.Option<LookupRow>>
  /** Several point reads in one statement, answered in order. */
  readonly lookupAll: (requests: ReadonlyArray<LookupKey>) => Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>>
}

/** One `switchboard_lookup` statement: `requests` answered in order (none: nothing matched). */
export const lookupQuery = (sql: SqlClient.SqlClient) => (requests: ReadonlyArray<LookupKey>): Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>> =>
  Effect.orDie(Effect.map(
    sql.unsafe<LookupResult[number]>(lookupSql, [JSON.stringify(requests.map((request) => [request.kind, request.key, request.key2]))]),
    (rows) => {
      const out: Array<Option.Option<LookupRow>> = Array.from({ length: requests.length }, () => Option.none())
      for (const row of rows) out[num(row.i)] = Option.some({ version: row.version, payload: row.payload })
      return out
    }
  ))

/** The `Lookup`s of a batch (at most 64) in one `switchboard_lookup` statement. */
export const resolver = (sql: SqlClient.SqlClient): RequestResolver.RequestResolver<Lookup> => {
  const query = lookupQuery(sql)
  return RequestResolver.makeBatched((requests: Arr.NonEmptyArray<Lookup>) =>
    query(requests).pipe(
      Effect.flatMap((found) => Effect.forEach(requests, (request, i) => Request.succeed(request, found[i]!), { discard: true })),
      Effect.catchAllCause((cause) => Effect.forEach(requests, (request) => Request.failCause(request, cause), { discard: true }))
    )
  ).pipe(RequestResolver.batchN(lookupBatch))
}

/** Reads as `Lookup` requests of one `RequestResolver`: each batch of 64 in one statement. */
const resolved = (sql: SqlClient.SqlClient) => {
  const lookups = resolver(sql)
  return (keys: ReadonlyArray<LookupKey>): Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>> =>
    Effect.forEach(keys, (key) => Effect.request(new Lookup(key), lookups), { batching: true })
}

/** A caller's reads waiting for the end of the event loop's turn, and where their answers go. */
interface Waiting {
  readonly keys: ReadonlyArray<LookupKey>
  readonly done: Deferred.Deferred<ReadonlyArray<Option.Option<LookupRow>>>
}

/** Resumes after the current turn of the event loop (once every fiber that could run now has run). */
const endOfTurn: Effect.Effect<void> = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/** The waiting callers in statements of at most `lookupBatch` reads, one caller's never split. */
const statements = (waiting: ReadonlyArray<Waiting>): Array<Array<Waiting>> => {
  const out: Array<Array<Waiting>> = []
  let size = 0
  for (const entry of waiting) {
    const current = out[out.length - 1]
    if (current === undefined || (size > 0 && size + entry.keys.length > lookupBatch)) {
      out.push([entry])
      size = entry.keys.length
    } else {
      current.push(entry)
      size += entry.keys.length
    }
  }
  return out
}

/**
 * `PointReads` on a `SqlClient`. The first caller of a turn has the turn's reads sent when it ends,
 * on a fiber of their own (whatever happens to that caller): as `Lookup` requests of `resolver`,
 * so Effect's request batching puts them in statements of 64; each caller waits for its answers.
 * The fiber of their own matters: a caller's `Effect.all(..., { batching: true })` would otherwise
 * take the requests into its own batch and wait for the callers waiting on them.
 *
 * The gathering across fibers is hand-made: Effect's batching takes only the requests one fiber
 * issues together. On 16 concurrent commands of three side-by-side reads, gathering answered 3.1×
 * as many commands a second as the `RequestResolver` alone on PostgreSQL (2.6× on PGlite); one
 * statement of our own instead of the resolver gained 1.3× (1.6× on PGlite; 1.5× and 1.3× in an
 * earlier run), not clearly the 1.5× that would keep it, so the resolver stays
 * (`bench/storage/batching-results.md`, from `bench/storage/batching.ts`). Callers are resumed
 * through `Deferred`s, no `Effect.runCallback`.
 * `query` answers one statement's reads (the benchmark swaps in `lookupQuery`).
 */
export const make = (
  sql: SqlClient.SqlClient,
  query: (requests: ReadonlyArray<LookupKey>) => Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>> = resolved(sql)
): Effect.Effect<PointReads> =>
  Effect.sync(() => {
    /**
     * The turn's waiting callers, appended in place: a `Ref` of an immutable array copied the whole
     * queue on every read, quadratic in the reads of a turn (the router's sweep reads tens of
     * thousands side by side on a large company: 111 s of CPU in `bench/panel/actions.ts`).
     * JavaScript runs one fiber step at a time, so each `Effect.sync` is atomic.
     */
    let waiting: Array<Waiting> = []
    const enqueue = (entry: Waiting) => Effect.sync(() => waiting.push(entry) === 1)
    const takeAll = Effect.sync(() => {
      const all = waiting
      waiting = []
      return all
    })
    const direct = lookupQuery(sql)
    const send = (batch: ReadonlyArray<Waiting>): Effect.Effect<void> =>
      Effect.flatMap(Effect.exit(query(batch.flatMap((entry) => entry.keys))), (exit) => {
        let offset = 0
        return Effect.forEach(batch, (entry) => {
          const from = offset
          offset += entry.keys.length
          return Deferred.done(entry.done, Exit.map(exit, (all) => all.slice(from, offset)))
        }, { discard: true })
      })
    const sendAll = (batch: ReadonlyArray<Waiting>): Effect.Effect<void> =>
      Effect.forEach(statements(batch), (statement) => Effect.forkDaemon(send(statement)), { discard: true })
    const gathered = (keys: ReadonlyArray<LookupKey>): Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>> =>
      Effect.flatMap(Deferred.make<ReadonlyArray<Option.Option<LookupRow>>>(), (done) =>
        Effect.flatMap(enqueue({ keys, done }), (first) =>
          first
            ? Effect.zipRight(Effect.uninterruptible(Effect.zipRight(endOfTurn, Effect.flatMap(takeAll, sendAll))), Deferred.await(done))
            : Deferred.await(done)))
    const lookupAll: PointReads["lookupAll"] = (keys) =>
      Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) =>
        // Inside a caller's transaction the read must see it (and, on PGlite, must not wait for its lock): not gathered.
        Option.isSome(transaction) ? direct(keys) : gathered(keys))
    return {
      lookup: (kind, key = "", key2 = "") => Effect.map(lookupAll([{ kind, key, key2 }]), (rows) => rows[0]!),
      lookupAll
    }
  })
