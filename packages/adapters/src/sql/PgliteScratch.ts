import * as Reactivity from "@effect/experimental/Reactivity"
import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"
import * as PgliteClient from "./PgliteClient.js"
import { createInMemory } from "./PgliteTemplate.js"

/**
 * The process's in-memory PGlite, started on first use and kept until the process ends. Starting
 * PGlite costs seconds of WebAssembly set-up; a fresh schema on a running one costs a few hundred
 * milliseconds; it starts from the saved result of `initdb` (`PgliteTemplate`). Kept on `globalThis` so that test files sharing a worker share it too.
 */
const instance = Symbol.for("@switchboard/adapters/PgliteScratch")

interface Shared {
  readonly db: Promise<PGlite>
  /** The schema a layer holds now; PGlite is one session, so there is one `search_path`. */
  holder: string | undefined
}

const shared = (): Shared => {
  const global = globalThis as { [instance]?: Shared }
  global[instance] ??= { db: createInMemory(), holder: undefined }
  return global[instance]
}

const attempt = <A>(message: string, run: () => Promise<A>): Effect.Effect<A, SqlError> =>
  Effect.tryPromise({ try: run, catch: (cause) => new SqlError({ cause, message }) })

/**
 * A `SqlClient` on a fresh, empty schema of the process's shared in-memory PGlite, dropped when
 * the layer is released: what `SqlStore.layerPgScratch` is on PostgreSQL, for tests. PGlite has
 * a single session, so the schema is the session's `search_path`, and only one scratch schema can
 * be held at a time in a process: building a second before the first is released is a defect,
 * never two tests silently writing to one schema. Tests of one file run one after another, as do
 * the files of one worker, so each test (or `describe`) may build its own.
 */
export const layer = (): Layer.Layer<SqlClient.SqlClient, SqlError> =>
  Layer.scoped(
    SqlClient.SqlClient,
    Effect.gen(function* () {
      const state = shared()
      const db = yield* attempt("PGlite: failed to start", () => state.db)
      const name = `sb_${randomUUID().replaceAll("-", "").slice(0, 16)}`
      yield* Effect.acquireRelease(
        Effect.suspend(() =>
          state.holder === undefined
            ? Effect.sync(() => {
              state.holder = name
            })
            : Effect.dieMessage(`PgliteScratch: schema ${state.holder} is still held; release it before building another`)
        ),
        () =>
          Effect.sync(() => {
            state.holder = undefined
          })
      )
      yield* Effect.acquireRelease(
        attempt("PGlite: failed to create a scratch schema", () => db.exec(`CREATE SCHEMA ${name}; SET search_path TO ${name}`)),
        () => Effect.ignore(attempt("PGlite: failed to drop a scratch schema", () => db.exec(`SET search_path TO public; DROP SCHEMA ${name} CASCADE`)))
      )
      return yield* PgliteClient.make(db)
    })
  ).pipe(Layer.provide(Reactivity.layer))
