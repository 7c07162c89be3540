import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import fc from "fast-check"
import * as Calendar from "../../src/sla/Calendar.js"
import { config, configJson, instantNearTransitions, MINUTE, weeklyMinutes } from "./arbitraries.js"
import { makeOracle } from "./oracle.js"

const add = (calendar: Calendar.Calendar, start: number, minutes: number): number =>
  Calendar.addWorkingMinutes(calendar, new Date(start), minutes).epochMillis
const between = (calendar: Calendar.Calendar, from: number, to: number): number =>
  Calendar.workingMinutesBetween(calendar, new Date(from), new Date(to))

/** A calendar with a start instant and an amount of minutes the oracle can walk quickly. */
const scenario = config.chain((c) =>
  fc.record({
    config: fc.constant(c),
    start: instantNearTransitions(c.timezone),
    minutes: fc.integer({ min: 0, max: Math.min(720, weeklyMinutes(c)) })
  })
)

/** Sub-minute offsets, so the compiled arithmetic is also checked off the minute grid. */
const jitter = fc.integer({ min: 0, max: MINUTE - 1 })

describe("Calendar properties against the minute-stepping oracle", () => {
  it("decoding accepts every generated calendar and encoding round-trips it", () => {
    fc.assert(
      fc.property(configJson, (json) => {
        const decoded = Calendar.decodeConfig(json)
        if (Either.isLeft(decoded)) throw decoded.left
        expect(Schema.encodeSync(Calendar.Config)(decoded.right)).toEqual(json)
      }),
      { numRuns: 200 }
    )
  })

  it("isWorkingTime agrees with the oracle", () => {
    fc.assert(
      fc.property(scenario, ({ config: c, start }) => {
        const oracle = makeOracle(c)
        expect(Calendar.isWorkingTime(Calendar.make(c), new Date(start))).toBe(oracle.isWorking(start))
      }),
      { numRuns: 200 }
    )
  })

  it("addWorkingMinutes agrees with the oracle", () => {
    fc.assert(
      fc.property(scenario, ({ config: c, start, minutes }) => {
        const expected = makeOracle(c).add(start, minutes)
        expect(new Date(add(Calendar.make(c), start, minutes)).toISOString()).toBe(new Date(expected).toISOString())
      }),
      { numRuns: 100 }
    )
  })

  it("nextWorkingInstant agrees with the oracle and is working time", () => {
    fc.assert(
      fc.property(scenario, ({ config: c, start }) => {
        const calendar = Calendar.make(c)
        const next = Calendar.nextWorkingInstant(calendar, new Date(start))
        expect(next.epochMillis).toBe(makeOracle(c).nextWorking(start))
        expect(Calendar.isWorkingTime(calendar, next)).toBe(true)
      }),
      { numRuns: 150 }
    )
  })

  it("workingMinutesBetween agrees with the oracle over spans of up to three days", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: -60, max: 3 * 1440 }), ({ config: c, start }, span) => {
        const to = start + span * MINUTE
        expect(between(Calendar.make(c), start, to)).toBe(span <= 0 ? 0 : makeOracle(c).between(start, to))
      }),
      { numRuns: 100 }
    )
  })
})

describe("Calendar algebraic properties", () => {
  const wide = config.chain((c) =>
    fc.record({
      calendar: fc.constant(Calendar.make(c)),
      start: instantNearTransitions(c.timezone),
      jitter,
      minutes: fc.integer({ min: 0, max: 20_000 })
    })
  )

  it("between(start, add(start, m)) = m", () => {
    fc.assert(
      fc.property(wide, ({ calendar, start, jitter, minutes }) => {
        const from = start + jitter
        expect(between(calendar, from, add(calendar, from, minutes))).toBe(minutes)
      }),
      { numRuns: 400 }
    )
  })

  it("add is monotonic in the start", () => {
    fc.assert(
      fc.property(wide, fc.integer({ min: 0, max: 5 * 1440 * MINUTE }), ({ calendar, start, jitter, minutes }, later) => {
        const a = start + jitter
        expect(add(calendar, a, minutes)).toBeLessThanOrEqual(add(calendar, a + later, minutes))
      }),
      { numRuns: 400 }
    )
  })

  it("add is monotonic in the minutes", () => {
    fc.assert(
      fc.property(wide, fc.integer({ min: 0, max: 3000 }), ({ calendar, start, jitter, minutes }, more) => {
        const a = start + jitter
        expect(add(calendar, a, minutes)).toBeLessThanOrEqual(add(calendar, a, minutes + more))
      }),
      { numRuns: 400 }
    )
  })

  it("between is additive over adjacent intervals", () => {
    fc.assert(
      fc.property(
        wide,
        fc.integer({ min: 0, max: 10 * 1440 * MINUTE }),
        fc.integer({ min: 0, max: 10 * 1440 * MINUTE }),
        ({ calendar, start }, first, second) => {
          const b = start + first
          const c = b + second
          expect(between(calendar, start, b) + between(calendar, b, c)).toBeCloseTo(between(calendar, start, c), 9)
        }
      ),
      { numRuns: 400 }
    )
  })

  it("adding in two steps equals adding at once", () => {
    fc.assert(
      fc.property(wide, fc.integer({ min: 0, max: 3000 }), ({ calendar, start, minutes }, more) => {
        expect(add(calendar, add(calendar, start, minutes), more)).toBe(add(calendar, start, minutes + more))
      }),
      { numRuns: 400 }
    )
  })
})
