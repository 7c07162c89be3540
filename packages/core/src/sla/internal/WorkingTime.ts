/**
 * The compiled form of a calendar: working intervals in UTC epoch milliseconds, computed per local
 * day on first use and cached, walked with plain loops. No Effect, no DateTime, no allocation on
 * the hot path once the days involved are cached.
 *
 * Model:
 * - A *local day* is identified by its index `d` (days since 1970-01-01 in the calendar's zone).
 * - Each day has a list of *ranges* in wall-clock minutes from its midnight (`end` may exceed
 *   1440 for an overnight range); a range belongs to the day it starts on.
 * - A wall-clock minute maps to an instant by the elapsed-time rules of SLA.md: a range opens at
 *   the first instant the local clock shows its start (a start in a spring-forward gap opens at
 *   the end of the gap; a start in a repeated autumn hour opens at the first copy) and closes at
 *   the first instant from which the clock never again shows less than its end (an end in a gap
 *   closes at the end of the gap; an end in a repeated hour closes at the second copy).
 * - Time is cut into *windows* `[B(d), B(d + 1))` where `B(d)` is the instant local day `d`
 *   begins. A window stores the union of every range clipped to it, merged and sorted, plus its
 *   total, so walking whole days costs one addition each.
 *
 * @internal
 */
import { DAY_MS, offsetAt, weekdayOf, civilFromDays } from "./zone.js"

/** A working range in wall-clock minutes from local midnight: `0 <= start < end <= 2880`. */
export type MinuteRange = readonly [start: number, end: number]

/** The rules a calendar compiles to; see `Calendar.make`. */
export interface Rules {
  /** Ranges per weekday, index 0 = Sunday. */
  readonly week: ReadonlyArray<ReadonlyArray<MinuteRange>>
  /** One-off holidays as local day indices. */
  readonly holidays: ReadonlySet<number>
  /** Yearly holidays as `month * 100 + day`. */
  readonly yearlyHolidays: ReadonlySet<number>
  /** Special days (local day index → ranges); they win over holidays. */
  readonly specialDays: ReadonlyMap<number, ReadonlyArray<MinuteRange>>
}

/** One local day's slice of the timeline, `[lo, hi)`, and the working intervals inside it. */
interface Window {
  readonly day: number
  readonly lo: number
  readonly hi: number
  /** Flat `[start0, end0, start1, end1, …]`, sorted, disjoint, non-empty, inside `[lo, hi)`. */
  readonly intervals: ReadonlyArray<number>
  readonly total: number
}

/** A local day's own ranges converted to UTC, and the instant the day begins. */
interface DayInstants {
  readonly begins: number
  readonly intervals: ReadonlyArray<number>
}

const EMPTY: ReadonlyArray<MinuteRange> = []

/**
 * A calendar compiled for arithmetic. Instances are cheap to build: nothing is computed until a
 * day is first asked for, then that day is cached for the life of the instance.
 */
export class WorkingTime {
  private readonly windows = new Map<number, Window>()
  private readonly days = new Map<number, DayInstants>()

  constructor(
    readonly rules: Rules,
    private readonly formatter: Intl.DateTimeFormat
  ) {}

  /** The ranges in force on local day `d`: special day, else nothing on a holiday, else the week. */
  rangesOn(d: number): ReadonlyArray<MinuteRange> {
    const special = this.rules.specialDays.get(d)
    if (special !== undefined) return special
    if (this.rules.holidays.has(d)) return EMPTY
    if (this.rules.yearlyHolidays.size > 0) {
      const date = civilFromDays(d)
      if (this.rules.yearlyHolidays.has(date.month * 100 + date.day)) return EMPTY
    }
    return this.rules.week[weekdayOf(d)] ?? EMPTY
  }

  private offset(ms: number): number {
    return offsetAt(this.formatter, ms)
  }

  /**
   * The instant for wall time `wall` (local ms since epoch). `earliest` picks the first copy of a
   * repeated wall time (range starts), otherwise the last copy (range ends). A wall time inside a
   * gap maps to the end of the gap either way.
   */
  private wallToInstant(wall: number, earliest: boolean): number {
    const before = this.offset(wall - DAY_MS)
    const after = this.offset(wall + DAY_MS)
    if (before === after) return wall - before
    const c1 = wall - before
    const c2 = wall - after
    const ok1 = this.offset(c1) === before
    const ok2 = this.offset(c2) === after
    if (ok1 && ok2) {
      const early = Math.min(c1, c2)
      const late = Math.max(c1, c2)
      if (earliest) return early
      // An end exactly at the start of the repeated hour: the clock falls back onto `wall` at
      // `late` and never shows less than `wall` after `early`, so the range ends at `early`.
      return this.offset(late - 1) === this.offset(late) ? late : early
    }
    if (ok1) return c1
    if (ok2) return c2
    // In a gap: the first instant whose offset differs from `before` is where the gap ends.
    let lo = Math.min(c1, c2)
    let hi = Math.max(c1, c2)
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2)
      if (this.offset(mid) === before) lo = mid
      else hi = mid
    }
    return hi
  }

  private dayInstants(d: number): DayInstants {
    const cached = this.days.get(d)
    if (cached !== undefined) return cached
    const midnight = d * DAY_MS
    const ranges = this.rangesOn(d)
    // A day's ranges reach at most two days past its midnight; when the offset is the same a day
    // before and three days after, no transition lies in between and one subtraction suffices.
    const before = this.offset(midnight - DAY_MS)
    const stable = before === this.offset(midnight + DAY_MS) && before === this.offset(midnight + 3 * DAY_MS)
    const toInstant = (wall: number, earliest: boolean): number =>
      stable ? wall - before : this.wallToInstant(wall, earliest)
    const intervals: Array<number> = []
    for (const [start, end] of ranges) {
      const s = toInstant(midnight + start * 60_000, true)
      const e = toInstant(midnight + end * 60_000, false)
      if (e > s) intervals.push(s, e)
    }
    const made: DayInstants = { begins: toInstant(midnight, true), intervals }
    this.days.set(d, made)
    return made
  }

  /** The window of local day `d`, computed once. */
  window(d: number): Window {
    const cached = this.windows.get(d)
    if (cached !== undefined) return cached
    const lo = this.dayInstants(d).begins
    const hi = this.dayInstants(d + 1).begins
    const pieces: Array<readonly [number, number]> = []
    // Ranges of the two previous days may still be running (overnight ranges, repeated hours).
    for (let k = d - 2; k <= d; k++) {
      const own = this.dayInstants(k).intervals
      for (let i = 0; i < own.length; i += 2) {
        const s = Math.max(own[i] ?? 0, lo)
        const e = Math.min(own[i + 1] ?? 0, hi)
        if (e > s) pieces.push([s, e])
      }
    }
    pieces.sort((a, b) => a[0] - b[0])
    const intervals: Array<number> = []
    let total = 0
    for (const [s, e] of pieces) {
      const last = intervals.length - 1
      const lastEnd = intervals[last]
      if (lastEnd !== undefined && s <= lastEnd) {
        if (e > lastEnd) {
          total += e - lastEnd
          intervals[last] = e
        }
      } else {
        intervals.push(s, e)
        total += e - s
      }
    }
    const made: Window = { day: d, lo, hi, intervals, total }
    this.windows.set(d, made)
    return made
  }

  /** The window containing instant `ms`. Zone offsets stay within a day, so at most one step. */
  locate(ms: number): Window {
    let w = this.window(Math.floor(ms / DAY_MS))
    while (ms < w.lo) w = this.window(w.day - 1)
    while (ms >= w.hi) w = this.window(w.day + 1)
    return w
  }

  /**
   * The instant at which `amount` ms of working time have elapsed after `start`. When the time
   * runs out exactly at a closing, the result is the next opening; `amount = 0` gives the next
   * working instant (`start` itself during working time).
   */
  add(start: number, amount: number): number {
    let w = this.locate(start)
    let t = start
    let rest = amount
    for (;;) {
      if (t <= w.lo && rest >= w.total) {
        rest -= w.total
      } else {
        const iv = w.intervals
        for (let i = 0; i < iv.length; i += 2) {
          const e = iv[i + 1] ?? 0
          if (e <= t) continue
          const s = iv[i] ?? 0
          const from = s > t ? s : t
          const available = e - from
          if (rest < available) return from + rest
          rest -= available
        }
      }
      w = this.window(w.day + 1)
      t = w.lo
    }
  }

  /** Working milliseconds in `[from, to)`; 0 when `to <= from`. */
  between(from: number, to: number): number {
    if (to <= from) return 0
    let w = this.locate(from)
    let t = from
    let sum = 0
    for (;;) {
      if (t <= w.lo && to >= w.hi) {
        sum += w.total
      } else {
        const iv = w.intervals
        for (let i = 0; i < iv.length; i += 2) {
          const s = Math.max(iv[i] ?? 0, t)
          const e = Math.min(iv[i + 1] ?? 0, to)
          if (e > s) sum += e - s
        }
      }
      if (to <= w.hi) return sum
      w = this.window(w.day + 1)
      t = w.lo
    }
  }

  /** Whether `ms` lies inside working time (intervals are half-open: a closing instant is not). */
  isWorking(ms: number): boolean {
    const iv = this.locate(ms).intervals
    for (let i = 0; i < iv.length; i += 2) {
      if (ms >= (iv[i] ?? 0) && ms < (iv[i + 1] ?? 0)) return true
    }
    return false
  }
}
