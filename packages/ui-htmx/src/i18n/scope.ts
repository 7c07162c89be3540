import type { MessageKey, ParamsArgs } from "./Catalog.js"
import { type Locale, makeLocale } from "./Locale.js"

/**
 * Where components find the locale of the render they are part of. The default scope is a plain
 * stack, right for synchronous renders (tests, a fragment rendered to a string at once); the server
 * installs one backed by `AsyncLocalStorage` so that a request's locale follows its `await`s.
 */
export interface LocaleScope {
  readonly current: () => Locale | undefined
  readonly run: <A>(locale: Locale, body: () => A) => A
}

const stack: Array<Locale> = []

const stackScope: LocaleScope = {
  current: () => stack[stack.length - 1],
  run: (locale, body) => {
    stack.push(locale)
    try {
      return body()
    } finally {
      stack.pop()
    }
  }
}

let scope: LocaleScope = stackScope

/** Replace the locale scope (the server does, once, at start-up). */
export const installLocaleScope = (next: LocaleScope): void => {
  scope = next
}

/** Outside any `withLocale`: English in the process's time zone (what the panel showed before it had languages). */
export const defaultLocale: Locale = makeLocale("en")

/** Run `body` (a render, a handler) with `locale` as the current locale. */
export const withLocale = <A>(locale: Locale, body: () => A): A => scope.run(locale, body)

/** The current render's locale: its language, time zone, `t` and formatters. */
export const useLocale = (): Locale => scope.current() ?? defaultLocale

/**
 * Translate a key in the current render's language: `t("login.heading")`,
 * `t("units.dialogs", { count })`. Call it while rendering (inside a component), not at module load.
 */
export const t = <K extends MessageKey>(key: K, ...params: ParamsArgs<K>): string => useLocale().t(key, ...params)
