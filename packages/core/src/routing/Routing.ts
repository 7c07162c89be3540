import { Schema } from "effect"
import { ChannelKind } from "../channels/Channel.js"
import { DialogId, Instant, QueueId, TopicId, UserId } from "../shared/Ids.js"

/**
 * Routing's vocabulary (ROUTING.md A0–A2) and the pure functions every other routing module
 * builds on: eligibility, load, the candidate set `E(d)` and the A2 ordering keys.
 *
 * Instants are epoch milliseconds; durations in policies are seconds, as the spec names them.
 * Nothing here reads a clock: `now` is always an argument.
 */

// ---- identifiers and small values ----

/** Operators are panel users; routing refers to them by their user id. */
export const OperatorId = UserId
export type OperatorId = UserId

/** A configured operator status ("online", "break", "lunch"…) (OPS-02). */
export const StatusId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("OperatorStatusId"))
export type StatusId = typeof StatusId.Type

/** A named skill group: a set of topics (and, through the topic tree, their subtopics) (OPS-03). */
export const SkillGroupId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("SkillGroupId"))
export type SkillGroupId = typeof SkillGroupId.Type

/** A skill named in `requiredSkills` / `preferredSkills` and levelled per operator. */
export const Skill = Schema.NonEmptyTrimmedString
export type Skill = typeof Skill.Type

/** An operator's level per skill (a skill group, a language, a named skill): 1..10, higher = better (`BEST_SKILL`). */
export const SkillLevels = Schema.Record({ key: Schema.String, value: Schema.Number.pipe(Schema.int(), Schema.between(1, 10)) })
export type SkillLevels = typeof SkillLevels.Type

/** A non-negative integer: capacities, counters, versions. */
export const Count = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
export type Count = typeof Count.Type

const Seconds = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
const PositiveSeconds = Schema.Number.pipe(Schema.int(), Schema.positive())

/** A1: signed-in heartbeat state. `online` with a stale heartbeat reads as `offline`. */
export const Presence = Schema.Literal("online", "away", "offline")
export type Presence = typeof Presence.Type

/** A1: the manual setting. `busy` keeps current work but receives nothing new. */
export const Availability = Schema.Literal("available", "busy", "unavailable")
export type Availability = typeof Availability.Type

/** A working period `[start, end)`; outside every shift an operator counts as unavailable (A0). */
export const Shift = Schema.Struct({ start: Instant, end: Instant })
export type Shift = typeof Shift.Type

// ---- operators and dialogs as routing sees them ----

/**
 * An operator's routing facts (A1). Load is deliberately absent: it is always derived from the
 * dialogs (`deriveLoads`), never stored, so it cannot drift.
 */
export const RoutingOperator = Schema.Struct({
  id: OperatorId,
  presence: Presence,
  lastHeartbeatAt: Instant,
  availability: Availability,
  /** The configured status shown to supervisors; `setStatus` maps it onto `availability`. */
  statusId: StatusId,
  /** Max concurrent dialogs per channel kind; missing or 0 = never auto-routed on it. */
  capacity: Schema.Record({ key: Schema.String, value: Count }),
  skillGroups: Schema.Array(SkillGroupId),
  /** Skill levels 1..10. */
  skills: SkillLevels,
  queues: Schema.Array(QueueId),
  /** Per channel kind; an offer, a routed and a manual assignment all count as "assigned". */
  lastAssignedAt: Schema.Record({ key: Schema.String, value: Instant }),
  /**
   * Per channel kind: the position of that last assignment among all assignments made at the
   * same instant (a pass makes many at one `now`). `(lastAssignedAt, lastAssignedSeq)` is the
   * strict "least recently assigned" order round robin needs (INV-9a); see `nextAssignmentMark`.
   */
  lastAssignedSeq: Schema.Record({ key: Schema.String, value: Count }),
  /** When the operator last had no active dialogs (or came back); absent = never recorded. */
  lastBecameIdleAt: Schema.optional(Instant),
  consecutiveMisses: Count,
  /** Absent = no shift schedule, always on shift. */
  shifts: Schema.optional(Schema.Array(Shift)),
  /** Last action of the operator (accept, decline, status change…), for the inactivity status switch. */
  lastActivityAt: Instant,
  /** Set while the operator is absent (offline, unavailable, off shift): starts `REQUEUE_AFTER` grace. */
  unavailableSince: Schema.optional(Instant)
})
export type RoutingOperator = typeof RoutingOperator.Type

/** A4's states. `offered` = a pending offer exists; `on_hold` still belongs to the assignee. */
export const DialogStatus = Schema.Literal("queued", "offered", "assigned", "on_hold", "closed")
export type DialogStatus = typeof DialogStatus.Type

/** A pending offer (A1 `Offer` with status `pending`; ended offers live on as events). */
export const PendingOffer = Schema.Struct({ operatorId: OperatorId, createdAt: Instant, expiresAt: Instant })
export type PendingOffer = typeof PendingOffer.Type

/**
 * A dialog's routing facts (A1). Single ownership (INV-3) is structural: `offer` is set exactly
 * in state `offered`, `assigneeId` exactly in `assigned` / `on_hold`.
 */
export const RoutingDialog = Schema.Struct({
  id: DialogId,
  channel: ChannelKind,
  queueId: QueueId,
  /** Higher = more urgent. */
  priority: Schema.Number.pipe(Schema.int()),
  /** The SLA due instant when the SLA clock has one (used by `SLA_DUE`). */
  slaDueAt: Schema.optional(Instant),
  /** Routing-eligibility time; kept on decline, expiry, rescind and `REQUEUE_AFTER` (INV-11). */
  enqueuedAt: Instant,
  /** Every topic must be covered by one of the operator's skill groups (or a parent topic's). */
  topics: Schema.Array(TopicId),
  requiredSkills: Schema.Array(Skill),
  /** Required too until `relaxAfterSec` has passed since `enqueuedAt`; always scored by `BEST_SKILL`. */
  preferredSkills: Schema.Array(Skill),
  relaxAfterSec: Schema.optional(Seconds),
  excludedOperators: Schema.Array(OperatorId),
  /** When the last operator was excluded: the exclusion-reset timer runs from here. */
  lastExcludedAt: Schema.optional(Instant),
  state: DialogStatus,
  assigneeId: Schema.optional(OperatorId),
  offer: Schema.optional(PendingOffer),
  /** The last operator who held the dialog; a reopen prefers them ("sticky"). */
  previousAssigneeId: Schema.optional(OperatorId),
  /** Assigned beyond capacity by a manual action (INV-1's recorded exception). */
  overCapacity: Schema.Boolean,
  /** An SLA target of the dialog is breached (its last SLA evaluation): the supervisor board counts them per queue. */
  slaBreached: Schema.optional(Schema.Boolean),
  /** Set when `REQUEUE_AFTER` took the dialog from an absent operator. */
  reroutedFrom: Schema.optional(OperatorId),
  version: Count
})
export type RoutingDialog = typeof RoutingDialog.Type

/** One engine-made offer or assignment, for the rolling-window rate limit (A2.4, INV-9c). */
export const AssignmentRecord = Schema.Struct({ operatorId: OperatorId, queueId: QueueId, at: Instant })
export type AssignmentRecord = typeof AssignmentRecord.Type

/**
 * What a routing pass reads: operators, the active dialogs (closed ones may be left out) and the
 * recent engine-made assignments.
 */
export const RoutingSnapshot = Schema.Struct({
  operators: Schema.Array(RoutingOperator),
  dialogs: Schema.Array(RoutingDialog),
  assignmentLog: Schema.Array(AssignmentRecord)
})
export type RoutingSnapshot = typeof RoutingSnapshot.Type

// ---- policies (A2) ----

/** A2.1. Every order is total: the dialog id breaks the last tie. */
export const QueueOrder = Schema.Literal("PRIORITY_FIFO", "SLA_DUE", "FIFO", "AGED_PRIORITY")
export type QueueOrder = typeof QueueOrder.Type

/** A2.2. Every mode is total: the operator id breaks the last tie. */
export const Selection = Schema.Literal("LEAST_LOADED", "LEAST_LOADED_PCT", "ROUND_ROBIN", "LONGEST_IDLE", "BEST_SKILL")
export type Selection = typeof Selection.Type

/** A2.3: assign straight away, or offer with a timeout; `missesBeforeAway` 0 turns the switch to busy off. */
export const Delivery = Schema.Union(
  Schema.TaggedStruct("DIRECT", {}),
  Schema.TaggedStruct("OFFER", {
    timeoutSec: Schema.optionalWith(PositiveSeconds, { default: () => 30 }),
    missesBeforeAway: Schema.optionalWith(Count, { default: () => 3 })
  })
)
export type Delivery = typeof Delivery.Type

/** A2.4: at most `limit` engine-made assignments per operator per queue in any `windowSec` window. */
export const RateLimit = Schema.Struct({ limit: Schema.Number.pipe(Schema.int(), Schema.positive()), windowSec: PositiveSeconds })
export type RateLimit = typeof RateLimit.Type

/** A2.5: what happens to an absent operator's assigned dialogs. Pending offers are always rescinded. */
export const Redistribution = Schema.Union(
  Schema.TaggedStruct("KEEP", {}),
  Schema.TaggedStruct("REQUEUE_AFTER", { graceSec: Seconds })
)
export type Redistribution = typeof Redistribution.Type

/** A2.5 per channel: live channels requeue after a grace period, async ones keep, unless overridden. */
export const RedistributionPolicy = Schema.Struct({
  live: Schema.optionalWith(Redistribution, { default: () => ({ _tag: "REQUEUE_AFTER", graceSec: 120 }) as const }),
  async: Schema.optionalWith(Redistribution, { default: () => ({ _tag: "KEEP" }) as const }),
  byChannel: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Redistribution }), { default: () => ({}) })
})
export type RedistributionPolicy = typeof RedistributionPolicy.Type

/** A queue's routing policy (A2). `{}` decodes to the defaults. */
export class QueuePolicy extends Schema.Class<QueuePolicy>("QueuePolicy")({
  queueOrder: Schema.optionalWith(QueueOrder, { default: () => "PRIORITY_FIFO" as const }),
  /** `AGED_PRIORITY`: one priority level is worth this much waiting. */
  agingStepSec: Schema.optionalWith(PositiveSeconds, { default: () => 60 }),
  selection: Schema.optionalWith(Selection, { default: () => "LEAST_LOADED" as const }),
  delivery: Schema.optionalWith(Delivery, { default: () => ({ _tag: "DIRECT" }) as const }),
  /** A3: a queued dialog's exclusions are cleared this long after the last one, so it cannot starve. */
  exclusionResetSec: Schema.optionalWith(Seconds, { default: () => 300 }),
  /**
   * An operator who leaves a dialog (DLG-04) is excluded from it this long, so a free operator
   * does not get the same dialog back at once: older waiting dialogs go to them first.
   */
  leaveCooldownSec: Schema.optionalWith(Seconds, { default: () => 300 }),
  maxAssignmentsPerWindow: Schema.optional(RateLimit),
  onOperatorUnavailable: Schema.optionalWith(RedistributionPolicy, {
    default: () => Schema.decodeUnknownSync(RedistributionPolicy)({})
  }),
  /** A2.6: a manual assignment beyond capacity is allowed and flagged, or refused. */
  manualOverCapacity: Schema.optionalWith(Schema.Literal("allow", "deny"), { default: () => "allow" as const }),
  /** Zendesk-style ramp-up: at most this many new dialogs per operator in one pass. */
  rampUpPerPass: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.positive())),
  /** A3 transfer: a dialog moved into this queue restarts its wait (Genesys), or keeps it. */
  transferResetsEnqueuedAt: Schema.optionalWith(Schema.Boolean, { default: () => true })
}) {}

/** A configured operator status and whether it may receive dialogs (OPS-02). */
export const OperatorStatus = Schema.Struct({ id: StatusId, receivesDialogs: Schema.Boolean })
export type OperatorStatus = typeof OperatorStatus.Type

/** OPS-02: after `afterSec` without activity, a receiving status switches to `statusId`. */
export const InactivityRule = Schema.Struct({ afterSec: PositiveSeconds, statusId: StatusId })
export type InactivityRule = typeof InactivityRule.Type

const defaultStatuses = (): ReadonlyArray<OperatorStatus> => [
  { id: StatusId.make("online"), receivesDialogs: true },
  { id: StatusId.make("break"), receivesDialogs: false },
  { id: StatusId.make("lunch"), receivesDialogs: false },
  { id: StatusId.make("offline"), receivesDialogs: false }
]

/** Company-wide routing configuration plus one policy per queue. `{}` decodes to the defaults. */
export class RoutingConfig extends Schema.Class<RoutingConfig>("RoutingConfig")({
  /** A1: presence expires this long after the last heartbeat. */
  presenceTtlSec: Schema.optionalWith(PositiveSeconds, { default: () => 60 }),
  /** A1: "away" still receives dialogs on async channels. */
  awayReceivesAsync: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  asyncChannels: Schema.optionalWith(Schema.Array(ChannelKind), { default: () => ["email" as const] }),
  /** A1: dialogs on hold count towards load. */
  countOnHold: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  statuses: Schema.optionalWith(Schema.Array(OperatorStatus), { default: defaultStatuses }),
  inactivity: Schema.optional(InactivityRule),
  /** Skill group id → its topics. */
  skillGroups: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Array(TopicId) }), {
    default: () => ({})
  }),
  /** The topic tree as child → parent (DLG-18 topics and subtopics). */
  topicParents: Schema.optionalWith(Schema.Record({ key: Schema.String, value: TopicId }), { default: () => ({}) }),
  queues: Schema.optionalWith(Schema.Record({ key: Schema.String, value: QueuePolicy }), { default: () => ({}) }),
  defaultPolicy: Schema.optionalWith(QueuePolicy, { default: () => QueuePolicy.make({}) })
}) {}

/** The configuration of a new company. */
export const defaultConfig: RoutingConfig = RoutingConfig.make({})

/** The policy of `queueId`, or the default policy for a queue without its own. */
export const policyFor = (config: RoutingConfig, queueId: QueueId): QueuePolicy =>
  config.queues[queueId] ?? config.defaultPolicy

/** Whether a channel kind is async (email): "away" may receive it, and it keeps dialogs by default. */
export const isAsyncChannel = (config: RoutingConfig, channel: string): boolean =>
  config.asyncChannels.some((c) => c === channel)

/** A2.5 resolved for one dialog's channel. */
export const redistributionFor = (config: RoutingConfig, queueId: QueueId, channel: string): Redistribution =>
  redistributionOf(config, policyFor(config, queueId), channel)

/** A2.5 of one queue policy for a channel. */
const redistributionOf = (config: RoutingConfig, queuePolicy: QueuePolicy, channel: string): Redistribution => {
  const policy = queuePolicy.onOperatorUnavailable
  return policy.byChannel[channel] ?? (isAsyncChannel(config, channel) ? policy.async : policy.live)
}

/**
 * Whether some queue's A2.5 rule requeues a dialog of `channel` whose operator has been absent
 * since `absentSince`, as of `now`: when none does, no dialog of that channel needs reading to
 * find its queue's rule.
 */
export const mayRequeue = (config: RoutingConfig, channel: string, absentSince: number, now: number): boolean =>
  [config.defaultPolicy, ...Object.values(config.queues)].some((queuePolicy) => {
    const rule = redistributionOf(config, queuePolicy, channel)
    return rule._tag === "REQUEUE_AFTER" && now >= absentSince + rule.graceSec * 1000
  })

/** The configured status `id`, if any. */
export const statusOf = (config: RoutingConfig, id: StatusId): OperatorStatus | undefined =>
  config.statuses.find((s) => s.id === id)

// ---- eligibility (A1) ----

/** Presence as of `now`: a heartbeat older than `presenceTtlSec` means offline. */
export const effectivePresence = (op: RoutingOperator, config: RoutingConfig, now: number): Presence =>
  op.presence !== "offline" && now >= op.lastHeartbeatAt + config.presenceTtlSec * 1000 ? "offline" : op.presence

/** Whether `now` falls in one of the operator's shifts (always, without a schedule). */
export const onShift = (op: RoutingOperator, now: number): boolean =>
  op.shifts === undefined || op.shifts.some((s) => s.start <= now && now < s.end)

/**
 * Whether the operator is absent: offline (explicitly or by heartbeat expiry), unavailable, or
 * outside their shift. Absence rescinds offers and starts `REQUEUE_AFTER` (A3 "presence loss").
 * `busy` is not absence: the operator keeps their work and only stops receiving.
 */
export const isAbsent = (op: RoutingOperator, config: RoutingConfig, now: number): boolean =>
  effectivePresence(op, config, now) === "offline" || op.availability === "unavailable" || !onShift(op, now)

/** The operator's capacity on a channel kind (0 when unset). */
export const capacityOf = (op: RoutingOperator, channel: string): number => op.capacity[channel] ?? 0

/**
 * A1: whether the operator may be **auto**-routed dialogs of `channel` at `now`: present (online,
 * or away on an async channel when configured), available, on shift, with capacity > 0.
 */
export const isEligible = (op: RoutingOperator, channel: string, config: RoutingConfig, now: number): boolean => {
  const presence = effectivePresence(op, config, now)
  const present = presence === "online" || (presence === "away" && config.awayReceivesAsync && isAsyncChannel(config, channel))
  return present && op.availability === "available" && capacityOf(op, channel) > 0 && onShift(op, now)
}

// ---- load (A1) ----

/** The operator a dialog currently loads: the assignee, or the operator holding its pending offer. */
export const holderOf = (d: RoutingDialog): OperatorId | undefined =>
  d.state === "offered" ? d.offer?.operatorId : d.state === "assigned" || d.state === "on_hold" ? d.assigneeId : undefined

/** Whether the dialog counts towards its holder's load: assigned, offered, and on hold when configured. */
export const countsAsLoad = (d: RoutingDialog, config: RoutingConfig): boolean =>
  d.state === "assigned" || d.state === "offered" || (d.state === "on_hold" && config.countOnHold)

/** Load per operator per channel kind, derived from dialog state on every call (never a counter). */
export type Loads = ReadonlyMap<OperatorId, ReadonlyMap<string, number>>

/** A1: `load(o, c)` for every operator, from the dialogs alone. */
export const deriveLoads = (dialogs: Iterable<RoutingDialog>, config: RoutingConfig): Loads => {
  const loads = new Map<OperatorId, Map<string, number>>()
  for (const d of dialogs) {
    if (!countsAsLoad(d, config)) continue
    const holder = holderOf(d)
    if (holder === undefined) continue
    let perChannel = loads.get(holder)
    if (perChannel === undefined) {
      perChannel = new Map()
      loads.set(holder, perChannel)
    }
    perChannel.set(d.channel, (perChannel.get(d.channel) ?? 0) + 1)
  }
  return loads
}

/** `load(o, c)` from derived loads. */
export const loadOf = (loads: Loads, operatorId: OperatorId, channel: string): number =>
  loads.get(operatorId)?.get(channel) ?? 0

/** The operator's load over all channels: 0 means idle (`LONGEST_IDLE`). */
export const totalLoadOf = (loads: Loads, operatorId: OperatorId): number => {
  let total = 0
  for (const n of loads.get(operatorId)?.values() ?? []) total += n
  return total
}

// ---- skills and topics (A0) ----

/** The topics the operator's skill groups contain. */
export const topicCoverage = (op: RoutingOperator, config: RoutingConfig): ReadonlySet<string> => {
  const topics = new Set<string>()
  for (const group of op.skillGroups) for (const topic of config.skillGroups[group] ?? []) topics.add(topic)
  return topics
}

/** A0: a topic is covered when the coverage contains it or one of its ancestors. */
export const topicCovered = (coverage: ReadonlySet<string>, topic: string, config: RoutingConfig): boolean => {
  let current: string | undefined = topic
  for (let depth = 0; current !== undefined && depth < 64; depth++) {
    if (coverage.has(current)) return true
    current = config.topicParents[current]
  }
  return false
}

/** A0: a dialog without topics can go to anyone in the queue; otherwise every topic must be covered. */
export const coversTopics = (op: RoutingOperator, topics: ReadonlyArray<string>, config: RoutingConfig): boolean => {
  if (topics.length === 0) return true
  const coverage = topicCoverage(op, config)
  return topics.every((t) => topicCovered(coverage, t, config))
}

/** Skills a dialog requires at `now`: preferred skills count until `relaxAfterSec` has passed. */
export const effectiveRequiredSkills = (d: RoutingDialog, now: number): ReadonlyArray<string> =>
  d.preferredSkills.length > 0 && d.relaxAfterSec !== undefined && now < d.enqueuedAt + d.relaxAfterSec * 1000
    ? [...new Set([...d.requiredSkills, ...d.preferredSkills])]
    : d.requiredSkills

/** Whether the operator has every skill (any level). */
export const hasSkills = (op: RoutingOperator, skills: ReadonlyArray<string>): boolean =>
  skills.every((s) => (op.skills[s] ?? 0) > 0)

/** `BEST_SKILL`'s Σ: the operator's levels over the dialog's required and preferred skills. */
export const skillScore = (op: RoutingOperator, skills: ReadonlyArray<string>): number => {
  let sum = 0
  for (const s of new Set(skills)) sum += op.skills[s] ?? 0
  return sum
}

/** The skills `BEST_SKILL` scores a dialog on. */
export const scoredSkills = (d: RoutingDialog): ReadonlyArray<string> => [...d.requiredSkills, ...d.preferredSkills]

// ---- fairness (A2.4) ----

/** Engine-made assignments of `operatorId` in `queueId` within `(now − window, now]`. */
export const assignmentsInWindow = (
  log: ReadonlyArray<AssignmentRecord>,
  operatorId: OperatorId,
  queueId: QueueId,
  now: number,
  windowSec: number
): number => {
  const from = now - windowSec * 1000
  let n = 0
  for (const r of log) if (r.operatorId === operatorId && r.queueId === queueId && r.at > from && r.at <= now) n++
  return n
}

// ---- the candidate set E(d) (A2.2) ----

/** The facts `E(d)` depends on besides the operator and the dialog. */
export interface CandidateContext {
  readonly config: RoutingConfig
  readonly now: number
  readonly loads: Loads
  readonly assignmentLog: ReadonlyArray<AssignmentRecord>
}

/**
 * Whether `op ∈ E(d)`: eligible for the channel, a member of the queue, `load < capacity`,
 * skill- and topic-compatible after relaxation, not excluded for `d`, and under the queue's rate
 * limit (an operator at the limit is not a candidate, so INV-5 does not count them as idle).
 */
export const isCandidate = (op: RoutingOperator, d: RoutingDialog, ctx: CandidateContext): boolean => {
  const { config, now } = ctx
  if (!isEligible(op, d.channel, config, now)) return false
  if (!op.queues.includes(d.queueId)) return false
  if (loadOf(ctx.loads, op.id, d.channel) >= capacityOf(op, d.channel)) return false
  if (d.excludedOperators.includes(op.id)) return false
  if (!hasSkills(op, effectiveRequiredSkills(d, now))) return false
  if (!coversTopics(op, d.topics, config)) return false
  const limit = policyFor(config, d.queueId).maxAssignmentsPerWindow
  return limit === undefined || assignmentsInWindow(ctx.assignmentLog, op.id, d.queueId, now, limit.windowSec) < limit.limit
}

/** `E(d)` over a snapshot, loads derived from its dialogs. Straightforward; the planner does not use it. */
export const candidates = (
  snapshot: RoutingSnapshot,
  config: RoutingConfig,
  d: RoutingDialog,
  now: number
): ReadonlyArray<RoutingOperator> => {
  const ctx: CandidateContext = { config, now, loads: deriveLoads(snapshot.dialogs, config), assignmentLog: snapshot.assignmentLog }
  return snapshot.operators.filter((op) => isCandidate(op, d, ctx))
}

// ---- ordering keys (A2.1, A2.2) ----

/**
 * An ordering key: numbers compared lexicographically, then `id` as the final tie-break, so two
 * distinct dialogs (or operators) never compare equal. Lower is served / chosen first.
 */
export interface RankKey {
  readonly rank: ReadonlyArray<number>
  readonly id: string
}

/** Total order on `RankKey`s. */
export const compareRankKeys = (a: RankKey, b: RankKey): number => {
  const n = Math.min(a.rank.length, b.rank.length)
  for (let i = 0; i < n; i++) {
    const x = a.rank[i] as number
    const y = b.rank[i] as number
    if (x < y) return -1
    if (x > y) return 1
  }
  if (a.rank.length !== b.rank.length) return a.rank.length - b.rank.length
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * A2.1 `queueKey(d)`: PRIORITY_FIFO (−priority, enqueuedAt, id); SLA_DUE (slaDueAt ?? +∞,
 * −priority, enqueuedAt, id); FIFO (enqueuedAt, id); AGED_PRIORITY (enqueuedAt − priority ×
 * agingStep, id). `PRIORITY_FIFO` can starve low priorities under a steady stream of urgent work
 * (INV-6); `AGED_PRIORITY` and `FIFO` cannot.
 */
export const queueKey = (d: RoutingDialog, policy: QueuePolicy): RankKey => {
  switch (policy.queueOrder) {
    case "PRIORITY_FIFO":
      return { rank: [-d.priority, d.enqueuedAt], id: d.id }
    case "SLA_DUE":
      return { rank: [d.slaDueAt ?? Number.POSITIVE_INFINITY, -d.priority, d.enqueuedAt], id: d.id }
    case "FIFO":
      return { rank: [d.enqueuedAt], id: d.id }
    case "AGED_PRIORITY":
      return { rank: [d.enqueuedAt - d.priority * policy.agingStepSec * 1000], id: d.id }
  }
}

/** What `selectionKey` needs to know about an operator at the moment of choosing. */
export interface SelectionFacts {
  /** `load(o, d.channel)`. */
  readonly load: number
  /** `capacity[d.channel]` (> 0 for every candidate). */
  readonly capacity: number
  /** Load over all channels; 0 = idle. */
  readonly totalLoad: number
  readonly lastAssignedAt: number | undefined
  /** Orders assignments made at the same instant (see `RoutingOperator.lastAssignedSeq`). */
  readonly lastAssignedSeq: number
  readonly lastBecameIdleAt: number | undefined
  /** Σ of the operator's levels over the dialog's scored skills. */
  readonly skillScore: number
}

const nullsFirst = (t: number | undefined): number => t ?? Number.NEGATIVE_INFINITY

/**
 * A2.2 `selectionKey(o)`, lowest wins: LEAST_LOADED (load, lastAssignedAt, id); LEAST_LOADED_PCT
 * (load / capacity, lastAssignedAt, id); ROUND_ROBIN (lastAssignedAt, id); LONGEST_IDLE
 * (idleSince, lastAssignedAt, id); BEST_SKILL (−Σ levels, lastAssignedAt, id). A missing
 * `lastAssignedAt` sorts first, and equal instants are ordered by `lastAssignedSeq`, so round
 * robin stays strict when a pass makes many assignments at one instant (INV-9a).
 *
 * `LONGEST_IDLE` needs a meaning for "idle" the spec leaves open: an operator with no active
 * dialogs is idle since `lastBecameIdleAt` (missing sorts first); a busy one ranks after every
 * idle one (`+∞`), and busy operators among themselves fall back to `lastAssignedAt`.
 */
export const selectionRank = (selection: Selection, facts: SelectionFacts): ReadonlyArray<number> => {
  const last = nullsFirst(facts.lastAssignedAt)
  const order = facts.lastAssignedSeq
  switch (selection) {
    case "LEAST_LOADED":
      return [facts.load, last, order]
    case "LEAST_LOADED_PCT":
      return [facts.load / facts.capacity, last, order]
    case "ROUND_ROBIN":
      return [last, order]
    case "LONGEST_IDLE":
      return [facts.totalLoad > 0 ? Number.POSITIVE_INFINITY : nullsFirst(facts.lastBecameIdleAt), last, order]
    case "BEST_SKILL":
      return [-facts.skillScore, last, order]
  }
}

/** `selectionKey(o)` for dialog `d` with loads derived from the current dialogs. */
export const selectionKey = (op: RoutingOperator, d: RoutingDialog, policy: QueuePolicy, loads: Loads): RankKey => ({
  rank: selectionRank(policy.selection, {
    load: loadOf(loads, op.id, d.channel),
    capacity: capacityOf(op, d.channel),
    totalLoad: totalLoadOf(loads, op.id),
    lastAssignedAt: op.lastAssignedAt[d.channel],
    lastAssignedSeq: op.lastAssignedSeq[d.channel] ?? 0,
    lastBecameIdleAt: op.lastBecameIdleAt,
    skillScore: skillScore(op, scoredSkills(d))
  }),
  id: op.id
})

/** The next sequence number for an assignment at `now`: one past every assignment already made at `now`. */
export const nextSeqAt = (operators: Iterable<RoutingOperator>, now: number): number => {
  let next = 0
  for (const op of operators) {
    for (const [channel, at] of Object.entries(op.lastAssignedAt)) {
      if (at === now) next = Math.max(next, (op.lastAssignedSeq[channel] ?? 0) + 1)
    }
  }
  return next
}

/**
 * The `(lastAssignedAt, lastAssignedSeq)` an assignment at `now` leaves on the operator's channel.
 * It always moves the operator later in "least recently assigned" order, even when a skewed clock
 * recorded an earlier assignment in the future (then the instant is kept and the sequence grows).
 */
export const nextAssignmentMark = (
  previousAt: number | undefined,
  previousSeq: number,
  now: number,
  seqAtNow: number
): { readonly at: number; readonly seq: number } =>
  previousAt !== undefined && previousAt > now ? { at: previousAt, seq: previousSeq + 1 } : { at: now, seq: seqAtNow }
