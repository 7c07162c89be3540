import { useLocale } from "../i18n/index.js"

/**
 * An instant as the user reads it: in their language and time zone, formatted while rendering (so a
 * live fragment rendered for a Ukrainian user in Kyiv shows Kyiv's time). `short` is the time today
 * and the date before; `due` always has the time; `dateTime` is both, with the year.
 */
export const LocalTime = (props: { readonly iso: string; readonly format?: "short" | "due" | "dateTime" | "time" | undefined; readonly fallback?: string | undefined }) => {
  const at = Date.parse(props.iso)
  if (Number.isNaN(at)) return <>{props.fallback ?? ""}</>
  const locale = useLocale()
  const now = Date.now()
  const format = props.format ?? "short"
  const text = format === "due" ? locale.due(at, now) : format === "dateTime" ? locale.dateTime(at) : format === "time" ? locale.time(at) : locale.shortTime(at, now)
  return <time datetime={props.iso}>{text}</time>
}
