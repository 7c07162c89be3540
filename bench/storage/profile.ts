/**
 * Where an engine receive spends its time, per store method (issue 5 iterations):
 * `DATABASE_URL=... npx tsx bench/storage/profile.ts [pg|pglite|memory]` (`N` receives, default 1000; `CONN`
 * pool connections on PostgreSQL, default 10).
 */
import { RandomIds, SqlStore } from "@switchboard/adapters"
import { Engine, InboundMessage, Message, Store, type StoreService } from "@switchboard/core"
import { Fixtures, MemoryEventBus, MemoryStore } from "@switchboard/core/testing"
import { Effect, Layer } from "effect"

const url = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const target = process.argv[2] ?? "pg"
const totals = new Map<string, { calls: number; ms: number }>()

const timedStore = <E>(inner: Layer.Layer<Store, E>) =>
  Layer.effect(
    Store,
    Effect.map(Store, (store): StoreService => {
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
    })
  ).pipe(Layer.provide(inner))

const storeLayer =
  target === "memory" ? MemoryStore.layer : target === "pglite" ? SqlStore.layerPglite() : SqlStore.layerPgScratch({ url, maxConnections: Number(process.env["CONN"] ?? 10) })

const program = Effect.gen(function* () {
  const engine = yield* Engine
  const store = yield* Store
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
  for (let i = 0; i < n; i++) yield* one(i)
  const total = performance.now() - start
  const cpu = process.cpuUsage(cpu0)
  process.stdout.write(`${target}: ${n} receives, ${(total / n).toFixed(3)} ms each (${(n / (total / 1000)).toFixed(0)}/s); Node CPU ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms each (all threads)\n`)
  for (const [name, entry] of [...totals].sort((a, b) => b[1].ms - a[1].ms)) {
    process.stdout.write(`  ${name.padEnd(14)} ${String(entry.calls).padStart(6)} calls  ${(entry.ms / n).toFixed(3)} ms/receive  ${(entry.ms / entry.calls).toFixed(3)} ms/call\n`)
  }
})

Effect.runPromise(Effect.scoped(program.pipe(Effect.provide(Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(timedStore(storeLayer), MemoryEventBus.layer, RandomIds.layer)))))))
