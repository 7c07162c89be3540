import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { type Array as Arr, Effect, Option, Request, RequestResolver } from "effect"
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

/** One point read as an Effect `Request`: requests issued together go out in one statement. */
export class Lookup extends Request.TaggedClass("Lookup")<Option.Option<LookupRow>, never, LookupKey> {}

/** Point reads go through `switchboard_lookup` (migration 5): its queries are planned once per connection. */
const lookupSql = `SELECT i, version, payload FROM switchboard_lookup($1::jsonb)`

/** At most this many lookups per statement. */
const lookupBatch = 64

type LookupResult = ReadonlyArray<{ readonly i: number; readonly version: number | null; readonly payload: unknown }>

/**
 * Point reads of settings, a channel, a client's identity, a client, a dialog or an operator.
 * Reads issued side by side (the engine reads settings, the dialog and the operator at once, with
 * `Effect.all`) are Effect `Request`s, batched by a `RequestResolver` into one call of
 * `switchboard_lookup` of at most 64 reads: one round trip instead of one per read.
 */
export interface PointReads {
  readonly lookup: (kind: LookupKind, key?: string, key2?: string) => Effect.Effect<Option.Option<LookupRow>>
  /** Several point reads in one statement, answered in order. */
  readonly lookupAll: (requests: ReadonlyArray<LookupKey>) => Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>>
}

/** `PointReads` on a `SqlClient`. */
export const make = (sql: SqlClient.SqlClient): PointReads => {
  const query = (requests: ReadonlyArray<LookupKey>): Effect.Effect<LookupResult, SqlError> =>
    sql.unsafe<LookupResult[number]>(lookupSql, [JSON.stringify(requests.map((request) => [request.kind, request.key, request.key2]))])
  /** Row `i` of the result answers the i-th request (absent: nothing matched). */
  const answers = (rows: LookupResult, count: number): Array<Option.Option<LookupRow>> => {
    const out: Array<Option.Option<LookupRow>> = Array.from({ length: count }, () => Option.none())
    for (const row of rows) out[num(row.i)] = Option.some({ version: row.version, payload: row.payload })
    return out
  }
  const resolver = RequestResolver.makeBatched((requests: Arr.NonEmptyArray<Lookup>) =>
    Effect.orDie(query(requests)).pipe(
      Effect.flatMap((rows) => {
        const found = answers(rows, requests.length)
        return Effect.forEach(requests, (request, i) => Request.succeed(request, found[i]!), { discard: true })
      }),
      Effect.catchAllCause((cause) => Effect.forEach(requests, (request) => Request.failCause(request, cause), { discard: true }))
    )
  ).pipe(RequestResolver.batchN(lookupBatch))

  const lookupAll: PointReads["lookupAll"] = (requests) =>
    Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) =>
      // Inside a caller's transaction the read must see it (and, on PGlite, must not wait for its lock): no batching.
      Option.isSome(transaction)
        ? Effect.orDie(Effect.map(query(requests), (rows) => answers(rows, requests.length)))
        : Effect.forEach(requests, (request) => Effect.request(new Lookup(request), resolver), { batching: true }))
  return {
    lookup: (kind, key = "", key2 = "") => Effect.map(lookupAll([{ kind, key, key2 }]), (rows) => rows[0]!),
    lookupAll
  }
}
