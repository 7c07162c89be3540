import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { vi } from "vitest"
import { Migrations, Pglite } from "../src/index.js"

vi.setConfig({ testTimeout: 60_000 })

/**
 * What a schema holds, as comparable text: its tables' columns, its indexes, its triggers and its
 * functions' bodies (names with the schema's own name taken out).
 */
const describeSchema = (schema: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    Effect.all({
      columns: sql.unsafe(
        `SELECT table_name, column_name, data_type, is_nullable, column_default, collation_name FROM information_schema.columns
         WHERE table_schema = $1 ORDER BY table_name, column_name`,
        [schema]
      ),
      indexes: Effect.map(
        sql.unsafe<{ readonly indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`, [schema]),
        (rows) => rows.map((row) => row.indexdef.replaceAll(`${schema}.`, ""))
      ),
      triggers: sql.unsafe(
        `SELECT trigger_name, event_manipulation, action_condition, action_statement FROM information_schema.triggers
         WHERE trigger_schema = $1 ORDER BY trigger_name, event_manipulation`,
        [schema]
      ),
      functions: sql.unsafe<{ readonly name: string; readonly body: string; readonly result: string }>(
        `SELECT p.proname AS name, p.prosrc AS body, pg_get_function_result(p.oid) AS result FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1 ORDER BY p.proname`,
        [schema]
      )
    }))

/**
 * Every function of the schema given another body of the same signature: what a database migrated
 * by an older release holds (the body of that day), which the migrations after it must replace.
 */
const olderBodies = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.flatMap(
    sql.unsafe<{ readonly name: string; readonly args: string; readonly result: string }>(
      `SELECT p.proname AS name, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()`
    ),
    (rows) =>
      Effect.forEach(rows, (row) =>
        sql.unsafe(`CREATE OR REPLACE FUNCTION ${row.name}(${row.args}) RETURNS ${row.result} LANGUAGE plpgsql AS $fn$ BEGIN RAISE EXCEPTION 'an older body'; END $fn$`))
  ))

/**
 * Migrate a new schema up to `version` (none: every migration), then, if asked, the rest. With
 * `older`, the functions made by then get other bodies first (as an older release left them).
 */
const migrated = (schema: string, version: number, thenAll: boolean, older = false) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`CREATE SCHEMA ${schema}`)
    yield* sql.unsafe(`SET search_path TO ${schema}`)
    yield* Migrations.run(Migrations.migrations.filter((migration) => migration.version <= version))
    if (older) yield* olderBodies
    if (thenAll) yield* Migrations.run()
    return yield* describeSchema(schema)
  })

describe("SQL functions: one file per function holds the body the database runs", () => {
  it.effect("after the migrations each function's body is its file's, and every function the store calls is there", () =>
    Effect.gen(function* () {
      const { functions } = yield* migrated("fresh", Migrations.latestVersion, false)
      const bodies = Object.fromEntries(functions.map((row) => [row.name, row.body]))
      expect(Object.keys(bodies).sort()).toEqual([...Migrations.sqlFunctions].sort())
      for (const name of Migrations.sqlFunctions) {
        const file = Migrations.sqlFunction(name)
        expect(bodies[name], name).toBe(file.slice(file.indexOf("$fn$") + 4, file.lastIndexOf("$fn$")))
      }
      expect(bodies["switchboard_commit"]).toContain("INSERT INTO outbox")
    }).pipe(Effect.provide(Pglite.layer())))

  it.effect("a database stopped at any earlier version, by this release or an older one (other function bodies), then migrated, ends with the schema a new one gets (tables, indexes, triggers, function bodies)", () =>
    Effect.gen(function* () {
      const fresh = yield* migrated("fresh", Migrations.latestVersion, false)
      // Each version a function was first made or changed at, one before and one after it, and the first and last.
      const stops = [...new Set([0, 1, 2, 3, 4, 5, 6, 10, 11, 13, 14, 17, 18, 19, 20, 25, Migrations.latestVersion - 1])]
      for (const stop of stops) {
        expect(yield* migrated(`stopped_at_${stop}`, stop, true), `stopped at ${stop}`).toEqual(fresh)
        // Migrated by an older release (other bodies then): from 18 on, every body is reloaded from its file.
        if (stop < 18) expect(yield* migrated(`older_at_${stop}`, stop, true, true), `older release, stopped at ${stop}`).toEqual(fresh)
      }
    }).pipe(Effect.provide(Pglite.layer())))
})
