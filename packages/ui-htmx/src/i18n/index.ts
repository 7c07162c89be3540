/**
 * The panel's languages (issue 22): typed message keys over i18next, the English and Ukrainian
 * catalogs, `Intl` formatters in the user's language and time zone, and the language a request gets
 * (the user's, else the company's, else the browser's).
 *
 * In a component: `import { t, useLocale } from "./i18n/index.js"`, then `t("section.key")` and
 * `useLocale().dateTime(at)`. In the server: `c.get("locale").t(...)`. How to add a key: docs/i18n.md.
 *
 * @module
 */
export type { MessageKey, MessageParams, Translate, Translation } from "./Catalog.js"
export { catalogs, intlLocales, interfaceLanguages, isInterfaceLanguage, isTimeZone, makeLocale, type InterfaceLanguage, type Locale } from "./Locale.js"
export { fromAcceptLanguage, resolveLanguage, supportedLanguage } from "./resolve.js"
export { defaultLocale, installLocaleScope, t, useLocale, withLocale, type LocaleScope } from "./scope.js"
