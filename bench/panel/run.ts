/**
 * Live updates under load: N operators signed in over real SSE on one Switchboard server on
 * PostgreSQL, new dialogs arriving through the inbound API at R per second (every operator with New
 * open should see each), plus messages into dialogs that one operator each has open. Measured per
 * cell: from the inbound request to every panel having what its screen needs (p50/p99), database
 * statements per event (every statement the server process sends, counted at pg's Client#query,
 * less its idle rate), server CPU, the inbound API's answer time; and, in the same run, a bare
 * `node:http` server broadcasting pre-rendered rows to the same number of clients at the same rate
 * (the ceiling: ratios against it are what count on a shared machine).
 *
 * `DATABASE_URL=postgres://postgres@127.0.0.1:5432/test pnpm --filter @switchboard/bench bench:panel
 * --sizes 50,100,200 --rates 1,5 --label "before"` (also `--seconds 20 --drain 60 --messages 1`).
 * Each size gets a fresh database (`bench_panel`, dropped at the end) and a fresh server process, its rates
 * measured in turn on the same connected panels.
 * Appends to `bench/panel/results.json` and rewrites `results.md` from it.
 */
import http from "node:http"
import { cpus, loadavg } from "node:os"
import { parseArgs } from "node:util"
import { connect, type Connected, type Panel } from "./clients.js"
import { dropDatabase, freshDatabase, start } from "./processes.js"
import { type Cell, type Latency, record } from "./report.js"
import type { Counters, Ready } from "./server.js"
import { percentile, Tracker } from "./tracker.js"

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "50,100,200" },
    rates: { type: "string", default: "1,5" },
    label: { type: "string", default: "unlabelled" },
    seconds: { type: "string", default: "20" },
    drain: { type: "string", default: "60" },
    messages: { type: "string", default: "1" },
    owned: { type: "string", default: "10" }
  }
})
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
// A database of the runner's own (the machine's PostgreSQL is shared): BENCH_DATABASE names it.
const database = process.env["BENCH_DATABASE"] ?? "bench_panel"
const seconds = Number(values.seconds)
const drainSeconds = Number(values.drain)
const messageRate = Number(values.messages)

const began = performance.now()
/** A progress line on stderr (a slow phase shows itself). */
const progress = (line: string) => console.error(`[${((performance.now() - began) / 1000).toFixed(0)} s] ${line}`)

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Statements per source between two counter readings, divided by `per`, the biggest first (the top `top`). */
const sourcesBetween = (from: Counters, to: Counters, per: number, top = 18): Record<string, number> =>
  Object.fromEntries(
    Object.entries(to.bySource)
      .map(([source, count]) => [source, (count - (from.bySource[source] ?? 0)) / per] as const)
      .filter(([, count]) => count > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([source, count]) => [source, Number(count.toFixed(2))])
  )

const latency = (sorted: ReadonlyArray<number>): Latency => ({ p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), count: sorted.length })

/** Run `work` over `items`, `limit` at a time, in order. */
const mapLimit = async <A, B>(items: ReadonlyArray<A>, limit: number, work: (item: A) => Promise<B>): Promise<Array<B>> => {
  const results: Array<B> = new Array(items.length)
  let cursor = 0
  await Promise.all(Array.from({ length: limit }, async () => {
    while (cursor < items.length) {
      const index = cursor++
      results[index] = await work(items[index]!)
    }
  }))
  return results
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 32 })

/**
 * POST a body; answers the status, the body and how long the answer took. A kept-alive socket the
 * server closed just as it was reused is tried once more on a new one (Node's documented race: a
 * run crashed on it after 5 minutes of seeding).
 */
const post = (base: string, path: string, body: string | undefined, again = true): Promise<{ readonly status: number; readonly body: string; readonly ms: number }> =>
  new Promise((resolve, reject) => {
    const startedAt = performance.now()
    const request = http.request(new URL(path, base), { method: "POST", agent, headers: body === undefined ? {} : { "Content-Type": "application/json", Authorization: "Bearer bench-panel-api-token" } }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - startedAt }))
    })
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (again && request.reusedSocket && error.code === "ECONNRESET") resolve(post(base, path, body, false))
      else reject(error)
    })
    request.end(body)
  })

/**
 * Send `count` events at `rate` per second (open loop: a slow answer does not hold the next send
 * back); `send(i)` registers what it sends with the tracker and answers the inbound answer time.
 */
const paced = async (count: number, rate: number, send: (index: number) => Promise<number>): Promise<Array<number>> => {
  const startedAt = performance.now()
  const answers: Array<Promise<number>> = []
  for (let index = 0; index < count; index++) {
    const due = startedAt + (index * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    answers.push(send(index))
  }
  return Promise.all(answers)
}

/** Wait until every audience has been shown everything, or `ms` passed. */
const drain = async (tracker: Tracker, ms: number) => {
  const until = performance.now() + ms
  while (tracker.outstanding() > 0 && performance.now() < until) await sleep(250)
}

let sequence = 0

/** New dialogs (and messages) into a server whose panels are connected to `tracker`. */
const load = (base: string, tracker: Tracker, owned: Ready["owned"], dialogs: number, rate: number, messages: number) => {
  const newDialog = async () => {
    const n = sequence++
    const sentAt = performance.now()
    const answer = await post(base, "/api/channels/telegram/inbound", JSON.stringify({ from: `bench-new-${n}`, profile: { name: `New client ${n}` }, message: { text: "Hello, my parcel has not arrived yet, can you check the order status please?" } }))
    if (answer.status !== 202) throw new Error(`inbound: ${answer.status} ${answer.body.slice(0, 200)}`)
    tracker.expect({ key: (JSON.parse(answer.body) as { dialogId: string }).dialogId, sentAt, audience: "new" })
    return answer.ms
  }
  const message = async (index: number) => {
    const dialog = owned[index % owned.length]!
    const token = `bench-msg-${sequence++}`
    tracker.expect({ key: token, sentAt: performance.now(), audience: dialog.owner })
    const answer = await post(base, "/api/channels/telegram/inbound", JSON.stringify({ from: dialog.from, message: { text: `${token} one more question about my order` } }))
    if (answer.status !== 202) throw new Error(`inbound: ${answer.status} ${answer.body.slice(0, 200)}`)
    return answer.ms
  }
  return Promise.all([paced(dialogs, rate, newDialog), messages === 0 || owned.length === 0 ? Promise.resolve([]) : paced(Math.round((dialogs / rate) * messages), messages, message)])
    .then(([a, b]) => ({ answers: [...a, ...b], newDialogs: dialogs, messages: b.length }))
}

const closeAll = (connected: ReadonlyArray<Connected>) => connected.forEach((panel) => panel.close())

/**
 * The cells of one size on the real server: a fresh database and process, N panels connected once,
 * then each rate in turn (warm-up, load, drain), the figures per rate.
 */
const switchboardCells = async (size: number, rates: ReadonlyArray<number>) => {
  const url = await freshDatabase(databaseUrl, database)
  progress(`database ready; starting the server with ${size} operators`)
  const { child, ready } = await start<Ready>("./server.ts", { BENCH_DATABASE_URL: url, BENCH_OPERATORS: String(size), BENCH_OWNED: values.owned }, 1_200_000)
  try {
    const owners = ready.owned.length
    const tracker = new Tracker(size, owners)
    const panels: Array<Panel> = ready.operators.map((operator, index) => ({
      index,
      cookie: `sb_session=${operator.token}`,
      page: index < owners ? `/panel/dialogs/${encodeURIComponent(ready.owned[index]!.dialogId)}?folder=mine` : "/panel/dialogs?folder=new"
    }))
    progress("server seeded; loading pages and opening streams")
    const connected = await mapLimit(panels, 32, (panel) => connect(ready.url, panel, tracker))
    progress("streams open; idle baseline")
    // What connected panels cost with nothing happening (presence heartbeats, the scheduler, the router's tick).
    const idleFrom = await child.counters()
    await sleep(5000)
    const idleTo = await child.counters()
    const idleStatementsPerSecond = (idleTo.statements - idleFrom.statements) / 5
    progress(`idle statements per second by source: ${JSON.stringify(sourcesBetween(idleFrom, idleTo, 5), null, 1)}`)
    const results = []
    for (const rate of rates) {
      // Warm-up (JIT, plans, caches), not counted.
      await load(ready.url, tracker, ready.owned, 3, 1, messageRate)
      await drain(tracker, drainSeconds * 1000)
      tracker.reset()
      progress(`warmed up; measuring ${rate} new dialogs/s`)
      const loadBefore = loadavg()[0]!
      const from = await child.counters()
      const startedAt = performance.now()
      const sent = await load(ready.url, tracker, ready.owned, Math.round(seconds * rate), rate, messageRate)
      await drain(tracker, drainSeconds * 1000)
      const elapsed = (performance.now() - startedAt) / 1000
      progress(`measured (${tracker.outstanding()} row or bubble deliveries outstanding)`)
      const to = await child.counters()
      const events = sent.newDialogs + sent.messages
      const statementSources = sourcesBetween(from, to, events)
      progress(`statements per event by source: ${JSON.stringify(statementSources, null, 1)}`)
      const dialogs = tracker.seen((item) => item.audience === "new")
      const messages = tracker.seen((item) => item.audience !== "new")
      results.push({
        protocol: tracker.pushedRows > 0 ? "pushed rows" : "list re-GET",
        newDialogs: sent.newDialogs,
        messages: sent.messages,
        reached: latency(dialogs.reached),
        shown: latency(dialogs.shown),
        missing: dialogs.missing,
        refreshes: tracker.refreshes,
        messageShown: latency(messages.shown),
        messageMissing: messages.missing,
        bubblesToOthers: messages.strays,
        inbound: latency([...sent.answers].sort((a, b) => a - b)),
        listGetsPerEvent: tracker.listGets / events,
        statementsPerEvent: (to.statements - from.statements - idleStatementsPerSecond * elapsed) / events,
        idleStatementsPerSecond,
        statementSources,
        serverCpuPercent: ((to.cpuMicros - from.cpuMicros) / 1000 / (elapsed * 1000)) * 100,
        serverCpuMsPerEvent: (to.cpuMicros - from.cpuMicros) / 1000 / events,
        rssMb: Math.round(to.rss / 2 ** 20),
        elapsedSeconds: Math.round(elapsed),
        loadBefore,
        failures: [...tracker.failures]
      })
    }
    closeAll(connected)
    return results
  } finally {
    await child.stop()
  }
}

/** The same number of clients and rate against the bare broadcaster. */
const bareCell = async (size: number, rate: number) => {
  const { child, ready } = await start<{ readonly url: string }>("./bare.ts", {}, 60_000)
  try {
    const tracker = new Tracker(size, 0)
    const connected = await mapLimit(Array.from({ length: size }, (_, index) => ({ index, cookie: "", page: "/page" })), 32, (panel) => connect(ready.url, panel, tracker))
    const from = await child.counters()
    const startedAt = performance.now()
    const count = Math.round(Math.min(seconds, 10) * rate)
    await paced(count, rate, async (index) => {
      const key = `bare-${index}`
      tracker.expect({ key, sentAt: performance.now(), audience: "new" })
      return (await post(ready.url, `/broadcast?key=${key}`, undefined)).ms
    })
    await drain(tracker, drainSeconds * 1000)
    const to = await child.counters()
    const seen = tracker.seen(() => true)
    closeAll(connected)
    return { shown: latency(seen.shown), missing: seen.missing, cpuPercent: ((to.cpuMicros - from.cpuMicros) / 1000 / (performance.now() - startedAt)) * 100 }
  } finally {
    await child.stop()
  }
}

const sizes = values.sizes.split(",").map(Number)
const rates = values.rates.split(",").map(Number)
const cells: Array<Cell> = []
const at = new Date().toISOString().slice(0, 16) + "Z"
for (const size of sizes) {
  console.log(`${size} operators, ${rates.join(" and ")} new dialogs/s...`)
  const switchboard = await switchboardCells(size, rates)
  for (const [index, rate] of rates.entries()) {
    const bare = await bareCell(size, rate)
    const cell: Cell = { label: values.label, at, operators: size, rate, messagesPerSecond: messageRate, ...switchboard[index]!, bare, loadAfter: loadavg()[0]! }
    console.log(JSON.stringify(cell))
    cells.push(cell)
  }
}
await dropDatabase(databaseUrl, database)
record(cells, { cpus: `${cpus().length}× ${cpus()[0]?.model ?? "CPU"}`, node: process.version })
process.exit(0)
