import { Schema } from "effect"
import { ChannelKind } from "../channels/Channel.js"
import { DialogId, Instant, QueueId } from "../shared/Ids.js"
import { Heap } from "./internal/Heap.js"
import {
  Count,
  capacityOf,
  compareRankKeys,
  countsAsLoad,
  coversTopics,
  effectiveRequiredSkills,
  hasSkills,
  holderOf,
  isEligible,
  nextAssignmentMark,
  nextSeqAt,
  OperatorId,
  policyFor,
  type QueuePolicy,
  queueKey,
  type RankKey,
  type RoutingConfig,
  type RoutingDialog,
  type RoutingOperator,
  type RoutingSnapshot,
  scoredSkills,
  selectionRank,
  skillScore,
  topicCoverage,
  topicCovered
} from "./Routing.js"

/** A3 step 2c for DIRECT delivery: assign `dialogId` to `operatorId`. */
export const AssignDecision = Schema.TaggedStruct("Assign", {
  dialogId: DialogId,
  operatorId: OperatorId,
  queueId: QueueId,
  channel: ChannelKind,
  /** Orders this assignment among those made at the same instant (`RoutingOperator.lastAssignedSeq`), so round robin stays strict across passes. */
  seq: Count,
})
export type AssignDecision = typeof AssignDecision.Type

/** A3 step 2c for OFFER delivery: offer `dialogId` to `operatorId` until `expiresAt`. */
export const OfferDecision = Schema.TaggedStruct("Offer", {
  dialogId: DialogId,
  operatorId: OperatorId,
  queueId: QueueId,
  channel: ChannelKind,
  /** Orders this assignment among those made at the same instant (`RoutingOperator.lastAssignedSeq`), so round robin stays strict across passes. */
  seq: Count,
  expiresAt: Instant
})
export type OfferDecision = typeof OfferDecision.Type

/** One decision of a routing pass; the shell commits each one (and re-checks it while committing). */
export const RoutingDecision = Schema.Union(AssignDecision, OfferDecision)
export type RoutingDecision = typeof RoutingDecision.Type

/** Which queues a pass serves (all when absent) and how many decisions it may make (A3 batch limit). */
export interface PassOptions {
  readonly queues?: ReadonlyArray<QueueId> | undefined
  readonly limit?: number | undefined
  /**
   * Tuning only, never semantics: how many operators lacking a class's topics or skills a search
   * of the shared (queue, channel) heap may skip before that class gets its own filtered heap.
   * Default 16. Every value yields the same decisions.
   */
  readonly skipLimit?: number | undefined
}

interface OperatorRun {
  readonly op: RoutingOperator
  readonly load: Map<string, number>
  total: number
  /** `lastAssignedAt` / `lastAssignedSeq` updates made during this pass. */
  readonly lastAssigned: Map<string, { readonly at: number; readonly seq: number }>
  assignedThisPass: number
  /** Engine-made assignments in the rolling window, per rate-limited queue. */
  readonly windowCount: Map<string, number>
  coverage: ReadonlySet<string> | undefined
}

interface DialogEntry {
  readonly dialog: RoutingDialog
  readonly key: RankKey
}

interface CandidateEntry {
  readonly run: OperatorRun
  readonly key: RankKey
}

/**
 * The operators of one (queue, channel) — for `BEST_SKILL`, also one set of scored skills — in a
 * single heap ordered by the queue's selection key, shared by every class of dialogs it serves.
 */
interface PoolRun {
  readonly queueId: QueueId
  readonly channel: string
  readonly policy: QueuePolicy
  readonly scored: ReadonlyArray<string>
  readonly members: ReadonlyArray<OperatorRun>
  heap: Heap<CandidateEntry> | undefined
}

/** Queued dialogs that share every input of `E(d)` except their exclusions, in queue order. */
interface ClassRun {
  readonly queueId: QueueId
  readonly channel: string
  readonly policy: QueuePolicy
  readonly topics: ReadonlyArray<string>
  readonly required: ReadonlyArray<string>
  readonly pool: PoolRun
  readonly dialogs: Heap<DialogEntry>
  /** The class's own candidate heap, built once the shared pool heap proves too unselective for it. */
  own: Heap<CandidateEntry> | undefined
}

/** How many non-matching operators a search of the shared pool heap may skip before the class gets its own heap. */
const DEFAULT_SKIP_LIMIT = 16

interface QueueRun {
  readonly queueId: QueueId
  readonly classes: Heap<ClassRun>
  /** Decisions made for this queue so far in the pass. */
  served: number
}

const poolKeyOf = (queueId: string, channel: string): string => `${queueId}\u0001${channel}`
const byKey = (a: { readonly key: RankKey }, b: { readonly key: RankKey }): number => compareRankKeys(a.key, b.key)
const sortedUnique = (xs: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(xs)].sort()

const headOf = (cls: ClassRun): DialogEntry => {
  const head = cls.dialogs.peek()
  if (head === undefined) throw new Error("routing planner: a class without dialogs stayed in its queue")
  return head
}
const topClassOf = (queue: QueueRun): ClassRun => {
  const top = queue.classes.peek()
  if (top === undefined) throw new Error("routing planner: a queue without classes stayed in the pass")
  return top
}
const compareClasses = (a: ClassRun, b: ClassRun): number => compareRankKeys(headOf(a).key, headOf(b).key)
/**
 * Across queues, turns go round robin: the queue with the fewest decisions so far in this pass
 * goes next (ties: queue id). Skipping a dialog does not use up a turn, so the order of decisions
 * does not depend on when the planner notices that a dialog has no candidate.
 */
const compareQueues = (a: QueueRun, b: QueueRun): number =>
  a.served !== b.served ? a.served - b.served : a.queueId < b.queueId ? -1 : a.queueId > b.queueId ? 1 : 0

/**
 * One routing pass (A3 step 2) over a snapshot: which queued dialog goes to which operator.
 *
 * Semantics, which `test/routing/reference.ts` restates as a sort-everything oracle (INV-8):
 * each served queue is walked in its `queueKey` order; across queues, decisions go round robin
 * (fewest decisions so far first, ties by queue id). Each dialog takes the `selectionKey`-minimal operator of `E(d)`,
 * evaluated against the loads, `lastAssignedAt` and rate-limit counts as updated by the earlier
 * decisions of the same pass. A dialog with an empty `E(d)` is skipped, never waited on (no
 * head-of-line blocking). `rampUpPerPass` caps new dialogs per operator within the pass.
 *
 * Cost: one O(n + m) indexing step (loads; dialogs grouped into classes sharing `queue, channel,
 * topics, required skills`, each class heapified), then each decision costs O(log n) in the
 * dialog heaps plus O(log m) in a candidate heap. Operators are indexed by (queue, channel) into
 * one heap per pool, ordered by the selection key and shared by all classes of that pool; a
 * class's search pops past operators that lack its topics or skills (and puts them back), and a
 * class so selective that it skips more than `skipLimit` gets its own filtered heap instead.
 * Keys only grow during a pass (load, `lastAssignedAt` and its sequence only increase), so a
 * stale entry is re-keyed when it surfaces and the minimum found is exact. A class whose
 * candidates run out is dropped whole: its remaining dialogs are never visited one by one.
 */
export const planPass = (
  snapshot: RoutingSnapshot,
  config: RoutingConfig,
  now: number,
  options: PassOptions = {}
): ReadonlyArray<RoutingDecision> => {
  const scope = options.queues === undefined ? undefined : new Set<string>(options.queues)
  const limit = options.limit ?? Number.POSITIVE_INFINITY
  const skipLimit = options.skipLimit ?? DEFAULT_SKIP_LIMIT

  // Operators eligible on at least one channel, indexed by (queue, channel).
  const runs = new Map<string, OperatorRun>()
  const pools = new Map<string, Array<OperatorRun>>()
  for (const op of snapshot.operators) {
    const channels = Object.keys(op.capacity).filter((c) => isEligible(op, c, config, now))
    if (channels.length === 0) continue
    const run: OperatorRun = {
      op,
      load: new Map(),
      total: 0,
      lastAssigned: new Map(),
      assignedThisPass: 0,
      windowCount: new Map(),
      coverage: undefined
    }
    runs.set(op.id, run)
    for (const queueId of op.queues) {
      if (scope !== undefined && !scope.has(queueId)) continue
      for (const channel of channels) {
        const key = poolKeyOf(queueId, channel)
        const pool = pools.get(key)
        if (pool === undefined) pools.set(key, [run])
        else pool.push(run)
      }
    }
  }

  // Loads derived from the dialogs; queued dialogs grouped into classes.
  const poolRuns = new Map<string, PoolRun>()
  const classes = new Map<string, { readonly cls: Omit<ClassRun, "dialogs" | "own">; readonly entries: Array<DialogEntry> }>()
  for (const d of snapshot.dialogs) {
    if (countsAsLoad(d, config)) {
      const holder = holderOf(d)
      const run = holder === undefined ? undefined : runs.get(holder)
      if (run !== undefined) {
        run.load.set(d.channel, (run.load.get(d.channel) ?? 0) + 1)
        run.total++
      }
      continue
    }
    if (d.state !== "queued" || (scope !== undefined && !scope.has(d.queueId))) continue
    const members = pools.get(poolKeyOf(d.queueId, d.channel))
    if (members === undefined) continue
    const policy = policyFor(config, d.queueId)
    const topics = sortedUnique(d.topics)
    const required = sortedUnique(effectiveRequiredSkills(d, now))
    const scored = policy.selection === "BEST_SKILL" ? sortedUnique(scoredSkills(d)) : []
    const poolKey = `${poolKeyOf(d.queueId, d.channel)}\u0001${scored.join("\u0002")}`
    const signature = `${poolKey}\u0001${topics.join("\u0002")}\u0001${required.join("\u0002")}`
    const entry: DialogEntry = { dialog: d, key: queueKey(d, policy) }
    const existing = classes.get(signature)
    if (existing !== undefined) {
      existing.entries.push(entry)
      continue
    }
    let pool = poolRuns.get(poolKey)
    if (pool === undefined) {
      pool = { queueId: d.queueId, channel: d.channel, policy, scored, members, heap: undefined }
      poolRuns.set(poolKey, pool)
    }
    classes.set(signature, { cls: { queueId: d.queueId, channel: d.channel, policy, topics, required, pool }, entries: [entry] })
  }

  // Rolling-window counts for rate-limited queues.
  for (const record of snapshot.assignmentLog) {
    const run = runs.get(record.operatorId)
    if (run === undefined) continue
    const rate = policyFor(config, record.queueId).maxAssignmentsPerWindow
    if (rate === undefined || record.at <= now - rate.windowSec * 1000 || record.at > now) continue
    run.windowCount.set(record.queueId, (run.windowCount.get(record.queueId) ?? 0) + 1)
  }

  const classesByQueue = new Map<string, Array<ClassRun>>()
  for (const { cls, entries } of classes.values()) {
    const run: ClassRun = { ...cls, dialogs: Heap.from(entries, byKey), own: undefined }
    const list = classesByQueue.get(cls.queueId)
    if (list === undefined) classesByQueue.set(cls.queueId, [run])
    else list.push(run)
  }
  const queues = Heap.from(
    [...classesByQueue.entries()].map(([queueId, list]): QueueRun => ({
      queueId: QueueId.make(queueId),
      classes: Heap.from(list, compareClasses),
      served: 0
    })),
    compareQueues
  )

  const usable = (run: OperatorRun, pool: PoolRun): boolean => {
    if ((run.load.get(pool.channel) ?? 0) >= capacityOf(run.op, pool.channel)) return false
    const ramp = pool.policy.rampUpPerPass
    if (ramp !== undefined && run.assignedThisPass >= ramp) return false
    const rate = pool.policy.maxAssignmentsPerWindow
    return rate === undefined || (run.windowCount.get(pool.queueId) ?? 0) < rate.limit
  }

  const keyOf = (run: OperatorRun, pool: PoolRun): RankKey => ({
    rank: selectionRank(pool.policy.selection, {
      load: run.load.get(pool.channel) ?? 0,
      capacity: capacityOf(run.op, pool.channel),
      totalLoad: run.total,
      lastAssignedAt: run.lastAssigned.get(pool.channel)?.at ?? run.op.lastAssignedAt[pool.channel],
      lastAssignedSeq: run.lastAssigned.get(pool.channel)?.seq ?? run.op.lastAssignedSeq[pool.channel] ?? 0,
      lastBecameIdleAt: run.op.lastBecameIdleAt,
      skillScore: pool.scored.length === 0 ? 0 : skillScore(run.op, pool.scored)
    }),
    id: run.op.id
  })

  /** Whether the operator has the class's topics and skills (the part of `E(d)` pools do not index). */
  const matches = (run: OperatorRun, cls: ClassRun): boolean => {
    if (!hasSkills(run.op, cls.required)) return false
    if (cls.topics.length === 0) return true
    if (run.coverage === undefined) run.coverage = topicCoverage(run.op, config)
    const coverage = run.coverage
    return cls.topics.every((t) => topicCovered(coverage, t, config))
  }

  const heapOf = (pool: PoolRun, keep: (run: OperatorRun) => boolean): Heap<CandidateEntry> => {
    const entries: Array<CandidateEntry> = []
    for (const run of pool.members) if (usable(run, pool) && keep(run)) entries.push({ run, key: keyOf(run, pool) })
    return Heap.from(entries, byKey)
  }

  /**
   * The key-minimal usable operator in `heap` that passes the class filter (when `filtered`) and
   * is not excluded for `d`. Unusable operators leave the heap for good; stale keys are re-keyed;
   * filtered-out and excluded ones are put back. `"selective"` = gave up after `skipLimit` skips.
   */
  const search = (
    heap: Heap<CandidateEntry>,
    cls: ClassRun,
    d: RoutingDialog,
    filtered: boolean,
    skipLimit: number
  ): OperatorRun | "dialog" | "class" | "selective" => {
    const stash: Array<CandidateEntry> = []
    let skipped = 0
    let excludedMatch = false
    let chosen: OperatorRun | undefined
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (!usable(top.run, cls.pool)) {
        heap.pop()
        continue
      }
      const current = keyOf(top.run, cls.pool)
      if (compareRankKeys(current, top.key) !== 0) {
        heap.replaceTop({ run: top.run, key: current })
        continue
      }
      if (filtered && !matches(top.run, cls)) {
        stash.push(top)
        heap.pop()
        if (++skipped > skipLimit) break
        continue
      }
      if (d.excludedOperators.length > 0 && d.excludedOperators.includes(top.run.op.id)) {
        stash.push(top)
        heap.pop()
        excludedMatch = true
        continue
      }
      chosen = top.run
      break
    }
    for (const entry of stash) heap.push(entry)
    if (chosen !== undefined) return chosen
    if (skipped > skipLimit) return "selective"
    return excludedMatch ? "dialog" : "class"
  }

  /** The chosen operator; `"dialog"` when only exclusions stand in the way, `"class"` when nobody is left. */
  const choose = (cls: ClassRun, d: RoutingDialog): OperatorRun | "dialog" | "class" => {
    if (cls.own !== undefined) {
      const found = search(cls.own, cls, d, false, Number.POSITIVE_INFINITY)
      return found === "selective" ? "class" : found
    }
    const pool = cls.pool
    if (pool.heap === undefined) pool.heap = heapOf(pool, () => true)
    const filtered = cls.topics.length > 0 || cls.required.length > 0
    const shared = search(pool.heap, cls, d, filtered, skipLimit)
    if (shared !== "selective") return shared
    cls.own = heapOf(pool, (run) => matches(run, cls))
    const found = search(cls.own, cls, d, false, Number.POSITIVE_INFINITY)
    return found === "selective" ? "class" : found
  }

  let nextSeq = nextSeqAt(snapshot.operators, now)
  const decisions: Array<RoutingDecision> = []
  while (decisions.length < limit) {
    const queue = queues.peek()
    if (queue === undefined) break
    const cls = topClassOf(queue)
    const { dialog } = headOf(cls)
    const chosen = choose(cls, dialog)
    if (chosen === "class") {
      queue.classes.pop()
    } else {
      cls.dialogs.pop()
      if (chosen !== "dialog") {
        queue.served++
        chosen.load.set(cls.channel, (chosen.load.get(cls.channel) ?? 0) + 1)
        chosen.total++
        const previous = chosen.lastAssigned.get(cls.channel)
        const mark = nextAssignmentMark(
          previous?.at ?? chosen.op.lastAssignedAt[cls.channel],
          previous?.seq ?? chosen.op.lastAssignedSeq[cls.channel] ?? 0,
          now,
          nextSeq
        )
        if (mark.at === now) nextSeq++
        decisions.push(decide(cls.policy, dialog, chosen.op.id, now, mark.seq))
        chosen.lastAssigned.set(cls.channel, mark)
        chosen.assignedThisPass++
        chosen.windowCount.set(cls.queueId, (chosen.windowCount.get(cls.queueId) ?? 0) + 1)
      }
      if (cls.dialogs.size === 0) queue.classes.pop()
      else queue.classes.topChanged()
    }
    if (queue.classes.size === 0) queues.pop()
    else queues.topChanged()
  }
  return decisions
}

const decide = (policy: QueuePolicy, d: RoutingDialog, operatorId: OperatorId, now: number, seq: number): RoutingDecision =>
  policy.delivery._tag === "DIRECT"
    ? { _tag: "Assign", dialogId: d.id, operatorId, queueId: d.queueId, channel: d.channel, seq }
    : {
        _tag: "Offer",
        dialogId: d.id,
        operatorId,
        queueId: d.queueId,
        channel: d.channel,
        seq,
        expiresAt: now + policy.delivery.timeoutSec * 1000
      }
