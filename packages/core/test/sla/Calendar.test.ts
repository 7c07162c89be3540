import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, ParseResult, Schema } from "effect"
import * as Calendar from "../../src/sla/Calendar.js"
import * as Issue from "../../src/shared/Issue.js"

type Json = Record<string, unknown>

const calendar = (json: Json): Calendar.Calendar => Calendar.make(Schema.decodeUnknownSync(Calendar.Config)(json))

const NINE_TO_SIX = [["09:00", "18:00"]]
const officeWeek = { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX }
const office = (extra: Json = {}): Calendar.Calendar => calendar({ timezone: "Europe/Kyiv", week: officeWeek, ...extra })

const t = (iso: string): Date => new Date(iso)
const iso = (instant: DateTime.Utc): string => DateTime.formatIso(instant)
const add = (cal: Calendar.Calendar, start: string, minutes: number): string =>
  iso(Calendar.addWorkingMinutes(cal, t(start), minutes))
const between = (cal: Calendar.Calendar, from: string, to: string): number =>
  Calendar.workingMinutesBetween(cal, t(from), t(to))

describe("Calendar: office hours in Kyiv (09:00–18:00 Mon–Fri)", () => {
  const cal = office()

  it("a Friday-evening start runs across the weekend to Monday", () => {
    expect(add(cal, "2026-03-20T17:50:00+02:00", 30)).toBe("2026-03-23T07:20:00.000Z")
    expect(between(cal, "2026-03-20T17:50:00+02:00", "2026-03-23T09:20:00+02:00")).toBe(30)
  })

  it("minutes running out exactly at closing give the next opening", () => {
    expect(add(cal, "2026-03-20T17:50:00+02:00", 10)).toBe("2026-03-23T07:00:00.000Z")
    expect(add(cal, "2026-03-19T17:00:00+02:00", 60)).toBe("2026-03-20T07:00:00.000Z")
  })

  it("adding 0 gives the next working instant", () => {
    expect(add(cal, "2026-03-21T12:00:00+02:00", 0)).toBe("2026-03-23T07:00:00.000Z")
    expect(add(cal, "2026-03-20T12:00:00+02:00", 0)).toBe("2026-03-20T10:00:00.000Z")
    expect(iso(Calendar.nextWorkingInstant(cal, t("2026-03-20T18:00:00+02:00")))).toBe("2026-03-23T07:00:00.000Z")
  })

  it("opening instants are working time, closing instants are not", () => {
    expect(Calendar.isWorkingTime(cal, t("2026-03-20T09:00:00+02:00"))).toBe(true)
    expect(Calendar.isWorkingTime(cal, t("2026-03-20T17:59:59+02:00"))).toBe(true)
    expect(Calendar.isWorkingTime(cal, t("2026-03-20T18:00:00+02:00"))).toBe(false)
    expect(Calendar.isWorkingTime(cal, t("2026-03-21T12:00:00+02:00"))).toBe(false)
  })

  it("between is 0 when to <= from and counts a whole week as 45 hours", () => {
    expect(between(cal, "2026-03-20T12:00:00+02:00", "2026-03-20T11:00:00+02:00")).toBe(0)
    expect(between(cal, "2026-03-20T12:00:00+02:00", "2026-03-20T12:00:00+02:00")).toBe(0)
    expect(between(cal, "2026-03-16T00:00:00+02:00", "2026-03-23T00:00:00+02:00")).toBe(45 * 60)
  })

  it("is exact off the minute grid", () => {
    expect(add(cal, "2026-03-20T09:00:30+02:00", 1)).toBe("2026-03-20T07:01:30.000Z")
    expect(between(cal, "2026-03-20T17:59:30+02:00", "2026-03-23T09:00:30+02:00")).toBe(1)
    expect(add(cal, "2026-03-20T17:59:30+02:00", 0.5)).toBe("2026-03-23T07:00:00.000Z")
  })

  it("accepts effect DateTime and JS Date alike", () => {
    const start = "2026-03-20T17:50:00+02:00"
    const fromDateTime = Calendar.addWorkingMinutes(cal, DateTime.unsafeMake(start), 30)
    const fromDate = Calendar.addWorkingMinutes(cal, new Date(start), 30)
    expect(DateTime.Equivalence(fromDateTime, fromDate)).toBe(true)
    expect(DateTime.isUtc(fromDateTime)).toBe(true)
  })

  it("long spans are exact", () => {
    expect(between(cal, "2026-01-05T09:00:00+02:00", "2027-01-04T09:00:00+02:00")).toBe(52 * 45 * 60)
    expect(add(cal, "2026-01-05T09:00:00+02:00", 52 * 45 * 60)).toBe("2027-01-04T07:00:00.000Z")
  })
})

describe("Calendar: holidays and special days", () => {
  it("a holiday Monday pushes the deadline to Tuesday", () => {
    const cal = office({ holidays: [{ date: "2026-03-23", name: "Day off" }] })
    expect(add(cal, "2026-03-20T17:50:00+02:00", 30)).toBe("2026-03-24T07:20:00.000Z")
    expect(Calendar.isWorkingTime(cal, t("2026-03-23T12:00:00+02:00"))).toBe(false)
  })

  it("a yearly holiday repeats on its month-day", () => {
    const cal = office({ holidays: [{ date: "03-23", name: "Founders' day", yearly: true }] })
    expect(Calendar.isWorkingTime(cal, t("2026-03-23T12:00:00+02:00"))).toBe(false)
    expect(Calendar.isWorkingTime(cal, t("2027-03-23T12:00:00+02:00"))).toBe(false)
    expect(Calendar.isWorkingTime(cal, t("2027-03-24T12:00:00+02:00"))).toBe(true)
  })

  it("a special working Sunday opens the desk that day", () => {
    const cal = office({ specialDays: [{ date: "2026-03-22", hours: [["10:00", "15:00"]] }] })
    expect(add(cal, "2026-03-20T17:50:00+02:00", 30)).toBe("2026-03-22T08:20:00.000Z")
    expect(between(cal, "2026-03-21T00:00:00+02:00", "2026-03-23T00:00:00+02:00")).toBe(300)
  })

  it("a special day wins over a holiday on the same date", () => {
    const cal = office({
      holidays: [{ date: "2026-03-20" }],
      specialDays: [{ date: "2026-03-20", name: "Short Friday", hours: [["09:00", "12:00"]] }]
    })
    expect(between(cal, "2026-03-20T00:00:00+02:00", "2026-03-21T00:00:00+02:00")).toBe(180)
  })

  it("a special day with no hours closes the day", () => {
    const cal = office({ specialDays: [{ date: "2026-03-20", hours: [] }] })
    expect(between(cal, "2026-03-20T00:00:00+02:00", "2026-03-21T00:00:00+02:00")).toBe(0)
  })
})

describe("Calendar: DST in Kyiv (spring forward 2026-03-29 03:00→04:00, fall back 2026-10-25 04:00→03:00)", () => {
  const allDay = [["00:00", "24:00"]]
  const kyiv247 = calendar({
    timezone: "Europe/Kyiv",
    week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay }
  })

  it("a whole day lasts 23 hours in spring and 25 hours in autumn", () => {
    expect(between(kyiv247, "2026-03-29T00:00:00+02:00", "2026-03-30T00:00:00+03:00")).toBe(23 * 60)
    expect(between(kyiv247, "2026-10-25T00:00:00+03:00", "2026-10-26T00:00:00+02:00")).toBe(25 * 60)
  })

  it("a range starting in the skipped hour opens when the gap ends", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { sun: [["03:30", "10:00"]] } })
    expect(iso(Calendar.nextWorkingInstant(cal, t("2026-03-29T00:00:00+02:00")))).toBe("2026-03-29T01:00:00.000Z")
    expect(between(cal, "2026-03-29T00:00:00+02:00", "2026-03-30T00:00:00+03:00")).toBe(6 * 60)
  })

  it("a range ending in the skipped hour closes when the gap ends", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { sun: [["00:00", "03:30"]] } })
    expect(between(cal, "2026-03-29T00:00:00+02:00", "2026-03-30T00:00:00+03:00")).toBe(3 * 60)
    expect(add(cal, "2026-03-29T00:00:00+02:00", 180)).toBe("2026-04-04T21:00:00.000Z")
  })

  it("a range covering the repeated hour runs through both copies", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { sun: [["02:00", "05:00"]] } })
    expect(between(cal, "2026-10-25T00:00:00+03:00", "2026-10-26T00:00:00+02:00")).toBe(4 * 60)
  })

  it("a range ending inside the repeated hour ends at its second copy", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { sun: [["00:00", "03:30"]] } })
    expect(between(cal, "2026-10-25T00:00:00+03:00", "2026-10-26T00:00:00+02:00")).toBe(4 * 60 + 30)
    expect(Calendar.isWorkingTime(cal, t("2026-10-25T03:45:00+03:00"))).toBe(true)
    expect(Calendar.isWorkingTime(cal, t("2026-10-25T03:15:00+02:00"))).toBe(true)
    expect(Calendar.isWorkingTime(cal, t("2026-10-25T03:30:00+02:00"))).toBe(false)
  })

  it("a range ending where the repeated hour begins does not take the repeat", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { sun: [["00:00", "03:00"]] } })
    expect(between(cal, "2026-10-25T00:00:00+03:00", "2026-10-26T00:00:00+02:00")).toBe(3 * 60)
  })

  it("a range starting inside the repeated hour starts at its first copy", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { sun: [["03:30", "05:00"]] } })
    expect(iso(Calendar.nextWorkingInstant(cal, t("2026-10-25T00:00:00+03:00")))).toBe("2026-10-25T00:30:00.000Z")
    expect(between(cal, "2026-10-25T00:00:00+03:00", "2026-10-26T00:00:00+02:00")).toBe(2 * 60 + 30)
  })

  it("office hours are unaffected the Monday after", () => {
    const cal = office()
    expect(add(cal, "2026-03-27T17:50:00+02:00", 30)).toBe("2026-03-30T06:20:00.000Z")
    expect(add(cal, "2026-10-23T17:50:00+03:00", 30)).toBe("2026-10-26T07:20:00.000Z")
  })
})

describe("Calendar: a 22:00–06:00 night shift", () => {
  const night = [["22:00", "06:00"]]
  const cal = calendar({
    timezone: "Europe/Kyiv",
    week: { mon: night, tue: night, wed: night, thu: night, fri: night, sat: night, sun: night }
  })

  it("runs across midnight without a break", () => {
    expect(add(cal, "2026-03-20T23:00:00+02:00", 60)).toBe("2026-03-20T22:00:00.000Z")
    expect(between(cal, "2026-03-20T22:00:00+02:00", "2026-03-21T06:00:00+02:00")).toBe(8 * 60)
  })

  it("closes at 06:00 and opens again at 22:00", () => {
    expect(add(cal, "2026-03-20T23:00:00+02:00", 7 * 60)).toBe("2026-03-21T20:00:00.000Z")
    expect(Calendar.isWorkingTime(cal, t("2026-03-21T06:00:00+02:00"))).toBe(false)
  })

  it("is an hour shorter across the spring-forward night and an hour longer across the autumn one", () => {
    expect(between(cal, "2026-03-28T22:00:00+02:00", "2026-03-29T06:00:00+03:00")).toBe(7 * 60)
    expect(add(cal, "2026-03-28T22:00:00+02:00", 7 * 60)).toBe("2026-03-29T19:00:00.000Z")
    expect(between(cal, "2026-10-24T22:00:00+03:00", "2026-10-25T06:00:00+02:00")).toBe(9 * 60)
  })

  it("belongs to the day it starts on: a holiday on that day removes it, a holiday the next day does not", () => {
    const saturdayShift = { timezone: "Europe/Kyiv", week: { sat: night } }
    const sundayOff = calendar({ ...saturdayShift, holidays: [{ date: "2026-03-22" }] })
    expect(between(sundayOff, "2026-03-21T00:00:00+02:00", "2026-03-23T00:00:00+02:00")).toBe(8 * 60)
    const saturdayOff = calendar({ ...saturdayShift, holidays: [{ date: "2026-03-21" }] })
    expect(between(saturdayOff, "2026-03-21T00:00:00+02:00", "2026-03-23T00:00:00+02:00")).toBe(0)
  })
})

describe("Calendar: other shapes", () => {
  it("24/7 (the default) counts every minute", () => {
    const start = "2026-03-28T23:30:00Z"
    expect(add(Calendar.always, start, 90)).toBe("2026-03-29T01:00:00.000Z")
    expect(between(Calendar.always, start, "2026-03-30T23:30:00Z")).toBe(2 * 1440)
    expect(Calendar.isWorkingTime(Calendar.always, t(start))).toBe(true)
  })

  it("a lunch break is skipped", () => {
    const cal = calendar({ timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["14:00", "18:00"]] } })
    expect(add(cal, "2026-03-23T12:50:00+02:00", 20)).toBe("2026-03-23T12:10:00.000Z")
    expect(add(cal, "2026-03-23T12:50:00+02:00", 10)).toBe("2026-03-23T12:00:00.000Z")
    expect(between(cal, "2026-03-23T12:00:00+02:00", "2026-03-23T15:00:00+02:00")).toBe(120)
    expect(Calendar.isWorkingTime(cal, t("2026-03-23T13:30:00+02:00"))).toBe(false)
  })

  it("an end of 23:59 means the end of the day, like 24:00", () => {
    for (const end of ["23:59", "24:00"]) {
      const cal = calendar({ timezone: "Europe/Kyiv", week: { mon: [["20:00", end]], tue: [["00:00", "02:00"]] } })
      expect(Calendar.isWorkingTime(cal, t("2026-03-23T23:59:30+02:00"))).toBe(true)
      expect(add(cal, "2026-03-23T23:50:00+02:00", 20)).toBe("2026-03-23T22:10:00.000Z")
      expect(between(cal, "2026-03-23T00:00:00+02:00", "2026-03-25T00:00:00+02:00")).toBe(6 * 60)
    }
  })

  it("Lord Howe's 30-minute DST shift is elapsed time too", () => {
    const allDay = [["00:00", "24:00"]]
    const cal = calendar({ timezone: "Australia/Lord_Howe", week: { sun: allDay, sat: allDay } })
    expect(between(cal, "2026-04-05T00:00:00+11:00", "2026-04-06T00:00:00+10:30")).toBe(24 * 60 + 30)
    expect(between(cal, "2026-10-04T00:00:00+10:30", "2026-10-05T00:00:00+11:00")).toBe(24 * 60 - 30)
  })

  it("New York office hours keep their wall-clock opening across the March change", () => {
    const cal = calendar({ timezone: "America/New_York", week: officeWeek })
    expect(add(cal, "2026-03-06T17:50:00-05:00", 30)).toBe("2026-03-09T13:20:00.000Z")
  })
})

describe("Calendar.Config decoding", () => {
  const issues = (json: unknown): ReadonlyArray<Calendar.ConfigIssue> =>
    Either.match(Calendar.decodeConfig(json), { onLeft: (error) => error.issues, onRight: () => [] })
  const paths = (json: unknown): ReadonlyArray<string> => issues(json).map((issue) => issue.path)

  it("accepts the SLA.md example, under both spellings of Kyiv", () => {
    for (const timezone of ["Europe/Kyiv", "Europe/Kiev"]) {
      const decoded = Calendar.decodeConfig({
        name: "Kyiv support desk",
        timezone,
        week: {
          mon: [["09:00", "13:00"], ["14:00", "18:00"]],
          tue: [["09:00", "18:00"]],
          wed: [["09:00", "18:00"]],
          thu: [["09:00", "18:00"]],
          fri: [["09:00", "17:00"]],
          sat: [["22:00", "06:00"]],
          sun: []
        },
        holidays: [
          { date: "2026-12-25", name: "Christmas" },
          { date: "01-01", name: "New Year", yearly: true }
        ],
        specialDays: [{ date: "2026-12-27", hours: [["10:00", "15:00"]] }]
      })
      expect(Either.isRight(decoded)).toBe(true)
    }
  })

  it("names the path of a bad time", () => {
    expect(issues({ timezone: "Europe/Kyiv", week: { mon: [["09:00", "12:00"], ["25:00", "26:00"]] } })).toEqual([
      { path: "week.mon[1][0]", message: "expected a time HH:MM between 00:00 and 24:00", code: "notTimeOfDay" },
      { path: "week.mon[1][1]", message: "expected a time HH:MM between 00:00 and 24:00", code: "notTimeOfDay" }
    ])
    expect(paths({ timezone: "Europe/Kyiv", week: { mon: [["9:00", "12:00"]] } })).toEqual(["week.mon[0][0]"])
    expect(paths({ timezone: "Europe/Kyiv", week: { mon: [["24:00", "06:00"]] } })).toEqual(["week.mon[0][0]"])
  })

  it("the raw ParseError carries the same path", () => {
    const result = Schema.decodeUnknownEither(Calendar.Config)({ timezone: "Europe/Kyiv", week: { mon: [["09:00", "12:00"], ["25:00", "26:00"]] } })
    const first = Either.isLeft(result) ? ParseResult.ArrayFormatter.formatErrorSync(result.left)[0] : undefined
    expect(first?.path).toEqual(["week", "mon", 1, 0])
  })

  it("rejects an unknown zone", () => {
    expect(issues({ timezone: "Europe/Atlantis", week: officeWeek })).toEqual([
      { path: "timezone", message: 'unknown time zone "Europe/Atlantis"', code: "unknownTimeZone" }
    ])
  })

  it("rejects overlapping ranges on one day and a range that starts where it ends", () => {
    expect(issues({ timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["12:00", "18:00"]] } })).toEqual([
      { path: "week.mon[1]", message: "overlaps the range at index 0", code: "rangeOverlap", params: { range: "12:00–18:00", other: "09:00–13:00" } }
    ])
    expect(paths({ timezone: "Europe/Kyiv", week: { fri: [["20:00", "04:00"], ["22:00", "23:00"]] } })).toEqual(["week.fri[1]"])
    expect(paths({ timezone: "Europe/Kyiv", week: { mon: NINE_TO_SIX, tue: [["10:00", "10:00"]] } })).toEqual(["week.tue[0]"])
  })

  it("says each problem of a calendar as its own code at its field's path, with the ranges or the time it is about (issue 22)", () => {
    const coded = (input: unknown) => issues(input).map(({ path, code, params }) => ({ path, code, params }))
    expect(coded({ timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["24:00", "06:00"], ["10:00", "10:00"]] } })).toEqual([
      { path: "week.mon[1][0]", code: "rangeStartsAtEnd", params: undefined },
      { path: "week.mon[2]", code: "emptyRange", params: { time: "10:00" } }
    ])
    // The later of two overlapping ranges is the one at fault, whatever their order in the list.
    expect(coded({ timezone: "Europe/Kyiv", week: { tue: [["14:00", "18:00"], ["08:00", "12:00"], ["11:00", "15:00"]] } })).toEqual([
      { path: "week.tue[2]", code: "rangeOverlap", params: { range: "11:00–15:00", other: "08:00–12:00" } }
    ])
    expect(
      coded({
        timezone: "Europe/Kyiv",
        week: officeWeek,
        holidays: [{ date: "2026-02-30" }, { date: "13-01", yearly: true }],
        specialDays: [{ date: "2026-13-01", hours: [] }, { date: "2026-12-27", hours: [] }, { date: "2026-12-27", hours: [] }]
      })
    ).toEqual([
      { path: "holidays[0].date", code: "notDate", params: undefined },
      { path: "holidays[1].date", code: "notMonthDay", params: undefined },
      { path: "specialDays[0].date", code: "notDate", params: undefined }
    ])
    expect(coded({ timezone: "Europe/Kyiv", week: officeWeek, specialDays: [{ date: "2026-12-27", hours: [] }, { date: "2026-12-27", hours: [] }] })).toEqual([
      { path: "specialDays[1].date", code: "duplicate", params: undefined }
    ])
    expect(coded({ timezone: "Europe/Kyiv", week: { mon: [] } })).toEqual([{ path: "week", code: "noWorkingTime", params: undefined }])
    const everyDay = Array.from({ length: 366 }, (_, day) => new Date(Date.UTC(2000, 0, 1 + day)).toISOString().slice(5, 10)).map((date) => ({ date, yearly: true }))
    expect(coded({ timezone: "Europe/Kyiv", week: officeWeek, holidays: everyDay })).toEqual([{ path: "holidays", code: "allHolidays", params: undefined }])
  })

  it("a calendar inside another input (an operator's shift) gives the same codes and paths to a form's issues", () => {
    const decoded = Schema.decodeUnknownEither(Schema.Struct({ shift: Calendar.Config }))({ shift: { timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["12:00", "18:00"]] } } })
    expect(Either.isLeft(decoded) ? Issue.issuesOf(decoded.left.issue) : []).toEqual([
      { path: "shift.week.mon[1]", code: "rangeOverlap", params: { range: "12:00–18:00", other: "09:00–13:00" }, message: "overlaps the range at index 0" }
    ])
  })

  it("accepts ranges that only touch", () => {
    expect(paths({ timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["13:00", "18:00"]] } })).toEqual([])
  })

  it("rejects bad dates", () => {
    expect(
      paths({
        timezone: "Europe/Kyiv",
        week: officeWeek,
        holidays: [{ date: "2026-02-30" }, { date: "12-25" }, { date: "13-01", yearly: true }, { date: "02-29", yearly: true }],
        specialDays: [{ date: "2026-13-01", hours: [] }]
      })
    ).toEqual(["holidays[0].date", "holidays[1].date", "holidays[2].date", "specialDays[0].date"])
  })

  it("rejects two special days on one date", () => {
    expect(
      paths({
        timezone: "Europe/Kyiv",
        week: officeWeek,
        specialDays: [
          { date: "2026-12-27", hours: [] },
          { date: "2026-12-27", hours: [["10:00", "12:00"]] }
        ]
      })
    ).toEqual(["specialDays[1].date"])
  })

  it("rejects a calendar with no working time", () => {
    expect(paths({ timezone: "Europe/Kyiv", week: {} })).toEqual(["week"])
    expect(paths({ timezone: "Europe/Kyiv", week: { mon: [], sun: [] } })).toEqual(["week"])
  })

  it("rejects unknown keys and missing fields", () => {
    expect(paths({ timezone: "Europe/Kyiv", week: { monday: NINE_TO_SIX, mon: NINE_TO_SIX } })).toEqual(["week.monday"])
    expect(paths({ week: officeWeek })).toEqual(["timezone"])
  })

  it("the error message lists every issue with its path", () => {
    const decoded = Calendar.decodeConfig({ timezone: "Nowhere", week: { mon: [["09:00", "25:00"]] } })
    expect(Either.isLeft(decoded) ? decoded.left.message : "").toBe(
      'timezone: unknown time zone "Nowhere"; week.mon[0][1]: expected a time HH:MM between 00:00 and 24:00'
    )
  })
})
