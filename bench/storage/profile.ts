/**
 * Where an engine receive spends its time, per store method (issue 5 iterations):
 * `DATABASE_URL=... npx tsx bench/storage/profile.ts [pg|pglite|memory]` (`N` receives, default 1000; `CONN`
 * pool connections on PostgreSQL, default 10; `IN_FLIGHT` receives at a time, default 1). On PGlite and
 * PostgreSQL it then times `N` raw INSERTs the same way (`RAW=0` skips them) and prints Node's CPU per operation.
 */
import { Pglite, RandomIds, SqlStore } from "@switchboard/adapters"
import { Engine, InboundMessage, Message, type StorePorts, type StoreService, storeService, wrapStore } from "@switchboard/core"
import { Fixtures, MemoryEventBus, MemoryStore } from "@switchboard/core/testing"
import { Effect, Layer, Option } from "effect"

const url = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const target = process.argv[2] ?? "pg"
const totals = new Map<string, { calls: number; ms: number }>()

const timedStore = <E>(inner: Layer.Layer<StorePorts, E>) =>
  wrapStore((store): StoreService => {
      const wrapped: Record<string, unknown> = {}
      for (const [name, fn] of Object.entries(store)) {
        wrapped[name] = (...args: Array<unknown>) => {
          const effect = (fn as (...a: Array<unknown>) => Effect.Effect<unknown, unknown>)(...args)
          return Effect.suspend(() => {
            const start = performance.now()
            return Effect.ensuring(effect, Effect.sync(() => {
              const entry = totals.get(name) ?? { calls: 0, ms: 0 }
              entry.calls++
              entry.ms += performance.now() - start
              totals.set(name, entry)
            }))
          })
        }
      }
      return wrapped as unknown as StoreService
    })(inner)

/** The store, and (on PGlite and PostgreSQL) its `SqlClient` for the raw INSERT baseline. */
const storeLayer: Layer.Layer<StorePorts | SqlStore.SqlClient.SqlClient, unknown> | Layer.Layer<StorePorts> =
  target === "memory"
    ? MemoryStore.layer
    : target === "pglite"
      ? SqlStore.layer.pipe(Layer.provideMerge(Pglite.layer({})))
      : Layer.unwrapScoped(Effect.map(SqlStore.scratchSchema(url), (schema) =>
        SqlStore.layer.pipe(Layer.provideMerge(SqlStore.pgClientLayer({ url, schema, maxConnections: Number(process.env["CONN"] ?? 10) })))))

const program = Effect.gen(function* () {
  const engine = yield* Engine
  const store = yield* storeService
  yield* store.putChannel(Fixtures.telegram)
  const n = Number(process.env["N"] ?? 1000)
  const one = (i: number) =>
    engine.receive(InboundMessage.make({
      channelId: Fixtures.telegram.id,
      from: `c${i % (n / 4)}`,
      profile: { name: `Client ${i}` },
      message: Message.MessageInput.make({ text: "Hello, my parcel has not arrived yet, can you check the order status please?" }),
      externalId: `m${i}`
    }))
  for (let i = 0; i < 100; i++) yield* one(-1 - i)
  totals.clear()
  const cpu0 = process.cpuUsage()
  const start = performance.now()
  const inFlight = Number(process.env["IN_FLIGHT"] ?? 1)
  if (inFlight === 1) for (let i = 0; i < n; i++) yield* one(i)
  else yield* Effect.forEach(Array.from({ length: n }, (_, i) => i), one, { concurrency: inFlight, discard: true })
  const total = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  process.stdout.write(`${target}: ${n} receives, ${(total / n).toFixed(3)} ms each (${(n / (total / 1000)).toFixed(0)}/s); Node CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms each (all threads; system ${(cpu.system / 1000 / n).toFixed(3)})\n`)
  const client = yield* Effect.serviceOption(SqlStore.SqlClient.SqlClient)
  if (Option.isSome(client) && process.env["RAW"] !== "0") {
    const sql = client.value
    yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload jsonb NOT NULL)`)
    const payload = JSON.stringify({ text: "Hello, my parcel has not arrived yet, can you check the order status please?", n: 1 })
    for (let i = 0; i < 100; i++) yield* sql.unsafe(`INSERT INTO bench_raw (payload) VALUES ($1)`, [payload])
    const rawCpu0 = process.cpuUsage()
    const rawStart = performance.now()
    yield* Effect.forEach(Array.from({ length: n }, (_, i) => i), () => sql.unsafe(`INSERT INTO bench_raw (payload) VALUES ($1)`, [payload]), { concurrency: inFlight, discard: true })
    const rawTotal = performance.now() - rawStart
    const rawCpu = process.cpuUsage(rawCpu0)
    process.stdout.write(`raw INSERT: ${(rawTotal / n).toFixed(3)} ms each; Node CPU ${((rawCpu.user + rawCpu.system) / 1000 / n).toFixed(3)} ms each (system ${(rawCpu.system / 1000 / n).toFixed(3)}); engine / raw ${((100 * rawTotal) / total).toFixed(0)}%\n`)
  }
  for (const [name, entry] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(`  ${name.padEnd(18)} ${String(entry.calls).padStart(6)} calls  ${(entry.ms / n).toFixed(3)} ms/receive  ${(entry.ms / entry.calls).toFixed(3)} ms/call\n`)
  }
})

Effect.runPromise(Effect.scoped(program.pipe(Effect.provide(Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(storeLayer, timedStore(storeLayer), MemoryEventBus.layer, RandomIds.layer)))))))
