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
