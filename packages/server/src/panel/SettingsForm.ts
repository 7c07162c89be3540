import { Schema } from "effect"
import { ClientCard, FileSettings, type Issue, Settings } from "@switchboard/core"
import { configIssueText } from "./InvalidText.js"
import { type CatalogColumnView, type Contract, type SettingsFieldView, type SettingsSectionView, I18n, t } from "@switchboard/ui-htmx"

type Section = Contract.SettingsSection
type Encoded = Readonly<Record<string, unknown>>
/** A form as posted: each field's last value. */
export type FormFields = Readonly<Record<string, string>>

/**
 * The settings screen's forms, one per section: how each field reads its value from the settings
 * (their JSON form) and how a posted form becomes a patch of top-level settings for
 * `Engine.changeSettings`, which decodes and validates it (the rules live in `Settings`' Schema, not
 * here). Field names are the settings paths the Schema's errors name (`files.maxBytes`,
 * `tags[1].color`), so an error is shown at its field.
 */
/** A word on the screen: a catalog message looked up while rendering (`t()`, in the request's language). */
type Words = () => string
const wordsOf = (words: Words): string => words()

interface FieldSpec {
  readonly name: string
  readonly label: Words
  readonly kind: SettingsFieldView["kind"]
  readonly hint?: Words
  readonly read: (settings: Encoded) => string
}

interface CatalogSpec {
  readonly key: "closeReasons" | "topics" | "tags" | "priorities" | "operatorStatuses" | "skillGroups"
  readonly columns: ReadonlyArray<Omit<CatalogColumnView, "label"> & { readonly label: Words; readonly nullable?: boolean; readonly list?: boolean }>
  /** For a catalog that is not a top-level list: its entries from the settings, and the patch its entries make. */
  readonly entriesOf?: (settings: Encoded) => ReadonlyArray<Encoded>
  readonly patchOf?: (entries: ReadonlyArray<Record<string, unknown>>, settings: Encoded) => Encoded
}

interface SectionSpec {
  readonly title: Words
  readonly fields: ReadonlyArray<FieldSpec>
  readonly catalog?: CatalogSpec
}

const { MB } = FileSettings
const encodeSettings = Schema.encodeSync(Settings.Settings)

/** A number as typed; "" is absent; anything else goes on as text for the Schema to refuse by name. */
const numberOf = (raw: string): unknown => {
  const text = raw.trim()
  if (text === "") return undefined
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text
}

/** The company's on/off switches (SET-01), each labelled by the catalog key of its own name. */
const switches = [
  "joinNotices",
  "changeNotices",
  "anyMoreQuestions",
  "mandatoryRating",
  "topicsEnabled",
  "topicRequired",
  "forbidEditing",
  "forbidDeleting",
  "operatorsMayChangeManager",
  "operatorsMayBlockClients"
] as const

const text = (value: unknown): string => (value === null || value === undefined ? "" : String(value))
const list = (value: unknown): string => (Array.isArray(value) ? value.join(" ") : "")
const words = (raw: string): ReadonlyArray<string> => raw.split(/[\s,]+/).filter((word) => word !== "")

/** The catalogs' column headings. */
const columnLabel = {
  id: () => t("settings.columns.id"),
  name: () => t("settings.columns.name"),
  parentId: () => t("settings.columns.parentId"),
  color: () => t("settings.columns.color"),
  level: () => t("settings.columns.level")
} as const satisfies Record<string, Words>

const specs: Record<Section, SectionSpec> = {
  company: {
    title: () => t("settings.sections.company"),
    fields: [
      { name: "mainLanguage", label: () => t("settings.fields.mainLanguage"), kind: "text", hint: () => t("settings.fields.mainLanguageHint"), read: (s) => text(s["mainLanguage"]) },
      ...switches.map((name): FieldSpec => ({ name, label: () => t(`settings.fields.${name}`), kind: "checkbox", read: (s) => (s[name] === true ? "true" : "") })),
      { name: "inactivityCloseMinutes", label: () => t("settings.fields.inactivityCloseMinutes"), kind: "number", hint: () => t("settings.fields.inactivityCloseHint"), read: (s) => text(s["inactivityCloseMinutes"]) },
      { name: "offerMissesBeforeAway", label: () => t("settings.fields.offerMissesBeforeAway"), kind: "number", hint: () => t("settings.fields.offerMissesHint"), read: (s) => text(s["offerMissesBeforeAway"]) },
      { name: "awayStatusId", label: () => t("settings.fields.awayStatusId"), kind: "select", read: (s) => text(s["awayStatusId"]) }
    ]
  },
  files: {
    title: () => t("settings.sections.files"),
    fields: [
      { name: "files.maxBytes", label: () => t("settings.fields.maxMegabytes"), kind: "number", read: (s) => text(Number((s["files"] as Encoded | undefined)?.["maxBytes"] ?? 0) / MB) },
      { name: "files.allowedExtensions", label: () => t("settings.fields.allowedExtensions"), kind: "textarea", hint: () => t("settings.fields.allowedExtensionsHint"), read: (s) => list((s["files"] as Encoded | undefined)?.["allowedExtensions"]) },
      { name: "files.allowedMimeTypes", label: () => t("settings.fields.allowedMimeTypes"), kind: "textarea", hint: () => t("settings.fields.allowedMimeTypesHint"), read: (s) => list((s["files"] as Encoded | undefined)?.["allowedMimeTypes"]) }
    ]
  },
  closeReasons: { title: () => t("settings.sections.closeReasons"), fields: [], catalog: { key: "closeReasons", columns: [{ key: "id", label: columnLabel.id, kind: "text" }, { key: "name", label: columnLabel.name, kind: "text" }] } },
  topics: {
    title: () => t("settings.sections.topics"),
    fields: [],
    catalog: { key: "topics", columns: [{ key: "id", label: columnLabel.id, kind: "text" }, { key: "name", label: columnLabel.name, kind: "text" }, { key: "parentId", label: columnLabel.parentId, kind: "text", nullable: true }] }
  },
  tags: { title: () => t("settings.sections.tags"), fields: [], catalog: { key: "tags", columns: [{ key: "id", label: columnLabel.id, kind: "text" }, { key: "name", label: columnLabel.name, kind: "text" }, { key: "color", label: columnLabel.color, kind: "color" }] } },
  priorities: { title: () => t("settings.sections.priorities"), fields: [], catalog: { key: "priorities", columns: [{ key: "level", label: columnLabel.level, kind: "number" }, { key: "name", label: columnLabel.name, kind: "text" }] } },
  statuses: {
    title: () => t("admin.sections.statuses"),
    fields: [],
    catalog: {
      key: "operatorStatuses",
      columns: [{ key: "id", label: columnLabel.id, kind: "text" }, { key: "name", label: columnLabel.name, kind: "text" }, { key: "receivesDialogs", label: () => t("admin.sections.receivesDialogs"), kind: "checkbox" }]
    }
  },
  clientCard: {
    title: () => t("cardSettings.title"),
    // One JSON document, as the SLA editor: a card's field order and custom fields with their options
    // nest too deeply for a flat form; every error names its path in the document.
    fields: [{
      name: "clientCard",
      label: () => t("cardSettings.editor"),
      kind: "json",
      hint: () => `${t("cardSettings.builtIns", { list: ClientCard.builtInFields.join(", ") })} ${t("cardSettings.types", { list: ClientCard.CustomFieldType.literals.join(", ") })}`,
      read: (s) => JSON.stringify(s["clientCard"] ?? {}, null, 2)
    }]
  },
  skillGroups: {
    title: () => t("admin.sections.skillGroups"),
    fields: [],
    catalog: {
      key: "skillGroups",
      columns: [{ key: "id", label: columnLabel.id, kind: "text" }, { key: "topics", label: () => t("admin.sections.skillGroupTopics"), kind: "text", list: true }],
      // Skill groups live in the routing configuration as id → topics; the router reads them on every pass (OPS-03).
      entriesOf: (s) => Object.entries(((s["routing"] as Encoded | undefined)?.["skillGroups"] as Record<string, ReadonlyArray<string>> | undefined) ?? {}).map(([id, topics]) => ({ id, topics })),
      patchOf: (entries, s) => ({
        routing: { ...((s["routing"] as Encoded | undefined) ?? {}), skillGroups: Object.fromEntries(entries.map((entry) => [String(entry["id"] ?? ""), entry["topics"]])) }
      })
    }
  }
}

/** Empty rows a catalog offers for new entries. */
const blankRows = 3

/** The form fields of a section as the settings have them. */
export const fieldsOf = (section: Section, settings: Settings.Settings): FormFields => {
  const encoded = encodeSettings(settings) as Encoded
  const spec = specs[section]
  const out: Record<string, string> = {}
  for (const field of spec.fields) out[field.name] = field.read(encoded)
  if (spec.catalog !== undefined) {
    const rows = spec.catalog.entriesOf?.(encoded) ?? (encoded[spec.catalog.key] as ReadonlyArray<Encoded> | undefined) ?? []
    rows.forEach((row, index) => {
      for (const column of spec.catalog!.columns) {
        const value = row[column.key]
        out[`${section}[${index}].${column.key}`] = column.kind === "checkbox" ? (value === true ? "true" : "") : column.list === true ? list(value) : text(value)
      }
    })
  }
  return out
}

/** The rows of a catalog in a form, by their index in the form. */
const rowIndexes = (section: Section, fields: FormFields): ReadonlyArray<number> => {
  const pattern = new RegExp(`^${section}\\[(\\d{1,4})\\]\\.`)
  return [...new Set(Object.keys(fields).flatMap((name) => {
    const match = pattern.exec(name)
    return match === null ? [] : [Number(match[1])]
  }))].sort((a, b) => a - b)
}

/** A posted section as a patch of top-level settings, and which form row each catalog entry came from. */
export const patchOf = (section: Section, fields: FormFields, settings: Settings.Settings = Settings.defaults): { readonly patch: Encoded; readonly rows: ReadonlyArray<number> } => {
  const spec = specs[section]
  const value = (name: string) => fields[name] ?? ""
  if (section === "company") {
    const patch: Record<string, unknown> = {}
    for (const field of spec.fields) {
      // An unchecked box is absent from a form: absent means off. Any other field absent is left as it is.
      if (field.kind !== "checkbox" && fields[field.name] === undefined) continue
      const raw = value(field.name)
      patch[field.name] = field.kind === "checkbox" ? raw === "true" || raw === "on" : field.kind === "number" ? numberOf(raw) ?? (field.name === "inactivityCloseMinutes" ? null : undefined) : raw.trim()
    }
    return { patch, rows: [] }
  }
  if (section === "clientCard") {
    // Text that is not JSON goes on as text, for the Schema to refuse at `clientCard`.
    const raw = value("clientCard")
    let json: unknown = raw
    try {
      json = JSON.parse(raw)
    } catch {
      // kept as text
    }
    return { patch: { clientCard: json }, rows: [] }
  }
  if (section === "files") {
    const size = numberOf(value("files.maxBytes"))
    return {
      patch: {
        files: {
          maxBytes: typeof size === "number" ? Math.round(size * MB) : size,
          allowedExtensions: words(value("files.allowedExtensions")),
          allowedMimeTypes: words(value("files.allowedMimeTypes"))
        }
      },
      rows: []
    }
  }
  const catalog = spec.catalog!
  const rows: Array<number> = []
  const entries: Array<Record<string, unknown>> = []
  for (const index of rowIndexes(section, fields)) {
    const cells = catalog.columns.map((column) => [column, value(`${section}[${index}].${column.key}`).trim()] as const)
    // A row left empty adds nothing (and an emptied row removes its entry); a box alone does not fill a row.
    if (cells.every(([column, cell]) => cell === "" || column.kind === "checkbox")) continue
    rows.push(index)
    entries.push(Object.fromEntries(cells.map(([column, cell]) => [
      column.key,
      column.kind === "number" ? numberOf(cell) : column.kind === "checkbox" ? cell === "true" || cell === "on" : column.list === true ? words(cell) : column.nullable === true && cell === "" ? null : cell
    ])))
  }
  if (catalog.patchOf !== undefined) return { patch: catalog.patchOf(entries, encodeSettings(settings) as Encoded), rows }
  return { patch: { [catalog.key]: entries }, rows }
}

/**
 * The errors of an `InvalidInput` (its issues, each with its reason in the user's language) by the form field each names: a catalog entry's path is mapped back
 * to its row in the form, a list's item to the list's field; what names no field is the section's (`""`).
 */
export const errorsOf = (section: Section, issues: ReadonlyArray<{ readonly path: string; readonly reason: string }>, rows: ReadonlyArray<number>): Readonly<Record<string, string>> => {
  const spec = specs[section]
  const names = spec.fields.map((field) => field.name)
  const errors: Record<string, string> = {}
  for (const { path, reason: said } of issues) {
    // A route's own English message names its path already (`path: reason`).
    const reason = path !== "" && said.startsWith(`${path}: `) ? said.slice(path.length + 2) : said
    let name = ""
    const entry = spec.catalog === undefined ? null : new RegExp(`^${spec.catalog.key}\\[(\\d+)\\]\\.(\\w+)`).exec(path)
    if (entry !== null && entry !== undefined) {
      const row = rows[Number(entry[1])]
      if (row !== undefined) name = `${section}[${row}].${entry[2]}`
    } else {
      name = names.filter((candidate) => path === candidate || path.startsWith(`${candidate}[`) || path.startsWith(`${candidate}.`)).sort((a, b) => b.length - a.length)[0] ?? ""
    }
    errors[name] ??= reason
  }
  return errors
}

/** A section's view from form fields (the settings', or as posted), its errors and whether it was just saved. */
export const sectionView = (
  section: Section,
  fields: FormFields,
  settings: Settings.Settings,
  errors: Readonly<Record<string, string>> = {},
  saved?: number,
  issues?: ReadonlyArray<{ readonly path: string; readonly message: string; readonly code?: Issue.IssueCode | undefined; readonly params?: Issue.IssueParams | undefined }>
): SettingsSectionView => {
  const spec = specs[section]
  const catalog = spec.catalog
  const rows = catalog === undefined ? [] : rowIndexes(section, fields)
  const blanks = Array.from({ length: blankRows }, (_, offset) => (rows.at(-1) ?? -1) + 1 + offset)
  return {
    section,
    title: wordsOf(spec.title),
    fields: spec.fields.map((field) => ({
      name: field.name,
      label: wordsOf(field.label),
      kind: field.kind,
      value: fields[field.name] ?? "",
      hint: field.hint === undefined ? undefined : wordsOf(field.hint),
      options: field.kind === "select" ? settings.operatorStatuses.map((status) => ({ id: status.id, name: I18n.tId("statuses", status.id, status.name) })) : undefined
    })),
    catalog: catalog === undefined
      ? undefined
      : {
        columns: catalog.columns.map(({ key, label, kind }) => ({ key, label: wordsOf(label), kind })),
        // The form renders rows in order with their own indexes; posted rows keep theirs so errors stay at their fields.
        rows: [...rows, ...blanks].map((index) => Object.fromEntries(catalog.columns.map((column) => [column.key, fields[`${section}[${index}].${column.key}`] ?? ""])))
      },
    errors,
    saved,
    issues: issues?.map(configIssueText)
  }
}
