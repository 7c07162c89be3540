import { Effect, Layer, Context } from "effect"
import { SqlClient } from "@effect/sql"
import { Migrations, Pglite } from "./src/index.js"
import { PGlite } from "@electric-sql/pglite"

const t0 = performance.now()
const db = await PGlite.create()
const t1 = performance.now()
console.log("boot", t1 - t0)
const prog = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  let a = performance.now()
  yield* Migrations.run()
  console.log("migrate public", performance.now() - a)
  for (let i = 0; i < 3; i++) {
    a = performance.now()
    yield* sql.unsafe(`CREATE SCHEMA s${i}`)
    yield* sql.unsafe(`SET search_path TO s${i}`)
    yield* Migrations.run()
    console.log("schema+migrate", performance.now() - a)
  }
  a = performance.now()
  yield* sql.unsafe(`DROP SCHEMA s0 CASCADE`)
  console.log("drop", performance.now() - a)
})
await Effect.runPromise(Effect.scoped(Effect.flatMap(Pglite.make(db), (c) => Effect.provideService(prog, SqlClient.SqlClient, c))).pipe(Effect.provide(await import("@effect/experimental/Reactivity").then(m => m.layer))))
const t2 = performance.now()
const db2 = await PGlite.create()
console.log("boot2", performance.now() - t2)
if ((db as any).clone) { const t3 = performance.now(); const c = await (db as any).clone(); console.log("clone", performance.now() - t3) }
