import fc from "fast-check"
import i18next from "i18next"
import { describe, expect, it } from "vitest"
import { I18n } from "../../src/index.js"

type Tree = { readonly [key: string]: string | Tree }

/** Every `path → text` of a catalog. */
const flatten = (tree: Tree, prefix = ""): ReadonlyArray<readonly [string, string]> =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === "string" ? [[`${prefix}${key}`, value] as const] : flatten(value, `${prefix}${key}.`)))

const pluralSuffix = /_(zero|one|two|few|many|other)$/

const placeholders = (text: string): ReadonlyArray<string> => [...new Set([...text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((match) => match[1]!))].sort()

/**
 * A catalog as messages: each base key with its forms (one form `""` for a plain message, the plural
 * categories for a plural one).
 */
const messages = (tree: Tree): ReadonlyMap<string, ReadonlyMap<string, string>> => {
  const byBase = new Map<string, Map<string, string>>()
  for (const [path, text] of flatten(tree)) {
    const suffix = pluralSuffix.exec(path)
    const base = suffix === null ? path : path.slice(0, -suffix[0].length)
    const forms = byBase.get(base) ?? new Map<string, string>()
    forms.set(suffix === null ? "" : suffix[1]!, text)
    byBase.set(base, forms)
  }
  return byBase
}

const languages = I18n.interfaceLanguages
const catalog = (language: I18n.InterfaceLanguage) => messages(I18n.catalogs[language] as unknown as Tree)

describe("the catalogs", () => {
  it("have the same keys in every language", () => {
    const english = [...catalog("en").keys()].sort()
    for (const language of languages) {
      const keys = [...catalog(language).keys()].sort()
      const missing = english.filter((key) => !keys.includes(key))
      const extra = keys.filter((key) => !english.includes(key))
      expect({ language, missing, extra }).toEqual({ language, missing: [], extra: [] })
    }
  })

  it("give each plural exactly the forms its language needs (uk: one, few, many, other)", () => {
    for (const language of languages) {
      const categories = [...new Intl.PluralRules(I18n.intlLocales[language]).resolvedOptions().pluralCategories].sort()
      for (const [key, forms] of catalog(language)) {
        if (forms.has("")) continue
        expect({ language, key, forms: [...forms.keys()].sort() }).toEqual({ language, key, forms: categories })
      }
    }
  })

  it("use the same {{placeholders}} as English in every language and form", () => {
    const english = catalog("en")
    for (const language of languages) {
      for (const [key, forms] of catalog(language)) {
        const reference = english.get(key)!
        const expected = placeholders(reference.get("") ?? reference.get("other") ?? "")
        for (const [form, text] of forms) {
          // A plural's "one" may spell the number out ("one dialog"), so it may leave out {{count}}.
          const found = placeholders(text)
          const compared = form === "" || form === "other" ? found : [...new Set([...found, "count"])].sort()
          const wanted = form === "" || form === "other" ? expected : [...new Set([...expected, "count"])].sort()
          expect({ language, key, form, placeholders: compared }).toEqual({ language, key, form, placeholders: wanted })
        }
      }
    }
  })

  it("have no empty message", () => {
    for (const language of languages) {
      for (const [path, text] of flatten(I18n.catalogs[language] as unknown as Tree)) expect({ language, path, text: text.trim().length > 0 }).toEqual({ language, path, text: true })
    }
  })
})

describe("t", () => {
  it("translates, fills placeholders and picks the plural form of each language", () => {
    const en = I18n.makeLocale("en", "UTC")
    const uk = I18n.makeLocale("uk", "UTC")
    expect(en.t("login.heading")).toBe("Sign in")
    expect(uk.t("login.heading")).toBe("Вхід")
    expect([1, 2, 5].map((count) => en.t("units.dialogs", { count }))).toEqual(["1 dialog", "2 dialogs", "5 dialogs"])
    expect([1, 2, 5, 21, 22, 25].map((count) => uk.t("units.dialogs", { count }))).toEqual(["1 діалог", "2 діалоги", "5 діалогів", "21 діалог", "22 діалоги", "25 діалогів"])
  })

  it("answers a text without params as i18next does, every key, each language its own, asked again and again", () => {
    const reference = i18next.createInstance()
    void reference.init({ resources: { en: { translation: I18n.catalogs.en }, uk: { translation: I18n.catalogs.uk } }, fallbackLng: "en", initAsync: false, interpolation: { escapeValue: false } })
    const keys = flatten(I18n.catalogs.en as unknown as Tree).map(([path]) => path).filter((path) => !pluralSuffix.test(path))
    const locales = { en: I18n.makeLocale("en", "UTC"), uk: I18n.makeLocale("uk", "Europe/Kyiv") }
    for (let round = 0; round < 2; round++) {
      for (const key of keys) {
        for (const language of languages) {
          // Plain texts are kept per language (issue 21): a wrong cache would answer one language's text in the other.
          expect({ key, language, text: (locales[language].t as (key: string) => string)(key) }).toEqual({ key, language, text: reference.getFixedT(language)(key) })
        }
      }
    }
  })

  it("leaves escaping to the renderer: a placeholder's markup is returned as it was given", () => {
    const uk = I18n.makeLocale("uk", "UTC")
    expect(uk.t("units.dialogs", { count: 1 })).toBe("1 діалог")
    expect(I18n.makeLocale("en").t("login.title")).toBe("Sign in — Switchboard")
  })

  it("only accepts keys of the English catalog, with their placeholders (checked by tsc)", () => {
    const en = I18n.makeLocale("en")
    // @ts-expect-error: no such key
    expect(() => en.t("login.noSuchKey")).not.toThrow()
    // @ts-expect-error: a plural needs its count
    expect(() => en.t("units.dialogs")).not.toThrow()
    // @ts-expect-error: a plain message takes no parameters
    expect(() => en.t("login.heading", { name: "x" })).not.toThrow()
  })

  it("follows the current locale inside withLocale, and is English outside it", () => {
    const uk = I18n.makeLocale("uk", "Europe/Kyiv")
    expect(I18n.withLocale(uk, () => I18n.t("common.save"))).toBe("Зберегти")
    expect(I18n.withLocale(uk, () => I18n.useLocale().timeZone)).toBe("Europe/Kyiv")
    expect(I18n.t("common.save")).toBe("Save")
  })
})

describe("formatting", () => {
  // 2026-03-03 23:30 UTC: already 4 March in Kyiv (UTC+2 in winter).
  const at = Date.UTC(2026, 2, 3, 23, 30)
  it("shows instants in the user's time zone and language", () => {
    const kyiv = I18n.makeLocale("uk", "Europe/Kyiv")
    const london = I18n.makeLocale("en", "Europe/London")
    expect(kyiv.time(at)).toBe("01:30")
    expect(london.time(at)).toBe("23:30")
    expect(kyiv.date(at)).toMatch(/^4 бер/)
    expect(london.date(at)).toBe("3 Mar")
    expect(kyiv.dayOf(at)).toBe("2026-03-04")
  })

  it("says 'today' by the user's calendar day, not the server's", () => {
    const kyiv = I18n.makeLocale("uk", "Europe/Kyiv")
    const london = I18n.makeLocale("en", "Europe/London")
    const laterThatKyivDay = Date.UTC(2026, 2, 4, 10, 0)
    expect(kyiv.shortTime(at, laterThatKyivDay)).toBe("01:30")
    expect(london.shortTime(at, laterThatKyivDay)).toBe("3 Mar")
    expect(london.due(at, laterThatKyivDay)).toBe("3 Mar 23:30")
  })

  it("formats numbers and relative times per language", () => {
    expect(I18n.makeLocale("en").number(1234.5)).toBe("1,234.5")
    expect(I18n.makeLocale("uk").number(1234.5).replace(/\s/gu, " ")).toBe("1 234,5")
    const now = Date.UTC(2026, 2, 3, 12, 0)
    expect(I18n.makeLocale("en").ago(now - 5 * 60_000, now)).toBe("5 minutes ago")
    expect(I18n.makeLocale("uk").ago(now - 5 * 60_000, now)).toBe("5 хвилин тому")
  })

  it("falls back to the process's zone for an unknown time zone", () => {
    expect(I18n.makeLocale("en", "Mars/Olympus").timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
  })
})

describe("the language of a request", () => {
  it("is the user's, else the company's, else the browser's, else English", () => {
    expect(I18n.resolveLanguage({ user: "uk", company: "en", acceptLanguage: "en" })).toBe("uk")
    expect(I18n.resolveLanguage({ user: undefined, company: "uk", acceptLanguage: "en" })).toBe("uk")
    expect(I18n.resolveLanguage({ user: "de", company: undefined, acceptLanguage: "de-DE, uk;q=0.8, en;q=0.5" })).toBe("uk")
    expect(I18n.resolveLanguage({ acceptLanguage: "fr" })).toBe("en")
    expect(I18n.resolveLanguage({})).toBe("en")
  })

  it("reads Accept-Language by quality, region tags included, and skips q=0", () => {
    expect(I18n.fromAcceptLanguage("uk-UA,uk;q=0.9,en-US;q=0.8,en;q=0.7")).toBe("uk")
    expect(I18n.fromAcceptLanguage("en;q=0.5, uk;q=0.9")).toBe("uk")
    expect(I18n.fromAcceptLanguage("uk;q=0, en")).toBe("en")
    expect(I18n.fromAcceptLanguage("*")).toBeUndefined()
  })

  it("always picks an interface language, and a supported user choice wins (property)", () => {
    fc.assert(
      fc.property(fc.option(fc.string()), fc.option(fc.string()), fc.option(fc.string()), (user, company, header) => {
        const language = I18n.resolveLanguage({ user: user ?? undefined, company: company ?? undefined, acceptLanguage: header ?? undefined })
        expect(I18n.interfaceLanguages).toContain(language)
        const chosen = I18n.supportedLanguage(user ?? undefined)
        if (chosen !== undefined) expect(language).toBe(chosen)
      })
    )
  })
})
