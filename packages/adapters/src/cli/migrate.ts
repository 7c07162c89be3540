/**
 * `tsx packages/adapters/src/cli/migrate.ts` — bring a Switchboard database up to date.
 *
 *   DATABASE_URL=postgres://… tsx migrate.ts        PostgreSQL
 *   tsx migrate.ts --pglite .data/pglite            embedded PGlite folder
 *   add --schema name to migrate a non-default PostgreSQL schema
 *
 * Safe to run while servers start (they migrate too; an advisory lock serializes the runs).
 * Exits with status 1 and a readable message if the database is newer than this code.
 */
import { Cause, Effect, Layer } from "effect"
import * as Migrations from "../sql/Migrations.js"
import * as PgliteClient from "../sql/PgliteClient.js"
import { pgClientLayer } from "../sql/PgConnection.js"

const args = process.argv.slice(2)
const option = (name: string): string | undefined => {
  const index = args.indexOf(name)
  return index === -1 ? undefined : args[index + 1]
}

const pglite = option("--pglite")
const url = process.env["DATABASE_URL"]
const client =
  pglite !== undefined
    ? PgliteClient.layer({ dataDir: pglite })
    : url !== undefined && url !== ""
      ? Layer.orDie(pgClientLayer({ url, schema: option("--schema"), maxConnections: 1 }))
      : undefined

if (client === undefined) {
  process.stderr.write("Set DATABASE_URL or pass --pglite <folder>.\n")
  process.exit(2)
}

const program = Migrations.run().pipe(
  Effect.tap((outcome) =>
    Effect.sync(() =>
      process.stdout.write(
        outcome.applied.length === 0
          ? `Schema is up to date at version ${outcome.to}.\n`
          : `Migrated from version ${outcome.from} to ${outcome.to} (applied ${outcome.applied.join(", ")}).\n`
      )
    )
  ),
  Effect.provide(client)
)

Effect.runPromiseExit(program).then((exit) => {
  if (exit._tag === "Success") return
  const failure = Cause.squash(exit.cause)
  const cause = failure instanceof Error && failure.cause instanceof Error ? `: ${failure.cause.message}` : ""
  process.stderr.write(`${failure instanceof Error ? failure.message : String(failure)}${cause}\n`)
  process.exit(1)
})
