import { describe, expect, it } from "@effect/vitest"
import * as Operator from "../../src/operators/Operator.js"
import { defaults, Language } from "../../src/settings/Settings.js"
import { UserId } from "../../src/shared/Ids.js"
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
})
