/**
 * Crash-test child: ingests inbound messages through the engine forever and prints `ack <id>`
 * after each `receive` returns. The parent SIGKILLs it mid-run.
 *
 *   node --import tsx crashChild.ts pg <url> <schema>
 *   node --import tsx crashChild.ts pglite <dir>
 */
import { Engine, storeService } from "@switchboard/core"
import { Fixtures, MemoryEventBus } from "@switchboard/core/testing"
import { Effect, Layer } from "effect"
import { RandomIds, SqlStore } from "../../src/index.js"

const [mode, target, schema] = process.argv.slice(2)
const store = mode === "pg" ? SqlStore.layerPg({ url: target!, schema, maxConnections: 4 }) : SqlStore.layerPglite({ dataDir: target })
const live = Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(store, MemoryEventBus.layer, RandomIds.layer)))

const program = Effect.gen(function* () {
  const engine = yield* Engine
  yield* Effect.flatMap(storeService, (s) => s.putChannel(Fixtures.telegram))
  process.stdout.write("ready\n")
  for (let i = 0; ; i++) {
    yield* Effect.forEach([0, 1, 2, 3], (lane) => {
      const id = `m${i * 4 + lane}`
      return Effect.zipRight(
        engine.receive(Fixtures.inbound(`client${(i * 4 + lane) % 37}`, `crash test ${id}`, { externalId: id })),
        Effect.sync(() => process.stdout.write(`ack ${id}\n`))
      )
    }, { concurrency: 4, discard: true })
  }
})

Effect.runPromise(Effect.provide(program, live)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`)
  process.exit(1)
})
