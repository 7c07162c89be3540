import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Redacted } from "effect"
import { randomUUID } from "node:crypto"

/** Connection settings for PostgreSQL. */
export interface PgOptions {
  /** `postgres://user@host:5432/db` (`DATABASE_URL`). */
  readonly url: string | Redacted.Redacted
  /** Use this schema instead of the server's default `search_path`. */
  readonly schema?: string | undefined
  readonly maxConnections?: number | undefined
}

/** The URL with `search_path` set for every connection of the pool. */
export const urlWithSchema = (url: string | Redacted.Redacted, schema: string | undefined): Redacted.Redacted => {
  const raw = Redacted.isRedacted(url) ? Redacted.value(url) : url
  if (schema === undefined) return Redacted.make(raw)
  const parsed = new URL(raw)
  parsed.searchParams.set("options", `-c search_path=${schema}`)
  return Redacted.make(parsed.toString())
}

/** A `SqlClient` (and `PgClient`) pool on PostgreSQL. */
export const pgClientLayer = (options: PgOptions): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError> =>
  PgClient.layer({
    url: urlWithSchema(options.url, options.schema),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    applicationName: "switchboard"
  })

/**
 * Create a fresh schema for the scope, drop it afterwards: tests and benchmarks get an empty,
 * isolated database on a shared server. Yields the schema's name.
 */
export const scratchSchema = (url: string | Redacted.Redacted) =>
  Effect.gen(function* () {
    const name = `sb_${randomUUID().replaceAll("-", "").slice(0, 16)}`
    const admin = yield* Layer.build(pgClientLayer({ url, maxConnections: 1 }))
    const sql = Context.get(admin, SqlClient.SqlClient)
    yield* Effect.acquireRelease(sql.unsafe(`CREATE SCHEMA ${name}`), () => Effect.ignore(sql.unsafe(`DROP SCHEMA ${name} CASCADE`)))
    return name
  })
