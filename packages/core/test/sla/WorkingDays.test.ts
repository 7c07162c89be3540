import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import * as Calendar from "../../src/sla/Calendar.js"
import { decodeSlaSettings } from "../../src/sla/SlaSettings.js"

const calendar = (json: Record<string, unknown>): Calendar.Calendar => Calendar.make(Schema.decodeUnknownSync(Calendar.Config)(json))
const NINE_TO_SIX = [["09:00", "18:00"]]
const kyiv = calendar({
  timezone: "Europe/Kyiv",
  week: { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX, sat: [["22:00", "02:00"]] },
  holidays: [{ date: "2026-12-25", name: "Christmas" }]
})
const iso = (ms: number) => new Date(ms).toISOString()

/** The admin screen's preview of the next seven days (issue 22): the calendar's own working time, day by day. */
describe("Calendar.workingDays", () => {
  it("lists each local day's working periods: weekdays, a holiday closed, an overnight range split at midnight", () => {
    // Tuesday 2026-12-22, 23:30 in Kyiv (UTC+2) is already Wednesday there.
    const days = Calendar.workingDays(kyiv, new Date("2026-12-22T22:30:00Z"), 7)
    expect(days.map((day) => day.date)).toEqual(["2026-12-23", "2026-12-24", "2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29"])
    expect(days[0]!.periods.map(([start, end]) => [iso(start), iso(end)])).toEqual([["2026-12-23T07:00:00.000Z", "2026-12-23T16:00:00.000Z"]])
    expect(days[2]!.periods).toEqual([])
    expect(days[3]!.periods.map(([start, end]) => [iso(start), iso(end)])).toEqual([["2026-12-26T20:00:00.000Z", "2026-12-26T22:00:00.000Z"]])
    expect(days[4]!.periods.map(([start, end]) => [iso(start), iso(end)])).toEqual([["2026-12-26T22:00:00.000Z", "2026-12-27T00:00:00.000Z"]])
  })

  it.prop("the periods are working time and add up to the working minutes of those days", [fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) })], ([from]) => {
    const days = Calendar.workingDays(kyiv, new Date(from), 7)
    const periods = days.flatMap((day) => day.periods)
    for (const [start, end] of periods) {
      expect(Calendar.isWorkingTime(kyiv, new Date(start))).toBe(true)
      expect(Calendar.isWorkingTime(kyiv, new Date(end - 1))).toBe(true)
    }
    const total = periods.reduce((sum, [start, end]) => sum + (end - start) / 60_000, 0)
    const first = periods[0]
    const last = periods.at(-1)
    if (first !== undefined && last !== undefined) expect(total).toBe(Calendar.workingMinutesBetween(kyiv, new Date(first[0]), new Date(last[1])))
  })
})

describe("decodeSlaSettings", () => {
  it("names the path of each bad field", () => {
    const decoded = decodeSlaSettings({
      calendar: { timezone: "Europe/Kyiv", week: { mon: [["09:00", "25:00"]] } },
      policies: { policies: [], fallback: { name: "Default", targets: {} } }
    })
    expect(Either.isLeft(decoded)).toBe(true)
    if (Either.isLeft(decoded)) expect(decoded.left.issues.map((issue) => issue.path)).toContain("calendar.week.mon[0][1]")
  })
})
