/**
 * SLA policies and live SLA status (SLA-01, SLA-03..05, DLG-20).
 *
 * A {@link Policy} sets targets in working minutes for three metrics:
 *
 * | metric | starts | stops |
 * |---|---|---|
 * | `firstResponse` | `Created` (the first client message) | the first `OperatorReply` |
 * | `nextResponse` | the first `ClientMessage` after an `OperatorReply` | the next `OperatorReply` (one measurement per exchange) |
 * | `timeToClose` | `Created` | `Closed`; `Reopened` resumes it |
 *
 * {@link evaluate} folds an item's {@link Timeline} on its calendar and reports, per metric, the
 * target, the due instant, elapsed and remaining working minutes and a {@link Status}.
 * {@link nextTransition} gives the next instant a status changes by the passing of time alone
 * (a warning or a breach), which is when the scheduler should wake up; {@link processingKey}
 * sorts dialogs in processing order.
 *
 * Conventions:
 * - Elapsed time is working time on the calendar ({@link Calendar}), exact to the millisecond.
 * - Met ⇔ the working time used is at most the target. The due instant is where the target runs
 *   out, moved to the next opening when that is a closing time (so a reply after hours to a
 *   deadline that ran out at closing is on time). A running clock is breached from its due
 *   instant on; a reply at exactly the due instant is met.
 * - Warning: the remaining working time is at most `warningPercent` of the target (default 20 %).
 *   It starts at the instant that much time is left (next opening if that is a closing time).
 * - Warnings and breaches are sticky for a measurement: pausing does not undo them.
 * - While waiting on the client (a `WaitingOnClient` flag, or — when the policy says so — while
 *   the operator wrote last) each metric pauses or runs per the policy (`timeToClose` pauses,
 *   responses run, by default). A client message ends the waiting flag; so does reopening.
 * - A closed item stops every clock. Response clocks still open at closing report the outcome so
 *   far (`met`, or `breached` if the deadline had passed); reopening resumes them.
 *
 * @since 0.1.0
 */
import { DateTime, Option, Order, Schema } from "effect"
import * as Calendar from "./Calendar.js"
import { MINUTE_MS } from "./internal/zone.js"

/**
 * The three SLA metrics.
 *
 * @since 0.1.0
 */
export const Metric = Schema.Literal("firstResponse", "nextResponse", "timeToClose")

/**
 * @since 0.1.0
 */
export type Metric = typeof Metric.Type

/**
 * The status of one measurement. `met` and `breached` are outcomes; `breached` also covers a
 * running or paused clock whose due instant has passed.
 *
 * @since 0.1.0
 */
export const Status = Schema.Literal("running", "paused", "warning", "met", "breached")

/**
 * @since 0.1.0
 */
export type Status = typeof Status.Type

/**
 * What a metric's clock does while the item waits on the client.
 *
 * @since 0.1.0
 */
export const PauseRule = Schema.Literal("pause", "run")

/**
 * @since 0.1.0
 */
export type PauseRule = typeof PauseRule.Type

const TargetMinutes = Schema.Int.pipe(Schema.positive()).annotations({ identifier: "TargetMinutes" })

/**
 * Targets in working minutes. A metric without a target is not measured.
 *
 * @since 0.1.0
 */
export const Targets = Schema.Struct({
  firstResponse: Schema.optionalWith(TargetMinutes, { exact: true }),
  nextResponse: Schema.optionalWith(TargetMinutes, { exact: true }),
  timeToClose: Schema.optionalWith(TargetMinutes, { exact: true })
})

/**
 * @since 0.1.0
 */
export type Targets = typeof Targets.Type

/**
 * Per-metric pause rules while waiting on the client. Defaults: responses run, time to close
 * pauses.
 *
 * @since 0.1.0
 */
export const WhileWaitingOnClient = Schema.Struct({
  firstResponse: Schema.optionalWith(PauseRule, { default: () => "run" }),
  nextResponse: Schema.optionalWith(PauseRule, { default: () => "run" }),
  timeToClose: Schema.optionalWith(PauseRule, { default: () => "pause" })
})

/**
 * @since 0.1.0
 */
export type WhileWaitingOnClient = typeof WhileWaitingOnClient.Type

const NonEmptyNames = Schema.NonEmptyArray(Schema.String)

/**
 * One SLA policy. `priorities`, `channels` and `topics` narrow which items it applies to (absent
 * means any; `topics` matches when the item has at least one of them); the first matching
 * policy of a {@link PolicySet} wins.
 *
 * @since 0.1.0
 */
export const Policy = Schema.Struct({
  name: Schema.NonEmptyTrimmedString,
  priorities: Schema.optionalWith(NonEmptyNames, { exact: true }),
  channels: Schema.optionalWith(NonEmptyNames, { exact: true }),
  topics: Schema.optionalWith(NonEmptyNames, { exact: true }),
  targets: Targets,
  /** Warn when at most this percentage of the target is left. */
  warningPercent: Schema.optionalWith(Schema.Number.pipe(Schema.between(0, 100)), { default: () => 20 }),
  whileWaitingOnClient: Schema.optionalWith(WhileWaitingOnClient, {
    default: () => ({ firstResponse: "run", nextResponse: "run", timeToClose: "pause" }) as const
  }),
  /** Also count "the operator wrote last" as waiting on the client. */
  waitingWhenOperatorRepliedLast: Schema.optionalWith(Schema.Boolean, { default: () => false })
}).annotations({ identifier: "SlaPolicy" })

/**
 * @since 0.1.0
 */
export type Policy = typeof Policy.Type

/**
 * An ordered list of policies and the fallback used when none matches (its conditions are
 * ignored).
 *
 * @since 0.1.0
 */
export const PolicySet = Schema.Struct({
  policies: Schema.Array(Policy),
  fallback: Policy
}).annotations({ identifier: "SlaPolicySet" })

/**
 * @since 0.1.0
 */
export type PolicySet = typeof PolicySet.Type

/**
 * What policy selection looks at.
 *
 * @since 0.1.0
 */
export interface Subject {
  readonly priority?: string | undefined
  readonly channel?: string | undefined
  readonly topics?: ReadonlyArray<string> | undefined
}

/**
 * Whether `policy`'s conditions match `subject`.
 *
 * @since 0.1.0
 */
export const matches = (policy: Policy, subject: Subject): boolean =>
  (policy.priorities === undefined ||
    (subject.priority !== undefined && policy.priorities.includes(subject.priority))) &&
  (policy.channels === undefined || (subject.channel !== undefined && policy.channels.includes(subject.channel))) &&
  (policy.topics === undefined || (subject.topics ?? []).some((topic) => policy.topics?.includes(topic) === true))

/**
 * The first policy whose conditions match, else the fallback.
 *
 * @since 0.1.0
 */
export const selectPolicy = (set: PolicySet, subject: Subject): Policy =>
  set.policies.find((policy) => matches(policy, subject)) ?? set.fallback

const At = { at: Schema.DateTimeUtc }

/**
 * The item was created by its first client message. Starts first response and time to close.
 *
 * @since 0.1.0
 */
export const Created = Schema.TaggedStruct("Created", At)

/**
 * A message from the client.
 *
 * @since 0.1.0
 */
export const ClientMessage = Schema.TaggedStruct("ClientMessage", At)

/**
 * A reply from an operator (not a bot message, not an internal note: leave those out).
 *
 * @since 0.1.0
 */
export const OperatorReply = Schema.TaggedStruct("OperatorReply", At)

/**
 * An operator set (`waiting: true`) or cleared the "waiting on client" state.
 *
 * @since 0.1.0
 */
export const WaitingOnClient = Schema.TaggedStruct("WaitingOnClient", { ...At, waiting: Schema.Boolean })

/**
 * The item was closed.
 *
 * @since 0.1.0
 */
export const Closed = Schema.TaggedStruct("Closed", At)

/**
 * The item was reopened; stopped clocks that closing stopped resume.
 *
 * @since 0.1.0
 */
export const Reopened = Schema.TaggedStruct("Reopened", At)

/**
 * One entry of an item's SLA history.
 *
 * @since 0.1.0
 */
export const TimelineEntry = Schema.Union(Created, ClientMessage, OperatorReply, WaitingOnClient, Closed, Reopened)

/**
 * @since 0.1.0
 */
export type TimelineEntry = typeof TimelineEntry.Type

/**
 * An item's SLA history in order of time (entries at the same instant apply in list order).
 * Decoding rejects entries that go back in time.
 *
 * @since 0.1.0
 */
export const Timeline = Schema.Array(TimelineEntry).pipe(
  Schema.filter((entries) => {
    for (let i = 1; i < entries.length; i++) {
      const previous = entries[i - 1]
      const current = entries[i]
      if (previous !== undefined && current !== undefined && DateTime.lessThan(current.at, previous.at)) {
        return { path: [i, "at"], message: "timeline entries must be in order of time" }
      }
    }
    return undefined
  })
)

/**
 * @since 0.1.0
 */
export type Timeline = ReadonlyArray<TimelineEntry>

const utc = (instant: Calendar.Instant): DateTime.Utc => DateTime.unsafeMake(Calendar.toEpochMillis(instant))

/**
 * Timeline entry constructors taking a `DateTime` or a `Date`.
 *
 * @since 0.1.0
 */
export const created = (at: Calendar.Instant): TimelineEntry => Created.make({ at: utc(at) })

/** @since 0.1.0 */
export const clientMessage = (at: Calendar.Instant): TimelineEntry => ClientMessage.make({ at: utc(at) })

/** @since 0.1.0 */
export const operatorReply = (at: Calendar.Instant): TimelineEntry => OperatorReply.make({ at: utc(at) })

/** @since 0.1.0 */
export const waitingOnClient = (at: Calendar.Instant, waiting: boolean): TimelineEntry =>
  WaitingOnClient.make({ at: utc(at), waiting })

/** @since 0.1.0 */
export const closed = (at: Calendar.Instant): TimelineEntry => Closed.make({ at: utc(at) })

/** @since 0.1.0 */
export const reopened = (at: Calendar.Instant): TimelineEntry => Reopened.make({ at: utc(at) })

/**
 * One metric's measurement as the panel shows it (SLA-05).
 *
 * @since 0.1.0
 */
export interface Measurement {
  readonly metric: Metric
  /** Target in working minutes. */
  readonly target: number
  readonly status: Status
  /** When the clock started (creation, or the client message opening the exchange). */
  readonly startedAt: DateTime.Utc
  /** The reply (responses) or close (time to close) that stopped the clock, while stopped. */
  readonly stoppedAt: Option.Option<DateTime.Utc>
  /**
   * Where the target runs out: the breach instant once breached; the projected instant while
   * running; where it was heading when stopped; none while paused (it cannot be known).
   */
  readonly due: Option.Option<DateTime.Utc>
  /** When the warning started or will start; none while paused or when it cannot precede the due instant. */
  readonly warningAt: Option.Option<DateTime.Utc>
  /** Working minutes the clock has run. */
  readonly elapsed: number
  /** `target - elapsed`; negative once overdue. */
  readonly remaining: number
}

/**
 * The SLA state of one item at one instant.
 *
 * @since 0.1.0
 */
export interface Evaluation {
  /** The instant evaluated. */
  readonly at: DateTime.Utc
  /** The name of the policy applied. */
  readonly policy: string
  readonly firstResponse: Option.Option<Measurement>
  /** The latest exchange's next-response measurement. */
  readonly nextResponse: Option.Option<Measurement>
  /** Every exchange's next-response measurement, oldest first (for statistics). */
  readonly nextResponses: ReadonlyArray<Measurement>
  readonly timeToClose: Option.Option<Measurement>
  readonly closed: boolean
  /** Open and waiting for an operator's reply under a response target. */
  readonly awaitingReply: boolean
  /** The last message (creation, client message or operator reply). */
  readonly lastActivity: Option.Option<DateTime.Utc>
}

interface Clock {
  readonly metric: Metric
  readonly target: number
  readonly warnAfter: number
  readonly rule: PauseRule
  readonly startedAt: number
  elapsed: number
  stoppedAt: number | undefined
  warnedAt: number | undefined
  breachedAt: number | undefined
  /** Projected from the last segment when the clock is running at the evaluated instant. */
  nextWarningAt: number | undefined
  dueAt: number | undefined
}

const startClock = (policy: Policy, metric: Metric, at: number): Clock | undefined => {
  const minutes = policy.targets[metric]
  if (minutes === undefined) return undefined
  const target = minutes * MINUTE_MS
  return {
    metric,
    target,
    warnAfter: target - Math.round((target * policy.warningPercent) / 100),
    rule: policy.whileWaitingOnClient[metric],
    startedAt: at,
    elapsed: 0,
    stoppedAt: undefined,
    warnedAt: undefined,
    breachedAt: undefined,
    nextWarningAt: undefined,
    dueAt: undefined
  }
}

const some = (ms: number): Option.Option<DateTime.Utc> => Option.some(DateTime.unsafeMake(ms))
const fromMs = (ms: number | undefined): Option.Option<DateTime.Utc> => (ms === undefined ? Option.none() : some(ms))

/**
 * Evaluates `policy` for an item with history `timeline` at instant `now`, on `calendar`
 * (`Calendar.always` when the item has none). Pure: entries after `now` are ignored, so
 * evaluating at any past instant shows the state as it was then.
 *
 * @since 0.1.0
 */
export const evaluate = (
  policy: Policy,
  calendar: Calendar.Calendar,
  timeline: ReadonlyArray<TimelineEntry>,
  now: Calendar.Instant
): Evaluation => {
  const time = calendar.workingTime
  const nowMs = Calendar.toEpochMillis(now)
  let createdAt: number | undefined
  let isClosed = false
  let closedAt: number | undefined
  let waitingFlag = false
  let lastAuthor: "client" | "operator" | undefined
  let lastActivity: number | undefined
  let awaitingNextExchange = false
  let firstResponse: Clock | undefined
  let nextResponse: Clock | undefined
  let timeToClose: Clock | undefined
  const nextResponses: Array<Clock> = []

  const waiting = (): boolean =>
    waitingFlag || (policy.waitingWhenOperatorRepliedLast && lastAuthor === "operator")
  const runs = (clock: Clock): boolean =>
    clock.stoppedAt === undefined && !isClosed && !(clock.rule === "pause" && waiting())

  /** Runs every running clock over `[from, to)`; `final` marks the open segment ending at `now`. */
  const advance = (from: number, to: number, final: boolean): void => {
    let worked: number | undefined
    for (const clock of [firstResponse, nextResponse, timeToClose]) {
      if (clock === undefined || !runs(clock)) continue
      if (clock.warnedAt === undefined) {
        const warnAt = time.add(from, Math.max(0, clock.warnAfter - clock.elapsed))
        if (final ? warnAt <= to : warnAt < to) clock.warnedAt = warnAt
        else if (final) clock.nextWarningAt = warnAt
      }
      if (clock.breachedAt === undefined) {
        const dueAt = time.add(from, Math.max(0, clock.target - clock.elapsed))
        if (final ? dueAt <= to : dueAt < to) clock.breachedAt = dueAt
        else if (final) clock.dueAt = dueAt
      }
      worked ??= time.between(from, to)
      clock.elapsed += worked
    }
  }

  let cursor: number | undefined
  for (const entry of timeline) {
    const entryMs = DateTime.toEpochMillis(entry.at)
    if (entryMs > nowMs) break
    const at = cursor === undefined ? entryMs : Math.max(cursor, entryMs)
    if (cursor !== undefined) advance(cursor, at, false)
    cursor = at
    if (createdAt === undefined) {
      if (entry._tag !== "Created") continue
      createdAt = at
      lastActivity = at
      lastAuthor = "client"
      firstResponse = startClock(policy, "firstResponse", at)
      timeToClose = startClock(policy, "timeToClose", at)
      continue
    }
    switch (entry._tag) {
      case "Created":
        break
      case "ClientMessage": {
        lastActivity = at
        lastAuthor = "client"
        waitingFlag = false
        if (awaitingNextExchange) {
          awaitingNextExchange = false
          const clock = startClock(policy, "nextResponse", at)
          if (clock !== undefined) {
            nextResponse = clock
            nextResponses.push(clock)
          }
        }
        break
      }
      case "OperatorReply": {
        lastActivity = at
        lastAuthor = "operator"
        awaitingNextExchange = true
        if (firstResponse !== undefined && firstResponse.stoppedAt === undefined) firstResponse.stoppedAt = at
        if (nextResponse !== undefined && nextResponse.stoppedAt === undefined) nextResponse.stoppedAt = at
        break
      }
      case "WaitingOnClient":
        waitingFlag = entry.waiting
        break
      case "Closed":
        if (!isClosed) {
          isClosed = true
          closedAt = at
          if (timeToClose !== undefined) timeToClose.stoppedAt = at
        }
        break
      case "Reopened":
        if (isClosed) {
          isClosed = false
          waitingFlag = false
          if (timeToClose !== undefined) timeToClose.stoppedAt = undefined
        }
        break
    }
  }
  if (cursor !== undefined && createdAt !== undefined) advance(cursor, Math.max(cursor, nowMs), true)

  const measure = (clock: Clock): Measurement => {
    const running = runs(clock)
    const settled = clock.stoppedAt !== undefined || isClosed
    const status: Status = settled
      ? clock.breachedAt !== undefined ? "breached" : "met"
      : clock.breachedAt !== undefined
      ? "breached"
      : !running
      ? "paused"
      : clock.warnedAt !== undefined
      ? "warning"
      : "running"
    const rest = clock.target - clock.elapsed
    let due: Option.Option<DateTime.Utc> = Option.none()
    if (clock.breachedAt !== undefined) due = some(clock.breachedAt)
    else if (running) due = fromMs(clock.dueAt)
    else if (settled) due = some(time.add(clock.stoppedAt ?? closedAt ?? nowMs, Math.max(0, rest)))
    let warningAt: Option.Option<DateTime.Utc> = fromMs(clock.warnedAt)
    if (clock.warnedAt === undefined && running && clock.nextWarningAt !== undefined && clock.dueAt !== undefined) {
      if (clock.nextWarningAt < clock.dueAt) warningAt = some(clock.nextWarningAt)
    }
    return {
      metric: clock.metric,
      target: clock.target / MINUTE_MS,
      status,
      startedAt: DateTime.unsafeMake(clock.startedAt),
      stoppedAt: fromMs(clock.stoppedAt),
      due,
      warningAt,
      elapsed: clock.elapsed / MINUTE_MS,
      remaining: rest / MINUTE_MS
    }
  }

  const openResponse = (clock: Clock | undefined): boolean => clock !== undefined && clock.stoppedAt === undefined
  return {
    at: DateTime.unsafeMake(nowMs),
    policy: policy.name,
    firstResponse: Option.map(Option.fromNullable(firstResponse), (clock) => measure(clock)),
    nextResponse: Option.map(Option.fromNullable(nextResponse), (clock) => measure(clock)),
    nextResponses: nextResponses.map((clock) => measure(clock)),
    timeToClose: Option.map(Option.fromNullable(timeToClose), (clock) => measure(clock)),
    closed: isClosed,
    awaitingReply: !isClosed && (openResponse(firstResponse) || openResponse(nextResponse)),
    lastActivity: fromMs(lastActivity)
  }
}

/**
 * A status change that will happen by the passing of time alone.
 *
 * @since 0.1.0
 */
export interface Transition {
  readonly at: DateTime.Utc
  readonly metric: Metric
  readonly status: "warning" | "breached"
}

/**
 * The earliest instant after `evaluation.at` at which a metric turns `warning` or `breached` if
 * nothing else happens; none when every clock is paused, stopped or already breached. The
 * scheduler arms a timer for it, re-evaluates when it fires (emitting warning/breach events for
 * the statuses that changed) and asks again. Any new timeline entry invalidates it.
 *
 * @since 0.1.0
 */
export const nextTransition = (evaluation: Evaluation): Option.Option<Transition> => {
  let best: Transition | undefined
  const consider = (candidate: Transition): void => {
    if (best === undefined || DateTime.lessThan(candidate.at, best.at)) best = candidate
  }
  for (const measurement of [evaluation.firstResponse, evaluation.nextResponse, evaluation.timeToClose]) {
    if (Option.isNone(measurement)) continue
    const { due, metric, status, warningAt } = measurement.value
    if (status !== "running" && status !== "warning") continue
    if (Option.isSome(due)) consider({ at: due.value, metric, status: "breached" })
    if (status === "running" && Option.isSome(warningAt) && DateTime.greaterThan(warningAt.value, evaluation.at)) {
      consider({ at: warningAt.value, metric, status: "warning" })
    }
  }
  return Option.fromNullable(best)
}

/**
 * A metric whose status differs between two evaluations of the same item.
 *
 * @since 0.1.0
 */
export interface StatusChange {
  readonly metric: Metric
  /** None when the metric was not measured before (e.g. a new exchange's first next-response). */
  readonly from: Option.Option<Status>
  readonly to: Status
}

/**
 * The metrics whose status changed from `previous` to `current`, in metric order — what the
 * engine turns into warning/breach events when a {@link nextTransition} timer fires or a new
 * timeline entry arrives. A next-response measurement of a new exchange counts as a change even
 * when its status equals the previous exchange's final one.
 *
 * @since 0.1.0
 */
export const statusChanges = (previous: Evaluation, current: Evaluation): ReadonlyArray<StatusChange> => {
  const changes: Array<StatusChange> = []
  for (const metric of Metric.literals) {
    const after = current[metric]
    if (Option.isNone(after)) continue
    const before = previous[metric]
    const sameMeasurement = Option.isSome(before) &&
      DateTime.Equivalence(before.value.startedAt, after.value.startedAt)
    const from = sameMeasurement ? Option.map(before, (m) => m.status) : Option.none<Status>()
    if (Option.isNone(from) || from.value !== after.value.status) {
      changes.push({ metric, from, to: after.value.status })
    }
  }
  return changes
}

/**
 * Where a dialog goes in processing order (DLG-20): dialogs waiting for an operator's reply
 * first, earliest due first-/next-response instant first (a paused wait, with no due instant,
 * after those, longest wait first); then everything else, most recent activity first. Plain
 * numbers, so a store can index and `ORDER BY group, rank, since`.
 *
 * @since 0.1.0
 */
export interface ProcessingKey {
  /** 0 = waiting for a reply under a response target, 1 = the rest. */
  readonly group: 0 | 1
  /** Group 0: the due instant in epoch ms; group 1: minus the last activity in epoch ms. */
  readonly rank: number
  /** Group 0: when the wait started, in epoch ms (tie-break); group 1: 0. */
  readonly since: number
}

/**
 * The {@link ProcessingKey} of an evaluated dialog.
 *
 * @since 0.1.0
 */
export const processingKey = (evaluation: Evaluation): ProcessingKey => {
  if (evaluation.awaitingReply) {
    const open = Option.isSome(evaluation.firstResponse) && Option.isNone(evaluation.firstResponse.value.stoppedAt)
      ? evaluation.firstResponse
      : evaluation.nextResponse
    if (Option.isSome(open)) {
      return {
        group: 0,
        rank: Option.match(open.value.due, { onNone: () => Number.MAX_SAFE_INTEGER, onSome: (due) => DateTime.toEpochMillis(due) }),
        since: DateTime.toEpochMillis(open.value.startedAt)
      }
    }
  }
  return {
    group: 1,
    rank: Option.match(evaluation.lastActivity, { onNone: () => 0, onSome: (at) => -DateTime.toEpochMillis(at) }),
    since: 0
  }
}

/**
 * Ascending processing order over {@link ProcessingKey}s.
 *
 * @since 0.1.0
 */
export const ProcessingOrder: Order.Order<ProcessingKey> = Order.combine(
  Order.mapInput(Order.number, (key: ProcessingKey) => key.group),
  Order.combine(
    Order.mapInput(Order.number, (key: ProcessingKey) => key.rank),
    Order.mapInput(Order.number, (key: ProcessingKey) => key.since)
  )
)
