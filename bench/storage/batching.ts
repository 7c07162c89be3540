/**
 * The SQL store's two hand-made tools against Effect's own, on the same work in the same run
 * (issue 17, item 3; STYLE.md "One path per rule"):
 * 1. Encoding what a commit writes: `FastEncode` (an encoder compiled from the schema's AST, no
 *    validation pass) against `Schema.encodeSync`, on a dialog state and the events the engine made.
 * 2. Point reads, `FIBERS` fibers each reading a command's three side-by-side reads `ROUNDS` times,
 *    on PGlite and (with `DATABASE_URL`) PostgreSQL: the old hand-made loader (the requests of every
 *    fiber gathered until `setImmediate`, one `switchboard_lookup` statement, callers resumed through
 *    `Effect.runCallback`); Effect's request batching alone (a `Request` per read,
 *    `RequestResolver.makeBatched`: the reads one fiber issues side by side share a statement, those
 *    of other fibers do not); `PointReads` as shipped (the reads of every fiber gathered until the
 *    end of the turn, then resolved by that `RequestResolver`, callers resumed through `Deferred`s);
 *    and the same gathering sending one `switchboard_lookup` statement of its own.
 *
 * `npx tsx bench/storage/batching.ts` from the repository root. Prints a table; writes nothing.
 * Results: `bench/storage/batching-results.md`.
 */
import { Pglite, SqlStore } from "@switchboard/adapters"
import { Dialog, Engine, storeService } from "@switchboard/core"
import { Fixtures, MemoryStore } from "@switchboard/core/testing"
import { Cause, Effect, Exit, Layer, Option, Schema, TestClock, TestContext } from "effect"
import * as FastEncode from "../../packages/adapters/src/sql/FastEncode.js"
import * as PointReads from "../../packages/adapters/src/sql/PointReads.js"

const { SqlClient } = SqlStore
type SqlClient = SqlStore.SqlClient.SqlClient
type LookupKey = PointReads.LookupKey
type Row = Option.Option<PointReads.LookupRow>

const fibers = Number(process.env["FIBERS"] ?? 16)
const rounds = Number(process.env["ROUNDS"] ?? 200)
const url = process.env["DATABASE_URL"]

const time = <A>(run: () => A): number => {
  const start = performance.now()
  run()
  return performance.now() - start
}

/** A dialog state and its events as the engine leaves them after a short conversation. */
const sample = Effect.gen(function* () {
  const engine = yield* Engine
  const store = yield* storeService
  yield* Fixtures.seed
  const received = yield* engine.receive(Fixtures.inbound("c1", "Hello, my parcel has not arrived yet", { name: "Petro" }))
  yield* engine.execute(Fixtures.anna, new Dialog.Accept({ dialogId: received.dialogId }))
  for (let i = 0; i < 5; i++) {
    yield* TestClock.adjust("1 minute")
    yield* engine.receive(Fixtures.inbound("c1", `and another thing ${i}`))
    yield* engine.execute(Fixtures.anna, new Dialog.SendMessage({ dialogId: received.dialogId, input: Fixtures.text(`answer ${i}`) }))
  }
  const state = Option.getOrThrow(yield* store.loadDialog(received.dialogId)).state
  const events = (yield* store.readStream(`dialog:${received.dialogId}`)).map((stored) => stored.event)
  return { state, events }
}).pipe(Effect.provide(Fixtures.engineLayer(MemoryStore.layer)), Effect.provide(TestContext.TestContext))

const encoding = Effect.gen(function* () {
  const { state, events } = yield* sample
  const DomainEvent = SqlStore.DomainEvent
  const fast = { state: FastEncode.encoder(Dialog.DialogState, Schema.encodeSync(Dialog.DialogState)), event: FastEncode.encoder(DomainEvent, Schema.encodeSync(DomainEvent)) }
  const schema = { state: Schema.encodeSync(Dialog.DialogState), event: Schema.encodeSync(DomainEvent) }
  const n = 5000
  const work = (encode: typeof fast) => () => {
    for (let i = 0; i < n; i++) {
      encode.state(state)
      for (const event of events) encode.event(event)
    }
  }
  work(fast)()
  work(schema)()
  const results = { fast: [] as Array<number>, schema: [] as Array<number> }
  for (let round = 0; round < 3; round++) {
    results.fast.push(time(work(fast)))
    results.schema.push(time(work(schema)))
  }
  const best = (all: ReadonlyArray<number>) => Math.min(...all)
  const perCommit = (ms: number) => (ms * 1000) / n
  return [
    `encoding a dialog state and its ${events.length} events (${n} times, best of 3)`,
    `  FastEncode:        ${perCommit(best(results.fast)).toFixed(1)} µs per commit`,
    `  Schema.encodeSync: ${perCommit(best(results.schema)).toFixed(1)} µs per commit`,
    `  FastEncode is ${(best(results.schema) / best(results.fast)).toFixed(2)}× faster`
  ]
})

/** The hand-made loader the store had before (in SqlStore.ts, resuming callers through `Effect.runCallback`), for the comparison only. */
const handMade = (sql: SqlClient) => {
  type Pending = { readonly requests: ReadonlyArray<LookupKey>; readonly resume: (exit: Exit.Exit<ReadonlyArray<Row>>) => void }
  let pending: Array<Pending> = []
  const query = (requests: ReadonlyArray<LookupKey>) =>
    sql.unsafe<{ readonly i: number; readonly version: number | null; readonly payload: unknown }>(`SELECT i, version, payload FROM switchboard_lookup($1::jsonb)`, [
      JSON.stringify(requests.map((request) => [request.kind, request.key, request.key2]))
    ])
  const send = (batch: ReadonlyArray<Pending>) =>
    Effect.runCallback(query(batch.flatMap((entry) => entry.requests)), {
      onExit: (exit) => {
        if (Exit.isFailure(exit)) return batch.forEach((entry) => entry.resume(Exit.die(Cause.squash(exit.cause))))
        const all: Array<Row> = Array.from({ length: batch.reduce((count, entry) => count + entry.requests.length, 0) }, () => Option.none())
        for (const row of exit.value) all[Number(row.i)] = Option.some({ version: row.version, payload: row.payload })
        let offset = 0
        for (const entry of batch) {
          entry.resume(Exit.succeed(all.slice(offset, offset + entry.requests.length)))
          offset += entry.requests.length
        }
      }
    })
  const flush = () => {
    let batch: Array<Pending> = []
    let size = 0
    for (const entry of pending) {
      if (size > 0 && size + entry.requests.length > 64) {
        send(batch)
        batch = []
        size = 0
      }
      batch.push(entry)
      size += entry.requests.length
    }
    pending = []
    if (batch.length > 0) send(batch)
  }
  const lookupAll = (requests: ReadonlyArray<LookupKey>) =>
    Effect.async<ReadonlyArray<Row>>((resume) => {
      pending.push({ requests, resume })
      if (pending.length === 1) setImmediate(flush)
    })
  return { lookup: (kind: LookupKey["kind"], key = "", key2 = "") => Effect.map(lookupAll([{ kind, key, key2 }]), (rows) => rows[0]!) }
}

/** Effect's request batching alone: the reads one fiber issues side by side share a statement, those of other fibers do not. */
const perFiber = (sql: SqlClient) => {
  const lookups = PointReads.resolver(sql)
  return { lookup: (kind: LookupKey["kind"], key = "", key2 = "") => Effect.request(new PointReads.Lookup({ kind, key, key2 }), lookups) }
}

const reads = (name: string, client: Layer.Layer<SqlClient, unknown>) =>
  Effect.gen(function* () {
    const store = yield* storeService
    const sql = yield* SqlClient.SqlClient
    const engine = yield* Engine
    yield* store.putChannel(Fixtures.telegram)
    const dialogs = yield* Effect.forEach(Array.from({ length: fibers }, (_, i) => i), (i) => Effect.map(engine.receive(Fixtures.inbound(`r${i}`, "hello")), (r) => r.dialogId))
    const loaders = {
      "hand-made (setImmediate)": handMade(sql),
      "Request/RequestResolver": perFiber(sql),
      "turn + own statement": yield* PointReads.make(sql, PointReads.lookupQuery(sql)),
      "PointReads (shipped)": yield* PointReads.make(sql)
    }
    // A command's side-by-side reads, as the engine issues them (with `batching: true`).
    const command = (loader: (typeof loaders)[keyof typeof loaders], dialogId: string) =>
      Effect.all([loader.lookup("settings"), loader.lookup("dialog", dialogId), loader.lookup("operator", "anna")], { concurrency: "unbounded", batching: true })
    const run = (loader: (typeof loaders)[keyof typeof loaders]) =>
      Effect.forEach(dialogs, (dialogId) => Effect.repeatN(command(loader, dialogId), rounds - 1), { concurrency: "unbounded", discard: true })
    const figures = new Map<string, Array<number>>()
    for (const [label, loader] of Object.entries(loaders)) {
      console.error("warm-up:", label)
      yield* Effect.timeout(run(loader), "60 seconds").pipe(Effect.option)
    }
    for (let round = 0; round < 3; round++) {
      for (const [label, loader] of Object.entries(loaders)) {
        const start = performance.now()
        const finished = yield* Effect.timeout(run(loader), "60 seconds").pipe(Effect.option)
        figures.set(label, [...(figures.get(label) ?? []), Option.isSome(finished) ? performance.now() - start : Number.POSITIVE_INFINITY])
      }
    }
    const total = fibers * rounds
    const lines = [`point reads on ${name}: ${fibers} fibers × ${rounds} commands of 3 side-by-side reads (best of 3)`]
    const best = new Map([...figures].map(([label, all]) => [label, Math.min(...all)]))
    for (const [label, ms] of best) lines.push(`  ${label.padEnd(26)} ${(total / (ms / 1000)).toFixed(0).padStart(7)} commands/s`)
    const shipped = best.get("PointReads (shipped)")!
    for (const label of ["hand-made (setImmediate)", "Request/RequestResolver", "turn + own statement"]) {
      lines.push(`  PointReads (shipped) answers ${(best.get(label)! / shipped).toFixed(2)}× as many commands a second as ${label}`)
    }
    return lines
  }).pipe(
    Effect.provide(Layer.merge(Fixtures.engineLayer(SqlStore.layer.pipe(Layer.provide(client))), client)),
    Effect.scoped
  )

const program = Effect.gen(function* () {
  const lines = [...yield* encoding, ...yield* reads("PGlite", Pglite.layer())]
  if (url !== undefined && url !== "") {
    const pg = Layer.unwrapScoped(Effect.map(SqlStore.scratchSchema(url), (schema) => SqlStore.pgClientLayer({ url, schema, maxConnections: 8 })))
    lines.push(...yield* reads("PostgreSQL", pg))
  }
  console.log(lines.join("\n"))
})

Effect.runPromise(Effect.scoped(program)).catch((error) => {
  console.error(error)
  process.exitCode = 1
})
