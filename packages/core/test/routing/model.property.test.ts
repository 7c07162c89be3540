/**
 * The A5 model test: random sequences of arrivals, presence/status/capacity changes, accepts and
 * declines, clock advances, close/hold/unhold/reopen, transfers, manual assignments and picks,
 * and routing passes, run through the pure routing model. After every step the invariants
 * INV-1..INV-13 are checked — per event against the state just before it (what "the committed
 * transaction" saw), and on the resulting state — using the naive reference, not the planner.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import fc from "fast-check"
import type { ChannelKind } from "../../src/channels/Channel.js"
import {
  type OperatorId,
  type Presence,
  QueuePolicy,
  RoutingConfig,
  type RoutingDialog,
  RoutingModel,
  SkillGroupId,
  StatusId
} from "../../src/routing/index.js"
import { DialogId, type QueueId, TopicId } from "../../src/shared/Ids.js"
import { groupIds, policyArb, queueIds, skillGroups, skills, topicParents, topics } from "./arbitraries.js"
import { oid, T0 } from "./harness.js"
import * as Ref from "./reference.js"

const operatorIds = ["o1", "o2", "o3", "o4"].map(oid)
const channels: ReadonlyArray<ChannelKind> = ["widget", "email"]
const online = StatusId.make("online")

type Step =
  | {
      readonly k: "arrive"
      readonly channel: ChannelKind
      readonly queueId: QueueId
      readonly priority: number
      readonly topics: ReadonlyArray<string>
      readonly requiredSkills: ReadonlyArray<string>
      readonly preferredSkills: ReadonlyArray<string>
      readonly relaxAfterSec: number | undefined
      readonly slaInSec: number | undefined
    }
  | { readonly k: "pass"; readonly queues: ReadonlyArray<QueueId> | undefined; readonly limit: number | undefined }
  | { readonly k: "advance"; readonly ms: number; readonly heartbeats: boolean }
  | { readonly k: "accept" | "decline" | "close" | "hold" | "unhold" | "reopen"; readonly i: number }
  | { readonly k: "presence"; readonly op: OperatorId; readonly presence: Presence }
  | { readonly k: "heartbeat"; readonly op: OperatorId }
  | { readonly k: "availability"; readonly op: OperatorId; readonly availability: "available" | "busy" | "unavailable" }
  | { readonly k: "status"; readonly op: OperatorId; readonly status: "online" | "break" }
  | { readonly k: "capacity"; readonly op: OperatorId; readonly channel: ChannelKind; readonly n: number }
  | { readonly k: "transferQueue"; readonly i: number; readonly queueId: QueueId }
  | { readonly k: "transferOp" | "manual" | "pick"; readonly i: number; readonly op: OperatorId }

const opArb = fc.constantFrom(...operatorIds)
/** `undefined` about `absentWeight` times as often as a value. */
const rarely = <A>(arb: fc.Arbitrary<A>, absentWeight: number): fc.Arbitrary<A | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absentWeight }, { arbitrary: arb, weight: 1 })
const index = fc.nat({ max: 50 })
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant("arrive" as const),
      channel: fc.constantFrom(...channels),
      queueId: fc.constantFrom(...queueIds),
      priority: fc.integer({ min: -1, max: 3 }),
      topics: fc.oneof(fc.constant([]), fc.subarray(topics, { minLength: 1, maxLength: 1 })),
      requiredSkills: fc.oneof(fc.constant([]), fc.constant([]), fc.subarray(skills, { minLength: 1, maxLength: 1 })),
      preferredSkills: fc.oneof(fc.constant([]), fc.subarray(skills, { maxLength: 2 })),
      relaxAfterSec: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
      slaInSec: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined })
    })
  },
  {
    weight: 5,
    arbitrary: fc.record({
      k: fc.constant("pass" as const),
      queues: rarely(fc.subarray(queueIds, { minLength: 1 }), 1),
      limit: rarely(fc.integer({ min: 1, max: 3 }), 6)
    })
  },
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("advance" as const),
      ms: fc.constantFrom(1000, 5000, 20_000, 30_000, 31_000, 61_000, 130_000, 301_000),
      heartbeats: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false))
    })
  },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("accept" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("decline" as const), i: index }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("close" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("hold" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("unhold" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("reopen" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("presence" as const), op: opArb, presence: fc.constantFrom("online", "away", "offline") }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("heartbeat" as const), op: opArb }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("availability" as const), op: opArb, availability: fc.constantFrom("available", "busy", "unavailable") })
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("status" as const), op: opArb, status: fc.constantFrom("online", "break") }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("capacity" as const), op: opArb, channel: fc.constantFrom(...channels), n: fc.integer({ min: 0, max: 3 }) })
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("transferQueue" as const), i: index, queueId: fc.constantFrom(...queueIds) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("transferOp" as const), i: index, op: opArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("manual" as const), i: index, op: opArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("pick" as const), i: index, op: opArb }) }
)

const profileArb = (id: OperatorId) =>
  fc.record({
    profile: fc.record({
      id: fc.constant(id),
      capacity: fc.record({ widget: fc.integer({ min: 0, max: 3 }), email: fc.integer({ min: 0, max: 2 }) }),
      skillGroups: fc.oneof(fc.constant(groupIds), fc.subarray(groupIds)),
      skills: fc.oneof(fc.constant(skills), fc.subarray(skills)).map((names) => Object.fromEntries(names.map((n, i) => [n, 1 + ((i * 3) % 10)]))),
      queues: fc.oneof(fc.constant(queueIds), fc.subarray(queueIds, { minLength: 1 })),
      shifts: rarely(
        fc.record({ startMin: fc.integer({ min: 0, max: 20 }), lengthMin: fc.integer({ min: 5, max: 120 }) }).map(({ startMin, lengthMin }) => [
          { start: T0 + startMin * 60_000, end: T0 + (startMin + lengthMin) * 60_000 }
        ]),
        4
      )
    }),
    online: fc.oneof(fc.constant(true), fc.constant(true), fc.constant(false))
  })

const scenarioArb = fc.record({
  config: fc
    .record({
      q1: policyArb(),
      q2: policyArb(),
      presenceTtlSec: fc.constantFrom(60, 3600),
      countOnHold: fc.boolean(),
      awayReceivesAsync: fc.boolean(),
      inactivity: rarely(fc.constant({ afterSec: 900, statusId: StatusId.make("break") }), 3)
    })
    .map(({ q1, q2, ...rest }) => RoutingConfig.make({ ...rest, skillGroups, topicParents, queues: { q1, q2 } })),
  operators: fc.tuple(...operatorIds.map(profileArb)),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 80, size: "max" })
})

// ---- A4 ----

type From = RoutingDialog["state"] | "absent"
const allowed = new Set([
  "absent>queued",
  "queued>offered",
  "queued>assigned",
  "offered>assigned",
  "offered>queued",
  "assigned>on_hold",
  "on_hold>assigned",
  "assigned>queued",
  "queued>closed",
  "offered>closed",
  "assigned>closed",
  "on_hold>closed",
  "closed>queued"
])

/** The model under test plus everything the checks remember about the run. */
class Run {
  state: RoutingModel.RoutingState
  now = T0
  readonly engineEvents: Array<{ readonly operatorId: string; readonly queueId: string; readonly at: number }> = []
  /** INV-10, tracked from events alone: who declined or let an offer expire since the last reset. */
  readonly refusedBy = new Map<string, Set<string>>()
  /** INV-12, tracked from events alone: when each operator went absent. */
  readonly absentSince = new Map<string, number>()
  /** Engine-made decisions per operator in the pass being checked (ramp-up is per pass). */
  inPass = new Map<string, number>()
  /** When each dialog was last declined or let expire: the exclusion reset runs from there. */
  readonly lastRefusalAt = new Map<string, number>()
  /** Consecutive expired offers per operator, from events alone. */
  readonly misses = new Map<string, number>()
  /** Operators that must be switched to busy by the current command (missesBeforeAway reached). */
  dueBusy = new Set<string>()
  accepted = 0
  rejected = 0
  passes = 0
  routed = 0

  constructor(readonly config: RoutingConfig) {
    this.state = RoutingModel.initial(config, T0)
  }

  dialogs(): Array<RoutingDialog> {
    return [...this.state.dialogs.values()]
  }

  /** Runs one command and checks every invariant; returns whether it was accepted. */
  exec(command: RoutingModel.RoutingCommand): boolean {
    const pre = this.state
    const result = RoutingModel.execute(pre, command)
    if (Either.isLeft(result)) {
      this.rejected++
      return false
    }
    this.accepted++
    const { events, state: post } = result.right

    this.inPass = new Map()
    this.dueBusy = new Set()
    let s = pre
    for (const e of events) {
      this.checkEvent(s, e)
      const next = RoutingModel.evolve(s, e)
      this.checkTransition(s, next, e)
      s = next
    }
    // decide and evolve agree
    expect({ ...s, clock: post.clock }).toEqual(post)
    // A3: missesBeforeAway consecutive expiries switch an available operator to busy, in the same step
    const switched = events.flatMap((e) => (e._tag === "AvailabilityChanged" && e.cause === "missed_offers" ? [e.operatorId as string] : []))
    expect(switched.sort()).toEqual([...this.dueBusy].sort())
    this.state = post
    this.checkState(command)

    if (command._tag === "RunPass") this.checkPass(pre, command, events)
    // INV-13: the same trigger again (time has not moved) changes nothing
    const again = RoutingModel.execute(post, RoutingModel.Tick.make({ at: post.clock }))
    expect(Either.getOrThrow(again).events).toEqual([])
    return true
  }

  checkEvent(s: RoutingModel.RoutingState, e: RoutingModel.RoutingEvent): void {
    const cfg = this.config
    const dialogs = [...s.dialogs.values()]
    if (RoutingModel.isEngineMade(e)) {
      const d = s.dialogs.get(e.dialogId)
      const o = s.operators.get(e.operatorId)
      expect(d?.state).toBe("queued")
      if (d === undefined || o === undefined) throw new Error("engine routed an unknown dialog or operator")
      // INV-1: the engine adds load only below capacity
      expect(Ref.load(dialogs, cfg, o.id, d.channel)).toBeLessThan(o.capacity[d.channel] ?? 0)
      // INV-2: eligible, member, skilled, not excluded, under the rate limit — at commit
      expect(Ref.isCandidate(o, d, cfg, dialogs, s.assignmentLog, e.at)).toBe(true)
      // INV-12: never to an absent operator
      expect(Ref.absent(o, cfg, e.at)).toBe(false)
      // INV-10: never re-offered to who refused it before the reset
      expect([...(this.refusedBy.get(d.id) ?? [])]).not.toContain(o.id)
      const policy = Ref.policy(cfg, d.queueId)
      // INV-9b: least loaded means minimal load within E(d) at commit (minus operators at this pass's ramp-up cap)
      if (e.via === "pass" && policy.selection === "LEAST_LOADED") {
        const ramp = policy.rampUpPerPass ?? Infinity
        const loads = [...s.operators.values()]
          .filter((x) => Ref.isCandidate(x, d, cfg, dialogs, s.assignmentLog, e.at) && (this.inPass.get(x.id) ?? 0) < ramp)
          .map((x) => Ref.load(dialogs, cfg, x.id, d.channel))
        expect(Ref.load(dialogs, cfg, o.id, d.channel)).toBe(Math.min(...loads))
      }
      if (e.via === "pass") this.inPass.set(o.id, (this.inPass.get(o.id) ?? 0) + 1)
      // INV-9c: the rolling window is never exceeded, at any instant
      this.engineEvents.push({ operatorId: o.id, queueId: d.queueId, at: e.at })
      const rate = policy.maxAssignmentsPerWindow
      if (rate !== undefined) {
        const inWindow = this.engineEvents.filter(
          (x) => x.operatorId === o.id && x.queueId === d.queueId && x.at > e.at - rate.windowSec * 1000 && x.at <= e.at
        )
        expect(inWindow.length).toBeLessThanOrEqual(rate.limit)
      }
      this.routed++
    }
    // INV-1's exception: a manual assignment or resumption beyond capacity is recorded as such
    if (e._tag === "DialogAssigned" && (e.via === "manual" || e.via === "pick" || e.via === "transfer")) {
      const d = s.dialogs.get(e.dialogId)
      const o = s.operators.get(e.operatorId)
      if (d !== undefined && o !== undefined) {
        const own = (d.state === "offered" && d.offer?.operatorId === o.id) || (d.state === "assigned" && d.assigneeId === o.id) ? 1 : 0
        expect(e.overCapacity).toBe(Ref.load(dialogs, cfg, o.id, d.channel) - own >= (o.capacity[d.channel] ?? 0))
      }
    }
    if (e._tag === "DialogUnheld") {
      const d = s.dialogs.get(e.dialogId)
      const o = d?.assigneeId === undefined ? undefined : s.operators.get(d.assigneeId)
      if (d !== undefined && o !== undefined) {
        const full = !cfg.countOnHold && Ref.load(dialogs, cfg, o.id, d.channel) >= (o.capacity[d.channel] ?? 0)
        // a transfer out of hold passes through assigned for an instant and never flags it
        if (e.overCapacity) expect(full).toBe(true)
      }
    }
    switch (e._tag) {
      case "AvailabilityChanged":
        if (e.availability === "available") this.misses.delete(e.operatorId)
        return
      case "DialogAssigned":
        if (e.via === "accept") this.misses.delete(e.operatorId)
        return
      case "OfferEnded": {
        const offer = s.dialogs.get(e.dialogId)?.offer
        expect(offer?.operatorId).toBe(e.operatorId)
        // INV-10: an offer ends no later than it expires, and expiry happens exactly at expiresAt
        if (offer !== undefined) expect(e.at).toBeLessThanOrEqual(offer.expiresAt)
        if (e.outcome === "expired") expect(e.at).toBe(offer?.expiresAt)
        if (e.outcome !== "rescinded") {
          this.refusedBy.set(e.dialogId, new Set([...(this.refusedBy.get(e.dialogId) ?? []), e.operatorId]))
          this.lastRefusalAt.set(e.dialogId, e.at)
        }
        if (e.outcome === "expired") {
          const missed = (this.misses.get(e.operatorId) ?? 0) + 1
          this.misses.set(e.operatorId, missed)
          const d = s.dialogs.get(e.dialogId)
          const delivery = d === undefined ? undefined : Ref.policy(cfg, d.queueId).delivery
          const available = s.operators.get(e.operatorId)?.availability === "available"
          if (delivery?._tag === "OFFER" && delivery.missesBeforeAway > 0 && missed >= delivery.missesBeforeAway && available) {
            this.dueBusy.add(e.operatorId)
          }
        }
        return
      }
      case "ExclusionsCleared": {
        // INV-10: exclusions are not cleared before exclusionResetSec after the last refusal
        const d = s.dialogs.get(e.dialogId)
        const refusedAt = this.lastRefusalAt.get(e.dialogId)
        if (d !== undefined && refusedAt !== undefined) expect(e.at).toBeGreaterThanOrEqual(refusedAt + Ref.policy(cfg, d.queueId).exclusionResetSec * 1000)
        this.refusedBy.delete(e.dialogId)
        return
      }
      case "DialogReopened":
        this.refusedBy.delete(e.dialogId)
        return
      case "DialogRequeued":
        if (e.reason === "transfer") this.refusedBy.delete(e.dialogId)
        return
      case "OperatorWentUnavailable":
        this.absentSince.set(e.operatorId, e.at)
        return
      case "OperatorReturned":
        this.absentSince.delete(e.operatorId)
        return
      default:
        return
    }
  }

  checkTransition(s: RoutingModel.RoutingState, next: RoutingModel.RoutingState, e: RoutingModel.RoutingEvent): void {
    // INV-4: only the dialog named by the event changes state, and only along A4
    for (const [id, after] of next.dialogs) {
      const before = s.dialogs.get(id)
      const from: From = before?.state ?? "absent"
      const to = after.state
      const named = "dialogId" in e ? e.dialogId : e._tag === "DialogArrived" ? e.dialog.id : undefined
      if (id !== named) {
        expect(before).toBe(after)
        continue
      }
      const self =
        (from === "assigned" && to === "assigned" && e._tag === "DialogAssigned" && (e.via === "manual" || e.via === "transfer")) ||
        (from === "queued" && to === "queued" && (e._tag === "ExclusionsCleared" || (e._tag === "DialogRequeued" && e.reason === "transfer")))
      if (from !== to || !self) expect(allowed.has(`${from}>${to}`) || self).toBe(true)
      // INV-11: only a reopen, or a transfer into a queue that restarts the wait, changes enqueuedAt
      if (before === undefined) continue
      if (e._tag === "DialogReopened") expect(after.enqueuedAt).toBe(e.at)
      else if (e._tag === "DialogRequeued" && e.reason === "transfer") {
        expect(after.enqueuedAt).toBe(Ref.policy(this.config, e.queueId).transferResetsEnqueuedAt ? e.at : before.enqueuedAt)
      } else expect(after.enqueuedAt).toBe(before.enqueuedAt)
    }
  }

  checkState(command: RoutingModel.RoutingCommand): void {
    const cfg = this.config
    const { clock } = this.state
    for (const d of this.state.dialogs.values()) {
      // INV-3 / INV-4: one owner at most, structurally; a closed dialog holds nothing
      switch (d.state) {
        case "offered":
          expect(d.offer).toBeDefined()
          expect(d.assigneeId).toBeUndefined()
          // INV-10: nothing stays pending past expiresAt
          expect(d.offer?.expiresAt ?? 0).toBeGreaterThan(clock)
          break
        case "assigned":
        case "on_hold":
          expect(d.assigneeId).toBeDefined()
          expect(d.offer).toBeUndefined()
          break
        case "queued":
        case "closed":
          expect(d.assigneeId).toBeUndefined()
          expect(d.offer).toBeUndefined()
      }
    }
    for (const o of this.state.operators.values()) {
      if (!Ref.absent(o, cfg, clock)) continue
      // INV-12: an absent operator holds no pending offer...
      expect(this.dialogs().filter((d) => d.state === "offered" && d.offer?.operatorId === o.id)).toEqual([])
      // ...and, past the grace period, no assigned dialog on a REQUEUE_AFTER channel
      const since = this.absentSince.get(o.id)
      expect(since).toBeDefined()
      for (const d of this.dialogs()) {
        if (d.state !== "assigned" || d.assigneeId !== o.id) continue
        const redistribution = Ref.policy(cfg, d.queueId).onOperatorUnavailable
        const rule = redistribution.byChannel[d.channel] ?? (cfg.asyncChannels.some((c) => c === d.channel) ? redistribution.async : redistribution.live)
        if (rule._tag === "REQUEUE_AFTER") expect((since ?? 0) + rule.graceSec * 1000).toBeGreaterThan(clock)
      }
    }
    if (command._tag === "SetPresence" && command.presence === "offline") {
      expect(this.dialogs().filter((d) => d.offer?.operatorId === command.operatorId)).toEqual([])
    }
  }

  checkPass(pre: RoutingModel.RoutingState, command: typeof RoutingModel.RunPass.Type, events: ReadonlyArray<RoutingModel.RoutingEvent>): void {
    this.passes++
    const cfg = this.config
    const clock = this.state.clock
    const served = (q: string) => command.queues === undefined || command.queues.some((x) => x === q)
    const ramped = queueIds.some((q) => served(q) && Ref.policy(cfg, q).rampUpPerPass !== undefined)
    const post = this.state
    const operators = [...post.operators.values()]
    const routable = (state: RoutingModel.RoutingState) => {
      const dialogs = [...state.dialogs.values()]
      return dialogs.filter(
        (d) => d.state === "queued" && served(d.queueId) && operators.some((o) => Ref.isCandidate(o, d, cfg, dialogs, state.assignmentLog, clock))
      )
    }
    if (command.limit === undefined && !ramped) {
      // INV-5: at quiescence no queued dialog has a candidate with room
      expect(routable(post).map((d) => d.id)).toEqual([])
      // INV-13: a second pass at quiescence adds nothing
      const again = Either.getOrThrow(RoutingModel.execute(post, command))
      expect(again.events.filter(RoutingModel.isEngineMade)).toEqual([])
    }
    // INV-7: same queue, same channel, same compatible set: a later key is never served before an earlier one
    const settled = Either.getOrThrow(RoutingModel.execute(pre, RoutingModel.Tick.make({ at: command.at }))).state
    const routed = new Set(events.filter((e) => RoutingModel.isEngineMade(e) && e.via === "pass").map((e) => ("dialogId" in e ? e.dialogId : "")))
    const waiting = [...settled.dialogs.values()].filter((d) => d.state === "queued" && served(d.queueId))
    const pool = (d: RoutingDialog) =>
      [...settled.operators.values()]
        .filter((o) => Ref.compatible(o, d, cfg, clock))
        .map((o) => o.id)
        .sort()
        .join()
    for (const d1 of waiting) {
      if (routed.has(d1.id)) continue
      for (const d2 of waiting) {
        if (!routed.has(d2.id) || d1.queueId !== d2.queueId || d1.channel !== d2.channel || pool(d1) !== pool(d2)) continue
        const policy = Ref.policy(cfg, d1.queueId)
        if (Ref.compareKeys(Ref.queueKeyOf(d1, policy), Ref.queueKeyOf(d2, policy)) > 0) continue
        const blockedByExclusions = d1.excludedOperators.some((o) => pool(d1).split(",").includes(o))
        expect(blockedByExclusions).toBe(true)
      }
    }
  }
}

const resolve = (run: Run, step: Step, next: () => string): RoutingModel.RoutingCommand | undefined => {
  const at = run.now
  const sorted = run.dialogs().sort((a, b) => (a.id < b.id ? -1 : 1))
  const pickDialog = (i: number, states: ReadonlyArray<RoutingDialog["state"]>) => {
    const preferred = sorted.filter((d) => states.includes(d.state))
    const list = preferred.length > 0 ? preferred : sorted
    return list[i % Math.max(1, list.length)]?.id ?? DialogId.make("nope")
  }
  switch (step.k) {
    case "arrive":
      return RoutingModel.Arrive.make({
        dialog: RoutingModel.NewDialog.make({
          id: DialogId.make(next()),
          channel: step.channel,
          queueId: step.queueId,
          priority: step.priority,
          topics: step.topics.map((t) => TopicId.make(t)),
          requiredSkills: step.requiredSkills,
          preferredSkills: step.preferredSkills,
          relaxAfterSec: step.relaxAfterSec,
          slaDueAt: step.slaInSec === undefined ? undefined : at + step.slaInSec * 1000
        }),
        at
      })
    case "pass":
      return RoutingModel.RunPass.make({ queues: step.queues, limit: step.limit, at })
    case "advance":
      return undefined
    case "accept":
    case "decline": {
      const offered = sorted.filter((d) => d.state === "offered")
      const d = offered[step.i % Math.max(1, offered.length)]
      const dialogId = d?.id ?? DialogId.make("nope")
      const operatorId = d?.offer?.operatorId ?? oid("o1")
      return step.k === "accept"
        ? RoutingModel.AcceptOffer.make({ dialogId, operatorId, at })
        : RoutingModel.DeclineOffer.make({ dialogId, operatorId, at })
    }
    case "close":
      return RoutingModel.Close.make({ dialogId: pickDialog(step.i, ["assigned", "on_hold", "offered", "queued"]), at })
    case "hold":
      return RoutingModel.Hold.make({ dialogId: pickDialog(step.i, ["assigned"]), at })
    case "unhold":
      return RoutingModel.Unhold.make({ dialogId: pickDialog(step.i, ["on_hold"]), at })
    case "reopen":
      return RoutingModel.Reopen.make({ dialogId: pickDialog(step.i, ["closed"]), at })
    case "presence":
      return RoutingModel.SetPresence.make({ operatorId: step.op, presence: step.presence, at })
    case "heartbeat":
      return RoutingModel.Heartbeat.make({ operatorId: step.op, at })
    case "availability":
      return RoutingModel.SetAvailability.make({ operatorId: step.op, availability: step.availability, at })
    case "status":
      return RoutingModel.SetStatus.make({ operatorId: step.op, statusId: StatusId.make(step.status), at })
    case "capacity":
      return RoutingModel.SetCapacity.make({ operatorId: step.op, channel: step.channel, capacity: step.n, at })
    case "transferQueue":
      return RoutingModel.Transfer.make({ dialogId: pickDialog(step.i, ["assigned", "queued", "offered", "on_hold"]), to: { _tag: "ToQueue", queueId: step.queueId }, at })
    case "transferOp":
      return RoutingModel.Transfer.make({ dialogId: pickDialog(step.i, ["assigned", "on_hold"]), to: { _tag: "ToOperator", operatorId: step.op }, at })
    case "manual":
      return RoutingModel.ManualAssign.make({ dialogId: pickDialog(step.i, ["queued", "offered"]), operatorId: step.op, at })
    case "pick":
      return RoutingModel.Pick.make({ dialogId: pickDialog(step.i, ["queued", "offered"]), operatorId: step.op, at })
  }
}

const simulate = (scenario: typeof scenarioArb extends fc.Arbitrary<infer A> ? A : never): Run => {
  const run = new Run(scenario.config)
  for (const { profile } of scenario.operators) {
    run.exec(
      RoutingModel.UpsertOperator.make({
        profile: RoutingModel.OperatorProfile.make({ ...profile, skillGroups: profile.skillGroups.map((g) => SkillGroupId.make(g)) }),
        at: run.now
      })
    )
  }
  for (const { profile, online: isOnline } of scenario.operators) {
    if (!isOnline) continue
    run.exec(RoutingModel.SetStatus.make({ operatorId: profile.id, statusId: online, at: run.now }))
    run.exec(RoutingModel.SetPresence.make({ operatorId: profile.id, presence: "online", at: run.now }))
  }
  let n = 0
  const next = () => `d${String(n++).padStart(3, "0")}`
  for (const step of scenario.steps) {
    if (step.k === "advance") {
      if (step.heartbeats) {
        for (const o of [...run.state.operators.values()]) {
          if (o.presence !== "offline") run.exec(RoutingModel.Heartbeat.make({ operatorId: o.id, at: run.now }))
        }
      }
      run.now += step.ms
      run.exec(RoutingModel.Tick.make({ at: run.now }))
      continue
    }
    const command = resolve(run, step, next)
    if (command !== undefined) run.exec(command)
  }
  return run
}

/**
 * INV-6, testable version: with arrivals stopped, operators who were present keep coming back,
 * offers are accepted and work is closed; after finitely many passes no queued dialog with a
 * non-empty compatible pool is left.
 */
const drain = (run: Run): void => {
  const keepers = [...run.state.operators.values()].filter((o) => o.presence !== "offline").map((o) => o.id)
  const stuck = () =>
    run
      .dialogs()
      .filter((d) => d.state === "queued" && [...run.state.operators.values()].some((o) => Ref.compatible(o, d, run.config, run.now)))
  for (let round = 0; round < 60; round++) {
    for (const d of run.dialogs()) if (d.state === "assigned" || d.state === "on_hold") run.exec(RoutingModel.Close.make({ dialogId: d.id, at: run.now }))
    // past every window, reset, grace and timeout the arbitraries generate, keeping heartbeats fresh
    for (let i = 0; i < 11; i++) {
      run.now += 55_000
      for (const id of keepers) run.exec(RoutingModel.Heartbeat.make({ operatorId: id, at: run.now }))
    }
    for (const id of keepers) {
      run.exec(RoutingModel.SetStatus.make({ operatorId: id, statusId: online, at: run.now }))
      run.exec(RoutingModel.SetPresence.make({ operatorId: id, presence: "online", at: run.now }))
    }
    run.exec(RoutingModel.RunPass.make({ at: run.now }))
    for (const d of run.dialogs()) {
      if (d.state === "offered" && d.offer !== undefined) {
        run.exec(RoutingModel.AcceptOffer.make({ dialogId: d.id, operatorId: d.offer.operatorId, at: run.now }))
      }
    }
    if (stuck().length === 0) break
  }
  expect(stuck().map((d) => d.id)).toEqual([])
}

describe("routing model (A5)", () => {
  it("INV-1..INV-13 hold after every step of random command sequences", () => {
    const totals = { accepted: 0, rejected: 0, passes: 0, routed: 0 }
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const run = simulate(scenario)
        drain(run)
        totals.accepted += run.accepted
        totals.rejected += run.rejected
        totals.passes += run.passes
        totals.routed += run.routed
      }),
      { numRuns: 250 }
    )
    // the generator exercises routing rather than bouncing off rejections
    expect(totals.routed).toBeGreaterThan(totals.passes / 4)
    expect(totals.accepted).toBeGreaterThan(totals.rejected)
  }, 300_000)

  it("INV-9a: round robin with everyone eligible and unlimited room: assignment counts never differ by more than 1", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 2, max: 4 }), (bursts, size) => {
        const run = new Run(RoutingConfig.make({ presenceTtlSec: 86_400, queues: { q1: QueuePolicy.make({ selection: "ROUND_ROBIN" }) } }))
        const ids = operatorIds.slice(0, size)
        for (const id of ids) {
          run.exec(RoutingModel.UpsertOperator.make({ profile: RoutingModel.OperatorProfile.make({ id, capacity: { widget: 1000 }, queues: [queueIds[0] as QueueId] }), at: run.now }))
          run.exec(RoutingModel.SetStatus.make({ operatorId: id, statusId: online, at: run.now }))
          run.exec(RoutingModel.SetPresence.make({ operatorId: id, presence: "online", at: run.now }))
        }
        let n = 0
        for (const burst of bursts) {
          run.now += 1000
          for (const id of ids) run.exec(RoutingModel.Heartbeat.make({ operatorId: id, at: run.now }))
          for (let i = 0; i < burst; i++) {
            run.exec(RoutingModel.Arrive.make({ dialog: RoutingModel.NewDialog.make({ id: DialogId.make(`d${n++}`), channel: "widget", queueId: queueIds[0] as QueueId }), at: run.now }))
          }
          run.exec(RoutingModel.RunPass.make({ at: run.now }))
          const counts = ids.map((id) => run.engineEvents.filter((e) => e.operatorId === id).length)
          expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
        }
      }),
      { numRuns: 100 }
    )
  }, 120_000)

  it("INV-9b: least loaded from equal loads, nothing closing: max − min load stays ≤ 1", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 10 }), fc.integer({ min: 2, max: 4 }), (bursts, size) => {
        const run = new Run(RoutingConfig.make({ presenceTtlSec: 86_400 }))
        const ids = operatorIds.slice(0, size)
        for (const id of ids) {
          run.exec(RoutingModel.UpsertOperator.make({ profile: RoutingModel.OperatorProfile.make({ id, capacity: { widget: 1000 }, queues: [queueIds[0] as QueueId] }), at: run.now }))
          run.exec(RoutingModel.SetStatus.make({ operatorId: id, statusId: online, at: run.now }))
          run.exec(RoutingModel.SetPresence.make({ operatorId: id, presence: "online", at: run.now }))
        }
        let n = 0
        for (const burst of bursts) {
          run.now += 1000
          for (let i = 0; i < burst; i++) {
            run.exec(RoutingModel.Arrive.make({ dialog: RoutingModel.NewDialog.make({ id: DialogId.make(`d${n++}`), channel: "widget", queueId: queueIds[0] as QueueId }), at: run.now }))
          }
          run.exec(RoutingModel.RunPass.make({ at: run.now }))
          const loads = ids.map((id) => Ref.load(run.dialogs(), run.config, id, "widget"))
          expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1)
        }
      }),
      { numRuns: 100 }
    )
  }, 120_000)
})
