/**
 * `bench/panel/results.json` keeps every cell ever run (with its label); `results.md` is written
 * from it, one table per label.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

/** Latencies in ms, and how many samples. */
export interface Latency {
  readonly p50: number
  readonly p99: number
  readonly count: number
}

/** One measured cell: N operators at R new dialogs per second, and the bare ceiling beside it. */
export interface Cell {
  readonly label: string
  readonly at: string
  readonly operators: number
  readonly rate: number
  readonly messagesPerSecond: number
  readonly protocol: string
  readonly newDialogs: number
  readonly messages: number
  /** From the inbound request to an event naming the new dialog on each stream with New open. */
  readonly reached: Latency
  /** From the inbound request to each panel with New open having the row (pushed, or its list re-read after the signal). */
  readonly shown: Latency
  readonly missing: number
  /** Streams told to reload their page (absent in runs before the pushed rows). */
  readonly refreshes?: number
  /** From the inbound request to the bubble on the stream of the one operator with the dialog open. */
  readonly messageShown: Latency
  readonly messageMissing: number
  /** Panels without the dialog that were sent its message anyway. */
  readonly bubblesToOthers: number
  readonly inbound: Latency
  readonly listGetsPerEvent: number
  readonly statementsPerEvent: number
  readonly idleStatementsPerSecond: number
  /** Statements per event by SQL text, the biggest sources (runs before the breakdown have none). */
  readonly statementSources?: Record<string, number>
  readonly serverCpuPercent: number
  readonly serverCpuMsPerEvent: number
  readonly rssMb: number
  readonly elapsedSeconds: number
  readonly loadBefore: number
  readonly loadAfter: number
  readonly failures: ReadonlyArray<string>
  readonly bare: { readonly shown: Latency; readonly missing: number; readonly cpuPercent: number }
}

interface Results {
  readonly runs: ReadonlyArray<{ readonly label: string; readonly at: string; readonly machine: { readonly cpus: string; readonly node: string }; readonly cells: ReadonlyArray<Cell> }>
}

const jsonPath = fileURLToPath(new URL("./results.json", import.meta.url))
const markdownPath = fileURLToPath(new URL("./results.md", import.meta.url))

const pair = (latency: Latency) => (latency.count === 0 ? "—" : `${latency.p50.toLocaleString("en")} / ${latency.p99.toLocaleString("en")}`)

const table = (cells: ReadonlyArray<Cell>) => [
  "| operators | new dialogs/s | protocol | event reaches every stream p50 / p99 ms | row on every screen p50 / p99 ms | not shown (refreshes) | message bubble to its operator p50 / p99 ms | bubbles to others | inbound answer p50 / p99 ms | list GETs per event | statements per event less idle (all; idle rate) | server CPU (% of a core; ms per event) | RSS MB | bare broadcast p50 / p99 ms | row p99 / bare p99 | load 1 min |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ...cells.map((cell) =>
    `| ${cell.operators} | ${cell.rate} | ${cell.protocol} | ${pair(cell.reached)} | ${pair(cell.shown)} | ${cell.missing}${cell.refreshes ? ` (${cell.refreshes})` : ""} | ${pair(cell.messageShown)} | ${cell.bubblesToOthers} | ${pair(cell.inbound)} | ${cell.listGetsPerEvent.toFixed(1)} | ${cell.statementsPerEvent.toFixed(1)} (${(cell.statementsPerEvent + (cell.idleStatementsPerSecond * cell.elapsedSeconds) / (cell.newDialogs + cell.messages)).toFixed(0)}; idle ${cell.idleStatementsPerSecond.toFixed(0)}/s) | ${cell.serverCpuPercent.toFixed(0)} %; ${cell.serverCpuMsPerEvent.toFixed(0)} | ${cell.rssMb} | ${pair(cell.bare.shown)} | ${cell.bare.shown.p99 > 0 ? (cell.shown.p99 / cell.bare.shown.p99).toFixed(1) : "—"}× | ${cell.loadBefore.toFixed(1)}–${cell.loadAfter.toFixed(1)} |`
  )
]

/** Append a run's cells to results.json and rewrite results.md from all runs. */
export const record = (cells: ReadonlyArray<Cell>, machine: { readonly cpus: string; readonly node: string }) => {
  const previous: Results = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, "utf8")) as Results) : { runs: [] }
  const first = cells[0]
  if (first === undefined) return
  const results: Results = { runs: [...previous.runs, { label: first.label, at: first.at, machine, cells }] }
  writeFileSync(jsonPath, JSON.stringify(results, null, 2) + "\n")
  const lines = [
    "# Live updates under load (`bench/panel`)",
    "",
    "Written by `bench/panel/run.ts` from `results.json`; see its header for what each column measures. Operators with",
    "New open wait for each new dialog; ten operators each have one of their own dialogs open and get its messages",
    "(1 per second). \"Row on every screen\" is a pushed row, or (old protocol) the list re-read the `dialogs` signal",
    "triggers, 150 ms debounce and one request in flight as the page does. Statements are every statement the server",
    "process sent (counted at pg's `Client#query`) less its idle rate with the same panels connected, measured in the",
    "5 s after they connected: at 1,000 panels that still holds the start of their presence heartbeats, so there \"less",
    "idle\" goes negative and the \"all\" figure is the one to read. The machine is",
    "shared with other work (2 cores): compare with the bare `node:http` broadcast of the same run, and mind the load.",
    ""
  ]
  for (const run of results.runs) {
    lines.push(`## ${run.label} (${run.at}; ${run.machine.cpus}; Node ${run.machine.node})`, "", ...table(run.cells), "")
    const failures = run.cells.flatMap((cell) => cell.failures.map((failure) => `${cell.operators}×${cell.rate}: ${failure}`))
    if (failures.length > 0) lines.push("Failures:", "", ...failures.slice(0, 10).map((failure) => `- ${failure}`), "")
  }
  writeFileSync(markdownPath, lines.join("\n"))
}
