import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import {
  candidates,
  compareRankKeys,
  coversTopics,
  deriveLoads,
  effectivePresence,
  effectiveRequiredSkills,
  isAbsent,
  isEligible,
  loadOf,
  mayRequeue,
  OperatorId,
  planPass,
  policyFor,
  QueuePolicy,
  queueKey,
  redistributionFor,
  RoutingConfig,
  type RoutingDialog,
  type RoutingOperator,
  selectionKey,
  SkillGroupId,
  StatusId
} from "../../src/routing/index.js"
import { DialogId, QueueId, TopicId } from "../../src/shared/Ids.js"
import { configArb, NOW, queueIds, skillGroups, snapshotArb, topicParents } from "./arbitraries.js"
import * as Ref from "./reference.js"

const q1 = QueueId.make("q1")

const operator = (id: string, patch: Partial<RoutingOperator> = {}): RoutingOperator => ({
  id: OperatorId.make(id),
  presence: "online",
  lastHeartbeatAt: NOW,
  availability: "available",
  statusId: StatusId.make("online"),
  capacity: { widget: 2 },
  skillGroups: [],
  skills: {},
  queues: [q1],
  lastAssignedAt: {},
  lastAssignedSeq: {},
  consecutiveMisses: 0,
  lastActivityAt: NOW,
  ...patch
})

const dialog = (id: string, patch: Partial<RoutingDialog> = {}): RoutingDialog => ({
  id: DialogId.make(id),
  channel: "widget",
  queueId: q1,
  priority: 0,
  enqueuedAt: NOW - 1000,
  topics: [],
  requiredSkills: [],
  preferredSkills: [],
  excludedOperators: [],
  state: "queued",
  overCapacity: false,
  version: 0,
  ...patch
})

const config = RoutingConfig.make({ skillGroups, topicParents })

const shuffled = <A>(xs: ReadonlyArray<A>, seed: number): Array<A> => {
  const out = [...xs]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    const j = s % (i + 1)
    const tmp = out[i] as A
    out[i] = out[j] as A
    out[j] = tmp
  }
  return out
}

describe("A2 keys against the reference (INV-8)", () => {
  it("queueKey orders dialogs exactly as the A2.1 tuples do, for every queue order", () => {
    fc.assert(
      fc.property(snapshotArb, configArb(), (snapshot, cfg) => {
        for (const queueId of queueIds) {
          const policy = policyFor(cfg, queueId)
          const ours = [...snapshot.dialogs].sort((a, b) => compareRankKeys(queueKey(a, policy), queueKey(b, policy)))
          const theirs = [...snapshot.dialogs].sort((a, b) => Ref.compareKeys(Ref.queueKeyOf(a, policy), Ref.queueKeyOf(b, policy)))
          expect(ours.map((d) => d.id)).toEqual(theirs.map((d) => d.id))
        }
      }),
      { numRuns: 300 }
    )
  })

  it("E(d) and the selection key pick the same operator as sorting the reference keys", () => {
    fc.assert(
      fc.property(snapshotArb, configArb(), (snapshot, cfg) => {
        const loads = deriveLoads(snapshot.dialogs, cfg)
        for (const d of snapshot.dialogs.filter((x) => x.state === "queued")) {
          const policy = policyFor(cfg, d.queueId)
          const ours = candidates(snapshot, cfg, d, NOW)
          const theirs = snapshot.operators.filter((o) => Ref.isCandidate(o, d, cfg, snapshot.dialogs, snapshot.assignmentLog, NOW))
          expect(ours.map((o) => o.id).sort()).toEqual(theirs.map((o) => o.id).sort())
          const best = [...ours].sort((a, b) => compareRankKeys(selectionKey(a, d, policy, loads), selectionKey(b, d, policy, loads)))[0]
          const refBest = [...theirs].sort((a, b) =>
            Ref.compareKeys(Ref.selectionKeyOf(a, d, policy, cfg, snapshot.dialogs), Ref.selectionKeyOf(b, d, policy, cfg, snapshot.dialogs))
          )[0]
          expect(best?.id).toEqual(refBest?.id)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("planPass makes exactly the reference's decisions, in the same order, through shared and per-class heaps alike", () => {
    fc.assert(
      fc.property(
        snapshotArb,
        configArb(),
        fc.option(fc.subarray(queueIds, { minLength: 1 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
        fc.constantFrom(0, 1, 2, 16),
        (snapshot, cfg, queues, limit, skipLimit) => {
          const ours = planPass(snapshot, cfg, NOW, { queues, limit, skipLimit }).map((x) => ({
            dialogId: x.dialogId,
            operatorId: x.operatorId,
            kind: x._tag
          }))
          const theirs = Ref.referencePlan(snapshot, cfg, NOW, {
            ...(queues === undefined ? {} : { queues }),
            ...(limit === undefined ? {} : { limit })
          })
          expect(ours).toEqual(theirs)
        }
      ),
      { numRuns: 1000 }
    )
  })

  it("the plan is a pure function of the snapshot: input order does not matter", () => {
    fc.assert(
      fc.property(snapshotArb, configArb(), fc.integer(), (snapshot, cfg, seed) => {
        const permuted = {
          operators: shuffled(snapshot.operators, seed),
          dialogs: shuffled(snapshot.dialogs, seed + 1),
          assignmentLog: shuffled(snapshot.assignmentLog, seed + 2)
        }
        expect(planPass(permuted, cfg, NOW)).toEqual(planPass(snapshot, cfg, NOW))
      }),
      { numRuns: 300 }
    )
  })

  it("a pass never exceeds capacity, never picks an ineligible or excluded operator, never decides a dialog twice", () => {
    fc.assert(
      fc.property(snapshotArb, configArb(), (snapshot, cfg) => {
        const plan = planPass(snapshot, cfg, NOW)
        expect(new Set(plan.map((x) => x.dialogId)).size).toBe(plan.length)
        let dialogs = [...snapshot.dialogs]
        for (const decision of plan) {
          const d = dialogs.find((x) => x.id === decision.dialogId)
          const o = snapshot.operators.find((x) => x.id === decision.operatorId)
          expect(d?.state).toBe("queued")
          if (d === undefined || o === undefined) return
          expect(Ref.compatible(o, d, cfg, NOW)).toBe(true)
          expect(d.excludedOperators).not.toContain(o.id)
          expect(Ref.load(dialogs, cfg, o.id, d.channel)).toBeLessThan(o.capacity[d.channel] ?? 0)
          dialogs = dialogs.map((x) => (x.id === d.id ? { ...x, state: "assigned" as const, assigneeId: o.id } : x))
        }
      }),
      { numRuns: 300 }
    )
  })
})

describe("eligibility (A0, A1)", () => {
  it("a subtopic is covered by a skill group containing its parent topic", () => {
    const o = operator("o1", { skillGroups: [SkillGroupId.make("g-billing")] })
    expect(coversTopics(o, [TopicId.make("billing/refunds")], config)).toBe(true)
    expect(coversTopics(o, [TopicId.make("tech")], config)).toBe(false)
  })

  it("a parent topic is not covered by a group that only has one of its subtopics", () => {
    const o = operator("o1", { skillGroups: [SkillGroupId.make("g-refunds")] })
    expect(coversTopics(o, [TopicId.make("billing")], config)).toBe(false)
    expect(coversTopics(o, [TopicId.make("billing/refunds")], config)).toBe(true)
  })

  it("a dialog without a topic can go to anyone in the queue", () => {
    const snapshot = { operators: [operator("o1")], dialogs: [dialog("d1")], assignmentLog: [] }
    expect(candidates(snapshot, config, dialog("d1"), NOW).map((o) => o.id)).toEqual(["o1"])
  })

  it("presence expires after presenceTtl without a heartbeat", () => {
    const o = operator("o1", { lastHeartbeatAt: NOW - 60_000 })
    expect(effectivePresence(o, config, NOW - 1)).toBe("online")
    expect(effectivePresence(o, config, NOW)).toBe("offline")
    expect(isAbsent(o, config, NOW)).toBe(true)
  })

  it("away receives only async channels, and only when configured", () => {
    const o = operator("o1", { presence: "away", capacity: { widget: 1, email: 1 } })
    expect(isEligible(o, "email", config, NOW)).toBe(false)
    const awayOk = RoutingConfig.make({ awayReceivesAsync: true })
    expect(isEligible(o, "email", awayOk, NOW)).toBe(true)
    expect(isEligible(o, "widget", awayOk, NOW)).toBe(false)
  })

  it("outside every shift an operator is unavailable", () => {
    const o = operator("o1", { shifts: [{ start: NOW, end: NOW + 1000 }] })
    expect(isEligible(o, "widget", config, NOW - 1)).toBe(false)
    expect(isAbsent(o, config, NOW - 1)).toBe(true)
    expect(isEligible(o, "widget", config, NOW)).toBe(true)
    expect(isEligible(o, "widget", config, NOW + 1000)).toBe(false)
  })

  it("capacity 0 means never auto-routed on that channel; busy and unavailable receive nothing", () => {
    expect(isEligible(operator("o1", { capacity: { widget: 0 } }), "widget", config, NOW)).toBe(false)
    expect(isEligible(operator("o1", { availability: "busy" }), "widget", config, NOW)).toBe(false)
    expect(isAbsent(operator("o1", { availability: "busy" }), config, NOW)).toBe(false)
    expect(isEligible(operator("o1", { availability: "unavailable" }), "widget", config, NOW)).toBe(false)
  })

  it("preferred skills are required until relaxAfterSec, then only scored", () => {
    const d = dialog("d1", { preferredSkills: ["de"], relaxAfterSec: 30, enqueuedAt: NOW })
    expect(effectiveRequiredSkills(d, NOW + 29_999)).toEqual(["de"])
    expect(effectiveRequiredSkills(d, NOW + 30_000)).toEqual([])
  })

  it("load counts assigned dialogs and pending offers, and on-hold dialogs only when configured", () => {
    const o = OperatorId.make("o1")
    const dialogs = [
      dialog("a", { state: "assigned", assigneeId: o }),
      dialog("b", { state: "offered", offer: { operatorId: o, createdAt: NOW, expiresAt: NOW + 1 } }),
      dialog("c", { state: "on_hold", assigneeId: o }),
      dialog("d", { state: "closed", previousAssigneeId: o })
    ]
    expect(loadOf(deriveLoads(dialogs, config), o, "widget")).toBe(2)
    expect(loadOf(deriveLoads(dialogs, RoutingConfig.make({ countOnHold: true })), o, "widget")).toBe(3)
  })
})

describe("selection modes", () => {
  const pass = (policy: Partial<QueuePolicy>, operators: Array<RoutingOperator>, dialogs: Array<RoutingDialog>) =>
    planPass({ operators, dialogs, assignmentLog: [] }, RoutingConfig.make({ skillGroups, topicParents, queues: { q1: QueuePolicy.make(policy) } }), NOW).map(
      (x) => `${x.dialogId}->${x.operatorId}`
    )

  it("LEAST_LOADED prefers the lower load, then the least recently assigned, then the id", () => {
    const ops = [operator("o1", { lastAssignedAt: { widget: NOW - 10 } }), operator("o2", { lastAssignedAt: { widget: NOW - 20 } }), operator("o3")]
    const busy = dialog("x", { state: "assigned", assigneeId: OperatorId.make("o3") })
    expect(pass({}, ops, [busy, dialog("d1")])).toEqual(["d1->o2"])
  })

  it("LEAST_LOADED_PCT compares load relative to capacity", () => {
    const ops = [operator("o1", { capacity: { widget: 4 } }), operator("o2", { capacity: { widget: 2 } })]
    const loads = [
      dialog("x1", { state: "assigned", assigneeId: OperatorId.make("o1") }),
      dialog("x2", { state: "assigned", assigneeId: OperatorId.make("o1") }),
      dialog("x3", { state: "assigned", assigneeId: OperatorId.make("o2") })
    ]
    // o1 at 2/4, o2 at 1/2: equal ratios, the id decides; with one more on o1 o2 wins
    expect(pass({ selection: "LEAST_LOADED_PCT" }, ops, [...loads, dialog("d1")])).toEqual(["d1->o1"])
    const more = dialog("x4", { state: "assigned", assigneeId: OperatorId.make("o1") })
    expect(pass({ selection: "LEAST_LOADED_PCT" }, ops, [...loads, more, dialog("d1")])).toEqual(["d1->o2"])
  })

  it("ROUND_ROBIN goes to the least recently assigned; never-assigned comes first; it rotates within one pass", () => {
    const ops = [operator("o1", { lastAssignedAt: { widget: NOW - 5 }, capacity: { widget: 9 } }), operator("o2", { capacity: { widget: 9 } }), operator("o3", { lastAssignedAt: { widget: NOW - 9 }, capacity: { widget: 9 } })]
    const ds = ["d1", "d2", "d3", "d4", "d5"].map((id, i) => dialog(id, { enqueuedAt: NOW - 100 + i }))
    expect(pass({ selection: "ROUND_ROBIN" }, ops, ds)).toEqual(["d1->o2", "d2->o3", "d3->o1", "d4->o2", "d5->o3"])
  })

  it("LONGEST_IDLE picks the operator idle the longest; busy operators come after every idle one", () => {
    const ops = [operator("o1", { lastBecameIdleAt: NOW - 10 }), operator("o2", { lastBecameIdleAt: NOW - 50 }), operator("o3", { lastBecameIdleAt: NOW - 99 })]
    const busy = dialog("x", { state: "assigned", assigneeId: OperatorId.make("o3") })
    expect(pass({ selection: "LONGEST_IDLE" }, ops, [busy, dialog("d1")])).toEqual(["d1->o2"])
  })

  it("BEST_SKILL picks the highest summed level over required and preferred skills", () => {
    const ops = [operator("o1", { skills: { en: 9, de: 1 } }), operator("o2", { skills: { en: 5, de: 7 } }), operator("o3", { skills: { en: 10 } })]
    expect(pass({ selection: "BEST_SKILL" }, ops, [dialog("d1", { requiredSkills: ["en"], preferredSkills: ["de"] })])).toEqual(["d1->o2"])
  })

  it("queue orders: priority first, SLA due first, FIFO, and aged priority trading priority for wait", () => {
    const ops = [operator("o1", { capacity: { widget: 1 } })]
    const old = dialog("old", { enqueuedAt: NOW - 600_000, priority: 0, slaDueAt: NOW + 5 })
    const urgent = dialog("urgent", { enqueuedAt: NOW - 1000, priority: 5, slaDueAt: NOW + 50 })
    expect(pass({ queueOrder: "PRIORITY_FIFO" }, ops, [old, urgent])).toEqual(["urgent->o1"])
    expect(pass({ queueOrder: "SLA_DUE" }, ops, [old, urgent])).toEqual(["old->o1"])
    expect(pass({ queueOrder: "FIFO" }, ops, [old, urgent])).toEqual(["old->o1"])
    // aged: 600 s of waiting vs 5 levels × 60 s
    expect(pass({ queueOrder: "AGED_PRIORITY", agingStepSec: 60 }, ops, [old, urgent])).toEqual(["old->o1"])
    expect(pass({ queueOrder: "AGED_PRIORITY", agingStepSec: 200 }, ops, [old, urgent])).toEqual(["urgent->o1"])
  })

  it("no head-of-line blocking: a dialog nobody can take does not hold back the ones behind it", () => {
    const ops = [operator("o1", { skills: { en: 3 } })]
    const head = dialog("head", { enqueuedAt: NOW - 9000, requiredSkills: ["jp"] })
    expect(pass({}, ops, [head, dialog("next", { requiredSkills: ["en"] })])).toEqual(["next->o1"])
  })
})

describe("A2.5: which held dialogs the sweep must read (mayRequeue)", () => {
  it("whenever a dialog's own queue rule requeues it now, mayRequeue says so (the sweep never skips one it must requeue)", () => {
    fc.assert(
      fc.property(configArb(), fc.constantFrom(...queueIds), fc.constantFrom("widget", "email", "telegram"), fc.integer({ min: 0, max: 400 }), (config, queueId, channel, absentForSec) => {
        const rule = redistributionFor(config, queueId, channel)
        const absentSince = NOW - absentForSec * 1000
        if (rule._tag === "REQUEUE_AFTER" && NOW >= absentSince + rule.graceSec * 1000) expect(mayRequeue(config, channel, absentSince, NOW)).toBe(true)
      })
    )
  })

  it("no queue requeuing the channel (KEEP, or the grace not over): nothing to read", () => {
    const keep = RoutingConfig.make({ defaultPolicy: QueuePolicy.make({ onOperatorUnavailable: { live: { _tag: "KEEP" }, async: { _tag: "KEEP" }, byChannel: {} } }) })
    expect(mayRequeue(keep, "telegram", NOW - 3_600_000, NOW)).toBe(false)
    const graceful = RoutingConfig.make({})
    expect(mayRequeue(graceful, "telegram", NOW - 60_000, NOW)).toBe(false)
    expect(mayRequeue(graceful, "telegram", NOW - 120_000, NOW)).toBe(true)
  })
})
