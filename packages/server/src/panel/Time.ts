/** Times and days as the panel shows and reads them, in the server's time zone. */

const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" })
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" })

/** "14:05" today, "3 Mar" before. */
export const displayTime = (at: number, now: number = Date.now()): string =>
  new Date(at).toDateString() === new Date(now).toDateString() ? timeFormat.format(at) : dateFormat.format(at)

/** A deadline always with its time: "14:05" today, "22 Nov 00:05" on another day (10 minutes after 23:55 is tomorrow). */
export const displayDue = (at: number, now: number = Date.now()): string =>
  new Date(at).toDateString() === new Date(now).toDateString() ? timeFormat.format(at) : `${dateFormat.format(at)} ${timeFormat.format(at)}`

/** The time zone the server reads the period's days in, and shows the list's times in. */
export const serverTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The instant a day starts in the server's time zone (`YYYY-MM-DD`, years 1970-9999), `offset`
 * days later; none if it is not a real date. DST-safe: local midnight, not 24-hour steps.
 */
export const startOfDay = (day: string, offset = 0): number | undefined => {
  const match = dayPattern.exec(day)
  if (match === null) return undefined
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const start = new Date(year, month - 1, date)
  if (year < 1970 || start.getFullYear() !== year || start.getMonth() !== month - 1 || start.getDate() !== date) return undefined
  return Math.max(0, new Date(year, month - 1, date + offset).getTime())
}
