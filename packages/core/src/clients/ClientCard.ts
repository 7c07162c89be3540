import { Either, ParseResult, Schema } from "effect"
import { FileId } from "../shared/Ids.js"
import { codedIssue, describeAll, type Issue, issueAnnotation, type IssueCode, type IssueParams, issuesOf, optionsParam } from "../shared/Issue.js"
import { limits, StoredName, StoredText, WebUrl } from "../shared/StoredText.js"
import { formatPath } from "../sla/Calendar.js"

/** The ten custom field types (CLI-04). */
export const CustomFieldType = Schema.Literal("text", "longText", "list", "apiList", "file", "number", "bigNumber", "decimal", "date", "checkbox")
export type CustomFieldType = typeof CustomFieldType.Type

/** An option of a `list` field: the stored value and what the card shows. */
export class ListOption extends Schema.Class<ListOption>("ListOption")({
  value: StoredName(limits.name),
  label: StoredName(limits.name)
}) {}

/** A custom field's id: lower-case letters, digits, `_` and `-`, starting with a letter. */
export const CustomFieldId = Schema.String.pipe(Schema.pattern(/^[a-z][a-z0-9_-]{0,63}$/, { message: () => "a field id is a lower-case letter, then letters, digits, _ or -" }))

/**
 * A custom client field defined by the admin (CLI-04). A `list` needs its `options`; a list from
 * an API (`apiList`) needs the `url` the server fetches its options from (a JSON array of strings
 * or of `{ value, label }`).
 */
export class CustomFieldDefinition extends Schema.Class<CustomFieldDefinition>("CustomFieldDefinition")({
  id: CustomFieldId,
  label: StoredName(limits.name),
  type: CustomFieldType,
  options: Schema.optional(Schema.Array(ListOption)),
  url: Schema.optional(WebUrl)
}) {}

/** The built-in fields a card can show (CLI-01); custom ones are named `custom:<id>`. */
export const builtInFields = ["name", "username", "email", "phone", "language", "manager", "notes", "tags", "blocked", "channels", "dialogs"] as const
/** One of {@link builtInFields}: a field every client card can show without configuration. */
export type BuiltInField = (typeof builtInFields)[number]

const fieldRef = Schema.String.pipe(
  Schema.filter((name) =>
    (builtInFields as ReadonlyArray<string>).includes(name) || /^custom:[a-z][a-z0-9_-]{0,63}$/.test(name) ||
    codedIssue([], name, `"${name}" is neither a built-in field (${builtInFields.join(", ")}) nor custom:<id>`, "notCardField", { fields: builtInFields.join(", ") }))
)

/** Problems of a configuration's cross references, each at its path (`fields.2`, `customFields.0.options`). */
const configProblems = (config: { readonly fields: ReadonlyArray<string>; readonly customFields: ReadonlyArray<CustomFieldDefinition> }): ReadonlyArray<ParseResult.ParseIssue> => {
  const issues: Array<ParseResult.ParseIssue> = []
  const at = (path: ReadonlyArray<string | number>, message: string, code: IssueCode, params?: IssueParams) => codedIssue(path, config, message, code, params)
  const ids = new Set<string>()
  config.customFields.forEach((field, index) => {
    if (ids.has(field.id)) issues.push(at(["customFields", index, "id"], `the field id "${field.id}" is used twice`, "duplicate"))
    ids.add(field.id)
    if (field.type === "list" && (field.options === undefined || field.options.length === 0)) issues.push(at(["customFields", index, "options"], "a list needs at least one option", "needsOptions"))
    if (field.type === "apiList" && field.url === undefined) issues.push(at(["customFields", index, "url"], "a list from an API needs the URL of its options", "missing"))
  })
  const shown = new Set<string>()
  config.fields.forEach((name, index) => {
    if (shown.has(name)) issues.push(at(["fields", index], `"${name}" is listed twice`, "duplicate"))
    shown.add(name)
    const id = name.slice("custom:".length)
    if (name.startsWith("custom:") && !ids.has(id)) issues.push(at(["fields", index], `there is no custom field "${id}"`, "unknownCustomField", { name: id }))
  })
  return issues
}

/**
 * The client card configuration (CLI-02), a company setting edited as JSON: which fields the card
 * shows, in that order, and the custom fields the admin defined (CLI-04). Errors name their path.
 */
export const ClientCardConfig = Schema.Struct({
  fields: Schema.Array(fieldRef),
  customFields: Schema.Array(CustomFieldDefinition)
}).pipe(
  Schema.filter((config) => {
    const issues = configProblems(config)
    return issues.length === 0 ? true : issues
  })
)
export type ClientCardConfig = typeof ClientCardConfig.Type

/** A problem with a card configuration: the path of its field in the JSON (`customFields[0].options`) and why. */
export interface ConfigIssue {
  readonly path: string
  readonly message: string
  /** What is wrong as a code an editor words in the user's language (issue 22), when known; `message` is the English. */
  readonly code?: IssueCode
  readonly params?: IssueParams
}

const decodeConfigEither = Schema.decodeUnknownEither(ClientCardConfig, { errors: "all", onExcessProperty: "error" })

/**
 * Decode a card configuration from untrusted JSON (the admin's editor), reporting every problem
 * with the path of its field, as `Calendar.decodeConfig` does for a calendar. The same Schema
 * `Settings.clientCard` decodes with, so what passes here is what the settings accept.
 */
export const decodeConfig = (input: unknown): Either.Either<ClientCardConfig, ReadonlyArray<ConfigIssue>> =>
  Either.mapLeft(decodeConfigEither(input), (error) =>
    describeAll(error.issue, formatPath))

/** The card of a new company: every built-in field, no custom field. */
export const defaultCardConfig: ClientCardConfig = { fields: [...builtInFields], customFields: [] }

/** At most this many options of a list from an API are taken; a longer answer is refused. */
export const maxApiOptions = 1000

/**
 * What the URL of a list from an API answers (CLI-04): a JSON array of strings (each its own
 * value and label) or of `{ value, label }` (other properties ignored), at most `maxApiOptions`.
 */
export const ApiOptions = Schema.Array(
  Schema.Union(StoredName(limits.name), Schema.Struct({ value: StoredName(limits.name), label: StoredName(limits.name) }))
).pipe(Schema.maxItems(maxApiOptions))

/** The options of a list from an API, from its parsed JSON answer; `Left` when it is not such a list. */
export const decodeApiOptions = (json: unknown): Either.Either<ReadonlyArray<{ readonly value: string; readonly label: string }>, ParseResult.ParseError> =>
  Either.map(Schema.decodeUnknownEither(ApiOptions)(json), (items) => items.map((item) => (typeof item === "string" ? { value: item, label: item } : { value: item.value, label: item.label })))

/** A stored custom value: text, a number, or a checkbox's state. Big numbers and decimals stay strings (exact). */
export type CustomValue = string | number | boolean

const isRealDate = (text: string): boolean => {
  const parsed = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === text
}

/**
 * The Schema one custom field's stored value obeys. For a list from an API, `loaded` is the values
 * its options allow when the server could fetch them; without them any stored name passes.
 */
export const valueSchema = (field: CustomFieldDefinition, loaded?: ReadonlyArray<string>): Schema.Schema.AnyNoContext => {
  switch (field.type) {
    case "text":
      return StoredText(limits.name)
    case "longText":
      return StoredText(limits.notes)
    case "list": {
      const allowed = (field.options ?? []).map((option) => option.value)
      return Schema.String.pipe(Schema.filter((value) => allowed.includes(value) || `not one of the options (${allowed.join(", ")})`, issueAnnotation("notOneOf", { options: optionsParam(allowed) })))
    }
    case "apiList":
      // Checked against the options only when the server could load them (`loaded`); else any stored name.
      return loaded === undefined ? StoredName(limits.name) : StoredName(limits.name).pipe(Schema.filter((value) => loaded.includes(value) || "not one of the options the list's API gave", issueAnnotation("notApiOption", { options: optionsParam(loaded) })))
    case "file":
      return FileId
    case "number":
      return Schema.Number.pipe(Schema.finite({ message: () => "not a finite number", ...issueAnnotation("type", { expected: "number" }) }))
    case "bigNumber":
      return Schema.String.pipe(Schema.pattern(/^-?\d{1,100}$/, { message: () => "not a whole number", ...issueAnnotation("type", { expected: "integer" }) }))
    case "decimal":
      return Schema.String.pipe(Schema.pattern(/^-?\d{1,30}(\.\d{1,20})?$/, { message: () => "not a decimal number (digits, an optional point and up to 20 decimals)", ...issueAnnotation("type", { expected: "number" }) }))
    case "date":
      return Schema.String.pipe(Schema.filter((text) => (/^\d{4}-\d{2}-\d{2}$/.test(text) && isRealDate(text)) || "not a date (YYYY-MM-DD)", issueAnnotation("notDate")))
    case "checkbox":
      return Schema.Boolean
  }
}

/**
 * The values each list from an API allows, by field id: only the lists whose options the server
 * could load (a list missing here takes any stored name).
 */
export type LoadedOptions = Readonly<Record<string, ReadonlyArray<string>>>

/** The Schema of a client's custom values under `config`: only its fields, each optional, each by its type. */
export const valuesSchema = (config: ClientCardConfig, loaded: LoadedOptions = {}): Schema.Schema<Readonly<Record<string, CustomValue>>, Readonly<Record<string, unknown>>> =>
  Schema.Struct(Object.fromEntries(config.customFields.map((field) => [field.id, Schema.optional(valueSchema(field, loaded[field.id]))]))) as unknown as Schema.Schema<
    Readonly<Record<string, CustomValue>>,
    Readonly<Record<string, unknown>>
  >

/** A problem with one custom value: its path (`customFields.<id>`) and why. */
export interface FieldProblem {
  readonly path: string
  readonly message: string
  /** The same problems as codes a user interface words in the user's language, with their paths in the profile (`customFields.size`). */
  readonly issues?: ReadonlyArray<Issue>
}

/**
 * Check custom values against the card configuration; unknown fields are refused, every problem
 * names its field. A list from an API is held to the options in `loaded` when it is there.
 */
export const checkValues = (config: ClientCardConfig, values: unknown, loaded: LoadedOptions = {}): Either.Either<Readonly<Record<string, CustomValue>>, FieldProblem> =>
  Either.mapLeft(Schema.decodeUnknownEither(valuesSchema(config, loaded), { onExcessProperty: "error" })(values ?? {}), (error) => {
    const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
    const path = ["customFields", ...(first?.path ?? []).map(String)].join(".")
    const issues = issuesOf(error.issue).map((issue) => ({ ...issue, path: issue.path === "" ? "customFields" : `customFields.${issue.path}` }))
    return { path, message: `${path}: ${first?.message ?? "invalid"}`, issues }
  })

/**
 * A form's text for one field as its stored value: a number parsed, a checkbox's "true"/"on" as
 * true, an empty text as no value (undefined). What does not parse stays text, for `checkValues` to refuse.
 */
export const fromForm = (field: CustomFieldDefinition, text: string | undefined): CustomValue | undefined => {
  if (field.type === "checkbox") return text === "true" || text === "on"
  if (text === undefined || text.trim() === "") return undefined
  if (field.type === "number") return /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(text) ? Number(text) : text
  return field.type === "bigNumber" || field.type === "decimal" || field.type === "date" ? text.trim() : text
}
