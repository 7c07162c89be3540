import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { WidgetAttributes } from "../../src/ports/WidgetSessionStore.js"

describe("WidgetAttributes", () => {
  it("a page's __proto__ attribute never becomes the record's prototype: a text one is dropped, an object one refused", () => {
    const decoded = Schema.decodeUnknownSync(WidgetAttributes)(JSON.parse('{"__proto__": "admin", "plan": "pro"}'))
    expect(Object.keys(decoded)).toEqual(["plan"])
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    const polluting = Schema.decodeUnknownEither(WidgetAttributes)(JSON.parse('{"__proto__": {"polluted": "yes"}, "plan": "pro"}'))
    expect(Either.isLeft(polluting)).toBe(true)
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined()
  })
})
