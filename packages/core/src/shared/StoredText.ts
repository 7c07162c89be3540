import { Schema } from "effect"
import { IssueAnnotationId, type IssueAnnotation, issueAnnotation, type IssueCode, type IssueParams } from "./Issue.js"

/**
 * What every stored string obeys, whoever hands it in (an HTTP route, a channel adapter, a library
 * user): PostgreSQL refuses a NUL character in `text` and `jsonb`, a lone UTF-16 surrogate cannot be
 * encoded as UTF-8, and an index row holds at most about 2,700 bytes. A string that breaks one of
 * these fails its Schema with the field's path, before anything is stored.
 */

/** A lone surrogate in Unicode mode is a code point of the `Cs` category; a well-formed pair is not. */
const loneSurrogate = /\p{Cs}/u

/** Why `text` cannot be stored (undefined when it can); the reason never repeats the text. */
const problem = (text: string, maxLength: number): string | undefined =>
  text.length > maxLength
    ? `longer than ${maxLength} characters`
    : text.includes("\u0000")
      ? "contains a NUL character"
      : loneSurrogate.test(text)
        ? "contains a lone UTF-16 surrogate"
        : undefined

/**
 * Refine a string schema into one that can be stored: at most `maxLength` UTF-16 code units, no
 * NUL, no lone surrogate. Used by every stored string field (ids, message text, profile, attachments).
 */
export const storable =
  (maxLength: number) =>
  <A extends string, I, R>(self: Schema.Schema<A, I, R>): Schema.filter<Schema.Schema<A, I, R>> =>
    Schema.filter<Schema.Schema<A, I, R>>((text) => problem(text, maxLength) ?? true, { jsonSchema: { maxLength }, [IssueAnnotationId]: storableIssue(maxLength) })(self)

/** A refused stored string's code: too long, else a character that cannot be stored. */
const storableIssue =
  (maxLength: number): IssueAnnotation =>
  (actual) =>
    typeof actual === "string" && actual.length > maxLength ? { code: "tooLong", params: { max: maxLength } } : { code: "notStorable" }

/**
 * Length limits of stored strings. Keys and ids stay far below PostgreSQL's index row limit
 * (2,704 bytes; a UTF-16 code unit is at most 3 bytes of UTF-8).
 */
export const limits = {
  /** Ids (dialogs, clients, users, channels, tags…). */
  id: 200,
  /** A client's id in a channel (`from`) and a channel's message id (`externalId`): both are index keys. */
  externalId: 512,
  /** A name, a label, a short free-text field. */
  name: 200,
  /** Message text and drafts. */
  text: 100_000,
  /** Notes on a client. */
  notes: 10_000,
  /** A URL (a photo, an attachment). */
  url: 2_048,
  /** A pressed button's payload. */
  payload: 1_024
} as const

/** Any stored string of at most `maxLength` characters. */
export const StoredText = (maxLength: number) => Schema.String.pipe(storable(maxLength))

/** A non-empty, trimmed stored string (ids, names, keys). */
export const StoredName = (maxLength: number) => Schema.NonEmptyTrimmedString.pipe(storable(maxLength))

/** An absolute `http:` or `https:` URL; other schemes (`javascript:`, `data:`, `file:`) are refused. */
export const WebUrl = StoredText(limits.url).pipe(
  Schema.filter((text) => /^https?:\/\/[^\s/?#]+[^\s]*$/i.test(text) || "not an http or https URL", {
    ...issueAnnotation("webUrl"),
    jsonSchema: { format: "uri" },
    // Random strings almost never pass the filter: property tests generate web URLs instead.
    arbitrary: () => (fc) => fc.webUrl({ validSchemes: ["http", "https"] }).filter((url) => url.length <= limits.url)
  })
)

/** Limits of a free-form JSON object (`profile.customFields`), checked before it is stored. */
export const freeFormLimits = { depth: 5, keys: 100, keyLength: 100, stringLength: 10_000, serialized: 64 * 1024 } as const

/** Why a value cannot be stored: core's English, and its code and params (issue 22). */
type Problem = { readonly message: string; readonly code: IssueCode; readonly params?: IssueParams }

/** A string's `problem` with the code `storable` gives it. */
const stringProblem = (text: string, maxLength: number, prefix = ""): Problem | undefined => {
  const message = problem(text, maxLength)
  return message === undefined ? undefined : { message: `${prefix}${message}`, ...storableIssue(maxLength)(text)! }
}

/**
 * Why a free-form JSON value cannot be stored, walking it at most `freeFormLimits.depth` levels
 * deep (so a deeply nested value costs nothing to refuse); undefined when it can.
 */
const freeFormProblem = (value: unknown, depth: number): Problem | undefined => {
  if (value === null || typeof value === "boolean") return undefined
  if (typeof value === "number") return Number.isFinite(value) ? undefined : { message: "a number that is not finite", code: "type", params: { expected: "number" } }
  if (typeof value === "string") return stringProblem(value, freeFormLimits.stringLength)
  if (typeof value !== "object") return { message: `a ${typeof value}, not JSON`, code: "type" }
  if (depth >= freeFormLimits.depth) return { message: `nested deeper than ${freeFormLimits.depth} levels`, code: "tooDeep" }
  const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value)
  if (entries.length > freeFormLimits.keys) return { message: `more than ${freeFormLimits.keys} keys or items`, code: "tooMany", params: { max: freeFormLimits.keys } }
  for (const [key, item] of entries) {
    const keyProblem = stringProblem(key, freeFormLimits.keyLength, "a key ")
    if (keyProblem !== undefined) return keyProblem
    const itemProblem = freeFormProblem(item, depth + 1)
    if (itemProblem !== undefined) return itemProblem
  }
  return undefined
}

/** Why a free-form object cannot be stored, its size as JSON included; undefined when it can. */
const freeFormObjectProblem = (value: unknown): Problem | undefined =>
  freeFormProblem(value, 0) ??
  (JSON.stringify(value).length > freeFormLimits.serialized
    ? { message: `longer than ${freeFormLimits.serialized} characters as JSON`, code: "tooLong", params: { max: freeFormLimits.serialized } }
    : undefined)

/**
 * A free-form JSON object (`profile.customFields`): at most 100 keys (of at most 100 characters)
 * per level, 5 levels deep, strings of at most 10,000 characters, 65,536 characters as JSON; every string
 * (keys too) storable.
 */
export const FreeForm = Schema.Record({ key: Schema.String, value: Schema.Unknown }).pipe(
  Schema.filter((value) => freeFormObjectProblem(value)?.message ?? true, {
    description: `a JSON object: at most ${freeFormLimits.keys} keys per level, ${freeFormLimits.depth} levels deep, ${freeFormLimits.serialized} characters as JSON`,
    [IssueAnnotationId]: (actual: unknown) => {
      const found = freeFormObjectProblem(actual)
      return found === undefined ? undefined : found.params === undefined ? { code: found.code } : { code: found.code, params: found.params }
    }
  })
)
