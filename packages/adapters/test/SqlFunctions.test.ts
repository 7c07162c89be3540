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
  it.effect("after the migrations each function's body is its file's; a function no later migration reloads is the body the inline migrations left (only indentation differs)", () =>
    Effect.gen(function* () {
      yield* Migrations.run(Migrations.migrations.filter((migration) => migration.version < 18))
      const inline = yield* bodies
      yield* Migrations.run()
      const current = yield* bodies
      expect(Object.keys(current)).toEqual([...Migrations.sqlFunctions].sort())
      // Migration 18 moved the bodies into files unchanged; a later change reloads its file in a
      // migration of its own (20: the commit queues outgoing messages in the outbox).
      const reloaded = Migrations.sqlFunctions.filter((name) =>
        Migrations.migrations.some((migration) => migration.version > 18 && migration.statements.includes(Migrations.sqlFunction(name)))
      )
      expect(reloaded).toEqual(["switchboard_commit"])
      for (const name of Migrations.sqlFunctions) {
        const file = Migrations.sqlFunction(name)
        const body = file.slice(file.indexOf("$fn$") + 4, file.lastIndexOf("$fn$"))
        expect(current[name], name).toBe(body)
        if (!reloaded.includes(name)) expect(words(current[name]!), name).toEqual(words(inline[name]!))
      }
      expect(current["switchboard_commit"]).toContain("INSERT INTO outbox")
      expect(inline["switchboard_commit"]).not.toContain("outbox")
    }).pipe(Effect.provide(Pglite.layer())))
})
