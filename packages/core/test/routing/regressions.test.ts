/**
 * ROUTING.md A6: each bug the peers shipped, as its own named scenario over the pure model.
 * The store-backed versions (real version checks, concurrent passes) live in Router.test.ts.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import fc from "fast-check"
import { RoutingModel, RoutingSnapshot } from "../../src/routing/index.js"
import { configWith, did, oid, q1, q2, Scenario, T0 } from "./harness.js"

/**
 * A compare-and-set cell holding the whole routing state: a command reads, decides, and commits
 * only if nobody committed in between; otherwise it decides again on the fresh state. It stands in
 * for the store's stream-version check, so the scheduler can interleave commands between their
 * read and their commit.
 */
class CasCell {
  version = 0
  constructor(public state: RoutingModel.RoutingState) {}

  async execute(command: RoutingModel.RoutingCommand, yieldPoint: () => Promise<void>): Promise<RoutingModel.RoutingRejected | "ok"> {
    for (;;) {
      const read = this.state
      const version = this.version
      await yieldPoint()
      const result = RoutingModel.execute(read, command)
      if (Either.isLeft(result)) return result.left
      if (this.version !== version) continue
      this.state = result.right.state
      this.version++
      return "ok"
    }
  }
}

describe("A6 regressions", () => {
  it("two operators picking the same dialog at the same moment: exactly one wins, the other gets AlreadyTaken", async () => {
    const sequential = new Scenario().operator("anna").operator("boris").arrive("d1")
    sequential.run(RoutingModel.Pick.make({ dialogId: did("d1"), operatorId: oid("anna"), at: sequential.now }))
    expect(sequential.attempt(RoutingModel.Pick.make({ dialogId: did("d1"), operatorId: oid("boris"), at: sequential.now }))?.reason).toBe(
      "AlreadyTaken"
    )

    await fc.assert(
      fc.asyncProperty(fc.scheduler(), async (s) => {
        const given = new Scenario().operator("anna").operator("boris").arrive("d1")
        const cell = new CasCell(given.state)
        const pick = (who: string) =>
          cell.execute(RoutingModel.Pick.make({ dialogId: did("d1"), operatorId: oid(who), at: given.now }), () =>
            s.schedule(Promise.resolve(), `read by ${who}`)
          )
        const results = await s.waitFor(Promise.all([pick("anna"), pick("boris")]))
        const outcomes = results.map((r) => (r === "ok" ? r : r.reason))
        expect(outcomes.sort()).toEqual(["AlreadyTaken", "ok"])
        const d = cell.state.dialogs.get(did("d1"))
        expect(d?.state).toBe("assigned")
        expect(results[["anna", "boris"].indexOf(d?.assigneeId ?? "")]).toBe("ok")
      }),
      { numRuns: 100 }
    )
  })

  it("a load burst with a limit of 2: no operator ever holds more than 2", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("arrive", "arrive", "arrive", "pass", "close"), { minLength: 20, maxLength: 120 }),
        fc.constantFrom("LEAST_LOADED", "LEAST_LOADED_PCT", "ROUND_ROBIN", "LONGEST_IDLE", "BEST_SKILL"),
        (burst, selection) => {
          const s = new Scenario(configWith({ q1: { selection } }))
          for (const name of ["anna", "boris", "carol"]) s.operator(name, { capacity: { widget: 2 } })
          let n = 0
          for (const step of burst) {
            if (step === "arrive") s.arrive(`d${n++}`)
            else if (step === "pass") s.pass()
            else {
              const held = s.heldBy(["anna", "boris", "carol"][n % 3] ?? "anna")
              if (held[0] !== undefined) s.close(held[0])
            }
            for (const name of ["anna", "boris", "carol"]) expect(s.load(name)).toBeLessThanOrEqual(2)
          }
          s.pass()
          const assigned = [...s.state.dialogs.values()].filter((d) => d.state === "assigned").length
          expect(assigned).toBe(Math.min(6, [...s.state.dialogs.values()].filter((d) => d.state !== "closed").length))
        }
      ),
      { numRuns: 200 }
    )
  })

  it("per-queue vs global load: an operator in two queues is limited by their total load on the channel", () => {
    const s = new Scenario().operator("anna", { capacity: { widget: 2 }, queues: [q1, q2] })
    s.arrive("a1").arrive("a2").pass({ queues: [q1] })
    expect(s.heldBy("anna")).toEqual(["a1", "a2"])
    s.arrive("b1", { queueId: q2 }).pass({ queues: [q2] }).pass()
    expect(s.dialog("b1").state).toBe("queued")
    // ...while capacity is per channel: another channel has its own limit
    s.capacity("anna", "email", 1).arrive("m1", { queueId: q2, channel: "email" }).pass({ queues: [q2] })
    expect(s.dialog("m1").assigneeId).toBe("anna")
    s.close("a1").pass()
    expect(s.dialog("b1").assigneeId).toBe("anna")
  })

  it("when an operator frees capacity, the backlog is assigned oldest first", () => {
    const s = new Scenario().operator("anna", { capacity: { widget: 1 } }).arrive("first").pass()
    // ids in reverse order of arrival, so that the id tie-break cannot be what orders them
    for (const id of ["z-oldest", "y", "x", "w-newest"]) {
      s.now += 1000
      s.arrive(id)
    }
    s.pass()
    expect(s.queued()).toHaveLength(4)
    s.close("first").pass()
    expect(s.heldBy("anna")).toEqual(["z-oldest"])
    s.close("z-oldest").pass()
    expect(s.heldBy("anna")).toEqual(["y"])
  })

  it("when an operator comes online, the waiting backlog is assigned oldest first", () => {
    const s = new Scenario().operator("anna", { capacity: { widget: 2 } }, false)
    for (const id of ["w1", "w2", "w3", "w4"]) {
      s.now += 1000
      s.arrive(id)
    }
    s.pass()
    expect(s.queued()).toEqual(["w1", "w2", "w3", "w4"])
    s.online("anna").pass()
    expect(s.heldBy("anna")).toEqual(["w1", "w2"])
    expect(s.queued()).toEqual(["w3", "w4"])
  })

  it("the first operator of the morning with a backlog of 18 and capacity 10 gets exactly 10", () => {
    const s = new Scenario(configWith({}, { presenceTtlSec: 3600 })).operator("anna", { capacity: { widget: 10 } }, false)
    for (let i = 0; i < 18; i++) {
      s.now = T0 + i * 1000
      s.arrive(`n${String(i).padStart(2, "0")}`)
    }
    s.pass().online("anna").pass()
    expect(s.heldBy("anna")).toHaveLength(10)
    expect(s.heldBy("anna")).toEqual(Array.from({ length: 10 }, (_, i) => `n${String(i).padStart(2, "0")}`))
    expect(s.queued()).toHaveLength(8)
    s.pass()
    expect(s.heldBy("anna")).toHaveLength(10)
  })

  it("with a ramp-up cap of 3 per pass, the morning operator fills up 3 at a time and still stops at 10", () => {
    const s = new Scenario(configWith({ q1: { rampUpPerPass: 3 } }, { presenceTtlSec: 3600 })).operator(
      "anna",
      { capacity: { widget: 10 } },
      false
    )
    for (let i = 0; i < 18; i++) s.arrive(`n${String(i).padStart(2, "0")}`)
    s.online("anna")
    const sizes: Array<number> = []
    for (let i = 0; i < 5; i++) {
      s.pass()
      sizes.push(s.heldBy("anna").length)
    }
    expect(sizes).toEqual([3, 6, 9, 10, 10])
  })

  it("restart while dialogs are offered: offers expire once, at their own instant; nothing is duplicated, lost or requeued forever", () => {
    const config = configWith({ q1: { delivery: { _tag: "OFFER", timeoutSec: 30, missesBeforeAway: 3 }, exclusionResetSec: 300 } })
    const before = new Scenario(config).operator("anna", { capacity: { widget: 5 } }).arrive("d1").arrive("d2").arrive("d3").pass()
    expect(before.heldBy("anna")).toEqual(["d1", "d2", "d3"])

    // The process dies; what survives is the stored data. It restarts ten minutes later.
    const stored = JSON.stringify(Schema.encodeSync(RoutingSnapshot)(RoutingModel.snapshotOf(before.state)))
    const snapshot = Schema.decodeUnknownSync(RoutingSnapshot)(JSON.parse(stored))
    const after = new Scenario(config, T0 + 600_000)
    after.state = RoutingModel.fromSnapshot(config, before.state.clock, snapshot)
    after.operator("boris", { capacity: { widget: 5 } }).pass()

    const ended = after.events.filter((e) => e._tag === "OfferEnded")
    expect(ended.map((e) => [e.dialogId, e.outcome, e.at])).toEqual([
      ["d1", "expired", T0 + 30_000],
      ["d2", "expired", T0 + 30_000],
      ["d3", "expired", T0 + 30_000]
    ])
    expect(after.heldBy("boris")).toEqual(["d1", "d2", "d3"])
    expect(after.heldBy("anna")).toEqual([])
    for (const id of ["d1", "d2", "d3"]) expect(after.dialog(id).enqueuedAt).toBe(T0)
    for (const id of ["d1", "d2", "d3"]) after.accept(id, "boris")
    expect([...after.state.dialogs.values()].map((d) => d.state)).toEqual(["assigned", "assigned", "assigned"])
    after.pass().advance(1000).pass()
    expect(after.lastEvents).toEqual([])
  })

  it("the exclusion list really excludes: a decliner is never chosen again for that dialog, whatever the selection mode", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("LEAST_LOADED", "LEAST_LOADED_PCT", "ROUND_ROBIN", "LONGEST_IDLE", "BEST_SKILL"),
        fc.integer({ min: 1, max: 6 }),
        (selection, passes) => {
          const config = configWith(
            { q1: { selection, delivery: { _tag: "OFFER", timeoutSec: 30, missesBeforeAway: 0 }, exclusionResetSec: 300 } },
            { presenceTtlSec: 3600 }
          )
          const s = new Scenario(config).operator("anna", { capacity: { widget: 5 } }).operator("boris", { capacity: { widget: 5 } })
          s.arrive("d1").pass()
          const first = s.holder("d1") ?? ""
          s.decline("d1", first).pass()
          const second = s.holder("d1") ?? ""
          expect(second).not.toBe(first)
          s.decline("d1", second)
          for (let i = 0; i < passes; i++) s.advance(10_000).pass()
          expect(s.dialog("d1")).toMatchObject({ state: "queued", excludedOperators: [first, second] })
          s.operator("carol", { capacity: { widget: 5 } }).pass()
          expect(s.holder("d1")).toBe("carol")
          const offeredTo = s.events.flatMap((e) => (e._tag === "DialogOffered" ? [e.operatorId] : []))
          expect(offeredTo).toEqual([first, second, "carol"])
        }
      ),
      { numRuns: 50 }
    )
  })
})
