/**
 * The Switchboard server under test, as its own process (so its CPU is its own): the real
 * `startServer` on PostgreSQL (`BENCH_DATABASE_URL`, a database the runner made for this cell) with
 * the demo company, plus `BENCH_OPERATORS` operators signed in directly through `Accounts` (a
 * cheap scrypt: sign-in is not what is measured), and `BENCH_OWNED` dialogs each accepted by one of
 * them (the "messages into dialogs seen by one operator"). Tells the runner over IPC what it made.
 */
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"
import { Effect, Redacted, Schema } from "effect"
import { PgEventBus, ScryptHasher } from "@switchboard/adapters"
import { Access, Accounts, ChannelId, Dialog, Engine, InboundMessage, Login, Message, UserId } from "@switchboard/core"
import { startServer } from "@switchboard/server"

/** What the runner gets once the server listens. */
export interface Ready {
  readonly _tag: "Ready"
  readonly url: string
  readonly operators: ReadonlyArray<{ readonly userId: string; readonly token: string }>
  readonly owned: ReadonlyArray<{ readonly from: string; readonly dialogId: string; readonly owner: number }>
}

/** What the server process has done so far: statements sent to PostgreSQL, CPU (µs), memory. */
export interface Counters {
  readonly _tag: "Counters"
  readonly statements: number
  readonly cpuMicros: number
  readonly rss: number
  /** Statements by their SQL text (whitespace folded, first 120 characters): where they come from. */
  readonly bySource: Record<string, number>
}

// Every statement the server sends goes through pg's Client#query (pools included): count them there,
// on the very module the adapters load.
const pg = createRequire(fileURLToPath(import.meta.resolve("@switchboard/adapters")))("pg") as { Client: { prototype: { query: (...args: Array<unknown>) => unknown } } }
let statements = 0
const bySource = new Map<string, number>()
const sourceOf = (first: unknown): string => {
  const text = typeof first === "string" ? first : typeof first === "object" && first !== null && "text" in first ? String((first as { text: unknown }).text) : "?"
  return text.replace(/\s+/g, " ").trim().slice(0, 120)
}
const query = pg.Client.prototype.query
pg.Client.prototype.query = function(this: unknown, ...args: Array<unknown>) {
  statements++
  const source = sourceOf(args[0])
  bySource.set(source, (bySource.get(source) ?? 0) + 1)
  // A point-read statement carries several reads: count them by kind too ("lookup dialog" ...).
  if (source.includes("switchboard_lookup") && Array.isArray(args[1]) && typeof args[1][0] === "string") {
    for (const [kind] of JSON.parse(args[1][0]) as Array<[string]>) bySource.set(`lookup ${kind}`, (bySource.get(`lookup ${kind}`) ?? 0) + 1)
  }
  return query.apply(this, args)
}

const url = process.env["BENCH_DATABASE_URL"] ?? ""
const operators = Number(process.env["BENCH_OPERATORS"] ?? 50)
const ownedCount = Number(process.env["BENCH_OWNED"] ?? 10)
const password = Redacted.make("bench-panel-password-7Qx!")

const server = await startServer({
  port: 0,
  storage: { layer: PgEventBus.storage({ url }), description: "PostgreSQL (bench/panel)" },
  apiToken: "bench-panel-api-token",
  accounts: { hasher: ScryptHasher.layer({ ...ScryptHasher.owasp, cost: 2 ** 10 }) }
})

const seed = Effect.gen(function* () {
  const accounts = yield* Accounts.Accounts
  const engine = yield* Engine
  const ids = Array.from({ length: operators }, (_, index) => `bench-op-${index}`)
  yield* Effect.forEach(ids, (id, index) =>
    accounts.createUser(Access.system, {
      userId: UserId.make(id),
      name: `Operator ${index}`,
      role: "operator",
      login: Schema.decodeSync(Login)(`${id}@bench.example`),
      password
    }).pipe(Effect.tap(() => (index % 250 === 249 ? Effect.sync(() => console.error(`server: ${index + 1} operators made`)) : Effect.void))), { concurrency: 8, discard: true })
  const signedIn = yield* Effect.forEach(ids, (id, index) =>
    Effect.map(
      accounts.signIn({ login: `${id}@bench.example`, password, address: `10.0.${Math.floor(index / 250)}.${index % 250}`, device: "bench/panel" }),
      (done) => ({ userId: id, token: Redacted.value(done.token) })
    ).pipe(Effect.tap(() => (index % 250 === 249 ? Effect.sync(() => console.error(`server: ${index + 1} operators signed in`)) : Effect.void))), { concurrency: 8 })
  const owned = yield* Effect.forEach(Array.from({ length: Math.min(ownedCount, operators) }, (_, index) => index), (owner) =>
    Effect.gen(function* () {
      const from = `bench-owned-${owner}`
      const received = yield* engine.receive(InboundMessage.make({
        channelId: ChannelId.make("telegram"),
        from,
        profile: { name: `Owned client ${owner}` },
        message: Message.MessageInput.make({ text: "A dialog one operator works on" })
      }))
      const actor = new Access.UserActor({ id: UserId.make(ids[owner]!), name: `Operator ${owner}`, role: "operator" })
      yield* engine.execute(actor, new Dialog.Accept({ dialogId: received.dialogId }))
      return { from, dialogId: received.dialogId, owner }
    }))
  return { operators: signedIn, owned }
})

const made = await server.runtime.runPromise(seed)
process.send?.({ _tag: "Ready", url: server.url, ...made } satisfies Ready)
process.on("message", (message) => {
  if (message === "counters") {
    const cpu = process.cpuUsage()
    process.send?.({ _tag: "Counters", statements, cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage.rss(), bySource: Object.fromEntries(bySource) } satisfies Counters)
  }
  if (message === "stop") void server.close().then(() => process.exit(0))
})
