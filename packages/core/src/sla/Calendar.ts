/**
 * Working-time calendars (SLA-02): the JSON format, its validation, and the arithmetic SLA due
 * times are computed with.
 *
 * A calendar is a time zone, weekly hours (several ranges per day, overnight ranges allowed),
 * holidays (one-off and yearly) and special days. {@link make} compiles one; the functions here
 * answer "when will N working minutes have passed?" and "how many working minutes lie between
 * two instants?" without stepping minute by minute.
 *
 * Conventions (SLA.md):
 * - Times are wall-clock `HH:MM` in the calendar's zone. An end of `24:00` or `23:59` is the end
 *   of the day. A range whose end is earlier than its start runs overnight into the next day and
 *   belongs to the day it starts on (a holiday on that day removes it, a holiday on the next day
 *   does not cut it short).
 * - A holiday removes the day's hours; a yearly holiday repeats on its month-day; a special day
 *   replaces the day's hours and wins over a holiday.
 * - Working time is elapsed time. On a spring-forward night a range starting or ending in the
 *   skipped hour starts or ends at the first instant after the gap; in a repeated autumn hour a
 *   range runs through both copies of the hour.
 * - When added minutes run out exactly at a closing time, the result is the next opening; adding
 *   0 minutes returns the next working instant (the start itself during working time).
 * - Working intervals are half-open: an opening instant is working time, a closing instant is not.
 * - Arithmetic is exact to the millisecond, so whole minutes in give whole minutes out.
 *
 * @since 0.1.0
 */
import { DateTime, Either, Schema } from "effect"
import { codedIssue, describeAll, IssueCode, issueAnnotation, IssueParams } from "../shared/Issue.js"
import { WorkingTime, type MinuteRange } from "./internal/WorkingTime.js"
import { civilFromDays, daysFromCivil, formatterFor, isKnownZone, isValidDate, MINUTE_MS } from "./internal/zone.js"

const TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/

/** Minutes from midnight of a validated `HH:MM`. */
const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/** A range as minutes from the day's midnight; ends past 1440 run overnight. */
const toMinuteRange = (range: readonly [string, string]): MinuteRange => {
  const start = minutesOf(range[0])
  const end = range[1] === "23:59" ? 1440 : minutesOf(range[1])
  return [start, end <= start ? end + 1440 : end]
}

/**
 * A wall-clock time `HH:MM` from `00:00` to `24:00`.
 *
 * @since 0.1.0
 */
export const TimeOfDay = Schema.String.pipe(
  Schema.pattern(TIME, { message: () => "expected a time HH:MM between 00:00 and 24:00", ...issueAnnotation("notTimeOfDay") })
).annotations({ identifier: "TimeOfDay" })

/**
 * One working range `[start, end]`. `24:00` and `23:59` as an end mean the end of the day; an
 * end earlier than the start runs overnight. A range may not start at `24:00` or end where it
 * starts.
 *
 * @since 0.1.0
 */
export const Range = Schema.Tuple(TimeOfDay, TimeOfDay).pipe(
  Schema.filter((range) => {
    const [start, end] = range
    if (start === "24:00") return codedIssue([0], range, "24:00 can only end a range", "rangeStartsAtEnd")
    if (start === end) return codedIssue([], range, "a range must not start and end at the same time", "emptyRange", { time: start })
    return undefined
  })
)

/**
 * The working ranges of one day; they must not overlap each other.
 *
 * @since 0.1.0
 */
export const DayHours = Schema.Array(Range).pipe(
  Schema.filter((ranges) => {
    const spans = ranges.map((range, index) => ({ index, span: toMinuteRange(range) }))
    spans.sort((a, b) => a.span[0] - b.span[0])
    for (let i = 1; i < spans.length; i++) {
      const previous = spans[i - 1]
      const current = spans[i]
      if (previous !== undefined && current !== undefined && current.span[0] < previous.span[1]) {
        const later = Math.max(previous.index, current.index)
        const earlier = Math.min(previous.index, current.index)
        const text = (index: number) => ranges[index]!.join("–")
        return codedIssue([later], ranges, `overlaps the range at index ${earlier}`, "rangeOverlap", { range: text(later), other: text(earlier) })
      }
    }
    return undefined
  })
)

/**
 * Weekly hours. A missing or empty day is closed.
 *
 * @since 0.1.0
 */
export const Week = Schema.Struct({
  mon: Schema.optionalWith(DayHours, { exact: true }),
  tue: Schema.optionalWith(DayHours, { exact: true }),
  wed: Schema.optionalWith(DayHours, { exact: true }),
  thu: Schema.optionalWith(DayHours, { exact: true }),
  fri: Schema.optionalWith(DayHours, { exact: true }),
  sat: Schema.optionalWith(DayHours, { exact: true }),
  sun: Schema.optionalWith(DayHours, { exact: true })
})

/** Weekday keys in `Date#getDay` order (0 = Sunday). */
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH_DAY = /^(\d{2})-(\d{2})$/

/** `YYYY-MM-DD` → local day index, or `undefined` when it is not a real date. */
const parseIsoDate = (text: string): number | undefined => {
  const m = ISO_DATE.exec(text)
  if (m === null) return undefined
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return isValidDate(y, mo, d) ? daysFromCivil(y, mo, d) : undefined
}

/** `MM-DD` or `YYYY-MM-DD` → `month * 100 + day`, or `undefined` when not a real month-day. */
const parseMonthDay = (text: string): number | undefined => {
  const full = ISO_DATE.exec(text)
  const m = full === null ? MONTH_DAY.exec(text) : null
  if (full !== null) {
    const [y, mo, d] = [Number(full[1]), Number(full[2]), Number(full[3])]
    return isValidDate(y, mo, d) ? mo * 100 + d : undefined
  }
  if (m === null) return undefined
  const [mo, d] = [Number(m[1]), Number(m[2])]
  // 2000 is a leap year, so 02-29 is accepted (it applies in leap years only).
  return isValidDate(2000, mo, d) ? mo * 100 + d : undefined
}

/**
 * A calendar date `YYYY-MM-DD`.
 *
 * @since 0.1.0
 */
export const IsoDate = Schema.String.pipe(
  Schema.filter((text) => parseIsoDate(text) !== undefined || "expected a real date YYYY-MM-DD", issueAnnotation("notDate"))
).annotations({ identifier: "IsoDate" })

/**
 * A day off. `yearly` holidays repeat on their month-day and are written `MM-DD` (a full date is
 * accepted and its year ignored); one-off holidays are written `YYYY-MM-DD`.
 *
 * @since 0.1.0
 */
export const Holiday = Schema.Struct({
  date: Schema.String,
  name: Schema.optionalWith(Schema.String, { exact: true }),
  yearly: Schema.optionalWith(Schema.Boolean, { exact: true })
}).pipe(
  Schema.filter((holiday) => {
    if (holiday.yearly === true) {
      return parseMonthDay(holiday.date) !== undefined
        ? undefined
        : codedIssue(["date"], holiday, "expected a real month-day MM-DD for a yearly holiday", "notMonthDay")
    }
    return parseIsoDate(holiday.date) !== undefined
      ? undefined
      : codedIssue(["date"], holiday, "expected a real date YYYY-MM-DD (or set yearly: true with MM-DD)", "notDate")
  })
)

/**
 * A date whose hours replace the usual ones (a working Sunday, a short Friday). It wins over a
 * holiday on the same date; empty `hours` close the day.
 *
 * @since 0.1.0
 */
export const SpecialDay = Schema.Struct({
  date: IsoDate,
  name: Schema.optionalWith(Schema.String, { exact: true }),
  hours: DayHours
})

/**
 * An IANA time-zone name the runtime knows (aliases such as `Europe/Kiev` included).
 *
 * @since 0.1.0
 */
export const TimeZoneName = Schema.String.pipe(
  Schema.filter((zone) => isKnownZone(zone) || `unknown time zone "${zone}"`, issueAnnotation("unknownTimeZone"))
).annotations({ identifier: "TimeZoneName" })

/**
 * The JSON calendar format of SLA.md. Decoding rejects an unknown zone, malformed or
 * out-of-range times, overlapping ranges on one day, empty ranges, bad dates, two special days
 * on one date, unknown keys, and a calendar with no working time at all (no deadline could ever
 * be computed); each error names the path of the bad field, e.g. `week.mon[1][0]`.
 *
 * @since 0.1.0
 */
export const Config = Schema.Struct({
  name: Schema.optionalWith(Schema.String, { exact: true }),
  timezone: TimeZoneName,
  week: Week,
  holidays: Schema.optionalWith(Schema.Array(Holiday), { exact: true }),
  specialDays: Schema.optionalWith(
    Schema.Array(SpecialDay).pipe(
      Schema.filter((days) => {
        const seen = new Set<string>()
        for (let i = 0; i < days.length; i++) {
          const date = days[i]?.date ?? ""
          if (seen.has(date)) return codedIssue([i, "date"], days, `${date} is already a special day`, "duplicate")
          seen.add(date)
        }
        return undefined
      })
    ),
    { exact: true }
  )
}).pipe(
  Schema.filter((config) => {
    if (!WEEKDAYS.some((day) => (config.week[day]?.length ?? 0) > 0)) {
      return codedIssue(["week"], config, "the calendar has no working time: give at least one weekday some hours", "noWorkingTime")
    }
    const yearly = new Set<number>()
    for (const holiday of config.holidays ?? []) {
      const md = holiday.yearly === true ? parseMonthDay(holiday.date) : undefined
      if (md !== undefined) yearly.add(md)
    }
    if (yearly.size >= 366) {
      return codedIssue(["holidays"], config, "the calendar has no working time: every day of the year is a holiday", "allHolidays")
    }
    return undefined
  }),
  Schema.annotations({ identifier: "CalendarConfig", parseOptions: { onExcessProperty: "error" } })
)

/**
 * The decoded calendar configuration.
 *
 * @since 0.1.0
 */
export type Config = typeof Config.Type

/**
 * One problem in a calendar configuration, with the path of the bad field written the way a
 * person reads it (`week.mon[1][0]`, `holidays[2].date`).
 *
 * @since 0.1.0
 */
export const ConfigIssue = Schema.Struct({
  path: Schema.String,
  message: Schema.String,
  /** What is wrong as a code an editor words in the user's language (issue 22), when known; `message` is the English. */
  code: Schema.optional(IssueCode),
  params: Schema.optional(IssueParams)
})

/**
 * @since 0.1.0
 */
export type ConfigIssue = typeof ConfigIssue.Type

/**
 * A calendar configuration that failed to decode, with every problem found.
 *
 * @since 0.1.0
 */
export class ConfigError extends Schema.TaggedError<ConfigError>()("CalendarConfigError", {
  issues: Schema.Array(ConfigIssue)
}) {
  /** Every issue, each prefixed with its path, separated by semicolons. */
  override get message(): string {
    return this.issues.map((issue) => (issue.path === "" ? issue.message : `${issue.path}: ${issue.message}`)).join("; ")
  }
}

/**
 * Writes a Schema issue path as `a.b[1][0]`.
 *
 * @since 0.1.0
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((out, key) => {
    if (typeof key === "number") return `${out}[${key}]`
    const name = String(key)
    return out === "" ? name : `${out}.${name}`
  }, "")

const decodeEither = Schema.decodeUnknownEither(Config, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes an untrusted calendar (parsed JSON) and reports every problem with its path, ready for a
 * settings form. `Schema.decodeUnknown(Config)` gives the raw `ParseError` instead.
 *
 * @since 0.1.0
 */
export const decodeConfig = (input: unknown): Either.Either<Config, ConfigError> =>
  Either.mapLeft(decodeEither(input), (error) =>
    new ConfigError({
      issues: describeAll(error.issue, formatPath)
    })
  )

const TypeId: unique symbol = Symbol.for("@switchboard/core/sla/Calendar")

/**
 * A compiled calendar. Build it once per configuration with {@link make} and keep it: the time
 * zone is resolved once, and each local day's working intervals are computed in UTC on first use
 * and cached inside the instance.
 *
 * @since 0.1.0
 */
export interface Calendar {
  readonly [TypeId]: typeof TypeId
  /** The configuration it was compiled from. */
  readonly config: Config
  /** @internal */
  readonly workingTime: WorkingTime
}

/**
 * Compiles a decoded configuration. Costs a few microseconds (the zone's formatter is shared by
 * every calendar in that zone); days are computed lazily.
 *
 * The configuration must come from decoding {@link Config}: compiling does not validate again,
 * and throws a `RangeError` (a defect) for a time zone the runtime does not know.
 *
 * @since 0.1.0
 */
export const make = (config: Config): Calendar => {
  const formatter = formatterFor(config.timezone)
  if (formatter === undefined) throw new RangeError(`unknown time zone "${config.timezone}"`)
  const week = WEEKDAYS.map((day) => (config.week[day] ?? []).map(toMinuteRange))
  const holidays = new Set<number>()
  const yearlyHolidays = new Set<number>()
  for (const holiday of config.holidays ?? []) {
    if (holiday.yearly === true) {
      const md = parseMonthDay(holiday.date)
      if (md !== undefined) yearlyHolidays.add(md)
    } else {
      const day = parseIsoDate(holiday.date)
      if (day !== undefined) holidays.add(day)
    }
  }
  const specialDays = new Map<number, ReadonlyArray<MinuteRange>>()
  for (const special of config.specialDays ?? []) {
    const day = parseIsoDate(special.date)
    if (day !== undefined) specialDays.set(day, special.hours.map(toMinuteRange))
  }
  return {
    [TypeId]: TypeId,
    config,
    workingTime: new WorkingTime({ week, holidays, yearlyHolidays, specialDays }, formatter)
  }
}

/**
 * Whether a value is a compiled calendar.
 *
 * @since 0.1.0
 */
export const isCalendar = (u: unknown): u is Calendar => typeof u === "object" && u !== null && TypeId in u

const ALL_DAY: ReadonlyArray<readonly [string, string]> = [["00:00", "24:00"]]

/**
 * The calendar used when none is configured: every minute is working time (24/7, UTC).
 *
 * @since 0.1.0
 */
export const always: Calendar = make({
  name: "24/7",
  timezone: "UTC",
  week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY }
})

/**
 * An instant: any effect `DateTime` (only its instant matters) or a JS `Date`.
 *
 * @since 0.1.0
 */
export type Instant = DateTime.DateTime | Date

/** Epoch milliseconds of an {@link Instant}. */
export const toEpochMillis = (instant: Instant): number =>
  instant instanceof Date ? instant.getTime() : DateTime.toEpochMillis(instant)

/** Minutes to milliseconds; negative and non-finite amounts count as 0. */
const minutesToMillis = (minutes: number): number =>
  Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * MINUTE_MS) : 0

/**
 * The instant at which `minutes` of working time have passed after `start`.
 *
 * Counting begins at the next opening when `start` is outside working time. When the minutes run
 * out exactly at a closing time the result is the next opening, so "met" ⇔ working minutes used ≤
 * target. Adding 0 returns the next working instant. Fractional minutes are honoured to the
 * millisecond; negative amounts count as 0.
 *
 * @since 0.1.0
 */
export const addWorkingMinutes = (calendar: Calendar, start: Instant, minutes: number): DateTime.Utc =>
  DateTime.unsafeMake(calendar.workingTime.add(toEpochMillis(start), minutesToMillis(minutes)))

/**
 * Working minutes in `[from, to)`; 0 when `to <= from`. Exact: instants that are not whole
 * minutes give fractional minutes, whole minutes give whole numbers.
 *
 * Additive: `between(a, b) + between(b, c) = between(a, c)` for `a <= b <= c`, and
 * `between(start, addWorkingMinutes(start, m)) = m`.
 *
 * @since 0.1.0
 */
export const workingMinutesBetween = (calendar: Calendar, from: Instant, to: Instant): number =>
  calendar.workingTime.between(toEpochMillis(from), toEpochMillis(to)) / MINUTE_MS

/**
 * Whether `instant` is working time. An opening instant is; a closing instant is not.
 *
 * @since 0.1.0
 */
export const isWorkingTime = (calendar: Calendar, instant: Instant): boolean =>
  calendar.workingTime.isWorking(toEpochMillis(instant))

/**
 * `instant` itself during working time, otherwise the next opening.
 *
 * @since 0.1.0
 */
export const nextWorkingInstant = (calendar: Calendar, instant: Instant): DateTime.Utc =>
  DateTime.unsafeMake(calendar.workingTime.add(toEpochMillis(instant), 0))

/**
 * One local day of a calendar and its working periods, as epoch-millisecond `[start, end)` pairs
 * (a period running past midnight is cut at the day's end and goes on the next day).
 *
 * @since 0.1.0
 */
export interface WorkingDay {
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string
  readonly periods: ReadonlyArray<readonly [start: number, end: number]>
}

const pad = (value: number, width: number): string => String(value).padStart(width, "0")

/**
 * The working periods of `days` local days starting with the day that contains `from` (the
 * settings' preview of the next seven days), from the same compiled rules the SLA arithmetic uses.
 *
 * @since 0.1.0
 */
export const workingDays = (calendar: Calendar, from: Instant, days: number): ReadonlyArray<WorkingDay> => {
  const first = calendar.workingTime.locate(toEpochMillis(from)).day
  return Array.from({ length: Math.max(0, Math.floor(days)) }, (_, offset) => {
    const window = calendar.workingTime.window(first + offset)
    const civil = civilFromDays(window.day)
    const periods: Array<readonly [number, number]> = []
    for (let i = 0; i < window.intervals.length; i += 2) periods.push([window.intervals[i]!, window.intervals[i + 1]!])
    return { date: `${pad(civil.year, 4)}-${pad(civil.month, 2)}-${pad(civil.day, 2)}`, periods }
  })
}
