/**
 * The Switchboard server of `actions.ts`, as its own process: the real `startServer` on PostgreSQL
 * (`BENCH_DATABASE_URL`) with the demo company. On an empty database it seeds `BENCH_DIALOGS`
 * background dialogs: a template dialog of each plan through the engine (queued, active with an
 * operator, closed with a reason; one message or five; the measuring operator's or one of 50
 * others'), then cloned in SQL (`cloneTemplates`; through the engine a dialog took ~80 ms on this
 * loaded machine, 100,000 would take hours). 10% queued, 30% active, 60% closed; the measuring
 * operator holds 300 active and 3,000 closed: New, Mine and the archive as deep as a company's. A
 * database that holds them already (`--reuse`) is not seeded again.
 *
 * Then, on every start, `BENCH_MEASURED` fresh dialogs in New, each with 20 client messages (the
 * dialogs the actions run on), and an operator and a supervisor signed in directly through
 * `Accounts` (a cheap scrypt: sign-in is not what is measured). Counts every statement sent to
 * PostgreSQL (at pg's `Client#query`), told to the runner on request over IPC.
 */
import http from "node:http"
import { writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { PerformanceObserver } from "node:perf_hooks"
import { fileURLToPath } from "node:url"
import v8 from "node:v8"
import { Effect, Redacted, Schema } from "effect"
import { PgEventBus, ScryptHasher, SqlStore } from "@switchboard/adapters"
import { Access, Accounts, ChannelId, CloseReasonId, Dialog, type DialogId, Engine, InboundMessage, Login, Message, Operator, UserId } from "@switchboard/core"
import { demoPassword, startServer } from "@switchboard/server"

/** Who is signed in: the session cookie's value and the CSRF token the panel's forms carry. */
export interface Session {
  readonly userId: string
  readonly token: string
  readonly csrf: string
}

/** What the runner gets once the server listens. */
export interface Ready {
  readonly _tag: "Ready"
  readonly url: string
  readonly operator: Session
  readonly supervisor: Session
  /** The demo company's owner (deleting a dialog is an owner's or an admin's). */
  readonly owner: Session
  /** The operator the reassign action gives dialogs to. */
  readonly colleague: string
  /** Fresh dialogs in New, with `messageSeq` messages each. */
  readonly measured: ReadonlyArray<{ readonly dialogId: string; readonly messageSeq: number }>
  /** Background dialogs of every folder, for opening dialogs at random (the supervisor sees them all). */
  readonly background: ReadonlyArray<string>
  readonly dialogs: number
  readonly seedSeconds: number
}

/** Statements sent to PostgreSQL so far, CPU (µs) and memory. */
export interface Counters {
  readonly _tag: "Counters"
  readonly statements: number
  readonly cpuMicros: number
  readonly rss: number
}

const pg = createRequire(fileURLToPath(import.meta.resolve("@switchboard/adapters")))("pg") as { Client: { prototype: { query: (...args: Array<unknown>) => unknown } } }
let statements = 0
const slowSql = process.env["BENCH_SLOWSQL"] === undefined ? undefined : Number(process.env["BENCH_SLOWSQL"])
const query = pg.Client.prototype.query
pg.Client.prototype.query = function(this: unknown, ...args: Array<unknown>) {
  statements++
  if (slowSql === undefined) return query.apply(this, args)
  // BENCH_SLOWSQL=ms: print each statement at least that slow (wall clock, start of its text).
  const began = performance.now()
  const text = (typeof args[0] === "string" ? args[0] : String((args[0] as { text?: string } | undefined)?.text ?? "?")) + (process.env["BENCH_SQL_VALUES"] === undefined ? "" : ` ${JSON.stringify(args[1] ?? (args[0] as { values?: unknown } | undefined)?.values ?? "").slice(0, 200)}`)
  const report = () => {
    const ms = performance.now() - began
    if (ms >= slowSql) process.stderr.write(`sql ${ms.toFixed(0)} ms ending at ${((Date.now() / 1000) % 1000).toFixed(2)}: ${text.replace(/\s+/g, " ").slice(0, 160)}\n`)
  }
  const last = args.length - 1
  if (typeof args[last] === "function") {
    const callback = args[last] as (...results: Array<unknown>) => unknown
    args[last] = (...results: Array<unknown>) => {
      report()
      return callback(...results)
    }
    return query.apply(this, args)
  }
  const answer = query.apply(this, args) as { then?: unknown; on?: (event: string, listener: () => void) => void }
  if (typeof answer?.then === "function") void (answer as Promise<unknown>).then(report, report)
  else answer?.on?.("end", report)
  return answer
}

// BENCH_SLOWREQ=ms: print each request the server took at least that long over (wall), with the
// process's CPU and the statements sent meanwhile (CPU near the wall: busy; far below: waiting).
if (process.env["BENCH_SLOWREQ"] !== undefined) {
  const atLeast = Number(process.env["BENCH_SLOWREQ"])
  const emit = http.Server.prototype.emit
  http.Server.prototype.emit = function(this: http.Server, event: string, ...args: Array<any>) {
    if (event === "request") {
      const [request, response] = args as [http.IncomingMessage, http.ServerResponse]
      const began = performance.now()
      const cpu = process.cpuUsage()
      const sent = statements
      response.once("finish", () => {
        const wall = performance.now() - began
        if (wall < atLeast) return
        const used = process.cpuUsage(cpu)
        process.stderr.write(`req ${wall.toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms, ${statements - sent} statements, ending at ${((Date.now() / 1000) % 1000).toFixed(2)} ${request.url}\n`)
      })
    }
    return (emit as (this: http.Server, event: string, ...rest: Array<unknown>) => boolean).call(this, event, ...args)
  } as typeof emit
}

const url = process.env["BENCH_DATABASE_URL"] ?? ""
const target = Number(process.env["BENCH_DIALOGS"] ?? 100_000)
const measuredCount = Number(process.env["BENCH_MEASURED"] ?? 200)
const runTag = process.env["BENCH_RUN"] ?? String(Date.now())
const password = Redacted.make("bench-panel-password-7Qx!")
const began = performance.now()
const say = (line: string) => console.error(`server [${((performance.now() - began) / 1000).toFixed(0)} s]: ${line}`)

const server = await startServer({
  port: 0,
  storage: { layer: PgEventBus.storage({ url }), description: "PostgreSQL (bench/panel actions)" },
  apiToken: "bench-panel-api-token",
  accounts: { hasher: ScryptHasher.layer({ ...ScryptHasher.owasp, cost: 2 ** 10 }) }
})

const telegram = ChannelId.make("telegram")
const system = Access.system
const measurer = UserId.make("bench-operator")
const colleague = UserId.make("bench-colleague")
const backgroundOperators = Array.from({ length: 50 }, (_, index) => UserId.make(`bench-bg-${index}`))
const texts = [
  "Hello, my parcel has not arrived yet, can you check the order status please?",
  "I was charged twice for one order, please refund one of the payments.",
  "Can I change the delivery address of order 4411 to my office?",
  "The checkout page shows an error when I pay by card.",
  "Do you ship to Austria, and how long does it take?"
]

/** A statement of the runner's own, on a connection of its own (the server's runtime holds no `SqlClient`). */
const select = <A extends object>(text: string) =>
  Effect.scoped(Effect.flatMap(SqlStore.SqlClient.SqlClient, (sql) => sql.unsafe<A>(text)).pipe(Effect.provide(SqlStore.pgClientLayer({ url, maxConnections: 1 })), Effect.orDie))

/** How many dialogs the database holds (a reused database is not seeded again). */
const dialogCount = Effect.map(select<{ readonly n: string }>(`SELECT count(*)::text AS n FROM dialogs`), (rows) => Number(rows[0]?.n ?? 0))

/** The users: the measuring operator, a colleague (online, capacity 0: the router offers them nothing), a supervisor, background operators. */
const seedUsers = Effect.gen(function* () {
  const accounts = yield* Accounts.Accounts
  const engine = yield* Engine
  const users = [
    { userId: measurer, name: "Bench Operator", role: "operator" as const },
    { userId: colleague, name: "Bench Colleague", role: "operator" as const },
    { userId: UserId.make("bench-supervisor"), name: "Bench Supervisor", role: "supervisor" as const }
  ]
  for (const user of users) {
    // A seed cut short and started again finds its users there.
    const made = yield* accounts.createUser(system, { ...user, login: Schema.decodeSync(Login)(`${user.userId}@bench.example`), password }).pipe(
      Effect.as(true),
      Effect.catchTag("AccountRejected", () => Effect.succeed(false))
    )
    if (!made) continue
    if (user.role === "operator") {
      yield* engine.operator(system, new Operator.SetStatus({ userId: user.userId, statusId: "online" }))
      yield* engine.operator(system, new Operator.SetRouting({ userId: user.userId, capacity: {}, skills: [], queues: [] }))
    }
  }
  yield* Effect.forEach(backgroundOperators, (userId, index) =>
    Effect.ignore(engine.operator(system, new Operator.RegisterOperator({ userId, name: `Operator ${index}`, role: "operator" }))), { discard: true })
})

/** What a background dialog becomes: queued, active or closed, with one message or five, whose. */
interface Plan {
  readonly status: "queued" | "active" | "closed"
  readonly messages: 1 | 5
  readonly owner: "background" | "measurer"
}

/**
 * The plan of background dialog `index`: queued (10%), active (30%), closed (60%); every tenth
 * has five client messages, the rest one; the measuring operator holds every 100th active one of
 * the first 30,000 (300) and every 20th closed one, the 50 background operators the others.
 */
const planOf = (index: number): Plan => {
  const tenth = index % 10
  const status = tenth === 0 ? "queued" : tenth < 4 ? "active" : "closed"
  const messages = Math.floor(index / 10) % 10 === 0 ? 5 : 1
  const owner = status === "closed" ? (index % 20 === 5 ? "measurer" : "background") : status === "active" && index % 100 === 1 && index < 30_000 ? "measurer" : "background"
  return { status, messages, owner }
}

const planKey = (plan: Plan) => `${plan.status}-${plan.messages}-${plan.owner}`

/**
 * One template dialog of a plan, through the engine: a new client's messages, then given to its
 * operator and closed with a reason as the plan says. Its client's address and name are unique
 * strings the clones replace.
 */
const seedTemplate = (engine: Engine, plan: Plan, number: number) =>
  Effect.gen(function* () {
    const from = `benchtpl${number}x`
    const name = `Benchtpl Client ${number}x`
    let dialogId: DialogId | undefined
    let clientId = ""
    for (let n = 0; n < plan.messages; n++) {
      const received = yield* engine.receive(InboundMessage.make({
        channelId: telegram,
        from,
        profile: { name },
        message: Message.MessageInput.make({ text: `${texts[(number + n) % texts.length]!}${n === 0 ? "" : ` (${n})`}` }),
        externalId: `${from}-${n}`
      }))
      dialogId = received.dialogId
      clientId = received.clientId
    }
    const operator = plan.owner === "measurer" ? measurer : backgroundOperators[0]!
    if (plan.status !== "queued") yield* engine.execute(system, new Dialog.Reassign({ dialogId: dialogId!, to: { _tag: "Operator", userId: operator } }))
    if (plan.status === "closed") yield* engine.execute(system, new Dialog.Close({ dialogId: dialogId!, reasonId: CloseReasonId.make("resolved"), force: true }))
    return { plan, dialogId: dialogId!, clientId, from, name, operator: plan.owner === "measurer" ? undefined : operator }
  })

type Template = Effect.Effect.Success<ReturnType<typeof seedTemplate>>

/** The tables that hold a dialog and its client, each with how its rows of a template are found. */
const clonedTables: ReadonlyArray<readonly [string, string]> = [
  ["clients", "r.id = $1"],
  ["client_identities", "r.client_id = $1"],
  ["dialogs", "r.id = $2"],
  ["messages", "r.dialog_id = $2"],
  ["dialog_owners", "r.dialog_id = $2"],
  ["streams", "r.id IN ('client:' || $1, 'dialog:' || $2)"]
]

/**
 * Clone each template's rows, in SQL, once per background dialog of its plan: every table a dialog
 * and its client are stored in (the projections and stream versions, not their events, timers and
 * outbox), with the template's dialog id, client id, address, name and operator replaced in the
 * row (as JSON text: the random ids and marked strings appear nowhere else), and the dialog's
 * activity, queue and processing times moved back 30 s per index (100,000 dialogs span 35 days),
 * so the folders are ordered as a company's are. Generated columns (search vectors, sort keys)
 * are computed by PostgreSQL as for any write. (The record comes from a LATERAL call: as
 * `(x.rec).column` in the select list PostgreSQL parsed the JSON once per column, 1.7 ms a dialog.)
 */
const cloneTemplates = (templates: ReadonlyMap<string, Template>) =>
  Effect.scoped(Effect.gen(function* () {
    const sql = yield* SqlStore.SqlClient.SqlClient
    const indexes = new Map<string, Array<number>>()
    for (let index = 0; index < target; index++) {
      const key = planKey(planOf(index))
      indexes.set(key, [...(indexes.get(key) ?? []), index])
    }
    for (const [table, matches] of clonedTables) {
      const columns = (yield* sql.unsafe<{ readonly name: string }>(
        `SELECT column_name AS name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' AND identity_generation IS NULL ORDER BY ordinal_position`,
        [table]
      )).map((row) => row.name)
      const shifted = (column: string) =>
        table === "dialogs" && ["last_activity_at", "enqueued_at", "processing_rank"].includes(column) ? `p.${column} - i::bigint * 30000` : `p.${column}`
      for (const [key, template] of templates) {
        const replaced = `replace(replace(replace(replace(to_jsonb(r)::text, $2, 'dlg_' || md5('d' || i)), $1, 'cli_' || md5('c' || i)), '"' || $3 || '"', '"bench-bg-client-' || i || '"'), '"' || $4 || '"', '"Client ' || i || '"')`
        // The measuring operator's templates keep their operator ($6 then names nobody).
        const withOperator = `replace(${replaced}, '"' || $6 || '"', '"bench-bg-' || (i % 50) || '"')`
        yield* sql.unsafe(
          `INSERT INTO ${table} (${columns.join(", ")})
           SELECT ${columns.map(shifted).join(", ")}
           FROM ${table} r, unnest($5::int[]) i, LATERAL jsonb_populate_record(NULL::${table}, (${withOperator})::jsonb) p WHERE ${matches}`,
          [template.clientId, template.dialogId, template.from, template.name, indexes.get(key) ?? [], template.operator ?? "(no operator to replace)"]
        )
      }
      say(`${table} cloned`)
    }
    // As autovacuum would leave them (visibility maps set, statistics taken).
    yield* sql.unsafe(`VACUUM ANALYZE`)
  }).pipe(Effect.provide(SqlStore.pgClientLayer({ url, maxConnections: 1 })), Effect.orDie))

const seedBackground = Effect.gen(function* () {
  const engine = yield* Engine
  const plans = new Map<string, Plan>()
  for (let index = 0; index < Math.min(target, 1000); index++) plans.set(planKey(planOf(index)), planOf(index))
  const templates = new Map<string, Template>()
  for (const [key, plan] of plans) templates.set(key, yield* seedTemplate(engine, plan, templates.size))
  say(`${templates.size} templates made; cloning`)
  yield* cloneTemplates(templates)
})

/** Fresh dialogs in New with 20 client messages each, for this run's actions. */
const seedMeasured = Effect.gen(function* () {
  const engine = yield* Engine
  return yield* Effect.forEach(Array.from({ length: measuredCount }, (_, index) => index), (index) =>
    Effect.gen(function* () {
      const from = `bench-measured-${runTag}-${index}`
      let dialogId: DialogId | undefined
      for (let n = 0; n < 20; n++) {
        const received = yield* engine.receive(InboundMessage.make({
          channelId: telegram,
          from,
          profile: { name: `Measured client ${index}` },
          message: Message.MessageInput.make({ text: `${texts[(index + n) % texts.length]!} #${n}` }),
          externalId: `m-${runTag}-${index}-${n}`
        }))
        dialogId = received.dialogId
      }
      const state = yield* engine.dialog(system, dialogId!)
      return { dialogId: dialogId!, messageSeq: state.messageSeq }
    }), { concurrency: 8 })
})

const signIn = (userId: string, index: number, login = `${userId}@bench.example`, secret = password) =>
  Effect.flatMap(Accounts.Accounts, (accounts) =>
    Effect.map(
      accounts.signIn({ login, password: secret, address: `10.1.0.${index}`, device: "bench/panel actions" }),
      (done): Session => ({ userId, token: Redacted.value(done.token), csrf: done.session.csrfToken })
    ))

/** 400 dialogs of the seeded ones, of every folder, spread over the whole table (the same ones every run). */
const background = select<{ readonly id: string }>(`SELECT id FROM dialogs WHERE NOT deleted ORDER BY md5(id) LIMIT 400`)

const program = Effect.gen(function* () {
  const existing = yield* dialogCount
  const seedStarted = performance.now()
  if (existing < target) {
    say(`seeding ${target} dialogs (${existing} there)`)
    yield* seedUsers
    yield* seedBackground
  }
  const seedSeconds = (performance.now() - seedStarted) / 1000
  say("making this run's dialogs")
  const measured = yield* seedMeasured
  const operator = yield* signIn(measurer, 1)
  const supervisor = yield* signIn("bench-supervisor", 2)
  const owner = yield* signIn("olha", 3, "olha@example.com", Redacted.make(demoPassword))
  const sample = yield* background
  return { operator, supervisor, owner, colleague, measured, background: sample.map((row) => row.id), dialogs: yield* dialogCount, seedSeconds }
})

const made = await server.runtime.runPromise(program)
// BENCH_GC=ms: print each garbage collection pause at least that long to stderr (kind, ms, heap).
if (process.env["BENCH_GC"] !== undefined) {
  const atLeast = Number(process.env["BENCH_GC"])
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= atLeast) {
        const kind = ((entry as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind
        process.stderr.write(`gc ${kind === 1 ? "minor" : kind === 4 ? "major" : kind === 8 ? "incremental" : kind === 16 ? "weak" : String(kind)} ${entry.duration.toFixed(1)} ms, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`)
      }
    }
  }).observe({ entryTypes: ["gc"] })
}
// BENCH_LAG=ms: print each event-loop stall at least that long to stderr, with the wall clock's seconds.
if (process.env["BENCH_LAG"] !== undefined) {
  const atLeast = Number(process.env["BENCH_LAG"])
  let last = performance.now()
  setInterval(() => {
    const now = performance.now()
    if (now - last - 5 >= atLeast) process.stderr.write(`lag ${(now - last - 5).toFixed(0)} ms ending at ${((Date.now() / 1000) % 1000).toFixed(2)}\n`)
    last = now
  }, 5).unref()
}
process.send?.({ _tag: "Ready", url: server.url, ...made } satisfies Ready)
// BENCH_HEAP_PROF=file: sample allocations from here to "stop", keeping those a major GC collected
// (what was promoted and then died: the old generation's churn), written as a .heapprofile.
const heapProfile = process.env["BENCH_HEAP_PROF"]
const inspector = heapProfile === undefined ? undefined : new (await import("node:inspector")).Session()
if (inspector !== undefined) {
  inspector.connect()
  inspector.post("HeapProfiler.startSampling", { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false } as object)
}
const stopHeapProfile = () =>
  new Promise<void>((resolve) => {
    if (inspector === undefined || heapProfile === undefined) return resolve()
    inspector.post("HeapProfiler.stopSampling", (error, result) => {
      if (error === null) writeFileSync(heapProfile, JSON.stringify((result as { profile: unknown }).profile))
      resolve()
    })
  })
process.on("message", (message) => {
  if (message === "counters") {
    const cpu = process.cpuUsage()
    process.send?.({ _tag: "Counters", statements, cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage.rss() } satisfies Counters)
  }
  // BENCH_HEAP_SNAPSHOT=file: what the heap holds when the runner is done (v8.writeHeapSnapshot).
  if (message === "stop" && process.env["BENCH_HEAP_SNAPSHOT"] !== undefined) v8.writeHeapSnapshot(process.env["BENCH_HEAP_SNAPSHOT"])
  if (message === "stop") void stopHeapProfile().then(() => server.close()).then(() => process.exit(0))
})
// Started by hand (no runner on IPC, e.g. under `node --cpu-prof`): seed, make the dialogs, stop.
if (process.send === undefined) void server.close().then(() => process.exit(0))
