import { Schema } from "effect"
import { ChannelKind } from "../channels/Channel.js"
import { DialogId, Instant, QueueId } from "../shared/Ids.js"
import { Heap } from "./internal/Heap.js"
import {
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
  channel: ChannelKind
})
export type AssignDecision = typeof AssignDecision.Type

/** A3 step 2c for OFFER delivery: offer `dialogId` to `operatorId` until `expiresAt`. */
export const OfferDecision = Schema.TaggedStruct("Offer", {
  dialogId: DialogId,
  operatorId: OperatorId,
  queueId: QueueId,
  channel: ChannelKind,
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

/** Queued dialogs that share every input of `E(d)` except their exclusions, in queue order. */
interface ClassRun {
  readonly queueId: QueueId
  readonly channel: string
  readonly policy: QueuePolicy
  readonly topics: ReadonlyArray<string>
  readonly required: ReadonlyArray<string>
  readonly scored: ReadonlyArray<string>
  readonly poolKey: string
  readonly dialogs: Heap<DialogEntry>
  candidates: Heap<CandidateEntry> | undefined
}

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
 * Cost: one O(n + m) indexing step (loads, dialogs grouped into classes sharing `queue, channel,
 * topics, required skills`, each class heapified), then each decision costs O(log n) for the
 * dialog heaps plus O(log m) for the class's candidate heap. Candidate keys only grow during a
 * pass (load and `lastAssignedAt` only increase), so stale heap entries are re-keyed lazily when
 * they surface, and a class whose candidate heap runs dry is dropped whole: its remaining dialogs
 * are never visited one by one.
 */
export const planPass = (
  snapshot: RoutingSnapshot,
  config: RoutingConfig,
  now: number,
  options: PassOptions = {}
): ReadonlyArray<RoutingDecision> => {
  const scope = options.queues === undefined ? undefined : new Set<string>(options.queues)
  const limit = options.limit ?? Number.POSITIVE_INFINITY

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
  const classes = new Map<string, { readonly cls: Omit<ClassRun, "dialogs" | "candidates">; readonly entries: Array<DialogEntry> }>()
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
    const poolKey = poolKeyOf(d.queueId, d.channel)
    if (!pools.has(poolKey)) continue
    const policy = policyFor(config, d.queueId)
    const topics = sortedUnique(d.topics)
    const required = sortedUnique(effectiveRequiredSkills(d, now))
    const scored = policy.selection === "BEST_SKILL" ? sortedUnique(scoredSkills(d)) : []
    const signature = `${poolKey}\u0001${topics.join("\u0002")}\u0001${required.join("\u0002")}\u0001${scored.join("\u0002")}`
    const entry: DialogEntry = { dialog: d, key: queueKey(d, policy) }
    const existing = classes.get(signature)
    if (existing === undefined) {
      classes.set(signature, {
        cls: { queueId: d.queueId, channel: d.channel, policy, topics, required, scored, poolKey },
        entries: [entry]
      })
    } else existing.entries.push(entry)
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
    const run: ClassRun = { ...cls, dialogs: Heap.from(entries, byKey), candidates: undefined }
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

  const usable = (run: OperatorRun, cls: ClassRun): boolean => {
    if ((run.load.get(cls.channel) ?? 0) >= capacityOf(run.op, cls.channel)) return false
    const ramp = cls.policy.rampUpPerPass
    if (ramp !== undefined && run.assignedThisPass >= ramp) return false
    const rate = cls.policy.maxAssignmentsPerWindow
    return rate === undefined || (run.windowCount.get(cls.queueId) ?? 0) < rate.limit
  }

  const keyOf = (run: OperatorRun, cls: ClassRun): RankKey => ({
    rank: selectionRank(cls.policy.selection, {
      load: run.load.get(cls.channel) ?? 0,
      capacity: capacityOf(run.op, cls.channel),
      totalLoad: run.total,
      lastAssignedAt: run.lastAssigned.get(cls.channel)?.at ?? run.op.lastAssignedAt[cls.channel],
      lastAssignedSeq: run.lastAssigned.get(cls.channel)?.seq ?? run.op.lastAssignedSeq[cls.channel] ?? 0,
      lastBecameIdleAt: run.op.lastBecameIdleAt,
      skillScore: cls.scored.length === 0 ? 0 : skillScore(run.op, cls.scored)
    }),
    id: run.op.id
  })

  const covers = (run: OperatorRun, topics: ReadonlyArray<string>): boolean => {
    if (topics.length === 0) return true
    if (run.coverage === undefined) run.coverage = topicCoverage(run.op, config)
    const coverage = run.coverage
    return topics.every((t) => topicCovered(coverage, t, config))
  }

  const candidatesOf = (cls: ClassRun): Heap<CandidateEntry> => {
    if (cls.candidates !== undefined) return cls.candidates
    const entries: Array<CandidateEntry> = []
    for (const run of pools.get(cls.poolKey) ?? []) {
      if (hasSkills(run.op, cls.required) && covers(run, cls.topics) && usable(run, cls)) entries.push({ run, key: keyOf(run, cls) })
    }
    cls.candidates = Heap.from(entries, byKey)
    return cls.candidates
  }

  /** The chosen operator; `"dialog"` when only exclusions stand in the way, `"class"` when nobody is left. */
  const choose = (cls: ClassRun, d: RoutingDialog): OperatorRun | "dialog" | "class" => {
    const heap = candidatesOf(cls)
    const stash: Array<CandidateEntry> = []
    let chosen: OperatorRun | undefined
    for (let top = heap.peek(); top !== undefined; top = heap.peek()) {
      if (!usable(top.run, cls)) {
        heap.pop()
        continue
      }
      const current = keyOf(top.run, cls)
      if (compareRankKeys(current, top.key) !== 0) {
        heap.replaceTop({ run: top.run, key: current })
        continue
      }
      if (d.excludedOperators.length > 0 && d.excludedOperators.includes(top.run.op.id)) {
        stash.push(top)
        heap.pop()
        continue
      }
      chosen = top.run
      break
    }
    for (const entry of stash) heap.push(entry)
    return chosen ?? (stash.length > 0 ? "dialog" : "class")
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
        decisions.push(decide(cls.policy, dialog, chosen.op.id, now))
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

const decide = (policy: QueuePolicy, d: RoutingDialog, operatorId: OperatorId, now: number): RoutingDecision =>
  policy.delivery._tag === "DIRECT"
    ? { _tag: "Assign", dialogId: d.id, operatorId, queueId: d.queueId, channel: d.channel }
    : {
        _tag: "Offer",
        dialogId: d.id,
        operatorId,
        queueId: d.queueId,
        channel: d.channel,
        expiresAt: now + policy.delivery.timeoutSec * 1000
      }
