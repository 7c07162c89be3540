import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as ClientCard from "../../src/clients/ClientCard.js"
import * as Settings from "../../src/settings/Settings.js"
import { InvalidInput } from "../../src/shared/Errors.js"

/** The company's card configuration (CLI-02) as the settings store it: every error names its path. */
const problemOf = (clientCard: unknown) =>
  Effect.runSync(Effect.flip(Effect.mapError(Settings.decode({ clientCard }), InvalidInput.fromParseError))).message

describe("client card configuration (CLI-02, CLI-04)", () => {
  it("a new company's card shows every built-in field", () => {
    expect(Settings.defaults.clientCard.fields).toEqual([...ClientCard.builtInFields])
  })

  it("errors point at the field path", () => {
    expect(problemOf({ fields: ["name", "shoe"], customFields: [] })).toContain("clientCard.fields[1]")
    expect(problemOf({ fields: ["custom:size"], customFields: [] })).toContain('clientCard.fields[0]: there is no custom field "size"')
    expect(problemOf({ fields: [], customFields: [{ id: "c", label: "C", type: "list" }] })).toContain("clientCard.customFields[0].options: a list needs at least one option")
    expect(problemOf({ fields: [], customFields: [{ id: "c", label: "C", type: "colour" }] })).toContain("clientCard.customFields[0].type")
  })

  it("the editor's decode reports every problem at once, each at its path in the card's own document, and accepts what the settings accept", () => {
    const decoded = ClientCard.decodeConfig({ fields: ["custom:nothing", "name", "name"], customFields: [{ id: "c", label: "C", type: "list" }, { id: "d", label: "D", type: "apiList" }, { id: "e", label: "E", type: "text", extra: 1 }] })
    expect(Either.isLeft(decoded) && decoded.left.map((issue) => issue.path)).toEqual(expect.arrayContaining(["customFields[2].extra"]))
    const valid = { fields: ["name", "custom:c"], customFields: [{ id: "c", label: "C", type: "list", options: [{ value: "a", label: "A" }] }] }
    expect(Either.isRight(ClientCard.decodeConfig(valid))).toBe(true)
    expect(Effect.runSync(Effect.map(Settings.decode({ clientCard: valid }), (settings) => settings.clientCard))).toEqual(Either.getOrThrow(ClientCard.decodeConfig(valid)))
    const crossReferences = ClientCard.decodeConfig({ fields: ["custom:nothing", "name", "name"], customFields: [{ id: "c", label: "C", type: "list" }, { id: "d", label: "D", type: "apiList" }] })
    expect(Either.isLeft(crossReferences) && crossReferences.left.map((issue) => issue.path)).toEqual(["customFields[0].options", "customFields[1].url", "fields[0]", "fields[2]"])
  })

  it("says each problem of a card as its own code (issue 22), in the editor and in the settings' issues, at its field's path", () => {
    const input = {
      fields: ["name", "shoe", "name", "custom:size"],
      customFields: [{ id: "c", label: "C", type: "list" }, { id: "d", label: "D", type: "apiList" }, { id: "e", label: "E", type: "apiList", url: "javascript:alert(1)" }, { id: "c", label: "C2", type: "text" }]
    }
    const coded = (issues: ReadonlyArray<{ readonly path: string; readonly code?: string | undefined; readonly params?: unknown }>) => issues.map(({ path, code, params }) => ({ path, code, params }))
    // The card's Schema filters first refuse a field name and the URL; the cross references wait for them.
    const decoded = ClientCard.decodeConfig(input)
    expect(Either.isLeft(decoded) && coded(decoded.left)).toEqual([
      { path: "fields[1]", code: "notCardField", params: { fields: ClientCard.builtInFields.join(", ") } },
      { path: "customFields[2].url", code: "webUrl", params: undefined }
    ])
    const crossReferences = ClientCard.decodeConfig({ ...input, fields: ["name", "name", "custom:size"], customFields: input.customFields.filter((field) => field.id !== "e") })
    expect(Either.isLeft(crossReferences) && coded(crossReferences.left)).toEqual([
      { path: "customFields[0].options", code: "needsOptions", params: undefined },
      { path: "customFields[1].url", code: "missing", params: undefined },
      { path: "customFields[2].id", code: "duplicate", params: undefined },
      { path: "fields[1]", code: "duplicate", params: undefined },
      { path: "fields[2]", code: "unknownCustomField", params: { name: "size" } }
    ])
    const settings = Effect.runSync(Effect.flip(Effect.mapError(Settings.decode({ clientCard: { fields: ["custom:size"], customFields: [] } }), InvalidInput.fromParseError)))
    expect(coded(settings.issues ?? [])).toEqual([{ path: "clientCard.fields[0]", code: "unknownCustomField", params: { name: "size" } }])
  })

  it("a value of a list from an API outside the options it loaded is refused with those options; a date that is no day is notDate", () => {
    const config = Either.getOrThrow(ClientCard.decodeConfig({ fields: [], customFields: [{ id: "src", label: "Source", type: "apiList", url: "https://crm.example.com/sources" }, { id: "day", label: "Day", type: "date" }] }))
    const checked = ClientCard.checkValues(config, { src: "fax" }, { src: ["web", "phone"] })
    expect(Either.isLeft(checked) && checked.left.issues?.map(({ path, code, params }) => ({ path, code, params }))).toEqual([{ path: "customFields.src", code: "notApiOption", params: { options: "web, phone" } }])
    const day = ClientCard.checkValues(config, { day: "2023-02-29" })
    expect(Either.isLeft(day) && day.left.issues?.map((issue) => issue.code)).toEqual(["notDate"])
  })

  it("each of the ten types checks its values exactly (big numbers and decimals stay strings)", () => {
    const config = Effect.runSync(Effect.map(Settings.decode({ clientCard: { fields: [], customFields: ClientCard.CustomFieldType.literals.map((type) => ({ id: type.toLowerCase(), label: type, type, ...(type === "list" ? { options: [{ value: "a", label: "A" }] } : {}), ...(type === "apiList" ? { url: "https://example.com/options" } : {}) })) } }), (settings) => settings.clientCard))
    const good = { text: "x", longtext: "y\nz", list: "a", apilist: "b", file: "f1", number: 1.5, bignumber: "-123456789012345678901234567890", decimal: "0.1", date: "2024-02-29", checkbox: true }
    expect(Either.isRight(ClientCard.checkValues(config, good))).toBe(true)
    const bad: ReadonlyArray<[string, unknown]> = [["list", "b"], ["number", "1"], ["bignumber", "1.5"], ["decimal", "1e5"], ["date", "2023-02-29"], ["checkbox", "yes"], ["nope", 1]]
    for (const [key, value] of bad) {
      const checked = ClientCard.checkValues(config, { [key]: value })
      expect(Either.isLeft(checked) && checked.left.path).toBe(`customFields.${key}`)
    }
  })
})
