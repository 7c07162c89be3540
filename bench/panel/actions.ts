/**
 * Opening a dialog and each dialog action's round trip (issue 21, acceptance 3): one Switchboard
 * server on PostgreSQL with 100,000 dialogs (`actionsServer.ts`: 10% queued, 30% active, 60% closed,
 * the measuring operator holding 300 active and 3,000 closed), real HTTP on 127.0.0.1 over one
 * kept-alive connection, real sessions and CSRF tokens, signed-in operator, supervisor and owner.
 *
 * Each step runs over every one of this run's fresh dialogs (20 client messages each) before the
 * next step, one request at a time, in an operator's order: open the page, open the pane, mark
 * read, accept, reply, note, draft, quote, edit, delete a message, client tags, topics, priority,
 * quick replies, gallery, mark unread, block, unblock, reassign away and back, close with a reason,
 * reopen, leave, outgoing dialog, detach, delete. Opening is also measured on 400 background dialogs
 * of every folder (cold rows, by the supervisor). The time is the client's, from the request's first
 * byte to the response's last, so it includes the loopback and the client's own parsing; the same
 * request is then sent, as many times, to a bare Hono handler (`bareHono.ts`) answering the bytes
 * Switchboard answered, in the same run right after: `× bare` is the ratio of the p50s (what the
 * server adds over taking the request and sending those bytes). Statements per request are every
 * statement the server process sent to PostgreSQL during the step, divided by its requests.
 *
 * `DATABASE_URL=postgres://postgres@127.0.0.1:5432/test flock /tmp/bench.lock pnpm --filter
 * @switchboard/bench bench:panel-actions --label "before"` (also `--dialogs 100000 --measured 200
 * --reuse`: keep the database `bench_panel_actions` between runs and seed only when it holds fewer
 * dialogs; `--no-record`: print only; `--only open`: the steps whose names contain "open"). `BENCH_CPU_PROF=dir` writes the server's CPU profile there.
 * To find where a slow request's time went (each prints to stderr; wall-clock seconds let them be matched):
 * `BENCH_SLOW=ms` names the requests at least that slow (client side); `BENCH_SLOWREQ=ms` the ones the
 * server took that long over, with its CPU meanwhile (CPU above the wall: GC threads were busy too);
 * `BENCH_SLOWSQL=ms` the statements (`BENCH_SQL_VALUES=1` with their parameters); `BENCH_LAG=ms` event
 * loop stalls; `BENCH_GC=ms` collection pauses; `BENCH_HEAP_PROF=file` the allocations that reached the
 * old generation and died there (a .heapprofile); `BENCH_HEAP_SNAPSHOT=file` the heap at the end;
 * `BENCH_NODE_FLAGS="--max-semi-space-size=64"` flags for the server's node.
 * Appends to `bench/panel/actions-results.json` and rewrites `actions-results.md` from it.
 */
import { readFileSync, writeFileSync } from "node:fs"
import http from "node:http"
import { cpus, loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { Context, Effect, Layer } from "effect"
import { SqlStore } from "@switchboard/adapters"
import type { Answer } from "./bareHono.js"
import type { Counters, Ready, Session } from "./actionsServer.js"
import { type Child, dropDatabase, freshDatabase, start } from "./processes.js"
import { percentile } from "./tracker.js"

const { values } = parseArgs({
  options: {
    dialogs: { type: "string", default: "100000" },
    measured: { type: "string", default: "200" },
    label: { type: "string", default: "unlabelled" },
    reuse: { type: "boolean", default: false },
    "no-record": { type: "boolean", default: false },
    only: { type: "string", default: "" }
  }
})
const databaseUrl = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const database = process.env["BENCH_DATABASE"] ?? "bench_panel_actions"
/** Requests of each step not counted: the first ones pay the JIT and the plans. */
const warmUp = 10

const began = performance.now()
const progress = (line: string) => console.error(`[${((performance.now() - began) / 1000).toFixed(0)} s] ${line}`)

/** One connection each (requests one at a time, over keep-alive): a user's browser tab, not a load test. */
const switchboardAgent = new http.Agent({ keepAlive: true, maxSockets: 1 })
const bareAgent = new http.Agent({ keepAlive: true, maxSockets: 1 })

interface Request {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly session: Session | undefined
  readonly htmx: boolean
  readonly form?: Record<string, string | ReadonlyArray<string>>
}

interface Response {
  readonly status: number
  readonly contentType: string
  readonly body: string
  readonly ms: number
}

const encodeForm = (form: Record<string, string | ReadonlyArray<string>>) => {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(form)) for (const item of typeof value === "string" ? [value] : value) params.append(name, item)
  return params.toString()
}

/** Send one request; a kept-alive socket the server closed just as it was reused is tried once more. */
const send = (base: string, agent: http.Agent, request: Request, extra: Record<string, string> = {}, again = true): Promise<Response> =>
  new Promise((resolve, reject) => {
    const body = request.form === undefined ? undefined : encodeForm(request.form)
    const headers: Record<string, string> = { ...extra, Origin: base }
    if (request.session !== undefined) {
      headers["Cookie"] = `sb_session=${request.session.token}`
      headers["X-CSRF-Token"] = request.session.csrf
    }
    if (request.htmx) headers["HX-Request"] = "true"
    if (body !== undefined) headers["Content-Type"] = "application/x-www-form-urlencoded"
    const startedAt = performance.now()
    const outgoing = http.request(new URL(request.path, base), { method: request.method, agent, headers }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, contentType: String(response.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - startedAt }))
    })
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      if (again && outgoing.reusedSocket && error.code === "ECONNRESET") resolve(send(base, agent, request, extra, false))
      else reject(error)
    })
    outgoing.end(body)
  })

/** A measured dialog as the steps see it: its id, and what earlier steps learned about it. */
interface Measured {
  readonly dialogId: string
  readonly messageSeq: number
  /** The ids of the staff messages the operator may edit, oldest first (read from the pane after replying). */
  editable: ReadonlyArray<string>
}

interface Step {
  readonly name: string
  /** Counted as "opening a dialog" (the issue's aim: p99 under 100 ms). */
  readonly opening?: boolean
  readonly ok: ReadonlyArray<number>
  readonly over: "measured" | "background"
  readonly request: (dialog: Measured) => Request
  /** Learn from the answer (the ids of editable messages). */
  readonly learn?: (dialog: Measured, response: Response) => void
}

/** One step's figures. */
export interface StepResult {
  readonly step: string
  readonly opening: boolean
  readonly requests: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly bareP50: number
  readonly bareP99: number
  readonly ratio: number
  readonly bytes: number
  readonly statementsPerRequest: number
  readonly serverCpuMsPerRequest: number
  readonly failures: number
  readonly firstFailure?: string
}

/** One run. */
export interface Run {
  readonly label: string
  readonly at: string
  readonly machine: string
  readonly node: string
  readonly dialogs: number
  readonly measured: number
  readonly loadBefore: number
  readonly loadAfter: number
  readonly seedSeconds: number
  readonly steps: ReadonlyArray<StepResult>
}

const round = (value: number, digits = 1) => Number(value.toFixed(digits))

/** Wait for the child's next message of `tag`. */
const nextMessage = (child: Child, tag: string) =>
  new Promise<void>((resolve) => {
    const listener = (message: unknown) => {
      if (typeof message === "object" && message !== null && (message as { _tag?: string })._tag === tag) {
        child.process.off("message", listener)
        resolve()
      }
    }
    child.process.on("message", listener)
  })

/** Does the database exist (for `--reuse`)? */
const databaseExists = (url: string, name: string): Promise<boolean> =>
  Effect.runPromise(Effect.scoped(Effect.gen(function* () {
    const admin = yield* Layer.build(SqlStore.pgClientLayer({ url, maxConnections: 1 }))
    const rows = yield* Context.get(admin, SqlStore.SqlClient.SqlClient).unsafe(`SELECT 1 FROM pg_database WHERE datname = $1`, [name])
    return rows.length > 0
  })))

const databaseFor = async (): Promise<string> => {
  if (values.reuse && (await databaseExists(databaseUrl, database))) {
    const made = new URL(databaseUrl)
    made.pathname = `/${database}`
    return made.toString()
  }
  return freshDatabase(databaseUrl, database)
}

/** The steps, in an operator's order; each runs over all measured dialogs before the next. */
const stepsFor = (ready: Ready): ReadonlyArray<Step> => {
  const { operator, supervisor, owner } = ready
  const at = (dialog: Measured, rest = "", folder = "mine") => `/panel/dialogs/${encodeURIComponent(dialog.dialogId)}${rest}?folder=${folder}`
  const post = (session: Session, path: string, form: Record<string, string | ReadonlyArray<string>> = {}): Request => ({ method: "POST", path, session, htmx: true, form })
  const lastEditable = (dialog: Measured) => dialog.editable[0] ?? `${dialog.dialogId}.m1`
  return [
    { name: "open dialog: page (supervisor, 100k background dialogs)", opening: true, over: "background", ok: [200], request: (dialog) => ({ method: "GET", path: at(dialog, "", "active"), session: supervisor, htmx: false }) },
    { name: "open dialog: pane (supervisor, 100k background dialogs)", opening: true, over: "background", ok: [200], request: (dialog) => ({ method: "GET", path: at(dialog, "", "active"), session: supervisor, htmx: true }) },
    { name: "open dialog: page (operator, New)", opening: true, over: "measured", ok: [200], request: (dialog) => ({ method: "GET", path: at(dialog, "", "new"), session: operator, htmx: false }) },
    { name: "open dialog: pane (operator, New)", opening: true, over: "measured", ok: [200], request: (dialog) => ({ method: "GET", path: at(dialog, "", "new"), session: operator, htmx: true }) },
    { name: "mark read", over: "measured", ok: [204], request: (dialog) => post(operator, `/panel/dialogs/${dialog.dialogId}/read`) },
    { name: "accept", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/accept", "new")) },
    { name: "reply", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/messages"), { text: "Thanks for waiting, I am checking your order now." }) },
    { name: "internal note", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/messages"), { text: "Asked the warehouse about it.", internal: "true" }) },
    { name: "save draft", over: "measured", ok: [204], request: (dialog) => post(operator, at(dialog, "/draft"), { text: "It should arrive tomo" }) },
    {
      name: "open dialog: pane (operator, Mine)",
      opening: true,
      over: "measured",
      ok: [200],
      request: (dialog) => ({ method: "GET", path: at(dialog), session: operator, htmx: true }),
      learn: (dialog, response) => {
        // The staff messages the operator may edit: their edit forms' actions, newest seq first.
        const ids = [...response.body.matchAll(/\/messages\/([^/"?]+)\/edit/g)].map((match) => decodeURIComponent(match[1]!))
        dialog.editable = [...new Set(ids)].sort((a, b) => Number(b.split(".m")[1]) - Number(a.split(".m")[1]))
      }
    },
    { name: "quote reply", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, `/messages/${dialog.dialogId}.m1/quote`), { text: "About this: it left the warehouse yesterday." }) },
    { name: "edit message", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, `/messages/${lastEditable(dialog)}/edit`), { text: "It left the warehouse yesterday (edited)." }) },
    { name: "delete message", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, `/messages/${lastEditable(dialog)}/delete`)) },
    { name: "client tags", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/client-tags"), { tag: ["vip", "returning"], pinned: "vip" }) },
    { name: "topics", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/topics"), { topic: ["delivery"] }) },
    { name: "priority (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/priority", "active"), { priority: "1" }) },
    { name: "quick replies picker", over: "measured", ok: [200], request: (dialog) => ({ method: "GET", path: `/panel/dialogs/${dialog.dialogId}/quick-replies?q=`, session: operator, htmx: true }) },
    { name: "attachments gallery", over: "measured", ok: [200], request: (dialog) => ({ method: "GET", path: `/panel/dialogs/${dialog.dialogId}/gallery`, session: operator, htmx: true }) },
    { name: "mark unread", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/unread")) },
    { name: "block client (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/block", "active")) },
    { name: "unblock client (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/unblock", "active")) },
    { name: "reassign to a colleague (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/reassign", "active"), { to: ready.colleague }) },
    { name: "reassign back (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/reassign", "active"), { to: operator.userId }) },
    { name: "close with a reason", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/close"), { reasonId: "resolved" }) },
    { name: "outgoing dialog to the client (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/outgoing", "archive"), { channelId: "telegram", text: "Hello from the shop: your parcel is on its way." }) },
    { name: "reopen", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/reopen", "archive")) },
    { name: "leave to the queue", over: "measured", ok: [200], request: (dialog) => post(operator, at(dialog, "/leave")) },
    { name: "detach the client (supervisor)", over: "measured", ok: [200], request: (dialog) => post(supervisor, at(dialog, "/detach", "active"), { confirm: "yes" }) },
    { name: "delete the dialog (owner)", over: "measured", ok: [200], request: (dialog) => post(owner, at(dialog, "/delete", "active")) }
  ]
}

/** The requests of one step against Switchboard, then as many against the bare handler with the bytes Switchboard answered. */
const runStep = async (step: Step, dialogs: ReadonlyArray<Measured>, ready: Ready, server: Child, bare: { readonly child: Child; readonly url: string }): Promise<StepResult> => {
  const from = await server.counters()
  const times: Array<number> = []
  let failures = 0
  let firstFailure: string | undefined
  let sample: Response | undefined
  for (const [index, dialog] of dialogs.entries()) {
    const response = await send(ready.url, switchboardAgent, step.request(dialog))
    if (!step.ok.includes(response.status)) {
      failures++
      firstFailure ??= `${response.status} ${response.body.replace(/\s+/g, " ").slice(0, 300)}`
    } else {
      sample = response
      step.learn?.(dialog, response)
    }
    if (index >= warmUp) times.push(response.ms)
    // BENCH_SLOW=ms: name each request at least that slow (which one of the step, and its path).
    if (process.env["BENCH_SLOW"] !== undefined && response.ms >= Number(process.env["BENCH_SLOW"])) progress(`  slow: #${index} ${response.ms.toFixed(1)} ms ending at ${((Date.now() / 1000) % 1000).toFixed(2)} ${step.request(dialog).path}`)
  }
  const to = await server.counters()
  const answer: Answer = { _tag: "Answer", key: step.name, status: sample?.status ?? 500, contentType: sample?.contentType ?? "", body: sample?.body ?? "" }
  const stored = nextMessage(bare.child, "Stored")
  bare.child.process.send(answer)
  await stored
  const bareTimes: Array<number> = []
  for (const [index, dialog] of dialogs.entries()) {
    const response = await send(bare.url, bareAgent, step.request(dialog), { "X-Bench-Answer": step.name })
    if (index >= warmUp) bareTimes.push(response.ms)
  }
  times.sort((a, b) => a - b)
  bareTimes.sort((a, b) => a - b)
  const requests = dialogs.length
  const p50 = percentile(times, 50)
  const bareP50 = percentile(bareTimes, 50)
  return {
    step: step.name,
    opening: step.opening === true,
    requests: times.length,
    p50: round(p50),
    p99: round(percentile(times, 99)),
    max: round(times[times.length - 1] ?? Number.NaN),
    bareP50: round(bareP50, 2),
    bareP99: round(percentile(bareTimes, 99), 2),
    ratio: round(p50 / bareP50),
    bytes: Buffer.byteLength(sample?.body ?? ""),
    statementsPerRequest: round((to.statements - from.statements) / requests),
    serverCpuMsPerRequest: round((to.cpuMicros - from.cpuMicros) / 1000 / requests),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure })
  }
}

const url = await databaseFor()
progress(`database ${database} ready; starting the server (seeds ${values.dialogs} dialogs when it holds fewer)`)
const loadBefore = loadavg()[0]!
const { child: server, ready } = await start<Ready>("./actionsServer.ts", {
  BENCH_DATABASE_URL: url,
  BENCH_DIALOGS: values.dialogs,
  BENCH_MEASURED: values.measured,
  BENCH_RUN: String(Date.now())
}, 3_600_000)
progress(`server ready: ${ready.dialogs} dialogs (seeding took ${ready.seedSeconds.toFixed(0)} s), ${ready.measured.length} fresh ones to act on`)
const { child: bareChild, ready: bareReady } = await start<{ readonly url: string }>("./bareHono.ts", {}, 60_000)
const steps: Array<StepResult> = []
try {
  const measured: Array<Measured> = ready.measured.map((dialog) => ({ ...dialog, editable: [] }))
  const background: Array<Measured> = ready.background.map((dialogId) => ({ dialogId, messageSeq: 0, editable: [] }))
  for (const step of stepsFor(ready).filter((candidate) => candidate.name.includes(values.only))) {
    const result = await runStep(step, step.over === "background" ? background : measured, ready, server, { child: bareChild, url: bareReady.url })
    progress(`${result.step}: p50 ${result.p50} ms, p99 ${result.p99} ms, bare p50 ${result.bareP50} ms (×${result.ratio}), ${result.statementsPerRequest} statements${result.failures > 0 ? `, ${result.failures} FAILED: ${result.firstFailure}` : ""}`)
    steps.push(result)
  }
} finally {
  await server.stop()
  await bareChild.stop()
}
if (!values.reuse) await dropDatabase(databaseUrl, database)

const run: Run = {
  label: values.label,
  at: new Date().toISOString().slice(0, 16) + "Z",
  machine: `${cpus().length}× ${cpus()[0]?.model ?? "CPU"}`,
  node: process.version,
  dialogs: ready.dialogs,
  measured: ready.measured.length,
  loadBefore: round(loadBefore, 2),
  loadAfter: round(loadavg()[0]!, 2),
  seedSeconds: Math.round(ready.seedSeconds),
  steps
}
console.log(JSON.stringify(run))
if (!values["no-record"]) {
  const jsonFile = fileURLToPath(new URL("./actions-results.json", import.meta.url))
  const runs: Array<Run> = (() => {
    try {
      return JSON.parse(readFileSync(jsonFile, "utf8")) as Array<Run>
    } catch {
      return []
    }
  })()
  runs.push(run)
  writeFileSync(jsonFile, `${JSON.stringify(runs, null, 2)}\n`)
  writeFileSync(fileURLToPath(new URL("./actions-results.md", import.meta.url)), (await import("./actionsReport.js")).render(runs))
}
process.exit(0)
