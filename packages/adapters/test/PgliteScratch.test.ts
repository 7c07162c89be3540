import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Effect, Exit, Layer } from "effect"
import { PgliteScratch } from "../src/testing.js"

const tables = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql.unsafe<{ readonly name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`))

describe("PgliteScratch: a fresh schema per layer on the worker's one PGlite", () => {
  it.effect("each layer starts empty: what one wrote is gone for the next", () =>
    Effect.gen(function* () {
      yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe(`CREATE TABLE notes (text text); INSERT INTO notes VALUES ('hello')`)).pipe(
        Effect.zipRight(tables),
        Effect.tap((names) => Effect.sync(() => expect(names.map((row) => row.name)).toEqual(["notes"]))),
        Effect.provide(PgliteScratch.layer())
      )
      expect(yield* tables.pipe(Effect.provide(PgliteScratch.layer()))).toEqual([])
    }))

  it.effect("a second schema while one is held is refused, never shared", () =>
    Effect.scoped(Effect.gen(function* () {
      const first = yield* Layer.build(PgliteScratch.layer())
      const second = yield* Effect.exit(Effect.scoped(Layer.build(PgliteScratch.layer())))
      expect(Exit.isFailure(second) && Cause.isDie(second.cause)).toBe(true)
      expect(yield* tables.pipe(Effect.provideService(SqlClient.SqlClient, Context.get(first, SqlClient.SqlClient)))).toEqual([])
    })))
})
