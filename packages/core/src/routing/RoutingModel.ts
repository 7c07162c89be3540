import { Either, Schema } from "effect"
import { ChannelKind } from "../channels/Channel.js"
import { DialogId, Instant, QueueId, TopicId } from "../shared/Ids.js"
import { planPass } from "./Planner.js"
import {
  type AssignmentRecord,
  Availability,
  capacityOf,
  type CandidateContext,
  Count,
  countsAsLoad,
  deriveLoads,
  holderOf,
  isAbsent,
  isCandidate,
  loadOf,
  nextAssignmentMark,
  nextSeqAt,
  OperatorId,
  policyFor,
  Presence,
  redistributionFor,
  type RoutingConfig,
  RoutingDialog,
  RoutingOperator,
  type RoutingSnapshot,
  Shift,
  Skill,
  SkillGroupId,
  StatusId,
  statusOf
} from "./Routing.js"

/**
 * The routing lifecycle as a pure decider (ROUTING.md A3, A4): operator presence, status and
 * capacity; dialog arrival, offers, assignment, hold, close, reopen, transfer; timers (heartbeat
 * expiry, offer expiry, `REQUEUE_AFTER` grace, exclusion reset, inactivity, shifts) and routing
 * passes.
 *
 * `decide` first lets time pass up to the command's `at`, processing every timer that fell due
 * in chronological order (each at its own due instant), then handles the command. Timer events
 * are a pure function of the state and the time, so a rejected command loses nothing: the next
 * command derives the same timer events again. `decide` and `evolve` share one event fold, so
 * folding `evolve` over `decide`'s events always yields `execute`'s state.
 *
 * Exclusion reset (A3) is purely time-based: a dialog still queued `exclusionResetSec` after its
 * last exclusion has, by then, found nobody else, which is the spec's "every operator in the
 * queue is excluded". Making it conditional on an empty `E(d)` at that instant would let a pass
 * that just used up the other candidates re-open exclusions behind its back.
 *
 * Only A4's transitions occur. Two same-state moves are also emitted, both by explicit request:
 * `assigned → assigned` (a supervisor reassigns or transfers to another operator) and
 * `queued → queued` (a queued dialog is transferred to another queue, or its exclusions reset).
 */

const at = { at: Instant }

// ---- commands ----

/** An operator's configured routing profile. New operators start offline, in the first non-receiving status. */
export const OperatorProfile = Schema.Struct({
  id: OperatorId,
  capacity: Schema.Record({ key: Schema.String, value: Count }),
  skillGroups: Schema.optionalWith(Schema.Array(SkillGroupId), { default: () => [] }),
  skills: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: Schema.Number.pipe(Schema.int(), Schema.between(1, 10)) }),
    { default: () => ({}) }
  ),
  queues: Schema.Array(QueueId),
  shifts: Schema.optional(Schema.Array(Shift))
})
export type OperatorProfile = typeof OperatorProfile.Type

/** A dialog entering routing. */
export const NewDialog = Schema.Struct({
  id: DialogId,
  channel: ChannelKind,
  queueId: QueueId,
  priority: Schema.optionalWith(Schema.Number.pipe(Schema.int()), { default: () => 0 }),
  slaDueAt: Schema.optional(Instant),
  topics: Schema.optionalWith(Schema.Array(TopicId), { default: () => [] }),
  requiredSkills: Schema.optionalWith(Schema.Array(Skill), { default: () => [] }),
  preferredSkills: Schema.optionalWith(Schema.Array(Skill), { default: () => [] }),
  relaxAfterSec: Schema.optional(Count)
})
export type NewDialog = typeof NewDialog.Type

/** Add an operator to routing or replace their profile; presence and status carry over. */
export const UpsertOperator = Schema.TaggedStruct("UpsertOperator", { profile: OperatorProfile, ...at })
/** Explicit presence; `online` / `away` also count as a heartbeat. `offline` is presence loss (A3). */
export const SetPresence = Schema.TaggedStruct("SetPresence", { operatorId: OperatorId, presence: Presence, ...at })
/** The operator's panel is alive: keeps them present (presence is lost when heartbeats stop, A3). */
export const Heartbeat = Schema.TaggedStruct("Heartbeat", { operatorId: OperatorId, ...at })
/** Sets a configured status; its "may receive dialogs" flag decides `availability` (A0). */
export const SetStatus = Schema.TaggedStruct("SetStatus", { operatorId: OperatorId, statusId: StatusId, ...at })
/**
 * Makes the operator available or unavailable for routing directly (a manual override of the status's
 * flag).
 */
export const SetAvailability = Schema.TaggedStruct("SetAvailability", {
  operatorId: OperatorId,
  availability: Availability,
  ...at
})
/**
 * Sets the operator's capacity on one channel kind; lowering it below the current load takes nothing
 * away.
 */
export const SetCapacity = Schema.TaggedStruct("SetCapacity", {
  operatorId: OperatorId,
  channel: Schema.String,
  capacity: Count,
  ...at
})
/** The operator did something (typed, clicked): resets the inactivity timer (OPS-02). */
export const RecordActivity = Schema.TaggedStruct("RecordActivity", { operatorId: OperatorId, ...at })
/** A dialog enters routing: queued in its queue, with its priority, SLA due time and skills. */
export const Arrive = Schema.TaggedStruct("Arrive", { dialog: NewDialog, ...at })
/** The offered operator accepts: offered → assigned. */
export const AcceptOffer = Schema.TaggedStruct("AcceptOffer", { dialogId: DialogId, operatorId: OperatorId, ...at })
/** The offered operator declines: back to queued, keeping `enqueuedAt`, and the operator is excluded. */
export const DeclineOffer = Schema.TaggedStruct("DeclineOffer", { dialogId: DialogId, operatorId: OperatorId, ...at })
/** The dialog closed: it leaves routing and frees its operator's capacity. */
export const Close = Schema.TaggedStruct("Close", { dialogId: DialogId, ...at })
/** The assigned dialog goes on hold. */
export const Hold = Schema.TaggedStruct("Hold", { dialogId: DialogId, ...at })
/** The held dialog comes off hold; it may leave its operator over capacity (flagged). */
export const Unhold = Schema.TaggedStruct("Unhold", { dialogId: DialogId, ...at })
/** Reopens a closed dialog: back to its previous operator when they are in `E(d)` ("sticky"), else queued. */
export const Reopen = Schema.TaggedStruct("Reopen", { dialogId: DialogId, ...at })
/** Where a transfer sends a dialog: another queue, or an operator directly. */
export const TransferTarget = Schema.Union(
  Schema.TaggedStruct("ToQueue", { queueId: QueueId }),
  Schema.TaggedStruct("ToOperator", { operatorId: OperatorId })
)
export type TransferTarget = typeof TransferTarget.Type
/** A supervisor or operator transfers the dialog to a queue (requeued) or an operator (assigned). */
export const Transfer = Schema.TaggedStruct("Transfer", { dialogId: DialogId, to: TransferTarget, ...at })
/** A supervisor assigns a dialog to an operator, subject to `manualOverCapacity`. */
export const ManualAssign = Schema.TaggedStruct("ManualAssign", { dialogId: DialogId, operatorId: OperatorId, ...at })
/** An operator takes a queued dialog (OPS-06); the second of two pickers gets `AlreadyTaken`. */
export const Pick = Schema.TaggedStruct("Pick", { dialogId: DialogId, operatorId: OperatorId, ...at })
/** A routing pass over `queues` (all when absent), making at most `limit` decisions. */
export const RunPass = Schema.TaggedStruct("RunPass", {
  queues: Schema.optional(Schema.Array(QueueId)),
  limit: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.positive())),
  ...at
})
/** Lets time pass: timers due up to `at` fire. */
export const Tick = Schema.TaggedStruct("Tick", { ...at })

/** Every command of the routing decider, decoded by `_tag`; each carries its instant `at`. */
export const RoutingCommand = Schema.Union(
  UpsertOperator,
  SetPresence,
  Heartbeat,
  SetStatus,
  SetAvailability,
  SetCapacity,
  RecordActivity,
  Arrive,
  AcceptOffer,
  DeclineOffer,
  Close,
  Hold,
  Unhold,
  Reopen,
  Transfer,
  ManualAssign,
  Pick,
  RunPass,
  Tick
)
export type RoutingCommand = typeof RoutingCommand.Type

// ---- events ----

/** An operator was added to routing or their profile replaced. */
export const OperatorUpserted = Schema.TaggedStruct("OperatorUpserted", { operator: RoutingOperator, ...at })
/** The operator's presence changed, explicitly or because their heartbeats stopped. */
export const PresenceChanged = Schema.TaggedStruct("PresenceChanged", {
  operatorId: OperatorId,
  presence: Presence,
  cause: Schema.Literal("explicit", "heartbeat_expired"),
  ...at
})
/** The operator's heartbeat arrived; the presence-loss timer restarts. */
export const HeartbeatRecorded = Schema.TaggedStruct("HeartbeatRecorded", { operatorId: OperatorId, ...at })
/**
 * The operator became available or unavailable: by hand, by a status, for inactivity or after missed
 * offers.
 */
export const AvailabilityChanged = Schema.TaggedStruct("AvailabilityChanged", {
  operatorId: OperatorId,
  availability: Availability,
  statusId: StatusId,
  cause: Schema.Literal("manual", "status", "inactivity", "missed_offers"),
  ...at
})
/** The operator's capacity on one channel kind changed. */
export const CapacityChanged = Schema.TaggedStruct("CapacityChanged", {
  operatorId: OperatorId,
  channel: Schema.String,
  capacity: Count,
  ...at
})
/** The operator did something; the inactivity timer restarts. */
export const ActivityRecorded = Schema.TaggedStruct("ActivityRecorded", { operatorId: OperatorId, ...at })
/** The operator became absent (A3 presence loss): their offers are rescinded right after. */
export const OperatorWentUnavailable = Schema.TaggedStruct("OperatorWentUnavailable", { operatorId: OperatorId, ...at })
/** An operator who had become unavailable is back (the counterpart of `OperatorWentUnavailable`). */
export const OperatorReturned = Schema.TaggedStruct("OperatorReturned", { operatorId: OperatorId, ...at })
/** A dialog entered routing, queued. */
export const DialogArrived = Schema.TaggedStruct("DialogArrived", { dialog: RoutingDialog, ...at })
/** queued → offered. `via` says whether a pass or a sticky reopen made it (both engine-made). */
export const DialogOffered = Schema.TaggedStruct("DialogOffered", {
  dialogId: DialogId,
  operatorId: OperatorId,
  expiresAt: Instant,
  via: Schema.Literal("pass", "sticky"),
  ...at
})
/** → assigned. `pass` and `sticky` are engine-made; the rest are people's actions. */
export const DialogAssigned = Schema.TaggedStruct("DialogAssigned", {
  dialogId: DialogId,
  operatorId: OperatorId,
  via: Schema.Literal("pass", "sticky", "accept", "manual", "pick", "transfer"),
  overCapacity: Schema.Boolean,
  ...at
})
/** offered → queued, keeping `enqueuedAt`. Declined and expired offers exclude the operator. */
export const OfferEnded = Schema.TaggedStruct("OfferEnded", {
  dialogId: DialogId,
  operatorId: OperatorId,
  outcome: Schema.Literal("declined", "expired", "rescinded"),
  ...at
})
/** → queued, with the given queue and `enqueuedAt` (kept unless a transfer restarts it). */
export const DialogRequeued = Schema.TaggedStruct("DialogRequeued", {
  dialogId: DialogId,
  reason: Schema.Literal("operator_unavailable", "transfer"),
  queueId: QueueId,
  enqueuedAt: Instant,
  reroutedFrom: Schema.optional(OperatorId),
  ...at
})
/** The assigned dialog went on hold. */
export const DialogHeld = Schema.TaggedStruct("DialogHeld", { dialogId: DialogId, ...at })
/** The dialog came off hold; `overCapacity` when its operator is now above capacity. */
export const DialogUnheld = Schema.TaggedStruct("DialogUnheld", { dialogId: DialogId, overCapacity: Schema.Boolean, ...at })
/** The dialog left routing closed; its operator's load drops. */
export const DialogClosed = Schema.TaggedStruct("DialogClosed", { dialogId: DialogId, ...at })
/** closed → queued with a fresh `enqueuedAt` and no exclusions. */
export const DialogReopened = Schema.TaggedStruct("DialogReopened", { dialogId: DialogId, enqueuedAt: Instant, ...at })
/** Every operator excluded from the dialog may be offered it again (the exclusion reset, A3). */
export const ExclusionsCleared = Schema.TaggedStruct("ExclusionsCleared", { dialogId: DialogId, ...at })

/** Every event of the routing decider, decoded by `_tag`; `evolve` folds them into the routing state. */
export const RoutingEvent = Schema.Union(
  OperatorUpserted,
  PresenceChanged,
  HeartbeatRecorded,
  AvailabilityChanged,
  CapacityChanged,
  ActivityRecorded,
  OperatorWentUnavailable,
  OperatorReturned,
  DialogArrived,
  DialogOffered,
  DialogAssigned,
  OfferEnded,
  DialogRequeued,
  DialogHeld,
  DialogUnheld,
  DialogClosed,
  DialogReopened,
  ExclusionsCleared
)
export type RoutingEvent = typeof RoutingEvent.Type

/** Whether an offer/assignment was made by the engine (a pass or a sticky reopen), not by a person. */
export const isEngineMade = (e: RoutingEvent): e is typeof DialogOffered.Type | typeof DialogAssigned.Type =>
  (e._tag === "DialogOffered" || e._tag === "DialogAssigned") && (e.via === "pass" || e.via === "sticky")

/** The one rejection of the routing model: a small reason union and a readable message. */
export class RoutingRejected extends Schema.TaggedError<RoutingRejected>()("RoutingRejected", {
  reason: Schema.Literal(
    "UnknownDialog",
    "UnknownOperator",
    "UnknownStatus",
    "DuplicateDialog",
    "InvalidTransition",
    "NoPendingOffer",
    "AlreadyTaken",
    "OverCapacity",
    "OperatorUnavailable",
    "NotInQueue"
  ),
  dialogId: Schema.optional(DialogId),
  operatorId: Schema.optional(OperatorId),
  message: Schema.String
}) {}

// ---- state ----

/** Everything routing knows; `clock` is the instant up to which timers have been processed. */
export interface RoutingState {
  readonly config: RoutingConfig
  readonly clock: number
  readonly operators: ReadonlyMap<OperatorId, RoutingOperator>
  readonly dialogs: ReadonlyMap<DialogId, RoutingDialog>
  /** Engine-made assignments inside the longest rate-limit window (A2.4). */
  readonly assignmentLog: ReadonlyArray<AssignmentRecord>
}

/** An empty routing state at `clock`. */
export const initial = (config: RoutingConfig, clock: number): RoutingState => ({
  config,
  clock,
  operators: new Map(),
  dialogs: new Map(),
  assignmentLog: []
})

/**
 * A routing state rebuilt from stored facts, e.g. after a restart. `clock` is the instant the
 * facts were last processed up to: the next command fires every timer that fell due since then,
 * each at its own instant, so offers that expired while nobody was running expire exactly once.
 */
export const fromSnapshot = (config: RoutingConfig, clock: number, snapshot: RoutingSnapshot): RoutingState => ({
  config,
  clock,
  operators: new Map(snapshot.operators.map((op) => [op.id, op])),
  dialogs: new Map(snapshot.dialogs.map((d) => [d.id, d])),
  assignmentLog: snapshot.assignmentLog
})

/** The snapshot a pass (or the supervisor view) reads: every operator and every non-closed dialog. */
export const snapshotOf = (state: RoutingState): RoutingSnapshot => ({
  operators: [...state.operators.values()],
  dialogs: [...state.dialogs.values()].filter((d) => d.state !== "closed"),
  assignmentLog: state.assignmentLog
})

/** The candidate context (`E(d)` inputs) of a state at `now`. */
export const candidateContext = (state: RoutingState, now: number): CandidateContext => ({
  config: state.config,
  now,
  loads: deriveLoads(state.dialogs.values(), state.config),
  assignmentLog: state.assignmentLog
})

class Draft implements RoutingState {
  readonly operators: Map<OperatorId, RoutingOperator>
  readonly dialogs: Map<DialogId, RoutingDialog>
  assignmentLog: Array<AssignmentRecord>
  clock: number
  readonly config: RoutingConfig

  constructor(state: RoutingState) {
    this.config = state.config
    this.clock = state.clock
    this.operators = new Map(state.operators)
    this.dialogs = new Map(state.dialogs)
    this.assignmentLog = [...state.assignmentLog]
  }

  freeze(): RoutingState {
    return {
      config: this.config,
      clock: this.clock,
      operators: this.operators,
      dialogs: this.dialogs,
      assignmentLog: this.assignmentLog
    }
  }
}

const longestWindowMs = (config: RoutingConfig): number => {
  let longest = 0
  for (const p of [config.defaultPolicy, ...Object.values(config.queues)]) {
    if (p.maxAssignmentsPerWindow !== undefined) longest = Math.max(longest, p.maxAssignmentsPerWindow.windowSec * 1000)
  }
  return longest
}

const totalLoad = (draft: Draft, operatorId: OperatorId): number => {
  let n = 0
  for (const d of draft.dialogs.values()) if (countsAsLoad(d, draft.config) && holderOf(d) === operatorId) n++
  return n
}

const updateOperator = (draft: Draft, id: OperatorId, f: (op: RoutingOperator) => RoutingOperator): void => {
  const op = draft.operators.get(id)
  if (op !== undefined) draft.operators.set(id, f(op))
}

const updateDialog = (draft: Draft, id: DialogId, f: (d: RoutingDialog) => RoutingDialog): RoutingDialog | undefined => {
  const d = draft.dialogs.get(id)
  if (d !== undefined) draft.dialogs.set(id, f(d))
  return d
}

const markAssigned = (draft: Draft, operatorId: OperatorId, channel: string, queueId: QueueId, t: number, engine: boolean) => {
  const seqAtNow = nextSeqAt(draft.operators.values(), t)
  updateOperator(draft, operatorId, (op) => {
    const mark = nextAssignmentMark(op.lastAssignedAt[channel], op.lastAssignedSeq[channel] ?? 0, t, seqAtNow)
    return {
      ...op,
      lastAssignedAt: { ...op.lastAssignedAt, [channel]: mark.at },
      lastAssignedSeq: { ...op.lastAssignedSeq, [channel]: mark.seq }
    }
  })
  if (!engine) return
  const from = t - longestWindowMs(draft.config)
  draft.assignmentLog = [...draft.assignmentLog.filter((r) => r.at > from), { operatorId, queueId, at: t }]
}

/** After load left `operatorId`: an operator with nothing left became idle now (`LONGEST_IDLE`). */
const maybeIdle = (draft: Draft, operatorId: OperatorId | undefined, t: number) => {
  if (operatorId === undefined || totalLoad(draft, operatorId) > 0) return
  updateOperator(draft, operatorId, (op) => ({ ...op, lastBecameIdleAt: t }))
}

const apply = (draft: Draft, e: RoutingEvent): void => {
  switch (e._tag) {
    case "OperatorUpserted":
      draft.operators.set(e.operator.id, e.operator)
      return
    case "PresenceChanged":
      updateOperator(draft, e.operatorId, (op) => ({
        ...op,
        presence: e.presence,
        lastHeartbeatAt: e.presence === "offline" ? op.lastHeartbeatAt : e.at
      }))
      return
    case "HeartbeatRecorded":
      updateOperator(draft, e.operatorId, (op) => ({ ...op, lastHeartbeatAt: e.at }))
      return
    case "AvailabilityChanged":
      updateOperator(draft, e.operatorId, (op) => ({
        ...op,
        availability: e.availability,
        statusId: e.statusId,
        consecutiveMisses: e.availability === "available" ? 0 : op.consecutiveMisses,
        lastActivityAt: e.cause === "manual" || e.cause === "status" ? e.at : op.lastActivityAt
      }))
      return
    case "CapacityChanged":
      updateOperator(draft, e.operatorId, (op) => ({ ...op, capacity: { ...op.capacity, [e.channel]: e.capacity } }))
      return
    case "ActivityRecorded":
      updateOperator(draft, e.operatorId, (op) => ({ ...op, lastActivityAt: e.at }))
      return
    case "OperatorWentUnavailable":
      updateOperator(draft, e.operatorId, (op) => ({ ...op, unavailableSince: e.at }))
      return
    case "OperatorReturned":
      updateOperator(draft, e.operatorId, (op) => ({ ...op, unavailableSince: undefined }))
      maybeIdle(draft, e.operatorId, e.at)
      return
    case "DialogArrived":
      draft.dialogs.set(e.dialog.id, e.dialog)
      return
    case "DialogOffered": {
      const d = updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "offered",
        offer: { operatorId: e.operatorId, createdAt: e.at, expiresAt: e.expiresAt },
        version: d.version + 1
      }))
      if (d !== undefined) markAssigned(draft, e.operatorId, d.channel, d.queueId, e.at, true)
      return
    }
    case "DialogAssigned": {
      const before = updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "assigned",
        assigneeId: e.operatorId,
        offer: undefined,
        overCapacity: e.overCapacity,
        previousAssigneeId:
          d.assigneeId !== undefined && d.assigneeId !== e.operatorId ? d.assigneeId : d.previousAssigneeId,
        version: d.version + 1
      }))
      if (before === undefined) return
      if (e.via === "accept") {
        updateOperator(draft, e.operatorId, (op) => ({ ...op, consecutiveMisses: 0, lastActivityAt: e.at }))
      } else {
        markAssigned(draft, e.operatorId, before.channel, before.queueId, e.at, e.via === "pass" || e.via === "sticky")
      }
      const previousHolder = holderOf(before)
      if (previousHolder !== e.operatorId) maybeIdle(draft, previousHolder, e.at)
      return
    }
    case "OfferEnded": {
      const excluded = e.outcome !== "rescinded"
      updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "queued",
        offer: undefined,
        excludedOperators:
          excluded && !d.excludedOperators.includes(e.operatorId) ? [...d.excludedOperators, e.operatorId] : d.excludedOperators,
        lastExcludedAt: excluded ? e.at : d.lastExcludedAt,
        version: d.version + 1
      }))
      if (e.outcome === "expired") {
        updateOperator(draft, e.operatorId, (op) => ({ ...op, consecutiveMisses: op.consecutiveMisses + 1 }))
      } else if (e.outcome === "declined") {
        updateOperator(draft, e.operatorId, (op) => ({ ...op, lastActivityAt: e.at }))
      }
      maybeIdle(draft, e.operatorId, e.at)
      return
    }
    case "DialogRequeued": {
      const before = updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "queued",
        queueId: e.queueId,
        enqueuedAt: e.enqueuedAt,
        assigneeId: undefined,
        offer: undefined,
        previousAssigneeId: d.assigneeId ?? d.previousAssigneeId,
        overCapacity: false,
        reroutedFrom: e.reroutedFrom ?? d.reroutedFrom,
        excludedOperators: e.reason === "transfer" ? [] : d.excludedOperators,
        lastExcludedAt: e.reason === "transfer" ? undefined : d.lastExcludedAt,
        version: d.version + 1
      }))
      if (before !== undefined) maybeIdle(draft, holderOf(before), e.at)
      return
    }
    case "DialogHeld": {
      const before = updateDialog(draft, e.dialogId, (d) => ({ ...d, state: "on_hold", version: d.version + 1 }))
      if (before !== undefined) maybeIdle(draft, before.assigneeId, e.at)
      return
    }
    case "DialogUnheld":
      updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "assigned",
        overCapacity: d.overCapacity || e.overCapacity,
        version: d.version + 1
      }))
      return
    case "DialogClosed": {
      const before = updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "closed",
        previousAssigneeId: d.assigneeId ?? d.previousAssigneeId,
        assigneeId: undefined,
        offer: undefined,
        overCapacity: false,
        version: d.version + 1
      }))
      if (before !== undefined) maybeIdle(draft, holderOf(before), e.at)
      return
    }
    case "DialogReopened":
      updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        state: "queued",
        enqueuedAt: e.enqueuedAt,
        excludedOperators: [],
        lastExcludedAt: undefined,
        reroutedFrom: undefined,
        version: d.version + 1
      }))
      return
    case "ExclusionsCleared":
      updateDialog(draft, e.dialogId, (d) => ({
        ...d,
        excludedOperators: [],
        lastExcludedAt: undefined,
        version: d.version + 1
      }))
      return
  }
}

/** Folds one event into the state. Total: an event about an unknown dialog or operator changes nothing. */
export const evolve = (state: RoutingState, event: RoutingEvent): RoutingState => {
  const draft = new Draft(state)
  apply(draft, event)
  return draft.freeze()
}

// ---- time ----

type Emit = (e: RoutingEvent) => void

const inactivityApplies = (draft: Draft, op: RoutingOperator): boolean => {
  const rule = draft.config.inactivity
  return (
    rule !== undefined &&
    op.presence !== "offline" &&
    op.statusId !== rule.statusId &&
    statusOf(draft.config, op.statusId)?.receivesDialogs === true
  )
}

const requeueDueAt = (draft: Draft, d: RoutingDialog): number | undefined => {
  if (d.state !== "assigned" || d.assigneeId === undefined) return undefined
  const since = draft.operators.get(d.assigneeId)?.unavailableSince
  if (since === undefined) return undefined
  const redistribution = redistributionFor(draft.config, d.queueId, d.channel)
  return redistribution._tag === "REQUEUE_AFTER" ? since + redistribution.graceSec * 1000 : undefined
}

/** The earliest timer strictly after `draft.clock`, if any. */
const nextDue = (draft: Draft): number | undefined => {
  let best = Number.POSITIVE_INFINITY
  const consider = (t: number) => {
    if (t > draft.clock && t < best) best = t
  }
  const ttl = draft.config.presenceTtlSec * 1000
  for (const op of draft.operators.values()) {
    if (op.presence !== "offline") consider(op.lastHeartbeatAt + ttl)
    if (inactivityApplies(draft, op) && draft.config.inactivity !== undefined) {
      consider(op.lastActivityAt + draft.config.inactivity.afterSec * 1000)
    }
    for (const shift of op.shifts ?? []) {
      consider(shift.start)
      consider(shift.end)
    }
  }
  for (const d of draft.dialogs.values()) {
    if (d.state === "offered" && d.offer !== undefined) consider(d.offer.expiresAt)
    const requeueAt = requeueDueAt(draft, d)
    if (requeueAt !== undefined) consider(requeueAt)
    if (d.state === "queued" && d.lastExcludedAt !== undefined && d.excludedOperators.length > 0) {
      consider(d.lastExcludedAt + policyFor(draft.config, d.queueId).exclusionResetSec * 1000)
    }
  }
  return Number.isFinite(best) ? best : undefined
}

const syncAbsence = (draft: Draft, t: number, emit: Emit): void => {
  for (const op of [...draft.operators.values()]) {
    const absent = isAbsent(op, draft.config, t)
    if (absent && op.unavailableSince === undefined) {
      emit(OperatorWentUnavailable.make({ operatorId: op.id, at: t }))
      for (const d of [...draft.dialogs.values()]) {
        if (d.state === "offered" && d.offer?.operatorId === op.id) {
          emit(OfferEnded.make({ dialogId: d.id, operatorId: op.id, outcome: "rescinded", at: t }))
        }
      }
    } else if (!absent && op.unavailableSince !== undefined) {
      emit(OperatorReturned.make({ operatorId: op.id, at: t }))
    }
  }
}

/** Processes everything due at or before `t`, as of `t`. */
const processAt = (draft: Draft, t: number, emit: Emit): void => {
  const { config } = draft
  const ttl = config.presenceTtlSec * 1000
  for (const op of [...draft.operators.values()]) {
    if (op.presence !== "offline" && t >= op.lastHeartbeatAt + ttl) {
      emit(PresenceChanged.make({ operatorId: op.id, presence: "offline", cause: "heartbeat_expired", at: t }))
    }
  }
  const rule = config.inactivity
  if (rule !== undefined) {
    for (const op of [...draft.operators.values()]) {
      if (inactivityApplies(draft, op) && t >= op.lastActivityAt + rule.afterSec * 1000) {
        const receives = statusOf(config, rule.statusId)?.receivesDialogs === true
        emit(
          AvailabilityChanged.make({
            operatorId: op.id,
            availability: receives ? op.availability : "unavailable",
            statusId: rule.statusId,
            cause: "inactivity",
            at: t
          })
        )
      }
    }
  }
  for (const d of [...draft.dialogs.values()]) {
    if (d.state !== "offered" || d.offer === undefined || d.offer.expiresAt > t) continue
    const operatorId = d.offer.operatorId
    emit(OfferEnded.make({ dialogId: d.id, operatorId, outcome: "expired", at: t }))
    const delivery = policyFor(config, d.queueId).delivery
    const op = draft.operators.get(operatorId)
    if (
      op !== undefined &&
      delivery._tag === "OFFER" &&
      delivery.missesBeforeAway > 0 &&
      op.consecutiveMisses >= delivery.missesBeforeAway &&
      op.availability === "available"
    ) {
      emit(
        AvailabilityChanged.make({ operatorId, availability: "busy", statusId: op.statusId, cause: "missed_offers", at: t })
      )
    }
  }
  syncAbsence(draft, t, emit)
  for (const d of [...draft.dialogs.values()]) {
    const due = requeueDueAt(draft, d)
    if (due === undefined || due > t || d.assigneeId === undefined) continue
    emit(
      DialogRequeued.make({
        dialogId: d.id,
        reason: "operator_unavailable",
        queueId: d.queueId,
        enqueuedAt: d.enqueuedAt,
        reroutedFrom: d.assigneeId,
        at: t
      })
    )
  }
  for (const d of [...draft.dialogs.values()]) {
    if (d.state !== "queued" || d.excludedOperators.length === 0 || d.lastExcludedAt === undefined) continue
    if (t < d.lastExcludedAt + policyFor(config, d.queueId).exclusionResetSec * 1000) continue
    emit(ExclusionsCleared.make({ dialogId: d.id, at: t }))
  }
}

/** Lets time run from `draft.clock` to `now`, firing each timer at its own instant. */
const settle = (draft: Draft, now: number, emit: Emit): void => {
  for (let t = nextDue(draft); t !== undefined && t <= now; t = nextDue(draft)) {
    draft.clock = t
    processAt(draft, t, emit)
  }
  draft.clock = Math.max(draft.clock, now)
  processAt(draft, draft.clock, emit)
}

// ---- commands ----

const reject = (
  reason: RoutingRejected["reason"],
  message: string,
  ids: { readonly dialogId?: DialogId; readonly operatorId?: OperatorId } = {}
): RoutingRejected => new RoutingRejected({ reason, message, ...ids })

const deliver = (
  draft: Draft,
  d: RoutingDialog,
  operatorId: OperatorId,
  via: "pass" | "sticky",
  t: number,
  emit: Emit
): void => {
  const delivery = policyFor(draft.config, d.queueId).delivery
  if (delivery._tag === "DIRECT") {
    emit(DialogAssigned.make({ dialogId: d.id, operatorId, via, overCapacity: false, at: t }))
  } else {
    emit(DialogOffered.make({ dialogId: d.id, operatorId, expiresAt: t + delivery.timeoutSec * 1000, via, at: t }))
  }
}

/** Whether adding `d` to `operatorId` would exceed capacity (not counting `d` if it already loads them). */
const wouldExceed = (draft: Draft, d: RoutingDialog, op: RoutingOperator): boolean => {
  const loads = deriveLoads(draft.dialogs.values(), draft.config)
  const own = countsAsLoad(d, draft.config) && holderOf(d) === op.id ? 1 : 0
  return loadOf(loads, op.id, d.channel) - own >= capacityOf(op, d.channel)
}

const assignManually = (
  draft: Draft,
  dialogId: DialogId,
  operatorId: OperatorId,
  via: "manual" | "pick" | "transfer",
  t: number,
  emit: Emit
): RoutingRejected | undefined => {
  const d = draft.dialogs.get(dialogId)
  if (d === undefined) return reject("UnknownDialog", "No such dialog.", { dialogId })
  const op = draft.operators.get(operatorId)
  if (op === undefined) return reject("UnknownOperator", "No such operator.", { operatorId })
  if (d.state === "closed") return reject("InvalidTransition", "The dialog is closed.", { dialogId })
  if (via === "pick") {
    if (d.state === "offered" && d.offer?.operatorId === operatorId) {
      emit(DialogAssigned.make({ dialogId, operatorId, via: "accept", overCapacity: false, at: t }))
      return undefined
    }
    if (d.state !== "queued") return reject("AlreadyTaken", "Another operator already took this dialog.", { dialogId })
    if (!op.queues.includes(d.queueId)) return reject("NotInQueue", "The operator does not serve this queue.", { dialogId, operatorId })
  } else if ((d.state === "assigned" || d.state === "on_hold") && d.assigneeId === operatorId) {
    return reject("InvalidTransition", "The dialog already belongs to this operator.", { dialogId, operatorId })
  }
  if (isAbsent(op, draft.config, t)) {
    return reject("OperatorUnavailable", "The operator is offline, unavailable or off shift.", { dialogId, operatorId })
  }
  const over = wouldExceed(draft, d, op)
  if (over && policyFor(draft.config, d.queueId).manualOverCapacity === "deny") {
    return reject("OverCapacity", "The operator has no free capacity on this channel.", { dialogId, operatorId })
  }
  if (d.state === "offered" && d.offer !== undefined) {
    emit(OfferEnded.make({ dialogId, operatorId: d.offer.operatorId, outcome: "rescinded", at: t }))
  }
  emit(DialogAssigned.make({ dialogId, operatorId, via, overCapacity: over, at: t }))
  return undefined
}

const handle = (draft: Draft, command: RoutingCommand, t: number, emit: Emit): RoutingRejected | undefined => {
  const { config } = draft
  const operator = (operatorId: OperatorId): RoutingOperator | RoutingRejected =>
    draft.operators.get(operatorId) ?? reject("UnknownOperator", "No such operator.", { operatorId })
  const dialog = (dialogId: DialogId): RoutingDialog | RoutingRejected =>
    draft.dialogs.get(dialogId) ?? reject("UnknownDialog", "No such dialog.", { dialogId })

  switch (command._tag) {
    case "UpsertOperator": {
      const { profile } = command
      const existing = draft.operators.get(profile.id)
      const initialStatus = config.statuses.find((s) => !s.receivesDialogs) ?? config.statuses[0]
      if (existing === undefined && initialStatus === undefined) {
        return reject("UnknownStatus", "No operator statuses are configured.", { operatorId: profile.id })
      }
      const base: RoutingOperator = existing ?? {
        id: profile.id,
        presence: "offline",
        lastHeartbeatAt: t,
        availability: initialStatus?.receivesDialogs === true ? "available" : "unavailable",
        statusId: initialStatus?.id ?? StatusId.make("offline"),
        capacity: {},
        skillGroups: [],
        skills: {},
        queues: [],
        lastAssignedAt: {},
        lastAssignedSeq: {},
        consecutiveMisses: 0,
        lastActivityAt: t
      }
      emit(
        OperatorUpserted.make({
          operator: {
            ...base,
            capacity: profile.capacity,
            skillGroups: profile.skillGroups,
            skills: profile.skills,
            queues: profile.queues,
            shifts: profile.shifts
          },
          at: t
        })
      )
      return undefined
    }
    case "SetPresence": {
      const op = operator(command.operatorId)
      if (op instanceof RoutingRejected) return op
      emit(PresenceChanged.make({ operatorId: op.id, presence: command.presence, cause: "explicit", at: t }))
      return undefined
    }
    case "Heartbeat": {
      const op = operator(command.operatorId)
      if (op instanceof RoutingRejected) return op
      emit(HeartbeatRecorded.make({ operatorId: op.id, at: t }))
      return undefined
    }
    case "SetStatus": {
      const op = operator(command.operatorId)
      if (op instanceof RoutingRejected) return op
      const status = statusOf(config, command.statusId)
      if (status === undefined) return reject("UnknownStatus", `No status "${command.statusId}" is configured.`, { operatorId: op.id })
      emit(
        AvailabilityChanged.make({
          operatorId: op.id,
          availability: status.receivesDialogs ? "available" : "unavailable",
          statusId: status.id,
          cause: "status",
          at: t
        })
      )
      return undefined
    }
    case "SetAvailability": {
      const op = operator(command.operatorId)
      if (op instanceof RoutingRejected) return op
      emit(
        AvailabilityChanged.make({
          operatorId: op.id,
          availability: command.availability,
          statusId: op.statusId,
          cause: "manual",
          at: t
        })
      )
      return undefined
    }
    case "SetCapacity": {
      const op = operator(command.operatorId)
      if (op instanceof RoutingRejected) return op
      emit(CapacityChanged.make({ operatorId: op.id, channel: command.channel, capacity: command.capacity, at: t }))
      return undefined
    }
    case "RecordActivity": {
      const op = operator(command.operatorId)
      if (op instanceof RoutingRejected) return op
      emit(ActivityRecorded.make({ operatorId: op.id, at: t }))
      return undefined
    }
    case "Arrive": {
      const nd = command.dialog
      if (draft.dialogs.has(nd.id)) return reject("DuplicateDialog", "The dialog is already in routing.", { dialogId: nd.id })
      emit(
        DialogArrived.make({
          dialog: {
            id: nd.id,
            channel: nd.channel,
            queueId: nd.queueId,
            priority: nd.priority,
            slaDueAt: nd.slaDueAt,
            enqueuedAt: t,
            topics: nd.topics,
            requiredSkills: nd.requiredSkills,
            preferredSkills: nd.preferredSkills,
            relaxAfterSec: nd.relaxAfterSec,
            excludedOperators: [],
            state: "queued",
            overCapacity: false,
            version: 0
          },
          at: t
        })
      )
      return undefined
    }
    case "AcceptOffer":
    case "DeclineOffer": {
      const d = dialog(command.dialogId)
      if (d instanceof RoutingRejected) return d
      if (d.state !== "offered" || d.offer?.operatorId !== command.operatorId) {
        return reject("NoPendingOffer", "There is no pending offer of this dialog to this operator.", {
          dialogId: d.id,
          operatorId: command.operatorId
        })
      }
      emit(
        command._tag === "AcceptOffer"
          ? DialogAssigned.make({ dialogId: d.id, operatorId: command.operatorId, via: "accept", overCapacity: false, at: t })
          : OfferEnded.make({ dialogId: d.id, operatorId: command.operatorId, outcome: "declined", at: t })
      )
      return undefined
    }
    case "Close": {
      const d = dialog(command.dialogId)
      if (d instanceof RoutingRejected) return d
      if (d.state === "closed") return reject("InvalidTransition", "The dialog is already closed.", { dialogId: d.id })
      emit(DialogClosed.make({ dialogId: d.id, at: t }))
      return undefined
    }
    case "Hold": {
      const d = dialog(command.dialogId)
      if (d instanceof RoutingRejected) return d
      if (d.state !== "assigned") return reject("InvalidTransition", "Only an assigned dialog can be put on hold.", { dialogId: d.id })
      emit(DialogHeld.make({ dialogId: d.id, at: t }))
      return undefined
    }
    case "Unhold": {
      const d = dialog(command.dialogId)
      if (d instanceof RoutingRejected) return d
      if (d.state !== "on_hold" || d.assigneeId === undefined) {
        return reject("InvalidTransition", "The dialog is not on hold.", { dialogId: d.id })
      }
      const op = draft.operators.get(d.assigneeId)
      const over = op !== undefined && !config.countOnHold && wouldExceed(draft, d, op)
      if (over && policyFor(config, d.queueId).manualOverCapacity === "deny") {
        return reject("OverCapacity", "The operator has no free capacity to resume this dialog.", { dialogId: d.id })
      }
      emit(DialogUnheld.make({ dialogId: d.id, overCapacity: over, at: t }))
      return undefined
    }
    case "Reopen": {
      const d = dialog(command.dialogId)
      if (d instanceof RoutingRejected) return d
      if (d.state !== "closed") return reject("InvalidTransition", "Only a closed dialog can be reopened.", { dialogId: d.id })
      emit(DialogReopened.make({ dialogId: d.id, enqueuedAt: t, at: t }))
      const reopened = draft.dialogs.get(d.id)
      const previous = d.previousAssigneeId === undefined ? undefined : draft.operators.get(d.previousAssigneeId)
      if (reopened !== undefined && previous !== undefined && isCandidate(previous, reopened, candidateContext(draft, t))) {
        deliver(draft, reopened, previous.id, "sticky", t, emit)
      }
      return undefined
    }
    case "Transfer": {
      if (command.to._tag === "ToOperator") return assignManually(draft, command.dialogId, command.to.operatorId, "transfer", t, emit)
      const d = dialog(command.dialogId)
      if (d instanceof RoutingRejected) return d
      if (d.state === "closed") return reject("InvalidTransition", "A closed dialog cannot be transferred.", { dialogId: d.id })
      const queueId = command.to.queueId
      const enqueuedAt = policyFor(config, queueId).transferResetsEnqueuedAt ? t : d.enqueuedAt
      if (d.state === "on_hold") emit(DialogUnheld.make({ dialogId: d.id, overCapacity: false, at: t }))
      if (d.state === "offered" && d.offer !== undefined) {
        emit(OfferEnded.make({ dialogId: d.id, operatorId: d.offer.operatorId, outcome: "rescinded", at: t }))
      }
      emit(DialogRequeued.make({ dialogId: d.id, reason: "transfer", queueId, enqueuedAt, at: t }))
      return undefined
    }
    case "ManualAssign":
      return assignManually(draft, command.dialogId, command.operatorId, "manual", t, emit)
    case "Pick":
      return assignManually(draft, command.dialogId, command.operatorId, "pick", t, emit)
    case "RunPass": {
      const decisions = planPass(snapshotOf(draft), config, t, { queues: command.queues, limit: command.limit })
      for (const decision of decisions) {
        // A3 2c: the commit re-checks the decision against the state as it is now.
        const d = draft.dialogs.get(decision.dialogId)
        const op = draft.operators.get(decision.operatorId)
        if (d === undefined || op === undefined || d.state !== "queued" || !isCandidate(op, d, candidateContext(draft, t))) continue
        deliver(draft, d, op.id, "pass", t, emit)
      }
      return undefined
    }
    case "Tick":
      return undefined
  }
}

/** The result of a command: the new state and the events that led to it. */
export interface Step {
  readonly state: RoutingState
  readonly events: ReadonlyArray<RoutingEvent>
}

/**
 * Runs a command: timers up to `command.at` (never before `state.clock`), then the command,
 * then whatever the command made due at the same instant (an explicit offline rescinds offers
 * at once). Never throws.
 */
export const execute = (state: RoutingState, command: RoutingCommand): Either.Either<Step, RoutingRejected> => {
  const draft = new Draft(state)
  const events: Array<RoutingEvent> = []
  const emit: Emit = (e) => {
    apply(draft, e)
    events.push(e)
  }
  settle(draft, command.at, emit)
  const t = draft.clock
  const rejection = handle(draft, command, t, emit)
  if (rejection !== undefined) return Either.left(rejection)
  processAt(draft, t, emit)
  return Either.right({ state: draft.freeze(), events })
}

/** `decide(state, command)`: the events `execute` would append, or the rejection. */
export const decide = (state: RoutingState, command: RoutingCommand): Either.Either<ReadonlyArray<RoutingEvent>, RoutingRejected> =>
  Either.map(execute(state, command), (step) => step.events)
