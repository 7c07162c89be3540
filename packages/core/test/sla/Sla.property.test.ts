import { describe, expect, it } from "@effect/vitest"
import { DateTime, Option, Schema } from "effect"
import fc from "fast-check"
import * as Calendar from "../../src/sla/Calendar.js"
import * as Sla from "../../src/sla/Sla.js"
import { config, instantNearTransitions, MINUTE } from "./arbitraries.js"

const policy = fc
  .record({
    firstResponse: fc.integer({ min: 1, max: 600 }),
    nextResponse: fc.integer({ min: 1, max: 600 }),
    timeToClose: fc.integer({ min: 1, max: 3000 }),
    warningPercent: fc.constantFrom(0, 10, 20, 50, 100),
    pauseFirst: fc.constantFrom("pause", "run"),
    pauseNext: fc.constantFrom("pause", "run"),
    pauseClose: fc.constantFrom("pause", "run"),
    operatorLast: fc.boolean()
  })
  .map((p) =>
    Schema.decodeUnknownSync(Sla.Policy)({
      name: "Generated",
      targets: { firstResponse: p.firstResponse, nextResponse: p.nextResponse, timeToClose: p.timeToClose },
      warningPercent: p.warningPercent,
      whileWaitingOnClient: { firstResponse: p.pauseFirst, nextResponse: p.pauseNext, timeToClose: p.pauseClose },
      waitingWhenOperatorRepliedLast: p.operatorLast
    })
  )

type Step = "client" | "operator" | "waitOn" | "waitOff" | "close" | "reopen"

const steps = fc.array(
  fc.tuple(fc.constantFrom<Step>("client", "operator", "operator", "waitOn", "waitOff", "close", "reopen"), fc.integer({ min: 0, max: 2 * 1440 })),
  { maxLength: 8 }
)

const toTimeline = (start: number, plan: ReadonlyArray<readonly [Step, number]>): ReadonlyArray<Sla.TimelineEntry> => {
  const entries: Array<Sla.TimelineEntry> = [Sla.created(new Date(start))]
  let at = start
  for (const [step, gap] of plan) {
    at += gap * MINUTE
    const when = new Date(at)
    switch (step) {
      case "client":
        entries.push(Sla.clientMessage(when))
        break
      case "operator":
        entries.push(Sla.operatorReply(when))
        break
      case "waitOn":
        entries.push(Sla.waitingOnClient(when, true))
        break
      case "waitOff":
        entries.push(Sla.waitingOnClient(when, false))
        break
      case "close":
        entries.push(Sla.closed(when))
        break
      case "reopen":
        entries.push(Sla.reopened(when))
        break
    }
  }
  return entries
}

const scenario = config.chain((c) =>
  fc.record({
    calendar: fc.constant(Calendar.make(c)),
    policy,
    start: instantNearTransitions(c.timezone),
    plan: steps,
    after: fc.integer({ min: 0, max: 20 * 1440 * MINUTE })
  })
)

const statuses = (evaluation: Sla.Evaluation) => ({
  firstResponse: Option.map(evaluation.firstResponse, (m) => m.status),
  nextResponse: Option.map(evaluation.nextResponse, (m) => m.status),
  timeToClose: Option.map(evaluation.timeToClose, (m) => m.status)
})

describe("Sla properties", () => {
  it("nextTransition is exactly where a status changes, and nothing changes before it", () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0, max: 1, noNaN: true }), ({ calendar, policy, start, plan, after }, fraction) => {
        const timeline = toTimeline(start, plan)
        const last = DateTime.toEpochMillis(timeline[timeline.length - 1]?.at ?? DateTime.unsafeMake(start))
        const now = last + after
        const evaluation = Sla.evaluate(policy, calendar, timeline, new Date(now))
        const next = Sla.nextTransition(evaluation)
        if (Option.isNone(next)) {
          const later = Sla.evaluate(policy, calendar, timeline, new Date(now + 30 * 86_400_000))
          expect(statuses(later)).toEqual(statuses(evaluation))
          return
        }
        const at = DateTime.toEpochMillis(next.value.at)
        expect(at).toBeGreaterThan(now)
        const changed = Sla.evaluate(policy, calendar, timeline, new Date(at))
        expect(Option.map(changed[next.value.metric], (m) => m.status)).toEqual(Option.some(next.value.status))
        const between = now + Math.floor((at - 1 - now) * fraction)
        expect(statuses(Sla.evaluate(policy, calendar, timeline, new Date(between)))).toEqual(statuses(evaluation))
        expect(statuses(Sla.evaluate(policy, calendar, timeline, new Date(at - 1)))).toEqual(statuses(evaluation))
      }),
      { numRuns: 300 }
    )
  })

  it("elapsed + remaining = target, and elapsed never exceeds the working time since the start", () => {
    fc.assert(
      fc.property(scenario, ({ calendar, policy, start, plan, after }) => {
        const timeline = toTimeline(start, plan)
        const now = new Date(start + after)
        const evaluation = Sla.evaluate(policy, calendar, timeline, now)
        for (const m of [evaluation.firstResponse, evaluation.timeToClose, ...evaluation.nextResponses.map(Option.some)]) {
          if (Option.isNone(m)) continue
          expect(m.value.elapsed + m.value.remaining).toBeCloseTo(m.value.target, 9)
          expect(m.value.elapsed).toBeLessThanOrEqual(Calendar.workingMinutesBetween(calendar, m.value.startedAt, now) + 1e-9)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("with nothing but creation, first response elapsed is the working time since creation and due is add(created, target)", () => {
    fc.assert(
      fc.property(scenario, ({ calendar, policy, start, after }) => {
        const now = new Date(start + after)
        const m = Option.getOrThrow(Sla.evaluate(policy, calendar, [Sla.created(new Date(start))], now).firstResponse)
        expect(m.elapsed).toBe(Calendar.workingMinutesBetween(calendar, new Date(start), now))
        expect(Option.map(m.due, (due) => DateTime.toEpochMillis(due))).toEqual(
          Option.some(DateTime.toEpochMillis(Calendar.addWorkingMinutes(calendar, new Date(start), m.target)))
        )
      }),
      { numRuns: 300 }
    )
  })
})
