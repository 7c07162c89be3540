import { type InterfaceLanguage, interfaceLanguages, isInterfaceLanguage } from "./Locale.js"

/** The interface language a language tag asks for, if any: `uk`, `uk-UA` → `uk`; `de` → none. */
export const supportedLanguage = (tag: string | undefined): InterfaceLanguage | undefined => {
  if (tag === undefined) return undefined
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? ""
  return isInterfaceLanguage(primary) ? primary : undefined
}

/**
 * The browser's preferred interface language from an `Accept-Language` header (RFC 9110 §12.5.4):
 * the supported language with the highest quality; equal qualities keep the header's order; `q=0`
 * means "not this one". None when the header names no supported language.
 */
export const fromAcceptLanguage = (header: string | undefined): InterfaceLanguage | undefined => {
  if (header === undefined) return undefined
  const ranked = header
    .split(",")
    .slice(0, 50)
    .map((part, index) => {
      const [tag = "", ...params] = part.split(";")
      const q = params.map((param) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(param)?.[1]).find((value) => value !== undefined)
      const quality = q === undefined ? 1 : Number(q)
      return { language: tag.trim() === "*" ? undefined : supportedLanguage(tag), quality: Number.isFinite(quality) ? quality : 0, index }
    })
    .filter((entry) => entry.language !== undefined && entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index)
  return ranked[0]?.language
}

/**
 * The interface language of a request: the user's own choice, else the company's, else the
 * browser's (`Accept-Language`), else English. A choice that is not an interface language (an
 * operator stored as `de`) is skipped, not an error.
 */
export const resolveLanguage = (sources: {
  readonly user?: string | undefined
  readonly company?: string | undefined
  readonly acceptLanguage?: string | undefined
}): InterfaceLanguage =>
  supportedLanguage(sources.user) ?? supportedLanguage(sources.company) ?? fromAcceptLanguage(sources.acceptLanguage) ?? interfaceLanguages[0]
