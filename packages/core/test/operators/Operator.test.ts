import { describe, expect, it } from "@effect/vitest"
import * as Operator from "../../src/operators/Operator.js"
import { defaults, Language } from "../../src/settings/Settings.js"
import { QueueId, UserId } from "../../src/shared/Ids.js"
import { deciderSpec } from "../../src/testing/deciderSpec.js"
import { anna, boris, owner, supervisor } from "../../src/testing/fixtures.js"

const spec = deciderSpec({ initial: () => Operator.initial(anna.id), evolve: Operator.evolve, decide: Operator.decide })
const ctx = (actor: Operator.OperatorContext["actor"]): Operator.OperatorContext => ({ now: 5, actor, settings: defaults, statuses: Operator.defaultStatuses })
const registered = new Operator.OperatorRegistered({ userId: anna.id, name: "Anna", role: "operator", language: Language.make("en"), at: 1 })

describe("operator decider (OPS-01, OPS-02)", () => {
  it("only admins register users and change roles", () => {
    spec.given([]).when(new Operator.RegisterOperator({ userId: anna.id, name: "Anna", role: "operator" }), ctx(supervisor)).thenRejects("Forbidden")
    spec.given([]).when(new Operator.RegisterOperator({ userId: anna.id, name: "Anna", role: "operator" }), ctx(owner)).then((_, state) => expect(state.active).toBe(true))
    spec.given([registered]).when(new Operator.RegisterOperator({ userId: anna.id, name: "Anna", role: "operator" }), ctx(owner)).thenRejects("AlreadyRegistered")
    spec.given([registered]).when(new Operator.ChangeRole({ userId: anna.id, role: "admin" }), ctx(anna)).thenRejects("Forbidden")
  })

  it("an operator changes their own status; not someone else's; unknown statuses are rejected", () => {
    spec.given([registered]).when(new Operator.SetStatus({ userId: anna.id, statusId: "online" }), ctx(anna)).then((_, state) => {
      expect(Operator.receivesDialogs(state, Operator.defaultStatuses)).toBe(true)
    })
    spec.given([registered]).when(new Operator.SetStatus({ userId: anna.id, statusId: "online" }), ctx(boris)).thenRejects("Forbidden")
    spec.given([registered]).when(new Operator.SetStatus({ userId: anna.id, statusId: "vacation" }), ctx(anna)).thenRejects("UnknownStatus")
    spec.given([registered, new Operator.OperatorActivated({ userId: anna.id, active: false, at: 2 })]).when(new Operator.SetStatus({ userId: anna.id, statusId: "online" }), ctx(anna)).thenRejects("Inactive")
  })

  it("a break status receives no dialogs; only supervisors change capacity", () => {
    const onBreak = new Operator.OperatorStatusChanged({ userId: anna.id, statusId: "break", receivesDialogs: false, at: 2 })
    expect(Operator.receivesDialogs([registered, onBreak].reduce(Operator.evolve, Operator.initial(anna.id)), Operator.defaultStatuses)).toBe(false)
    spec.given([registered]).when(new Operator.SetRouting({ userId: anna.id, capacity: { telegram: 2 }, skills: [], queues: [] }), ctx(anna)).thenRejects("Forbidden")
    spec.given([registered]).when(new Operator.SetRouting({ userId: anna.id, capacity: { telegram: 2 }, skills: [], queues: [] }), ctx(supervisor)).then((_, state) => expect(state.capacity).toEqual({ telegram: 2 }))
    spec.given([]).when(new Operator.SetStatus({ userId: UserId.make("ghost"), statusId: "online" }), ctx(owner)).thenRejects("NotRegistered")
  })

  it("who may change a routing profile (queues, shift) is one rule: the users screen shows its editors by it and the decider enforces it", () => {
    const shift = { name: "Mornings", timezone: "UTC", week: { mon: [["06:00", "14:00"]] as const } }
    for (const actor of [owner, supervisor, anna, boris]) {
      const decided = Operator.decide([registered].reduce(Operator.evolve, Operator.initial(anna.id)), new Operator.SetRouting({ userId: anna.id, capacity: {}, skills: [], queues: [], shift }), ctx(actor))
      expect([actor.id, decided._tag === "Right"]).toEqual([actor.id, Operator.mayChangeRouting(actor, defaults)])
    }
    expect([owner, supervisor].every((actor) => Operator.mayChangeRouting(actor, defaults))).toBe(true)
    expect([anna, boris].some((actor) => Operator.mayChangeRouting(actor, defaults))).toBe(false)
  })

  it("an operator's shift and queues are kept by the routing profile and a shift decides when they are on shift", () => {
    const shift = { name: "Mondays", timezone: "UTC", week: { mon: [["09:00", "10:00"]] as const } }
    spec.given([registered]).when(new Operator.SetRouting({ userId: anna.id, capacity: { telegram: 1 }, skills: [], queues: [QueueId.make("vip")], shift }), ctx(supervisor)).then((_, state) => {
      expect(state.queues).toEqual(["vip"])
      // Monday 2026-12-07, 09:30 and 10:30 UTC.
      expect(Operator.onShift(state, Date.UTC(2026, 11, 7, 9, 30))).toBe(true)
      expect(Operator.onShift(state, Date.UTC(2026, 11, 7, 10, 30))).toBe(false)
    })
  })
})
