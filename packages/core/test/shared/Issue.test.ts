import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { InvalidInput, Listing, PersonalSettings, QuickReply, Settings } from "../../src/index.js"

/**
 * Issue 22: an `InvalidInput` carries what is wrong as codes and params (a user interface words
 * them in the user's language), beside core's English `message`.
 */
const invalid = <A, I>(schema: Schema.Schema<A, I>, input: unknown): InvalidInput =>
  Either.getOrThrow(Either.flip(Either.mapLeft(Schema.decodeUnknownEither(schema)(input, { onExcessProperty: "ignore", errors: "all" }), InvalidInput.fromParseError)))

const codes = (error: InvalidInput) => (error.issues ?? []).map(({ path, code, params }) => ({ path, code, params }))

describe("InvalidInput's issues", () => {
  it("say a form's problems by code, path and limit, and keep the English message", () => {
    const form = { scope: "everyone", category: "", title: "x".repeat(500), text: "Hi {{client_nam}}" }
    const error = invalid(QuickReply.QuickReplyForm, form)
    expect(codes(error)).toEqual([
      { path: "scope", code: "notOneOf", params: { options: "company, personal" } },
      { path: "category", code: "tooShort", params: { min: 1 } },
      { path: "title", code: "tooLong", params: { max: 200 } },
      { path: "text", code: "unknownVariable", params: { name: "client_nam", variables: "{{client_name}}, {{operator_name}}" } }
    ])
    expect(error.path).toBe("scope")
    expect(error.message).toContain("scope: Choose company-wide or personal")
    expect(error.issues!.map((issue) => issue.message)).toContain("Choose company-wide or personal")
  })

  it("name a missing field, a wrong type, a choice of words, a number out of range and a duplicate", () => {
    expect(codes(invalid(Schema.Struct({ a: Schema.String }), {}))).toEqual([{ path: "a", code: "missing", params: undefined }])
    expect(codes(invalid(Schema.Struct({ a: Schema.String }), { a: 1 }))).toEqual([{ path: "a", code: "type", params: { expected: "string" } }])
    expect(codes(invalid(Schema.Struct({ a: Schema.NumberFromString }), { a: "x" }))).toEqual([{ path: "a", code: "type", params: { expected: "number" } }])
    expect(codes(invalid(Schema.Struct({ a: Schema.Int }), { a: 1.5 }))).toEqual([{ path: "a", code: "type", params: { expected: "integer" } }])
    expect(codes(invalid(Schema.Literal("x", "y"), "z"))).toEqual([{ path: "", code: "notOneOf", params: { options: "x, y" } }])
    // A bound the value must pass is said as such: `positive` refuses 0, so "0 or more" would be wrong.
    expect(codes(invalid(Schema.Number.pipe(Schema.positive()), 0))).toEqual([{ path: "", code: "outOfRange", params: { above: 0 } }])
    expect(codes(invalid(Schema.Number.pipe(Schema.lessThan(10)), 10))).toEqual([{ path: "", code: "outOfRange", params: { below: 10 } }])
    expect(codes(invalid(Schema.Number.pipe(Schema.nonNegative()), -1))).toEqual([{ path: "", code: "outOfRange", params: { min: 0 } }])
    const settings = invalid(Settings.Settings, { inactivityCloseMinutes: 0, tags: [{ id: "a", name: "A", color: "#ffffff" }, { id: "a", name: "B", color: "#000000" }] })
    expect(codes(settings)).toEqual(
      expect.arrayContaining([{ path: "inactivityCloseMinutes", code: "outOfRange", params: { min: 1, max: 10_080 } }, { path: "tags", code: "duplicate", params: undefined }])
    )
  })

  it("stay few and short whatever the input: at most five issues, a deep value one tooDeep issue", () => {
    const many = invalid(Schema.Array(Schema.String), Array.from({ length: 50 }, (_, index) => index))
    expect(many.issues).toHaveLength(5)
    let deep: unknown = "leaf"
    for (let level = 0; level < 300; level++) deep = { a: deep }
    type Deep = { readonly a: Deep | number }
    const Deep: Schema.Schema<Deep> = Schema.Struct({ a: Schema.Union(Schema.Number, Schema.suspend(() => Deep)) })
    const error = invalid(Deep, deep)
    expect(error.issues!.map((issue) => issue.code)).toContain("tooDeep")
    expect(error.issues!.length).toBeLessThanOrEqual(5)
  })

  it.effect("are made by core's own checks too: a page size, a cursor, a folder", () =>
    Effect.gen(function* () {
      const limit = yield* Effect.flip(Listing.checkTagCountLimit(0))
      expect(codes(limit)).toEqual([{ path: "limit", code: "outOfRange", params: { min: 1, max: Listing.maxTagCounts } }])
      expect(limit.message).toContain("limit: expected a whole number")
      const folder = Either.getLeft(PersonalSettings.addFolder([], "f", "x".repeat(500), ""))
      expect(folder).toMatchObject({ _tag: "Some", value: { field: "name", code: "tooLong" } })
    }))

  it("a route's own InvalidInput without issues is shown as one `other` issue with its message", () => {
    expect(InvalidInput.issuesOf(new InvalidInput({ path: "role", message: "Choose a role" }))).toEqual([{ path: "role", code: "other", message: "Choose a role" }])
  })
})
