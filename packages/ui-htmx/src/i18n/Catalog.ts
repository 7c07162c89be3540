/**
 * Types derived from the English catalog: the message keys, their placeholders, and the shape every
 * other language's catalog must have.
 */
import type { en } from "./en.js"

type PluralSuffix = "zero" | "one" | "two" | "few" | "many" | "other"

/** Every dotted path to a string in a catalog object. */
type Leaves<T, Prefix extends string = ""> = {
  readonly [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>
}[keyof T & string]

/** A plural key's base: `units.dialogs_other` → `units.dialogs`. */
type PluralBase<K extends string> = K extends `${infer Base}_${PluralSuffix}` ? Base : K

/** The English catalog's shape. */
export type English = typeof en

/** A key `t()` accepts: a path in the English catalog, plural keys without their suffix. */
export type MessageKey = PluralBase<Leaves<English>>

type At<T, Path extends string> = Path extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T ? At<T[Head], Rest> : never
  : Path extends keyof T ? T[Path] : never

/** The English text of a key (a plural key's `_other` form). */
type TextOf<K extends MessageKey> = K extends Leaves<English> ? At<English, K> : At<English, `${K}_other`>

type Placeholders<S> = S extends `${string}{{${infer Name}}}${infer Rest}` ? Name | Placeholders<Rest> : never

/** The values a key's `{{placeholders}}` need; plural keys need `count`. */
export type MessageParams<K extends MessageKey> = { readonly [P in Placeholders<TextOf<K>>]: P extends "count" ? number : string | number }

/** `t`'s arguments after the key: the parameters when the message has placeholders, else nothing. */
export type ParamsArgs<K extends MessageKey> = [Placeholders<TextOf<K>>] extends [never] ? [] : [params: MessageParams<K>]

/** Translate a key: `t("login.heading")`, `t("units.dialogs", { count: 3 })`. */
export type Translate = <K extends MessageKey>(key: K, ...params: ParamsArgs<K>) => string

/**
 * The shape of a translation of the English catalog: the same sections and keys, every leaf a
 * string; an English plural (`x_one`, `x_other`) becomes the four forms Ukrainian (and most Slavic
 * languages) use: `x_one`, `x_few`, `x_many`, `x_other`.
 */
export type Translation<T> = {
  readonly [K in keyof T & string as K extends `${string}_one` ? never : K extends `${infer Base}_other` ? `${Base}_${"one" | "few" | "many" | "other"}` : K]: T[K] extends string
    ? string
    : Translation<T[K]>
}
