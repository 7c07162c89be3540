/**
 * Time-zone offsets and civil-date arithmetic for the working-time engine.
 *
 * Offsets come from `Intl.DateTimeFormat` (ECMAScript, available in every runtime core targets).
 * Building a formatter is expensive (~50 µs), so formatters are made once per zone name and kept
 * for the life of the process. Everything else here is integer arithmetic on epoch milliseconds.
 *
 * @internal
 */

/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000
/** Milliseconds in a 24-hour civil day (the unit of "local day" indices). */
export const DAY_MS = 86_400_000

const formatters = new Map<string, Intl.DateTimeFormat>()

const makeFormatter = (zone: string): Intl.DateTimeFormat =>
  new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    era: "short",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric"
  })

/**
 * The cached formatter for an IANA zone, or `undefined` when the runtime does not know the zone.
 * Aliases (`Europe/Kiev`, `Europe/Kyiv`) are accepted as the runtime accepts them.
 */
export const formatterFor = (zone: string): Intl.DateTimeFormat | undefined => {
  const cached = formatters.get(zone)
  if (cached !== undefined) return cached
  try {
    const made = makeFormatter(zone)
    formatters.set(zone, made)
    return made
  } catch {
    return undefined
  }
}

/** Whether the runtime knows the IANA zone `zone`. */
export const isKnownZone = (zone: string): boolean => formatterFor(zone) !== undefined

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1–12). Exact for every year,
 * negative years included (H. Hinnant's `days_from_civil`).
 */
export const daysFromCivil = (year: number, month: number, day: number): number => {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** The inverse of {@link daysFromCivil}: month is 1–12. */
export const civilFromDays = (days: number): { readonly year: number; readonly month: number; readonly day: number } => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** Day of the week of a day index: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOf = (days: number): number => (((days + 4) % 7) + 7) % 7

/** Whether `year-month-day` names a real Gregorian date. */
export const isValidDate = (year: number, month: number, day: number): boolean => {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false
  if (month < 1 || month > 12 || day < 1) return false
  const next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1)
  return day <= next - daysFromCivil(year, month, 1)
}

/**
 * The zone's UTC offset in milliseconds at instant `ms` (local wall time = `ms + offset`).
 * Seconds-resolution: the formatter does not print milliseconds, so the instant is floored to
 * its second before subtracting.
 */
export const offsetAt = (formatter: Intl.DateTimeFormat, ms: number): number => {
  let era = "AD"
  let year = 0
  let month = 0
  let day = 0
  let hour = 0
  let minute = 0
  let second = 0
  for (const part of formatter.formatToParts(ms)) {
    switch (part.type) {
      case "era":
        era = part.value
        break
      case "year":
        year = Number(part.value)
        break
      case "month":
        month = Number(part.value)
        break
      case "day":
        day = Number(part.value)
        break
      case "hour":
        hour = Number(part.value)
        break
      case "minute":
        minute = Number(part.value)
        break
      case "second":
        second = Number(part.value)
        break
    }
  }
  const fullYear = era === "BC" || era === "B" ? 1 - year : year
  const wall = ((daysFromCivil(fullYear, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000
  const floored = ms - (((ms % 1000) + 1000) % 1000)
  return wall - floored
}
