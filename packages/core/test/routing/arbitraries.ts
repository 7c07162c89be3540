import fc from "fast-check"
import type { ChannelKind } from "../../src/channels/Channel.js"
import {
  OperatorId,
  QueuePolicy,
  RoutingConfig,
  type RoutingDialog,
  type RoutingOperator,
  type RoutingSnapshot,
  SkillGroupId,
  StatusId
} from "../../src/routing/index.js"
import { DialogId, QueueId, TopicId } from "../../src/shared/Ids.js"

/** A small universe, so collisions (shared operators, equal keys, same topics) happen often. */
export const NOW = 1_000_000_000
export const operatorIds = ["o1", "o2", "o3", "o4", "o5", "o6"].map((id) => OperatorId.make(id))
export const queueIds = [QueueId.make("q1"), QueueId.make("q2")]
export const channels: ReadonlyArray<ChannelKind> = ["widget", "email", "telegram"]
export const topics = ["billing", "billing/refunds", "tech", "tech/network", "sales"].map((t) => TopicId.make(t))
export const skills = ["en", "de", "vip"]
export const skillGroups = {
  "g-billing": [TopicId.make("billing")],
  "g-refunds": [TopicId.make("billing/refunds")],
  "g-tech": [TopicId.make("tech")],
  "g-all": [TopicId.make("billing"), TopicId.make("tech"), TopicId.make("sales")]
}
export const groupIds = Object.keys(skillGroups).map((g) => SkillGroupId.make(g))
export const topicParents = { "billing/refunds": TopicId.make("billing"), "tech/network": TopicId.make("tech") }

const optional = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: undefined })
/** Present in about one case out of `1 + absentWeight`. */
const rarely = <A>(arb: fc.Arbitrary<A>, absentWeight = 3): fc.Arbitrary<A | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absentWeight }, { arbitrary: arb, weight: 1 })
const often = <A>(xs: ReadonlyArray<A>, emptyWeight = 1, fullWeight = 2): fc.Arbitrary<ReadonlyArray<A>> =>
  fc.oneof({ arbitrary: fc.constant(xs), weight: fullWeight }, { arbitrary: fc.subarray([...xs]), weight: emptyWeight })
/** Instants on a coarse grid around NOW so that ties are common. */
const past = (maxSteps: number) => fc.integer({ min: 0, max: maxSteps }).map((k) => NOW - k * 1000)

export const redistributionArb = fc.oneof(
  fc.constant({ _tag: "KEEP" } as const),
  fc.integer({ min: 0, max: 300 }).map((graceSec) => ({ _tag: "REQUEUE_AFTER", graceSec }) as const)
)

export interface PolicyOptions {
  readonly rampUp?: boolean
  readonly rateLimit?: boolean
  readonly offers?: boolean
}

export const policyArb = (options: PolicyOptions = {}): fc.Arbitrary<QueuePolicy> =>
  fc
    .record({
      queueOrder: fc.constantFrom("PRIORITY_FIFO", "SLA_DUE", "FIFO", "AGED_PRIORITY"),
      agingStepSec: fc.integer({ min: 1, max: 120 }),
      selection: fc.constantFrom("LEAST_LOADED", "LEAST_LOADED_PCT", "ROUND_ROBIN", "LONGEST_IDLE", "BEST_SKILL"),
      delivery:
        options.offers === false
          ? fc.constant({ _tag: "DIRECT" } as const)
          : fc.oneof(
              fc.constant({ _tag: "DIRECT" } as const),
              fc.record({
                _tag: fc.constant("OFFER" as const),
                timeoutSec: fc.integer({ min: 1, max: 60 }),
                missesBeforeAway: fc.integer({ min: 0, max: 3 })
              })
            ),
      exclusionResetSec: fc.integer({ min: 0, max: 600 }),
      maxAssignmentsPerWindow:
        options.rateLimit === false
          ? fc.constant(undefined)
          : optional(fc.record({ limit: fc.integer({ min: 1, max: 3 }), windowSec: fc.integer({ min: 1, max: 600 }) })),
      onOperatorUnavailable: fc.record({ live: redistributionArb, async: redistributionArb, byChannel: fc.constant({}) }),
      manualOverCapacity: fc.constantFrom("allow" as const, "deny" as const),
      rampUpPerPass: options.rampUp === false ? fc.constant(undefined) : optional(fc.integer({ min: 1, max: 3 })),
      transferResetsEnqueuedAt: fc.boolean()
    })
    .map((p) => QueuePolicy.make(p))

export const configArb = (options: PolicyOptions = {}): fc.Arbitrary<RoutingConfig> =>
  fc
    .record({
      awayReceivesAsync: fc.boolean(),
      countOnHold: fc.boolean(),
      q1: policyArb(options),
      q2: policyArb(options)
    })
    .map(({ awayReceivesAsync, countOnHold, q1, q2 }) =>
      RoutingConfig.make({ awayReceivesAsync, countOnHold, skillGroups, topicParents, queues: { q1, q2 } })
    )

const operatorArb = (id: OperatorId): fc.Arbitrary<RoutingOperator> =>
  fc
    .record({
      presence: fc.constantFrom("online", "online", "online", "online", "online", "away", "offline"),
      heartbeatAgoSec: fc.integer({ min: 0, max: 65 }),
      availability: fc.constantFrom("available", "available", "available", "available", "available", "busy", "unavailable"),
      capacity: fc.record({ widget: fc.integer({ min: 0, max: 3 }), email: fc.integer({ min: 0, max: 3 }), telegram: fc.integer({ min: 0, max: 2 }) }),
      skillGroups: often(groupIds),
      skills: often(skills).chain((names) =>
        fc.tuple(...names.map(() => fc.integer({ min: 1, max: 10 }))).map((levels) => Object.fromEntries(names.map((n, i) => [n, levels[i] ?? 1])))
      ),
      queues: often(queueIds, 1, 1),
      lastAssignedAt: fc.record({ widget: optional(past(4)), email: optional(past(4)), telegram: optional(past(4)) }),
      lastAssignedSeq: fc.record({ widget: fc.nat({ max: 2 }), email: fc.nat({ max: 2 }), telegram: fc.nat({ max: 2 }) }),
      lastBecameIdleAt: optional(past(4)),
      shifts: rarely(fc.constantFrom([{ start: NOW - 3_600_000, end: NOW + 3_600_000 }], [{ start: NOW + 60_000, end: NOW + 3_600_000 }]))
    })
    .map((o) => ({
      id,
      presence: o.presence,
      lastHeartbeatAt: NOW - o.heartbeatAgoSec * 1000,
      availability: o.availability,
      statusId: StatusId.make("online"),
      capacity: o.capacity,
      skillGroups: o.skillGroups,
      skills: o.skills,
      queues: o.queues,
      lastAssignedAt: Object.fromEntries(Object.entries(o.lastAssignedAt).filter((e): e is [string, number] => e[1] !== undefined)),
      lastAssignedSeq: o.lastAssignedSeq,
      lastBecameIdleAt: o.lastBecameIdleAt,
      consecutiveMisses: 0,
      shifts: o.shifts,
      lastActivityAt: NOW
    }))

const dialogArb = (index: number): fc.Arbitrary<RoutingDialog> =>
  fc
    .record({
      channel: fc.constantFrom(...channels),
      queueId: fc.constantFrom(...queueIds),
      priority: fc.integer({ min: -1, max: 3 }),
      slaDueAt: optional(fc.integer({ min: 0, max: 10 }).map((k) => NOW + k * 60_000)),
      enqueuedAt: past(20),
      topics: rarely(fc.subarray(topics, { minLength: 1, maxLength: 2 }), 2).map((t) => t ?? []),
      requiredSkills: rarely(fc.subarray(skills, { minLength: 1, maxLength: 1 }), 2).map((t) => t ?? []),
      preferredSkills: rarely(fc.subarray(skills, { minLength: 1, maxLength: 2 }), 1).map((t) => t ?? []),
      relaxAfterSec: optional(fc.integer({ min: 0, max: 30 })),
      excludedOperators: rarely(fc.subarray(operatorIds, { minLength: 1, maxLength: 2 }), 2).map((t) => t ?? []),
      state: fc.constantFrom("queued", "queued", "queued", "queued", "queued", "queued", "assigned", "offered", "on_hold"),
      holder: fc.constantFrom(...operatorIds)
    })
    .map((d): RoutingDialog => {
      const base = {
        id: DialogId.make(`d${String(index).padStart(3, "0")}`),
        channel: d.channel,
        queueId: d.queueId,
        priority: d.priority,
        slaDueAt: d.slaDueAt,
        enqueuedAt: d.enqueuedAt,
        topics: d.topics,
        requiredSkills: d.requiredSkills,
        preferredSkills: d.preferredSkills,
        relaxAfterSec: d.relaxAfterSec,
        excludedOperators: d.excludedOperators,
        overCapacity: false,
        version: 0
      }
      switch (d.state) {
        case "queued":
          return { ...base, state: "queued" }
        case "offered":
          return { ...base, state: "offered", offer: { operatorId: d.holder, createdAt: NOW, expiresAt: NOW + 30_000 } }
        case "assigned":
        case "on_hold":
          return { ...base, state: d.state, assigneeId: d.holder }
      }
    })

export const snapshotArb: fc.Arbitrary<RoutingSnapshot> = fc
  .record({
    operators: fc.subarray(operatorIds, { minLength: 3 }).chain((ids) => fc.tuple(...ids.map(operatorArb))),
    dialogCount: fc.integer({ min: 0, max: 40 }),
    log: fc.array(
      fc.record({ operatorId: fc.constantFrom(...operatorIds), queueId: fc.constantFrom(...queueIds), at: past(600) }),
      { maxLength: 8 }
    )
  })
  .chain(({ operators, dialogCount, log }) =>
    fc
      .tuple(...Array.from({ length: dialogCount }, (_, i) => dialogArb(i)))
      .map((dialogs): RoutingSnapshot => ({ operators, dialogs, assignmentLog: log }))
  )
