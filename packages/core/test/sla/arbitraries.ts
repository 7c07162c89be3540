/**
 * fast-check generators for calendars and instants around DST transitions.
 */
import { Schema } from "effect"
import fc from "fast-check"
import * as Calendar from "../../src/sla/Calendar.js"

export const MINUTE = 60_000
export const DAY = 86_400_000

const pad = (n: number): string => String(n).padStart(2, "0")
const hhmm = (minutes: number): string => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`

/** 2026's clock changes per zone (UTC instants), where the interesting bugs live. */
export const TRANSITIONS: Readonly<Record<string, ReadonlyArray<number>>> = {
  "Europe/Kyiv": [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)],
  "America/New_York": [Date.UTC(2026, 2, 8, 7), Date.UTC(2026, 10, 1, 6)],
  "Australia/Lord_Howe": [Date.UTC(2026, 3, 4, 15), Date.UTC(2026, 9, 3, 15, 30)],
  "America/Santiago": [Date.UTC(2026, 3, 5, 3), Date.UTC(2026, 8, 6, 4)],
  UTC: []
}

export const ZONES = Object.keys(TRANSITIONS)

type Range = readonly [string, string]

/** Up to two non-overlapping ranges on a 15-minute grid, sometimes overnight, ends as 24:00 or 23:59. */
export const dayHours: fc.Arbitrary<ReadonlyArray<Range>> = fc
  .tuple(
    fc.constantFrom(0, 1, 1, 2),
    fc.uniqueArray(fc.integer({ min: 0, max: 96 }), { minLength: 4, maxLength: 4 }),
    fc.boolean(),
    fc.integer({ min: 0, max: 95 }),
    fc.boolean()
  )
  .map(([count, points, overnight, wrapTo, writeEndAs2359]) => {
    const sorted = points.slice(0, count * 2).sort((a, b) => a - b)
    const ranges: Array<[number, number]> = []
    for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push([sorted[i] ?? 0, sorted[i + 1] ?? 0])
    const last = ranges[ranges.length - 1]
    if (overnight && last !== undefined && last[0] > 0) last[1] = wrapTo % last[0]
    return ranges.map(([s, e]): Range => [hhmm(s * 15), e === 96 ? (writeEndAs2359 ? "23:59" : "24:00") : hhmm(e * 15)])
  })

const dateIn2026 = fc
  .integer({ min: 0, max: 364 })
  .map((offset) => new Date(Date.UTC(2026, 0, 1) + offset * DAY).toISOString().slice(0, 10))

/** Raw calendar JSON (before decoding). */
export const configJson = fc
  .record({
    timezone: fc.constantFrom(...ZONES),
    week: fc.record({
      mon: dayHours,
      tue: dayHours,
      wed: dayHours,
      thu: dayHours,
      fri: dayHours,
      sat: dayHours,
      sun: dayHours
    }),
    holidays: fc.array(
      fc.oneof(
        dateIn2026.map((date) => ({ date })),
        dateIn2026.map((date) => ({ date: date.slice(5), yearly: true }))
      ),
      { maxLength: 6 }
    ),
    specialDays: fc.uniqueArray(fc.record({ date: dateIn2026, hours: dayHours }), {
      maxLength: 3,
      selector: (s) => s.date
    })
  })
  .filter((c) => Object.values(c.week).some((ranges) => ranges.length > 0))

/** A decoded calendar configuration. */
export const config: fc.Arbitrary<Calendar.Config> = configJson.map((json) => Schema.decodeUnknownSync(Calendar.Config)(json))

/** Working minutes of an ordinary week of the configuration (ignoring holidays and DST). */
export const weeklyMinutes = (c: Calendar.Config): number => {
  let total = 0
  for (const ranges of Object.values(c.week)) {
    for (const [from, to] of ranges ?? []) {
      const s = Number(from.slice(0, 2)) * 60 + Number(from.slice(3))
      let e = to === "23:59" || to === "24:00" ? 1440 : Number(to.slice(0, 2)) * 60 + Number(to.slice(3))
      if (e <= s) e += 1440
      total += e - s
    }
  }
  return total
}

/** A whole-minute instant in 2026, half of the time within four days of one of the zone's clock changes. */
export const instantNearTransitions = (zone: string): fc.Arbitrary<number> => {
  const changes = TRANSITIONS[zone] ?? []
  const anywhere = fc.integer({ min: 0, max: 364 * 1440 }).map((m) => Date.UTC(2026, 0, 1) + m * MINUTE)
  if (changes.length === 0) return anywhere
  const near = fc
    .tuple(fc.constantFrom(...changes), fc.integer({ min: -4 * 1440, max: 4 * 1440 }))
    .map(([at, offset]) => at + offset * MINUTE)
  return fc.oneof(near, anywhere)
}
