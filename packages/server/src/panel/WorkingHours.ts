import { Calendar } from "@switchboard/core"
import { type PreviewDayView, useLocale } from "@switchboard/ui-htmx"

/**
 * The next seven days' working hours of a calendar, in its own zone and the request's language
 * (call while rendering): the SLA editor's preview and an operator's shift preview.
 */
export const previewDays = (calendar: Calendar.Calendar, now: number): ReadonlyArray<PreviewDayView> => {
  const zone = calendar.config.timezone
  const locale = useLocale().intlLocale
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
  const day = new Intl.DateTimeFormat(locale, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" })
  return Calendar.workingDays(calendar, new Date(now), 7).map((working) => ({
    date: day.format(new Date(`${working.date}T12:00:00Z`)),
    // An end at the next midnight reads 24:00, not 00:00.
    hours: working.periods.map(([start, end]) => `${time.format(start)}–${Calendar.isWorkingTime(calendar, new Date(end - 1)) && !Calendar.isWorkingTime(calendar, new Date(end)) && time.format(end) === "00:00" ? "24:00" : time.format(end)}`)
  }))
}
