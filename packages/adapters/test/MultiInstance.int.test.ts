import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Access, Dialog, Engine, EventBus, Operator, Scheduler, type StorePorts, storeService, UserId } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Context, Effect, Layer, Schedule, Stream } from "effect"
import { PgEventBus, RandomIds, SqlStore } from "../src/index.js"

const url = process.env["DATABASE_URL"] ?? ""

const instances = 4
const dialogs = 500
const messagesPerDialog = 4
const operators = 50
const capacity = 3
const timers = 200

/** One server process, as the server composes it: its own pool, engine, scheduler and LISTEN/NOTIFY bus; they share only the database. */
const instance = (schema: string) => {
  const storage = PgEventBus.storage({ url, schema, maxConnections: 6 })
  const engine = Engine.Default.pipe(Layer.provideMerge(Layer.mergeAll(storage, RandomIds.layer)))
  return Scheduler.Default.pipe(Layer.provideMerge(engine))
}

/** Real contention: back off and try again, as a channel adapter's redelivery would. */
const persist = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.retry(effect, { while: (error) => error._tag === "VersionConflict", schedule: Schedule.jittered(Schedule.exponential("2 millis", 1.5)).pipe(Schedule.upTo("30 seconds")) })

const operatorId = (i: number) => UserId.make(`op${i}`)

// Without DATABASE_URL the run reports these tests skipped.
describe.skipIf(url === "")("PostgreSQL: four engine instances on one database", () => {
  it.live("concurrent ingest, routing and timers: no lost or duplicated events, capacity and single ownership hold, timers fire once", () =>
    Effect.scoped(Effect.gen(function* () {
      const schema = yield* SqlStore.scratchSchema(url)
      const servers = yield* Effect.forEach(Array.from({ length: instances }, () => instance(schema)), Layer.build)
      const on = <A, E>(server: number, effect: Effect.Effect<A, E, Engine | StorePorts | Scheduler>) => Effect.provide(effect, servers[server]!)
      // A live subscriber on every server, as a panel would have: what each one sees of all four servers' commits.
      const live = yield* Effect.forEach(servers, (server) =>
        Effect.gen(function* () {
          const seen: Array<number> = []
          const events = yield* Effect.provide(Effect.flatMap(EventBus, (bus) => bus.subscribe), server)
          yield* Effect.forkScoped(Stream.runForEach(events, (event) => Effect.sync(() => void seen.push(event.position))))
          return seen
        }))

      // Seed through the first server: a channel, 50 operators online with capacity 3, 200 due timers.
      yield* on(0, Effect.gen(function* () {
        const store = yield* storeService
        const engine = yield* Engine
        yield* store.putChannel(Fixtures.telegram)
        for (let i = 0; i < operators; i++) {
          const userId = operatorId(i)
          yield* engine.operator(Fixtures.owner, new Operator.RegisterOperator({ userId, name: `Operator ${i}`, role: "operator" }))
          yield* engine.operator(Fixtures.owner, new Operator.SetStatus({ userId, statusId: "online" }))
          yield* engine.operator(Fixtures.owner, new Operator.SetRouting({ userId, capacity: { telegram: capacity }, skills: [], queues: [] }))
        }
        yield* store.commit({
          streams: [],
          messages: [],
          timers: Array.from({ length: timers }, (_, i) => ({ _tag: "Set" as const, timer: { key: `test.tick:${i}`, kind: "test.tick", subject: String(i), dueAt: i } }))
        })
      }))

      const fired = new Map<string, number>()
      for (let s = 0; s < instances; s++) {
        yield* on(s, Effect.flatMap(Scheduler, (scheduler) => scheduler.register("test.tick", (timer) => Effect.sync(() => void fired.set(timer.key, (fired.get(timer.key) ?? 0) + 1)))))
      }

      // 2,000 messages, shuffled over the four servers; each carries a unique external id.
      const work = Array.from({ length: dialogs * messagesPerDialog }, (_, i) => ({ client: i % dialogs, n: i, server: (i * 7 + Math.floor(i / 3)) % instances }))
      let ingesting = true
      const ingest = Effect.forEach(
        work,
        (item) => on(item.server, Effect.flatMap(Engine, (engine) => persist(engine.receive(Fixtures.inbound(`client${item.client}`, `message ${item.n} from client ${item.client}`, { externalId: `m${item.n}` }))))),
        { concurrency: 32, discard: true }
      ).pipe(Effect.ensuring(Effect.sync(() => void (ingesting = false))))

      const route = (server: number) =>
        on(server, Effect.gen(function* () {
          const store = yield* storeService
          const engine = yield* Engine
          const queued = yield* store.queued(25)
          yield* Effect.forEach(queued, (dialog) =>
            engine.execute(Access.system, new Dialog.RouteToOperator({ dialogId: dialog.state.id, operatorId: operatorId(Math.floor(Math.random() * operators)) })).pipe(
              Effect.catchTags({ DialogRejected: () => Effect.void, VersionConflict: () => Effect.void, NotFound: () => Effect.void })
            ), { concurrency: 4, discard: true })
        }))
      const routers = Effect.forEach([0, 1, 2, 3], (server) => Effect.repeat(Effect.zipLeft(route(server), Effect.sleep("10 millis")), { while: () => ingesting }), { concurrency: "unbounded", discard: true })
      const schedulers = Effect.forEach([0, 1, 2, 3], (server) => Effect.repeat(Effect.zipLeft(on(server, Effect.flatMap(Scheduler, (scheduler) => scheduler.runDue())), Effect.sleep("10 millis")), { while: () => ingesting }), { concurrency: "unbounded", discard: true })

      yield* Effect.all([ingest, routers, schedulers], { concurrency: "unbounded", discard: true })

      // Fill what is left deterministically: every free slot takes a queued dialog.
      yield* on(0, Effect.gen(function* () {
        const store = yield* storeService
        const engine = yield* Engine
        const queue = [...(yield* store.queued(dialogs))]
        for (let i = 0; i < operators && queue.length > 0; i++) {
          const free = capacity - (yield* store.loadOf(operatorId(i))).length
          for (const dialog of queue.splice(0, Math.max(0, free))) {
            yield* engine.execute(Access.system, new Dialog.RouteToOperator({ dialogId: dialog.state.id, operatorId: operatorId(i) }))
          }
        }
      }))
      yield* Effect.forEach([0, 1, 2, 3], (server) => on(server, Effect.flatMap(Scheduler, (scheduler) => scheduler.runDue())), { concurrency: "unbounded" })

      const sql = Context.get(yield* Layer.build(SqlStore.pgClientLayer({ url, schema, maxConnections: 1 })), SqlClient.SqlClient)
      const one = (query: string) => Effect.map(sql.unsafe<{ readonly n: number }>(query), (rows) => rows[0]?.n)
      const none = (query: string) => sql.unsafe(query)

      // Nothing lost, nothing duplicated.
      expect(yield* one(`SELECT count(*)::int AS n FROM events WHERE type = 'ClientMessageReceived'`)).toBe(dialogs * messagesPerDialog)
      expect(yield* one(`SELECT count(DISTINCT payload->'message'->>'externalId')::int AS n FROM events WHERE type = 'ClientMessageReceived'`)).toBe(dialogs * messagesPerDialog)
      expect(yield* one(`SELECT count(*)::int AS n FROM messages WHERE payload->'author'->>'_tag' = 'Client'`)).toBe(dialogs * messagesPerDialog)
      expect(yield* one(`SELECT count(*)::int AS n FROM dialogs`)).toBe(dialogs)
      expect(yield* one(`SELECT count(*)::int AS n FROM clients`)).toBe(dialogs)
      // Every stream's versions are 1..n and the stream table agrees (the configuration stream moves without events).
      expect(yield* none(`SELECT stream_id FROM events GROUP BY stream_id HAVING min(version) <> 1 OR max(version) <> count(*)`)).toEqual([])
      expect(yield* none(`SELECT s.id FROM streams s LEFT JOIN (SELECT stream_id, max(version) AS v FROM events GROUP BY stream_id) e ON e.stream_id = s.id WHERE s.id <> 'config' AND s.version <> COALESCE(e.v, 0)`)).toEqual([])
      expect(yield* none(`SELECT d.id FROM dialogs d JOIN streams s ON s.id = 'dialog:' || d.id WHERE d.version <> s.version`)).toEqual([])
      // Never over capacity (load only grows here, so the final load is the peak), never two owners.
      expect(yield* none(`SELECT payload->>'operatorId' AS op FROM events WHERE type = 'DialogAssigned' GROUP BY 1 HAVING count(*) > ${capacity}`)).toEqual([])
      expect(yield* none(`SELECT operator_id FROM dialog_owners WHERE kind = 'assigned' GROUP BY 1 HAVING count(*) > ${capacity}`)).toEqual([])
      expect(yield* none(`SELECT stream_id FROM events WHERE type = 'DialogAssigned' GROUP BY 1 HAVING count(*) > 1`)).toEqual([])
      expect(yield* one(`SELECT count(*)::int AS n FROM events WHERE type = 'DialogAssigned' AND (payload->>'overCapacity')::boolean`)).toBe(0)
      expect(yield* one(`SELECT count(*)::int AS n FROM dialog_owners WHERE kind = 'assigned'`)).toBe(operators * capacity)
      expect(yield* one(`SELECT count(*)::int AS n FROM dialogs WHERE assignee_id IS NOT NULL`)).toBe(operators * capacity)
      // Every server's live subscriber saw every event of every server, once, in position order.
      const all = (yield* on(0, Effect.flatMap(storeService, (store) => store.readAll(0, 1_000_000)))).map((event) => event.position)
      yield* Effect.forEach(live, (seen) =>
        Effect.suspend(() => (seen.at(-1) === all.at(-1) ? Effect.void : Effect.fail("not yet"))).pipe(
          Effect.retry(Schedule.spaced("50 millis")),
          Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => new Error(`a live subscriber stopped at ${seen.at(-1)} of ${all.at(-1)}`) })
        ))
      for (const seen of live) expect(seen).toEqual(all)
      // Every timer fired exactly once, and is gone.
      expect(fired.size).toBe(timers)
      expect([...fired.values()].every((count) => count === 1)).toBe(true)
      expect(yield* one(`SELECT count(*)::int AS n FROM timers WHERE kind = 'test.tick'`)).toBe(0)
    })), { timeout: 300_000 })
})
