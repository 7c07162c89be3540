/**
 * The naive oracle for working-time arithmetic: it walks UTC minute by minute and decides each
 * minute from what a wall clock in the calendar's zone shows, reading the calendar configuration
 * directly. It shares no code with the compiled calendar.
 *
 * The wall-clock rule for a range `[S, E)` (S and E as local wall-clock minutes, E past midnight
 * for an overnight range) is:
 * - the range has opened at minute `u` once the clock has shown `S` or later at some minute `<= u`;
 * - it is still open at `u` while the clock will show something earlier than `E` at some minute
 *   `>= u`.
 * In a repeated autumn hour this runs a range through both copies; in a spring-forward gap it
 * opens/closes at the first minute after the gap. Clocks never jump back by more than three hours,
 * so "some minute before/after" only needs to look three hours around `u`.
 *
 * Instants must be whole UTC minutes.
 */
import type * as Calendar from "../../src/sla/Calendar.js"

const MINUTE = 60_000
const LOOK = 180

type Config = Calendar.Config
type DayKey = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat"
const DAY_KEYS: ReadonlyArray<DayKey> = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

const pad = (n: number): string => String(n).padStart(2, "0")

export interface Oracle {
  readonly isWorking: (ms: number) => boolean
  /** Minutes of working time after `start`; out of minutes exactly at a closing → next opening. */
  readonly add: (start: number, minutes: number) => number
  /** Working minutes in `[from, to)`. */
  readonly between: (from: number, to: number) => number
  readonly nextWorking: (ms: number) => number
}

export const makeOracle = (config: Config): Oracle => {
  const formatter = new Intl.DateTimeFormat("en-GB", {
    timeZone: config.timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit"
  })

  const walls = new Map<number, number>()
  /** The wall clock at UTC minute `u` as minutes since 1970-01-01 00:00 local. */
  const wall = (u: number): number => {
    const cached = walls.get(u)
    if (cached !== undefined) return cached
    const parts: Record<string, string> = {}
    for (const part of formatter.formatToParts(u)) parts[part.type] = part.value
    const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute))
    const value = local / MINUTE
    if (walls.size > 500_000) walls.clear()
    walls.set(u, value)
    return value
  }

  const minutesOf = (hhmm: string): number => Number(hhmm.split(":")[0]) * 60 + Number(hhmm.split(":")[1])

  /** The ranges of the local date with this day number, as [S, E) wall-clock minutes. */
  const rangesCache = new Map<number, ReadonlyArray<readonly [number, number]>>()
  const rangesOfDay = (dayNumber: number): ReadonlyArray<readonly [number, number]> => {
    const cached = rangesCache.get(dayNumber)
    if (cached !== undefined) return cached
    const date = new Date(dayNumber * 1440 * MINUTE)
    const iso = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
    const monthDay = iso.slice(5)
    let hours: ReadonlyArray<readonly [string, string]>
    const special = (config.specialDays ?? []).find((s) => s.date === iso)
    if (special !== undefined) {
      hours = special.hours
    } else if (
      (config.holidays ?? []).some((h) => (h.yearly === true ? h.date.slice(-5) === monthDay : h.date === iso))
    ) {
      hours = []
    } else {
      hours = config.week[DAY_KEYS[date.getUTCDay()] ?? "sun"] ?? []
    }
    const base = dayNumber * 1440
    const ranges = hours.map(([from, to]): readonly [number, number] => {
      const s = minutesOf(from)
      let e = to === "23:59" || to === "24:00" ? 1440 : minutesOf(to)
      if (e <= s) e += 1440
      return [base + s, base + e]
    })
    rangesCache.set(dayNumber, ranges)
    return ranges
  }

  const isWorking = (u: number): boolean => {
    const here = wall(u)
    let highest = here
    let lowest = here
    // Scan only near a clock change: elsewhere the clock moved exactly LOOK minutes either side.
    if (wall(u - LOOK * MINUTE) !== here - LOOK || wall(u + LOOK * MINUTE) !== here + LOOK) {
      for (let k = 1; k <= LOOK; k++) {
        highest = Math.max(highest, wall(u - k * MINUTE))
        lowest = Math.min(lowest, wall(u + k * MINUTE))
      }
    }
    const firstDay = Math.floor(lowest / 1440) - 2
    const lastDay = Math.floor(highest / 1440)
    for (let day = firstDay; day <= lastDay; day++) {
      for (const [s, e] of rangesOfDay(day)) {
        if (s <= highest && lowest < e) return true
      }
    }
    return false
  }

  const nextWorking = (ms: number): number => {
    let u = ms
    while (!isWorking(u)) u += MINUTE
    return u
  }

  const add = (start: number, minutes: number): number => {
    if (minutes === 0) return nextWorking(start)
    let u = start
    let counted = 0
    for (;;) {
      if (isWorking(u)) {
        counted++
        if (counted === minutes) return nextWorking(u + MINUTE)
      }
      u += MINUTE
    }
  }

  const between = (from: number, to: number): number => {
    let counted = 0
    for (let u = from; u < to; u += MINUTE) if (isWorking(u)) counted++
    return counted
  }

  return { isWorking, add, between, nextWorking }
}
