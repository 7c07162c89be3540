/**
 * Channels benchmark (issue 20, acceptance 8): outbound throughput through the durable outbox on
 * PostgreSQL, against a local fake provider, with the provider's raw round trip as the ceiling in
 * the same run.
 *
 *   outbox: replies committed by the engine (`SendMessage`, the outbox row in the same commit) are
 *           sent by `OutboxWorker.run`, started once they are committed and stopped when every row
 *           settled: up to 32 rows held at once (one per dialog), each POSTed through the custom
 *           channel's adapter (Standard Webhooks signature, JSON body) in a fiber of its own, its
 *           row settled, `sent` recorded on the dialog (an engine command, a second commit), and
 *           a row claimed in its place. Timed from the start to the last settled row; the replies
 *           were committed before (their rate is reported beside it).
 *   raw:    the same signed POSTs of the same bodies to the same receiver, 32 in flight, a 503
 *           retried at once (no backoff): what the provider alone allows this machine.
 *
 * The receiver (`receiver.ts`) is a bare `node:http` server in its own process. Rounds alternate
 * (outbox, then raw, three times) so a slow moment of the shared machine falls on both. A second
 * pass has the receiver answer 503 to 10 % of the POSTs (retryable), with the server's default
 * outbox policy (first retry after 500 ms, jittered). Every message must arrive exactly once.
 *
 * Run from the repository root: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter
 * @switchboard/bench bench:channels` (or `npx tsx bench/channels/run.ts`). Creates the database
 * `bench_channels` on that server and drops it afterwards. Appends the run to `results.json` and
 * rewrites `results.md`; `BENCH_DRY=1` only prints.
 */
import { CustomChannel, RandomIds, SqlStore } from "@switchboard/adapters"
import { Access, Channel, ChannelAdapter, ChannelId, ChannelSecretStore, ConfigStore, Dialog, Engine, InboundMessage, Message, Operator, Outbox, OutboxStore, UserId } from "@switchboard/core"
import { MemoryEventBus } from "@switchboard/core/testing"
import { Effect, Fiber, Layer, Redacted } from "effect"
import { type ChildProcess, execFileSync, fork } from "node:child_process"
import { randomUUID } from "node:crypto"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"
import { Webhook } from "standardwebhooks"

const baseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const database = "bench_channels"
const benchUrl = (() => {
  const url = new URL(baseUrl)
  url.pathname = `/${database}`
  return url.toString()
})()
const dry = process.env["BENCH_DRY"] === "1"
/** Messages per round, rounds per pass; dialogs the replies are spread over (more than a claim takes). */
const perRound = Number(process.env["BENCH_MESSAGES"] ?? 400)
const rounds = 3
const dialogs = 64
const inFlight = Outbox.OutboxSettings.defaults.batch
const signingSecret = `whsec_${Buffer.from("bench-channels-secret-bench-channels").toString("base64")}`
const channelId = ChannelId.make("bench-custom")
const text = "Thank you for waiting: your parcel left the warehouse this morning and should arrive tomorrow."

const say = (line: string) => process.stdout.write(`${line}\n`)

// ---- the receiver process -------------------------------------------------------------------

interface Stats {
  readonly posts: number
  readonly accepted: number
  readonly distinct: number
  readonly duplicates: number
}

const ask = <A>(child: ChildProcess, command: unknown, tag: string): Promise<A> =>
  new Promise((resolve) => {
    const listener = (message: { readonly _tag: string }) => {
      if (message._tag !== tag) return
      child.off("message", listener)
      resolve(message as A)
    }
    child.on("message", listener)
    if (command !== undefined) child.send(command as never)
  })

// ---- the database ---------------------------------------------------------------------------

const psql = (statement: string) => execFileSync("psql", [baseUrl, "-qc", statement], { stdio: ["ignore", "ignore", "inherit"] })

// ---- the measured paths ---------------------------------------------------------------------

const operators = Array.from({ length: 8 }, (_, i) => new Access.UserActor({ id: UserId.make(`bench-op-${i}`), name: `Operator ${i}`, role: "operator" }))

interface Pass {
  readonly failRate: number
  readonly messages: number
  readonly outboxPerSecond: number
  readonly rawPerSecond: number
  /** outbox / raw, in percent: each round's, and of the totals. */
  readonly ratio: number
  readonly roundRatios: ReadonlyArray<number>
  readonly commitsPerSecond: number
  /** Provider answers per message (1 when nothing failed). */
  readonly outboxPostsPerMessage: number
  readonly rawPostsPerMessage: number
  readonly duplicates: number
  readonly missing: number
}

const program = (receiver: ChildProcess, port: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const worker = yield* Outbox.OutboxWorker
    const callbackUrl = `http://127.0.0.1:${port}/switchboard`
    yield* (yield* ConfigStore).putChannel(Channel.Channel.make({ id: channelId, kind: "custom", name: "Bench" }))
    yield* (yield* ChannelSecretStore).putSecrets(channelId, { signingSecret: Redacted.make(signingSecret), callbackUrl: Redacted.make(callbackUrl) })
    for (const operator of operators) yield* engine.operator(Access.system, new Operator.RegisterOperator({ userId: operator.id, name: operator.name, role: operator.role }))
    // 64 dialogs, each written by a client and taken by one of 8 operators ("joined" goes out through the outbox too).
    const dialogIds = yield* Effect.forEach(Array.from({ length: dialogs }, (_, i) => i), (i) =>
      Effect.gen(function* () {
        const received = yield* engine.receive(InboundMessage.make({ channelId, from: `client-${i}`, profile: { name: `Client ${i}` }, message: Message.MessageInput.make({ text: "Hello, where is my parcel?" }), externalId: `hello-${i}` }))
        yield* engine.execute(operators[i % operators.length]!, new Dialog.Accept({ dialogId: received.dialogId }))
        return [received.dialogId, operators[i % operators.length]!] as const
      }))
    const drain = Effect.asVoid(Effect.repeat(worker.runOnce, { until: (count) => count === 0 }))
    const outbox = yield* OutboxStore
    /**
     * The server's way: `run` until the receiver counted `count` distinct messages and no row of the
     * round is pending any more (polled: this is a benchmark, not a test).
     */
    const running = (count: number) =>
      Effect.gen(function* () {
        const fiber = yield* Effect.fork(worker.run)
        while ((yield* postsNow()).distinct < count) yield* Effect.sleep("2 millis")
        while ((yield* outbox.deliveryLog(channelId, count)).some((row) => row.status === "pending")) yield* Effect.sleep("5 millis")
        yield* Fiber.interrupt(fiber)
      })
    const postsNow = () => Effect.promise(() => ask<Stats>(receiver, { _tag: "stats" }, "stats"))
    const reset = Effect.promise(() => ask(receiver, { _tag: "reset" }, "ok"))
    const setFailRate = (value: number) => Effect.promise(() => ask(receiver, { _tag: "failRate", value }, "ok"))

    let serial = 0
    const enqueue = (count: number) =>
      Effect.forEach(Array.from({ length: count }, (_, i) => i), (i) => {
        const [dialogId, operator] = dialogIds[i % dialogs]!
        return engine.execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: `${text} #${serial++}` }) }))
      }, { concurrency: 8, discard: true })

    /** The raw path: the adapter's request, built and signed the same way, POSTed with `fetch`; a 503 is sent again at once. */
    const rawPost = (i: number): Promise<number> => {
      const body = JSON.stringify({ type: "message.created", data: { messageId: `raw-${serial}-${i}`, dialogId: "raw", to: `client-${i % dialogs}`, text: `${text} #${i}`, files: [] } })
      const id = `msg_${randomUUID()}`
      const sentAt = new Date()
      const signature = new Webhook(signingSecret).sign(id, sentAt, body)
      return fetch(callbackUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)), "webhook-signature": signature },
        body
      }).then(async (response) => {
        const answer = await response.text()
        if (response.status >= 500) return 1 + (await rawPost(i))
        JSON.parse(answer)
        return 1
      })
    }
    const raw = (count: number) =>
      Effect.promise(async () => {
        serial++
        let next = 0
        let posts = 0
        await Promise.all(Array.from({ length: inFlight }, async () => {
          while (next < count) {
            const sent = await rawPost(next++)
            posts += sent
          }
        }))
        return posts
      })

    const timed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.map(Effect.all([Effect.sync(() => performance.now()), effect, Effect.sync(() => performance.now())]), ([start, value, end]) => [end - start, value] as const)

    // Untimed warm-up of both paths (JIT, pools, keep-alive sockets): the "joined" messages, then a round's worth.
    yield* drain
    yield* enqueue(perRound / 2)
    yield* drain
    yield* raw(perRound / 2)

    const pass = (failRate: number) =>
      Effect.gen(function* () {
        yield* setFailRate(failRate)
        let outboxMs = 0
        let rawMs = 0
        let commitMs = 0
        let outboxPosts = 0
        let rawPosts = 0
        let duplicates = 0
        let missing = 0
        const roundRatios: Array<number> = []
        for (let round = 0; round < rounds; round++) {
          const [enqueueMs] = yield* timed(enqueue(perRound))
          commitMs += enqueueMs
          yield* reset
          const [drainMs] = yield* timed(running(perRound))
          const stats = yield* postsNow()
          duplicates += stats.duplicates
          missing += perRound - stats.distinct
          const [rawRoundMs, posts] = yield* timed(raw(perRound))
          outboxPosts += stats.posts
          rawPosts += posts
          outboxMs += drainMs
          rawMs += rawRoundMs
          roundRatios.push(Math.round((100 * rawRoundMs) / drainMs))
          say(`  round ${round + 1}: outbox ${Math.round((1000 * perRound) / drainMs)}/s, raw ${Math.round((1000 * perRound) / rawRoundMs)}/s (${roundRatios.at(-1)}%)`)
        }
        const messages = perRound * rounds
        return {
          failRate,
          messages,
          outboxPerSecond: Math.round((1000 * messages) / outboxMs),
          rawPerSecond: Math.round((1000 * messages) / rawMs),
          ratio: Math.round((100 * rawMs) / outboxMs),
          roundRatios,
          commitsPerSecond: Math.round((1000 * messages) / commitMs),
          outboxPostsPerMessage: outboxPosts / messages,
          rawPostsPerMessage: rawPosts / messages,
          duplicates,
          missing
        } satisfies Pass
      })

    say(`bench/channels: ${rounds} rounds × ${perRound} messages, ${dialogs} dialogs, ${inFlight} in flight`)
    say("provider answering every POST:")
    const clean = yield* pass(0)
    say("provider failing 10 % of POSTs with 503:")
    const failing = yield* pass(0.1)
    return [clean, failing] as const
  })

// ---- the report -----------------------------------------------------------------------------

interface Run {
  readonly at: string
  readonly commit: string
  readonly machine: { readonly cpus: string; readonly node: string }
  readonly uptimeBefore: string
  readonly uptimeAfter: string
  readonly messagesPerRound: number
  readonly rounds: number
  readonly dialogs: number
  readonly inFlight: number
  readonly passes: ReadonlyArray<Pass>
}

const jsonPath = fileURLToPath(new URL("./results.json", import.meta.url))
const markdownPath = fileURLToPath(new URL("./results.md", import.meta.url))

const markdown = (runs: ReadonlyArray<Run>) => [
  "# bench/channels: outbound throughput through the outbox (PostgreSQL)",
  "",
  "Written by `bench/channels/run.ts` from `results.json` (every run kept). Messages/s of the outbox worker",
  "draining committed replies through the custom channel's adapter to a bare `node:http` receiver in another",
  "process, against the same signed POSTs sent directly (32 in flight, the outbox's batch) in the same run.",
  "Ratio = outbox / raw (each round's in brackets). Commits/s: the engine committing the replies",
  "(`SendMessage` with its outbox row, 8 in flight), before the drain.",
  "",
  ...runs.flatMap((run) => [
    `## ${run.at} on ${run.commit} (${run.machine.cpus}, node ${run.machine.node})`,
    "",
    `uptime before: \`${run.uptimeBefore}\``,
    `uptime after: \`${run.uptimeAfter}\``,
    "",
    `${run.rounds} rounds × ${run.messagesPerRound} messages over ${run.dialogs} dialogs.`,
    "",
    "| provider | outbox msg/s | raw msg/s | outbox / raw | commits/s | POSTs per message (outbox / raw) | duplicates | missing |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...run.passes.map((pass) =>
      `| ${pass.failRate === 0 ? "answers every POST" : `503 for ${Math.round(pass.failRate * 100)} %`} | ${pass.outboxPerSecond} | ${pass.rawPerSecond} | ${pass.ratio}% (${pass.roundRatios.join(", ")}) | ${pass.commitsPerSecond} | ${pass.outboxPostsPerMessage.toFixed(2)} / ${pass.rawPostsPerMessage.toFixed(2)} | ${pass.duplicates} | ${pass.missing} |`),
    ""
  ])
]

const main = async () => {
  const uptimeBefore = execFileSync("uptime", { encoding: "utf8" }).trim()
  const receiver = fork(fileURLToPath(new URL("./receiver.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const { port } = await ask<{ readonly port: number }>(receiver, undefined, "listening")
  psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  psql(`CREATE DATABASE ${database}`)
  try {
    const layer = Outbox.OutboxWorker.Default.pipe(
      Layer.provideMerge(Engine.Default),
      Layer.provideMerge(Layer.mergeAll(
        SqlStore.layerPg({ url: benchUrl }),
        MemoryEventBus.layer,
        RandomIds.layer,
        Layer.succeed(ChannelAdapter.ChannelAdapters, new Map([["custom", CustomChannel.make()]])),
        Outbox.OutboxSettings.layer()
      ))
    )
    const started = performance.now()
    const passes = await Effect.runPromise(Effect.scoped(Effect.provide(program(receiver, port), layer)))
    const run: Run = {
      at: new Date().toISOString().slice(0, 16) + "Z",
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim(),
      machine: { cpus: `${cpus().length}× ${cpus()[0]?.model.split(" ").slice(0, 2).join(" ") ?? "?"}`, node: process.version },
      uptimeBefore,
      uptimeAfter: execFileSync("uptime", { encoding: "utf8" }).trim(),
      messagesPerRound: perRound,
      rounds,
      dialogs,
      inFlight,
      passes
    }
    say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`)
    for (const pass of passes) say(JSON.stringify(pass))
    if (!dry) {
      const runs: Array<Run> = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, "utf8")) as { runs: Array<Run> }).runs : []
      runs.push(run)
      writeFileSync(jsonPath, `${JSON.stringify({ runs }, null, 2)}\n`)
      writeFileSync(markdownPath, `${markdown(runs).join("\n")}\n`)
    }
  } finally {
    receiver.kill()
    psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
