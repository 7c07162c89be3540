/**
 * Routing pass benchmark: `Routing.planPass` over synthetic snapshots — 1,000 operators with
 * mixed channels, queues, skill groups (topic trees) and language skills, five queues with
 * different policies (least loaded, round robin, least loaded %, best skill, longest idle) — and
 * 1k / 10k / 100k queued dialogs.
 *
 * What it reports:
 * - the headline pass: 10,000 queued dialogs, 1,000 operators, no batch limit;
 * - how the cost of one assignment grows with the queue. Every size runs the same batch of
 *   1,000 decisions (the A3 batch limit), so the work per decision is comparable. A pass costs
 *   one O(n) indexing step (derive loads, group dialogs into classes, heapify — measured alone
 *   with `limit: 0`) plus the decisions; the per-decision part is the pass minus its indexing,
 *   divided by the decisions. Heap operations make it O(log n): from 1k to 100k it should grow
 *   by a small factor, not 100×.
 *
 * Run from the repository root: `npx tsx bench/routing/run.ts` (or `pnpm --filter
 * @switchboard/bench bench:routing`); `NODE_OPTIONS=--expose-gc` steadies the figures. Prints
 * them and rewrites `bench/routing/results.md`.
 */
import { writeFileSync } from "node:fs"
import { cpus, loadavg, totalmem } from "node:os"
import { fileURLToPath } from "node:url"
import { Routing } from "@switchboard/core"
import type { Channel } from "@switchboard/core"
import { DialogId, QueueId, TopicId } from "@switchboard/core"
import { seeded } from "../seeded.js"

const loadAtStart = loadavg()[0] ?? 0
const NOW = Date.UTC(2026, 2, 2, 12, 0)
const OPERATORS = 1_000
const SIZES = [1_000, 10_000, 100_000]
const BATCH = 1_000


const queues = ["sales", "support", "billing", "vip", "tech"].map((q) => QueueId.make(q))
const roots = ["orders", "payments", "accounts", "devices", "network"]
const topicTree: Record<string, ReturnType<typeof TopicId.make>> = {}
const subtopics: Array<string> = []
for (const root of roots) for (let i = 0; i < 4; i++) {
  const sub = `${root}/${i}`
  topicTree[sub] = TopicId.make(root)
  subtopics.push(sub)
}
const skillGroups: Record<string, ReadonlyArray<ReturnType<typeof TopicId.make>>> = {
  "all-orders": [TopicId.make("orders")],
  "all-payments": [TopicId.make("payments")],
  "all-accounts": [TopicId.make("accounts")],
  "all-devices": [TopicId.make("devices")],
  "all-network": [TopicId.make("network")],
  "refunds": [TopicId.make("payments/1"), TopicId.make("payments/2")],
  "hardware": [TopicId.make("devices/0"), TopicId.make("devices/3"), TopicId.make("network/0")],
  "generalist": roots.map((r) => TopicId.make(r)),
  "first-line": [TopicId.make("orders/0"), TopicId.make("accounts/0"), TopicId.make("payments/0")],
  "billing-desk": [TopicId.make("payments"), TopicId.make("accounts/1")]
}
const languages = ["en", "de", "fr", "uk", "pl", "es"]

const config = Routing.RoutingConfig.make({
  skillGroups,
  topicParents: topicTree,
  presenceTtlSec: 3600,
  queues: {
    sales: Routing.QueuePolicy.make({ selection: "LEAST_LOADED", queueOrder: "PRIORITY_FIFO" }),
    support: Routing.QueuePolicy.make({ selection: "ROUND_ROBIN", queueOrder: "FIFO" }),
    billing: Routing.QueuePolicy.make({ selection: "LEAST_LOADED_PCT", queueOrder: "SLA_DUE" }),
    vip: Routing.QueuePolicy.make({ selection: "BEST_SKILL", queueOrder: "AGED_PRIORITY", delivery: { _tag: "OFFER", timeoutSec: 30, missesBeforeAway: 3 } }),
    tech: Routing.QueuePolicy.make({ selection: "LONGEST_IDLE", queueOrder: "PRIORITY_FIFO" })
  }
})

const pick = <A>(rnd: () => number, xs: ReadonlyArray<A>): A => xs[Math.floor(rnd() * xs.length)] as A
const sample = <A>(rnd: () => number, xs: ReadonlyArray<A>, n: number): Array<A> => {
  const out = new Set<A>()
  while (out.size < Math.min(n, xs.length)) out.add(pick(rnd, xs))
  return [...out]
}

const makeOperators = (capacityScale: number): Array<Routing.RoutingOperator> => {
  const rnd = seeded(7)
  return Array.from({ length: OPERATORS }, (_, i) => {
    const langs = sample(rnd, languages, 1 + Math.floor(rnd() * 3))
    return {
      id: Routing.OperatorId.make(`op-${String(i).padStart(4, "0")}`),
      presence: rnd() < 0.9 ? "online" : "offline",
      lastHeartbeatAt: NOW - Math.floor(rnd() * 30_000),
      availability: rnd() < 0.85 ? "available" : "busy",
      statusId: Routing.StatusId.make("online"),
      capacity: {
        widget: (1 + Math.floor(rnd() * 4)) * capacityScale,
        telegram: Math.floor(rnd() * 4) * capacityScale,
        email: Math.floor(rnd() * 6) * capacityScale
      },
      skillGroups: sample(rnd, Object.keys(skillGroups), 1 + Math.floor(rnd() * 3)).map((g) => Routing.SkillGroupId.make(g)),
      skills: Object.fromEntries([...langs.map((l) => [l, 1 + Math.floor(rnd() * 10)]), ...(rnd() < 0.2 ? [["vip", 1 + Math.floor(rnd() * 10)]] : [])]),
      queues: sample(rnd, queues, 1 + Math.floor(rnd() * 3)),
      lastAssignedAt: rnd() < 0.7 ? { widget: NOW - Math.floor(rnd() * 3_600_000) } : {},
      lastAssignedSeq: {},
      lastBecameIdleAt: NOW - Math.floor(rnd() * 3_600_000),
      consecutiveMisses: 0,
      lastActivityAt: NOW
    }
  })
}

const makeDialogs = (n: number): Array<Routing.RoutingDialog> => {
  const rnd = seeded(11)
  const channels: ReadonlyArray<Channel.ChannelKind> = ["widget", "widget", "widget", "telegram", "telegram", "email"]
  return Array.from({ length: n }, (_, i) => ({
    id: DialogId.make(`d-${String(i).padStart(6, "0")}`),
    channel: pick(rnd, channels),
    queueId: pick(rnd, queues),
    priority: Math.floor(rnd() * 4),
    slaDueAt: rnd() < 0.5 ? NOW + Math.floor(rnd() * 7_200_000) : undefined,
    enqueuedAt: NOW - Math.floor(rnd() * 86_400_000),
    topics: rnd() < 0.7 ? [TopicId.make(pick(rnd, subtopics))] : [],
    requiredSkills: rnd() < 0.4 ? [pick(rnd, languages)] : [],
    preferredSkills: rnd() < 0.2 ? ["vip"] : [],
    excludedOperators: [],
    state: "queued" as const,
    overCapacity: false,
    version: 0
  }))
}

/**
 * The fastest of `runs` timings of `f` in milliseconds, after one warm-up. On a shared machine the
 * minimum estimates the CPU cost best: background load only ever adds time.
 */
const time = (runs: number, f: () => unknown): number => {
  f()
  let best = Number.POSITIVE_INFINITY
  for (let i = 0; i < runs; i++) best = Math.min(best, once(f))
  return best
}

/** With `NODE_OPTIONS=--expose-gc`, collect before timing so a pause left by the previous run is not billed to this one. */
const collect: () => void = typeof globalThis.gc === "function" ? globalThis.gc : () => undefined

const once = (f: () => unknown): number => {
  collect()
  const start = performance.now()
  f()
  return performance.now() - start
}

const fmt = (x: number, digits = 2) => x.toFixed(digits)
const lines: Array<string> = []
const say = (line = "") => {
  console.log(line)
  lines.push(line)
}

// Headline: one full pass, 10k dialogs, 1k operators.
const operators = makeOperators(1)
const headline = { operators, dialogs: makeDialogs(10_000), assignmentLog: [] }
const headAssignments = Routing.planPass(headline, config, NOW).length
const headMs = time(15, () => Routing.planPass(headline, config, NOW))
const headIndexMs = time(15, () => Routing.planPass(headline, config, NOW, { limit: 0 }))

// Growth: the same batch of decisions at every queue size; operators with room for all of them.
const roomy = makeOperators(20)
const snapshots = SIZES.map((n) => ({ n, snapshot: { operators: roomy, dialogs: makeDialogs(n), assignmentLog: [] } }))
// Sizes are interleaved round by round, so a stretch of background load hits all of them alike.
const best = snapshots.map(() => ({ passMs: Number.POSITIVE_INFINITY, indexMs: Number.POSITIVE_INFINITY }))
for (let round = 0; round < 20; round++) {
  snapshots.forEach(({ snapshot }, i) => {
    const b = best[i]
    if (b === undefined) return
    b.passMs = Math.min(b.passMs, once(() => Routing.planPass(snapshot, config, NOW, { limit: BATCH })))
    b.indexMs = Math.min(b.indexMs, once(() => Routing.planPass(snapshot, config, NOW, { limit: 0 })))
  })
}
const growth = snapshots.map(({ n, snapshot }, i) => {
  const { passMs, indexMs } = best[i] ?? { passMs: 0, indexMs: 0 }
  const decisions = Routing.planPass(snapshot, config, NOW, { limit: BATCH }).length
  const fullAssignments = Routing.planPass(snapshot, config, NOW).length
  const fullMs = time(n >= 100_000 ? 5 : 9, () => Routing.planPass(snapshot, config, NOW))
  return { n, decisions, passMs, indexMs, perDecisionUs: ((passMs - indexMs) * 1000) / decisions, fullAssignments, fullMs }
})
const base = growth[0]
if (base === undefined) throw new Error("no sizes")

say("# Routing pass benchmark")
say()
say(`Run: ${new Date().toISOString().slice(0, 10)} · Node ${process.version} · ${cpus()[0]?.model ?? "cpu"} × ${cpus().length} · ${fmt(totalmem() / 2 ** 30, 0)} GiB · load average at start ${fmt(loadAtStart)} (the machine is shared; each figure is the fastest of several runs)`)
say()
say(`\`NODE_OPTIONS=--expose-gc npx tsx bench/routing/run.ts\` regenerates this file (gc between runs: ${typeof globalThis.gc === "function" ? "yes" : "no"}).`)
say("Data: 1,000 operators (90% online, 85% available; 1–3 of 5 queues;")
say("1–3 of 10 skill groups over a 5×4 topic tree; 1–3 languages), dialogs on widget/telegram/email with a subtopic (70%),")
say("a required language (40%) and a preferred `vip` skill (20%); the five queues use five different selection modes and")
say("four queue orders (`vip` offers, the rest assign directly).")
say()
say("## One pass over 10,000 queued dialogs and 1,000 operators")
say()
say("| assignments | pass | of which indexing | assignments per second | per assignment |")
say("|---:|---:|---:|---:|---:|")
say(`| ${headAssignments} | ${fmt(headMs)} ms | ${fmt(headIndexMs)} ms | ${Math.round(headAssignments / (headMs / 1000)).toLocaleString("en")} | ${fmt((headMs * 1000) / headAssignments)} µs |`)
say()
say("The pass stops when every class of dialogs (same queue, channel, topics, required skills) has run out of operators")
say("with room; the remaining dialogs stay queued without being visited one by one.")
say()
say(`## Cost per decision as the queue grows (batch of ${BATCH.toLocaleString("en")} decisions, operators with room for all)`)
say()
say("| queued dialogs | decisions | pass | indexing (O(n), once per pass) | per decision (pass − indexing) | ratio to 1k | log₂ n ratio |")
say("|---:|---:|---:|---:|---:|---:|---:|")
for (const g of growth) {
  say(
    `| ${g.n.toLocaleString("en")} | ${g.decisions} | ${fmt(g.passMs)} ms | ${fmt(g.indexMs)} ms | ${fmt(g.perDecisionUs)} µs | ${fmt(g.perDecisionUs / base.perDecisionUs)}× | ${fmt(Math.log2(g.n) / Math.log2(base.n))}× |`
  )
}
say()
say("Per-decision cost grows like log n (pops in the class's dialog heap), not like n: from 1k to 100k queued dialogs")
say("(100×) it changes by the factor in the ratio column; an O(n) step per decision would make it ~100×. At 100k the")
say("figure is a small difference of two large timings (indexing is most of that pass), so it is the noisiest row, and")
say("the deeper heaps no longer fit in cache. The indexing step is linear and paid once per pass, not per decision: it is")
say("what a pass over a 100k backlog costs even when it has few decisions to make. The rest of a decision's cost is per")
say("class, not per dialog: the first dialog of a class searches the shared (queue, channel) operator heap, and a very")
say("selective class builds its own filtered heap once per pass, so cost depends on operators and classes, not queue length.")
say()
say("## Draining the whole queue (no batch limit, same roomy operators)")
say()
say("| queued dialogs | assignments | pass | assignments per second | per assignment, indexing included | ratio to 1k |")
say("|---:|---:|---:|---:|---:|---:|")
const drainBase = (base.fullMs * 1000) / base.fullAssignments
for (const g of growth) {
  const per = (g.fullMs * 1000) / g.fullAssignments
  say(`| ${g.n.toLocaleString("en")} | ${g.fullAssignments.toLocaleString("en")} | ${fmt(g.fullMs)} ms | ${Math.round(g.fullAssignments / (g.fullMs / 1000)).toLocaleString("en")} | ${fmt(per)} µs | ${fmt(per / drainBase)}× |`)
}
say()
say(`Load average at the end: ${fmt(loadavg()[0] ?? 0)}.`)

writeFileSync(fileURLToPath(new URL("./results.md", import.meta.url)), `${lines.join("\n")}\n`)
