import { AsyncLocalStorage } from "node:async_hooks"
import type { Context, Next } from "hono"
import { I18n, type Locale } from "@switchboard/ui-htmx"

/**
 * The request's locale follows its `await`s: the panel's templates call `t()` and `useLocale()`
 * while the response renders, and find the locale of the request they render for. Installed once,
 * when the server's app module loads.
 */
const storage = new AsyncLocalStorage<Locale>()
I18n.installLocaleScope({ current: () => storage.getStore(), run: (locale, body) => storage.run(locale, body) })

/** What decides a request's locale besides the browser: the user's own choice and the company's. */
export interface LocaleChoice {
  /** The user's interface language, if they chose one. */
  readonly user?: string | undefined
  /** The company's interface language, if set. */
  readonly company?: string | undefined
  /** The user's IANA time zone; the server's when none. */
  readonly timeZone?: string | undefined
}

/** The locale for a request: the user's language, else the company's, else the browser's, in the user's time zone. */
export const localeFor = (acceptLanguage: string | undefined, choice: LocaleChoice = {}): Locale =>
  I18n.makeLocale(I18n.resolveLanguage({ user: choice.user, company: choice.company, acceptLanguage }), choice.timeZone)

/** Run the rest of the request (and its rendering) in this locale. */
export const inLocale = (locale: Locale, next: Next): Promise<void> => storage.run(locale, next)

/**
 * The first middleware: every request starts in the browser's language (`Accept-Language`); the
 * panel's session middleware then narrows it to the signed-in user's choice.
 */
export const browserLocale = (c: Context, next: Next): Promise<void> => inLocale(localeFor(c.req.header("Accept-Language")), next)
