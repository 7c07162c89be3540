import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Schema } from "effect"
import { InboundMessage } from "../../src/engine/Engine.js"
import { InvalidInput } from "../../src/shared/Errors.js"
import { DialogId } from "../../src/shared/Ids.js"
import { FreeForm, limits, StoredText, WebUrl } from "../../src/shared/StoredText.js"
import { WidgetAttributes } from "../../src/ports/WidgetSessionStore.js"

/**
 * The one rule for stored strings (issue 19): no NUL, no lone surrogate, a bounded length; decoding
 * an inbound message refuses a bad value with its path, and the error stays short whatever the value.
 */

const decodeInbound = (input: unknown) =>
  Either.mapLeft(Schema.decodeUnknownEither(InboundMessage)(input, { onExcessProperty: "error" }), InvalidInput.fromParseError)

const valid = { channelId: "telegram", from: "client-1", message: { text: "hello" } }

/** Put `value` at `path` of a copy of the valid message. */
const withValue = (path: ReadonlyArray<string>, value: unknown): Record<string, unknown> => {
  const copy = structuredClone(valid) as Record<string, unknown>
  let node = copy
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>
  node[path[path.length - 1]!] = value
  return copy
}

/** A string with a NUL or a lone surrogate somewhere inside. */
const unstorable = fc
  .tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff"), fc.string({ maxLength: 20 }))
  .map(([before, bad, after]) => `x${before}${bad}${after}x`)
  .filter((text) => text.includes("\u0000") || /\p{Cs}/u.test(text))

const stringFields: ReadonlyArray<ReadonlyArray<string>> = [["from"], ["externalId"], ["payload"], ["message", "text"], ["profile", "name"], ["profile", "notes"]]

describe("StoredText", () => {
  it.prop("a NUL or a lone surrogate in any string field of an inbound message is refused with its path", [unstorable, fc.constantFrom(...stringFields)], ([text, path]) => {
    const decoded = decodeInbound(withValue(path, text))
    expect(Either.isLeft(decoded)).toBe(true)
    if (Either.isLeft(decoded)) {
      expect(decoded.left.path).toBe(path.join("."))
      expect(decoded.left.message).toMatch(/NUL character|lone UTF-16 surrogate/)
    }
  })

  it.prop("well-formed text within its limit is stored as given (emoji and all)", [fc.string({ unit: "grapheme", maxLength: 50 })], ([text]) => {
    expect(Schema.decodeUnknownSync(StoredText(limits.text))(text)).toBe(text)
  })

  it("ids and external ids have a length far under PostgreSQL's index row limit", () => {
    expect(Schema.is(DialogId)("d".repeat(limits.id))).toBe(true)
    expect(Schema.is(DialogId)("d".repeat(limits.id + 1))).toBe(false)
    const long = decodeInbound(withValue(["from"], "я".repeat(1_000)))
    expect(Either.isLeft(long) && long.left).toMatchObject({ path: "from", message: `from: longer than ${limits.externalId} characters` })
  })

  it("a URL is http or https", () => {
    expect(Schema.is(WebUrl)("https://example.com/photo.png")).toBe(true)
    for (const url of ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "//example.com", "https://"]) expect(Schema.is(WebUrl)(url), url).toBe(false)
  })

  it("custom fields are bounded in depth, keys and size, and their strings storable", () => {
    let deep: unknown = 1
    for (let level = 0; level < 6; level++) deep = { a: deep }
    for (const fields of [deep, { "k\u0000": 1 }, { k: ["\ud800"] }, Object.fromEntries(Array.from({ length: 101 }, (_, index) => [`k${index}`, 1])), { k: "x".repeat(10_001) }]) {
      expect(Schema.is(FreeForm)(fields)).toBe(false)
    }
    expect(Schema.is(FreeForm)({ plan: "gold", seats: 3, tags: ["a", "b"], address: { city: "Kyiv" } })).toBe(true)
  })

  it("a refused URL, custom fields or widget attributes say their code (issue 22), not `other`", () => {
    const codeOf = (schema: Schema.Schema<any, any>, value: unknown) =>
      Either.match(Schema.decodeUnknownEither(schema)(value), { onLeft: (error) => InvalidInput.fromParseError(error).issues?.map(({ code, params }) => ({ code, params })), onRight: () => [] })
    expect(codeOf(WebUrl, "javascript:alert(1)")).toEqual([{ code: "webUrl", params: undefined }])
    expect(codeOf(FreeForm, { a: { b: { c: { d: { e: { f: 1 } } } } } })).toEqual([{ code: "tooDeep", params: undefined }])
    expect(codeOf(FreeForm, Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i])))).toEqual([{ code: "tooMany", params: { max: 100 } }])
    expect(codeOf(FreeForm, { note: "x".repeat(10_001) })).toEqual([{ code: "tooLong", params: { max: 10_000 } }])
    expect(codeOf(FreeForm, { note: "nul\u0000" })).toEqual([{ code: "notStorable", params: undefined }])
    expect(codeOf(FreeForm, Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, "x".repeat(9_000)])))).toEqual([{ code: "tooLong", params: { max: 65_536 } }])
    expect(codeOf(WidgetAttributes, Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])))).toEqual([{ code: "tooMany", params: { max: 50 } }])
    expect(codeOf(WidgetAttributes, { "bad name": "v" })).toEqual([{ code: "badAttributeName", params: { name: "bad name" } }])
  })

  it("an InvalidInput stays short for a 10 MB value and names the path of a value nested 5,000 levels deep", () => {
    const huge = decodeInbound(withValue(["message", "text"], "x".repeat(10 * 1024 * 1024)))
    expect(Either.isLeft(huge) && huge.left.message.length).toBeLessThan(300)
    const wrongType = decodeInbound(withValue(["message", "text"], Array.from({ length: 100_000 }, () => "y")))
    expect(Either.isLeft(wrongType) && wrongType.left.message.length).toBeLessThan(300)
    let deep: unknown = "x"
    for (let level = 0; level < 5_000; level++) deep = [deep]
    const nested = decodeInbound(withValue(["profile", "name"], deep))
    expect(Either.isLeft(nested) && nested.left).toMatchObject({ path: "profile.name" })
  })
})
