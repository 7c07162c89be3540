import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer, Stream } from "effect"
import { createInMemory } from "./PgliteTemplate.js"

/** Where the embedded database keeps its files; none = in memory (tests, throwaway runs). */
export interface PgliteOptions {
  readonly dataDir?: string | undefined
}

type Rows = ReadonlyArray<Record<string, unknown>>

const attempt = <A>(message: string, run: () => Promise<A>): Effect.Effect<A, SqlError> =>
  Effect.tryPromise({ try: run, catch: (cause) => new SqlError({ cause, message }) })

/**
 * Open a PGlite database for the scope (in memory: from the saved result of `initdb`, `PgliteTemplate`). The instance is closed when the scope ends, so the data
 * folder is left consistent for the next start.
 */
export const open = (options: PgliteOptions = {}): Effect.Effect<PGlite, SqlError, import("effect").Scope.Scope> =>
  Effect.acquireRelease(
    attempt("PGlite: failed to open the database", () => (options.dataDir === undefined ? createInMemory() : PGlite.create(options.dataDir))),
    (db) => Effect.promise(() => db.close()).pipe(Effect.ignore)
  )

/**
 * A `SqlClient` over an open PGlite instance, compiling the same PostgreSQL dialect as
 * `@effect/sql-pg`. PGlite is one single-threaded session: a transaction holds a one-permit
 * semaphore for its whole life and every statement outside a transaction takes it briefly, so
 * statements of other fibers never interleave with an open transaction.
 */
export const make = (db: PGlite): Effect.Effect<SqlClient.SqlClient, never, Reactivity.Reactivity> =>
  Effect.gen(function* () {
    const lock = yield* Effect.makeSemaphore(1)

    const run = (sql: string, params: ReadonlyArray<unknown>): Effect.Effect<Rows, SqlError> =>
      params.length === 0 && sql.includes(";")
        ? Effect.map(attempt("Failed to execute statement", () => db.exec(sql)), (results) => results.at(-1)?.rows ?? [])
        : Effect.map(attempt("Failed to execute statement", () => db.query<Record<string, unknown>>(sql, [...params])), (result) => result.rows)

    const values = (sql: string, params: ReadonlyArray<unknown>) =>
      Effect.map(
        attempt("Failed to execute statement", () => db.query<Array<unknown>>(sql, [...params], { rowMode: "array" })),
        (result): ReadonlyArray<ReadonlyArray<unknown>> => result.rows
      )

    const connection = (guard: <A, E>(effect: Effect.Effect<A, E>) => Effect.Effect<A, E>): Connection => ({
      execute: (sql, params, transformRows) => guard(Effect.map(run(sql, params), (rows) => (transformRows ? transformRows(rows) : rows))),
      executeRaw: (sql, params) => guard(run(sql, params)),
      executeValues: (sql, params) => guard(values(sql, params)),
      executeUnprepared: (sql, params, transformRows) => guard(Effect.map(run(sql, params), (rows) => (transformRows ? transformRows(rows) : rows))),
      executeStream: (sql, params, transformRows) =>
        Stream.fromIterableEffect(guard(Effect.map(run(sql, params), (rows) => (transformRows ? transformRows(rows) : rows))))
    })

    const shared = connection(lock.withPermits(1))
    const exclusive = connection((effect) => effect)

    return yield* SqlClient.make({
      acquirer: Effect.succeed(shared),
      transactionAcquirer: Effect.as(Effect.acquireRelease(lock.take(1), () => lock.release(1)), exclusive),
      compiler: PgClient.makeCompiler(),
      spanAttributes: [["db.system.name", "postgresql"], ["db.namespace", "pglite"]]
    })
  })

/** `SqlClient` on an embedded PGlite database (in memory, or in `dataDir`). */
export const layer = (options: PgliteOptions = {}): Layer.Layer<SqlClient.SqlClient, SqlError> =>
  Layer.scoped(SqlClient.SqlClient, Effect.flatMap(open(options), make)).pipe(Layer.provide(Reactivity.layer))
