import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { vi } from "vitest"
import { Migrations, Pglite } from "../src/index.js"

vi.setConfig({ testTimeout: 60_000 })

/** The body (between `$fn$` markers) of every store function, as the database holds it now. */
const bodies = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  Effect.map(
    sql.unsafe<{ readonly name: string; readonly body: string }>(`SELECT proname AS name, prosrc AS body FROM pg_proc WHERE proname = ANY ($1::text[]) ORDER BY proname`, [[...Migrations.sqlFunctions]]),
    (rows) => Object.fromEntries(rows.map((row) => [row.name, row.body]))
  ))

const words = (text: string) => text.trim().split(/\s+/)

describe("SQL functions: one file per function holds the body the database runs", () => {
  it.effect("after the migrations each function's body is its file's, and it is the body the inline migrations left (only indentation differs)", () =>
    Effect.gen(function* () {
      yield* Migrations.run(Migrations.migrations.filter((migration) => migration.version < 18))
      const inline = yield* bodies
      yield* Migrations.run()
      const current = yield* bodies
      expect(Object.keys(current)).toEqual([...Migrations.sqlFunctions].sort())
      for (const name of Migrations.sqlFunctions) {
        const file = Migrations.sqlFunction(name)
        const body = file.slice(file.indexOf("$fn$") + 4, file.lastIndexOf("$fn$"))
        expect(current[name], name).toBe(body)
        expect(words(current[name]!), name).toEqual(words(inline[name]!))
      }
    }).pipe(Effect.provide(Pglite.layer())))
})
