import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { RoutingModel, StatusId } from "../../src/routing/index.js"
import { configWith, did, oid, q1, q2, Scenario, T0 } from "./harness.js"

const offers = (timeoutSec = 30, missesBeforeAway = 3, extra = {}, presenceTtlSec = 60) =>
  configWith({ q1: { delivery: { _tag: "OFFER", timeoutSec, missesBeforeAway }, ...extra } }, { presenceTtlSec })

describe("delivery", () => {
  it("DIRECT: a pass assigns a queued dialog to a free operator", () => {
    const s = new Scenario().operator("anna").arrive("d1").pass()
    expect(s.dialog("d1")).toMatchObject({ state: "assigned", assigneeId: "anna", version: 1 })
    expect(s.lastEvents).toContainEqual(expect.objectContaining({ _tag: "DialogAssigned", via: "pass", operatorId: "anna" }))
  })

  it("OFFER: a pass offers with expiresAt = now + timeout; accepting assigns and the offer's load carries over", () => {
    const s = new Scenario(offers(20)).operator("anna", { capacity: { widget: 1 } }).arrive("d1").pass()
    expect(s.dialog("d1")).toMatchObject({ state: "offered", offer: { operatorId: "anna", expiresAt: T0 + 20_000 } })
    expect(s.load("anna")).toBe(1)
    s.arrive("d2").pass()
    expect(s.dialog("d2").state).toBe("queued")
    s.accept("d1", "anna")
    expect(s.dialog("d1")).toMatchObject({ state: "assigned", assigneeId: "anna" })
    expect(s.load("anna")).toBe(1)
  })

  it("accepting somebody else's offer, or one that is gone, is NoPendingOffer", () => {
    const s = new Scenario(offers()).operator("anna").operator("boris").arrive("d1").pass()
    const holder = s.holder("d1") === "anna" ? "boris" : "anna"
    expect(s.attempt(RoutingModel.AcceptOffer.make({ dialogId: did("d1"), operatorId: oid(holder), at: s.now }))?.reason).toBe(
      "NoPendingOffer"
    )
  })
})

describe("offer lifecycle (A3)", () => {
  it("decline: back to the queue with its enqueuedAt, the operator excluded, the next pass offers someone else", () => {
    const s = new Scenario(offers()).operator("anna").arrive("d1")
    const enqueuedAt = s.dialog("d1").enqueuedAt
    s.pass().advance(1000).decline("d1", "anna")
    expect(s.dialog("d1")).toMatchObject({ state: "queued", enqueuedAt, excludedOperators: ["anna"] })
    s.operator("boris").pass()
    expect(s.dialog("d1").offer?.operatorId).toBe("boris")
  })

  it("an excluded operator is not re-offered before the reset, and is after it", () => {
    const s = new Scenario(offers(30, 0, { exclusionResetSec: 300 }, 3600)).operator("anna").arrive("d1").pass().decline("d1", "anna")
    s.advance(299_000).pass()
    expect(s.dialog("d1").state).toBe("queued")
    s.advance(1000)
    expect(s.tags()).toContain("ExclusionsCleared")
    s.pass()
    expect(s.dialog("d1").offer?.operatorId).toBe("anna")
  })

  it("expiry fires at expiresAt even when the clock jumps past it, excludes the operator and counts a miss", () => {
    const s = new Scenario(offers(30)).operator("anna").arrive("d1").pass()
    s.heartbeat("anna").advance(45_000)
    const expired = s.events.find((e) => e._tag === "OfferEnded")
    expect(expired).toMatchObject({ outcome: "expired", at: T0 + 30_000 })
    expect(s.dialog("d1")).toMatchObject({ state: "queued", excludedOperators: ["anna"], enqueuedAt: T0 })
    expect(s.op("anna").consecutiveMisses).toBe(1)
  })

  it("missesBeforeAway consecutive expiries switch the operator to busy; accepting resets the count", () => {
    const s = new Scenario(offers(10, 2, { exclusionResetSec: 0 })).operator("anna", { capacity: { widget: 5 } })
    s.arrive("d1").pass().advance(10_000)
    expect(s.op("anna").consecutiveMisses).toBe(1)
    s.pass().accept("d1", "anna")
    expect(s.op("anna").consecutiveMisses).toBe(0)
    s.arrive("d2").pass().advance(10_000).pass().advance(10_000)
    expect(s.op("anna")).toMatchObject({ availability: "busy", consecutiveMisses: 2 })
    s.pass()
    expect(s.dialog("d2").state).toBe("queued")
  })
})

describe("presence, status, shifts (A0, A1, A3)", () => {
  it("going offline rescinds pending offers at once, without excluding the operator or touching enqueuedAt", () => {
    const s = new Scenario(offers()).operator("anna").arrive("d1").pass().presence("anna", "offline")
    expect(s.tags()).toEqual(["PresenceChanged", "OperatorWentUnavailable", "OfferEnded"])
    expect(s.dialog("d1")).toMatchObject({ state: "queued", excludedOperators: [], enqueuedAt: T0 })
  })

  it("a missed heartbeat is presence loss at lastHeartbeatAt + presenceTtl", () => {
    const s = new Scenario(offers(120)).operator("anna").arrive("d1").pass().advance(90_000)
    expect(s.events.find((e) => e._tag === "PresenceChanged" && e.cause === "heartbeat_expired")?.at).toBe(T0 + 60_000)
    expect(s.events.find((e) => e._tag === "OfferEnded")).toMatchObject({ outcome: "rescinded", at: T0 + 60_000 })
  })

  it("REQUEUE_AFTER: after the grace period an absent operator's live dialogs are requeued with their age and reroutedFrom", () => {
    const config = configWith({ q1: { onOperatorUnavailable: { live: { _tag: "REQUEUE_AFTER", graceSec: 120 }, async: { _tag: "KEEP" }, byChannel: {} } } })
    const s = new Scenario(config).operator("anna", { capacity: { widget: 1, email: 1 } })
    s.arrive("chat").arrive("mail", { channel: "email" }).pass().presence("anna", "offline")
    s.advance(119_000)
    expect(s.dialog("chat").state).toBe("assigned")
    s.advance(1000)
    expect(s.dialog("chat")).toMatchObject({ state: "queued", enqueuedAt: T0, reroutedFrom: "anna", previousAssigneeId: "anna" })
    expect(s.dialog("mail")).toMatchObject({ state: "assigned", assigneeId: "anna" })
  })

  it("coming back within the grace period keeps the dialogs", () => {
    const s = new Scenario().operator("anna").arrive("d1").pass().presence("anna", "offline").advance(60_000).online("anna").advance(120_000)
    expect(s.dialog("d1")).toMatchObject({ state: "assigned", assigneeId: "anna" })
  })

  it("KEEP leaves an absent operator's dialogs where they are", () => {
    const config = configWith({ q1: { onOperatorUnavailable: { live: { _tag: "KEEP" }, async: { _tag: "KEEP" }, byChannel: {} } } })
    const s = new Scenario(config).operator("anna").arrive("d1").pass().presence("anna", "offline").advance(3_600_000)
    expect(s.dialog("d1").assigneeId).toBe("anna")
  })

  it("a status that may not receive dialogs makes the operator unavailable; inactivity switches the status automatically", () => {
    const config = configWith({}, { inactivity: { afterSec: 600, statusId: StatusId.make("break") }, presenceTtlSec: 3600 })
    const s = new Scenario(config).operator("anna").advance(599_000)
    expect(s.op("anna").statusId).toBe("online")
    s.heartbeat("anna").advance(1000)
    expect(s.op("anna")).toMatchObject({ statusId: "break", availability: "unavailable" })
    s.arrive("d1").pass()
    expect(s.dialog("d1").state).toBe("queued")
  })

  it("outside their shift an operator gets nothing and their offers are rescinded at the shift's end", () => {
    const shifts = [{ start: T0 + 60_000, end: T0 + 120_000 }]
    const config = configWith({ q1: { delivery: { _tag: "OFFER", timeoutSec: 300, missesBeforeAway: 0 } } }, { presenceTtlSec: 3600 })
    const s = new Scenario(config).operator("anna", { shifts }).arrive("d1").pass()
    expect(s.dialog("d1").state).toBe("queued")
    s.advance(60_000).pass()
    expect(s.dialog("d1").offer?.operatorId).toBe("anna")
    s.advance(60_000)
    expect(s.dialog("d1")).toMatchObject({ state: "queued", excludedOperators: [] })
  })

  it("an unknown status is rejected", () => {
    const s = new Scenario().operator("anna")
    expect(s.attempt(RoutingModel.SetStatus.make({ operatorId: oid("anna"), statusId: StatusId.make("nap"), at: s.now }))?.reason).toBe(
      "UnknownStatus"
    )
  })
})

describe("capacity and hold (A1, INV-1)", () => {
  it("a capacity lowered below the load adds nothing until the load drops below it", () => {
    const s = new Scenario().operator("anna", { capacity: { widget: 3 } }).arrive("d1").arrive("d2").pass()
    s.capacity("anna", "widget", 1).arrive("d3").pass()
    expect(s.dialog("d3").state).toBe("queued")
    s.close("d1").pass()
    expect(s.dialog("d3").state).toBe("queued")
    s.close("d2").pass()
    expect(s.dialog("d3").assigneeId).toBe("anna")
  })

  it("hold frees capacity unless countOnHold; unhold beyond capacity is flagged (allow) or refused (deny)", () => {
    const s = new Scenario().operator("anna", { capacity: { widget: 1 } }).arrive("d1").pass()
    s.run(RoutingModel.Hold.make({ dialogId: did("d1"), at: s.now })).arrive("d2").pass()
    expect(s.dialog("d2").assigneeId).toBe("anna")
    s.run(RoutingModel.Unhold.make({ dialogId: did("d1"), at: s.now }))
    expect(s.dialog("d1")).toMatchObject({ state: "assigned", overCapacity: true })

    const strict = new Scenario(configWith({ q1: { manualOverCapacity: "deny" } })).operator("anna", { capacity: { widget: 1 } })
    strict.arrive("d1").pass().run(RoutingModel.Hold.make({ dialogId: did("d1"), at: strict.now })).arrive("d2").pass()
    expect(strict.attempt(RoutingModel.Unhold.make({ dialogId: did("d1"), at: strict.now }))?.reason).toBe("OverCapacity")

    const counted = new Scenario(configWith({}, { countOnHold: true })).operator("anna", { capacity: { widget: 1 } })
    counted.arrive("d1").pass().run(RoutingModel.Hold.make({ dialogId: did("d1"), at: counted.now })).arrive("d2").pass()
    expect(counted.dialog("d2").state).toBe("queued")
  })
})

describe("reopen, transfer, manual assignment (A3)", () => {
  it("reopen goes back to the previous operator when they are eligible and have room (sticky)", () => {
    const s = new Scenario().operator("anna").operator("boris").arrive("d1").pass()
    const first = s.holder("d1") ?? ""
    s.close("d1").arrive("d2").pass().run(RoutingModel.Reopen.make({ dialogId: did("d1"), at: s.now }))
    expect(s.dialog("d1")).toMatchObject({ state: "assigned", assigneeId: first })
    expect(s.lastEvents).toContainEqual(expect.objectContaining({ _tag: "DialogAssigned", via: "sticky" }))
  })

  it("reopen routes normally when the previous operator is offline (never sticky to someone absent)", () => {
    const s = new Scenario().operator("anna").arrive("d1").pass().close("d1").presence("anna", "offline")
    s.run(RoutingModel.Reopen.make({ dialogId: did("d1"), at: s.now }))
    expect(s.dialog("d1")).toMatchObject({ state: "queued", enqueuedAt: s.now })
    s.operator("boris").pass()
    expect(s.dialog("d1").assigneeId).toBe("boris")
  })

  it("transfer to a queue restarts the wait by default, keeps it when configured, and clears exclusions", () => {
    const s = new Scenario(configWith({ q2: { transferResetsEnqueuedAt: false } })).operator("anna").arrive("d1").pass()
    s.advance(5000).run(RoutingModel.Transfer.make({ dialogId: did("d1"), to: { _tag: "ToQueue", queueId: q2 }, at: s.now }))
    expect(s.dialog("d1")).toMatchObject({ state: "queued", queueId: "q2", enqueuedAt: T0 })
    s.run(RoutingModel.Transfer.make({ dialogId: did("d1"), to: { _tag: "ToQueue", queueId: q1 }, at: s.now }))
    expect(s.dialog("d1")).toMatchObject({ queueId: "q1", enqueuedAt: T0 + 5000 })
  })

  it("transferring a held dialog goes through assigned (A4 has no on_hold → queued)", () => {
    const s = new Scenario().operator("anna").arrive("d1").pass().run(RoutingModel.Hold.make({ dialogId: did("d1"), at: T0 }))
    s.run(RoutingModel.Transfer.make({ dialogId: did("d1"), to: { _tag: "ToQueue", queueId: q1 }, at: s.now }))
    expect(s.tags()).toEqual(["DialogUnheld", "DialogRequeued"])
  })

  it("transfer to an operator beyond capacity: allowed and flagged, or refused with deny", () => {
    const s = new Scenario().operator("anna", { capacity: { widget: 1 } }).operator("boris", { capacity: { widget: 1 } })
    s.arrive("d1").arrive("d2").pass()
    const target = s.holder("d1") === "anna" ? "boris" : "anna"
    s.run(RoutingModel.Transfer.make({ dialogId: did("d1"), to: { _tag: "ToOperator", operatorId: oid(target) }, at: s.now }))
    expect(s.dialog("d1")).toMatchObject({ assigneeId: target, overCapacity: true })
    const strict = new Scenario(configWith({ q1: { manualOverCapacity: "deny" } })).operator("anna", { capacity: { widget: 1 } })
    strict.arrive("d1").pass().arrive("d2")
    expect(strict.attempt(RoutingModel.ManualAssign.make({ dialogId: did("d2"), operatorId: oid("anna"), at: strict.now }))?.reason).toBe(
      "OverCapacity"
    )
  })

  it("manual assignment to an offline operator is refused; picking outside one's queues is refused", () => {
    const s = new Scenario().operator("anna").operator("boris", { queues: [q2] }).arrive("d1").presence("anna", "offline")
    expect(s.attempt(RoutingModel.ManualAssign.make({ dialogId: did("d1"), operatorId: oid("anna"), at: s.now }))?.reason).toBe(
      "OperatorUnavailable"
    )
    expect(s.attempt(RoutingModel.Pick.make({ dialogId: did("d1"), operatorId: oid("boris"), at: s.now }))?.reason).toBe("NotInQueue")
  })

  it("a closed dialog accepts only reopen", () => {
    const s = new Scenario().operator("anna").arrive("d1").close("d1")
    for (const command of [
      RoutingModel.Close.make({ dialogId: did("d1"), at: s.now }),
      RoutingModel.Hold.make({ dialogId: did("d1"), at: s.now }),
      RoutingModel.Pick.make({ dialogId: did("d1"), operatorId: oid("anna"), at: s.now }),
      RoutingModel.ManualAssign.make({ dialogId: did("d1"), operatorId: oid("anna"), at: s.now }),
      RoutingModel.Transfer.make({ dialogId: did("d1"), to: { _tag: "ToQueue", queueId: q2 }, at: s.now })
    ]) {
      expect(s.attempt(command)?.reason).toBe("InvalidTransition")
    }
    s.pass()
    expect(s.dialog("d1").state).toBe("closed")
  })
})

describe("decider laws", () => {
  it("folding evolve over decide's events gives execute's state; a second tick at the same instant does nothing", () => {
    const s = new Scenario(offers()).operator("anna").operator("boris").arrive("d1").arrive("d2").pass()
    const before = s.state
    const command = RoutingModel.Tick.make({ at: s.now + 45_000 })
    const events = RoutingModel.decide(before, command)
    const executed = RoutingModel.execute(before, command)
    if (Either.isLeft(events) || Either.isLeft(executed)) throw new Error("rejected")
    expect(events.right.length).toBeGreaterThan(0)
    const folded = events.right.reduce(RoutingModel.evolve, before)
    expect({ ...folded, clock: executed.right.state.clock }).toEqual(executed.right.state)
    const again = RoutingModel.decide(executed.right.state, command)
    expect(Either.getOrThrow(again)).toEqual([])
  })

  it("a duplicate arrival is rejected rather than queued twice", () => {
    const s = new Scenario().arrive("d1")
    expect(
      s.attempt(RoutingModel.Arrive.make({ dialog: RoutingModel.NewDialog.make({ id: did("d1"), channel: "widget", queueId: q1 }), at: s.now }))
        ?.reason
    ).toBe("DuplicateDialog")
  })
})
