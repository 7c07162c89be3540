import i18next from "i18next"
import type { MessageKey, ParamsArgs, Translate } from "./Catalog.js"
import { en } from "./en.js"
import { uk } from "./uk.js"

/** The interface languages with a full catalog. The first is the last resort. */
export const interfaceLanguages = ["en", "uk"] as const

/** An interface language: one with a full catalog. */
export type InterfaceLanguage = (typeof interfaceLanguages)[number]

/** Whether a language tag is one of the interface languages (exactly, e.g. `uk`; see `resolveLanguage` for `uk-UA`). */
export const isInterfaceLanguage = (tag: string): tag is InterfaceLanguage => (interfaceLanguages as ReadonlyArray<string>).includes(tag)

/** The catalogs by language, for the catalog tests and tools. */
export const catalogs = { en, uk } as const

/**
 * The `Intl` locale each interface language formats dates and numbers with: English keeps the
 * panel's day-month order and 24-hour clock (en-GB), Ukrainian uses uk-UA.
 */
export const intlLocales: Readonly<Record<InterfaceLanguage, string>> = { en: "en-GB", uk: "uk-UA" }

// One i18next instance for the process: both catalogs are in memory, so `init` is synchronous. The
// values are not HTML-escaped here: hono/jsx escapes every string it renders, and escaping twice
// would show `&amp;` to users.
const i18n = i18next.createInstance()
void i18n.init({
  resources: { en: { translation: en }, uk: { translation: uk } },
  lng: "en",
  fallbackLng: "en",
  supportedLngs: [...interfaceLanguages],
  initAsync: false,
  returnNull: false,
  interpolation: { escapeValue: false }
})

/**
 * Everything a screen needs to speak the user's language: `t` for messages and the formatters for
 * instants, days, numbers and relative times, all in the user's language and time zone.
 */
export interface Locale {
  readonly language: InterfaceLanguage
  /** An IANA time zone such as `Europe/Kyiv`; every instant is shown in it. */
  readonly timeZone: string
  /** The `Intl` locale dates and numbers are formatted with (`intlLocales`). */
  readonly intlLocale: string
  readonly t: Translate
  /** "14:05". */
  readonly time: (at: number) => string
  /** "3 Mar" (en), "3 бер." (uk). */
  readonly date: (at: number) => string
  /** "3 Mar 2026, 14:05": a full date and time, for audit rows and tooltips. */
  readonly dateTime: (at: number) => string
  /** "14:05" when `at` is on the same day as `now` in the user's time zone, else "3 Mar". */
  readonly shortTime: (at: number, now: number) => string
  /** A deadline always with its time: "14:05" today, "22 Nov 00:05" on another day. */
  readonly due: (at: number, now: number) => string
  /** "1,234.5" (en), "1 234,5" (uk). */
  readonly number: (value: number, options?: Intl.NumberFormatOptions) => string
  /** "just now", "5 minutes ago", "3 hours ago", "2 days ago" (and their translations). */
  readonly ago: (then: number, now: number) => string
  /** `YYYY-MM-DD` of the day `at` falls on in the user's time zone (for comparing and for date inputs). */
  readonly dayOf: (at: number) => string
}

/** Zones already checked: building an `Intl.DateTimeFormat` to check one costs about a millisecond. */
const zones = new Map<string, boolean>()

/** Whether `timeZone` is an IANA zone `Intl` knows. */
export const isTimeZone = (timeZone: string): boolean => {
  let known = zones.get(timeZone)
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en", { timeZone })
      known = true
    } catch {
      known = false
    }
    if (zones.size < 1_000) zones.set(timeZone, known)
  }
  return known
}

/** The process's own zone, read once (every request without a zone of its own asked `Intl` for it anew). */
let processZone: string | undefined
const defaultZone = (): string => (processZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone)

// i18next's own key typing is not configured (our `Translate` type checks keys and placeholders), so
// its `t` is called through a plain signature. Not through `getFixedT`: its `t` copies all of
// i18next's options into a new object on every call, and those copies ended in the old generation:
// in issue 21's bench (opening dialogs), 284 of the 1,177 MiB that major collections freed, and
// major collections are what the slowest openings waited for.
const translate = i18n.t.bind(i18n) as unknown as (key: string, options: object) => string

/** Texts without params never change (the catalogs are fixed at build): each language's are kept. */
const plainTexts = new Map<InterfaceLanguage, Map<string, string>>(interfaceLanguages.map((language) => [language, new Map()]))
/** More than the catalogs' keys, so it is never reached unless keys are built from data. */
const maxPlain = 10_000

const cache = new Map<string, Locale>()
/** Locales by the language and zone a caller asked for (any string a user stored): bounded, as callers choose the keys. */
const byRequest = new Map<string, Locale>()
const remember = (key: string, locale: Locale) => {
  if (byRequest.size >= 1000) byRequest.clear()
  byRequest.set(key, locale)
}

/**
 * The locale for a language and time zone (an unknown zone falls back to the process's zone).
 * Locales are cached: the `Intl` formatters are built once per language and zone.
 */
export const makeLocale = (language: InterfaceLanguage, timeZone?: string): Locale => {
  // By the zone as asked first: checking it and reading the process's zone each build an `Intl`
  // formatter, which every request paid twice (the browser's locale, then the user's).
  const askedKey = `${language} ${timeZone ?? ""}`
  const asked = byRequest.get(askedKey)
  if (asked !== undefined) return asked
  const zone = timeZone !== undefined && isTimeZone(timeZone) ? timeZone : defaultZone()
  const cacheKey = `${language} ${zone}`
  const cached = cache.get(cacheKey)
  if (cached !== undefined) {
    remember(askedKey, cached)
    return cached
  }
  const intlLocale = intlLocales[language]
  const plain = plainTexts.get(language)!
  const t: Translate = <K extends MessageKey>(key: K, ...params: ParamsArgs<K>): string => {
    const given = params[0]
    if (given !== undefined) return translate(key, { ...given, lng: language })
    let text = plain.get(key)
    if (text === undefined) {
      text = translate(key, { lng: language })
      if (plain.size < maxPlain) plain.set(key, text)
    }
    return text
  }
  const timeFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
  const dateFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: zone, day: "numeric", month: "short" })
  const dateTimeFormat = new Intl.DateTimeFormat(intlLocale, { timeZone: zone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
  const dayFormat = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
  const relative = new Intl.RelativeTimeFormat(intlLocale, { numeric: "auto" })
  const numberFormats = new Map<string, Intl.NumberFormat>()
  const dayOf = (at: number) => dayFormat.format(at)
  const sameDay = (at: number, now: number) => dayOf(at) === dayOf(now)
  const locale: Locale = {
    language,
    timeZone: zone,
    intlLocale,
    t,
    time: (at) => timeFormat.format(at),
    date: (at) => dateFormat.format(at),
    dateTime: (at) => dateTimeFormat.format(at),
    shortTime: (at, now) => (sameDay(at, now) ? timeFormat.format(at) : dateFormat.format(at)),
    due: (at, now) => (sameDay(at, now) ? timeFormat.format(at) : `${dateFormat.format(at)} ${timeFormat.format(at)}`),
    number: (value, options) => {
      const optionsKey = options === undefined ? "" : JSON.stringify(options)
      let format = numberFormats.get(optionsKey)
      if (format === undefined) {
        format = new Intl.NumberFormat(intlLocale, options)
        numberFormats.set(optionsKey, format)
      }
      return format.format(value)
    },
    ago: (then, now) => {
      const minutes = Math.round((then - now) / 60_000)
      if (minutes > -1) return relative.format(0, "second")
      if (minutes > -60) return relative.format(minutes, "minute")
      if (minutes > -48 * 60) return relative.format(Math.round(minutes / 60), "hour")
      return relative.format(Math.round(minutes / (24 * 60)), "day")
    },
    dayOf
  }
  cache.set(cacheKey, locale)
  remember(askedKey, locale)
  return locale
}
