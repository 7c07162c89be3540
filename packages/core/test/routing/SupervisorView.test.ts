import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { RoutingModel, supervisorView } from "../../src/routing/index.js"
import { configWith, did, oid, q1, q2, Scenario, T0 } from "./harness.js"

describe("supervisor read model", () => {
  it("shows every operator's status, load against capacity per channel and active dialogs; queue length and oldest wait", () => {
    const s = new Scenario(configWith({ q1: { delivery: { _tag: "OFFER", timeoutSec: 60, missesBeforeAway: 3 } } }))
    s.operator("anna", { capacity: { widget: 2, email: 1 }, queues: [q1, q2] }).operator("boris", { queues: [q1] }, false)
    s.arrive("d1").pass().accept("d1", "anna")
    s.advance(1000).arrive("d2").pass()
    s.advance(1000).arrive("d3", { queueId: q2 })
    s.advance(5000).arrive("d4", { queueId: q2 })
    s.run(RoutingModel.ManualAssign.make({ dialogId: did("d4"), operatorId: oid("anna"), at: s.now }))
    s.advance(3000)

    const view = supervisorView(RoutingModel.snapshotOf(s.state), s.state.config, s.now)
    expect(view.operators.map((o) => o.operatorId)).toEqual(["anna", "boris"])
    const [anna, boris] = view.operators
    expect(anna).toMatchObject({
      statusId: "online",
      presence: "online",
      availability: "available",
      absent: false,
      load: [
        { channel: "email", load: 0, capacity: 1 },
        { channel: "widget", load: 3, capacity: 2 }
      ]
    })
    expect(anna?.activeDialogs.map((d) => [d.dialogId, d.state, d.overCapacity])).toEqual([
      ["d1", "assigned", false],
      ["d2", "offered", false],
      ["d4", "assigned", true]
    ])
    expect(boris).toMatchObject({ statusId: "break", presence: "offline", availability: "unavailable", absent: true, activeDialogs: [] })
    expect(view.queues).toEqual([
      { queueId: "q1", length: 0, oldestEnqueuedAt: Option.none(), oldestWaitMs: Option.none() },
      { queueId: "q2", length: 1, oldestEnqueuedAt: Option.some(T0 + 2000), oldestWaitMs: Option.some(8000) }
    ])
  })

  it("derives load from the dialogs the same way routing does, so the board and the router agree", () => {
    const s = new Scenario(configWith({}, { countOnHold: true })).operator("anna").arrive("d1").pass()
    s.run(RoutingModel.Hold.make({ dialogId: did("d1"), at: s.now }))
    const view = supervisorView(RoutingModel.snapshotOf(s.state), s.state.config, s.now)
    expect(view.operators[0]?.load).toEqual([{ channel: "widget", load: s.load("anna"), capacity: 2 }])
    expect(view.operators[0]?.load[0]?.load).toBe(1)
  })
})
