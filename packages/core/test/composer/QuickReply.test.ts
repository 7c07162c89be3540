import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, Option, Schema } from "effect"
import { UserActor } from "../../src/access/Access.js"
import { canManage, fill, QuickReplyForm, unknownVariables, withSignature } from "../../src/composer/QuickReply.js"
import { UserId } from "../../src/shared/Ids.js"

const values = { client_name: "Olha Kovalenko", operator_name: "Taras" }
const settings = { operatorsMayChangeManager: false, operatorsMayBlockClients: false }
const user = (role: "owner" | "admin" | "supervisor" | "operator", id = "u1") => new UserActor({ id: UserId.make(id), name: id, role })

describe("QuickReply variables", () => {
  it("fills {{client_name}} and {{operator_name}}, spaces inside the braces allowed, and leaves other text alone", () => {
    expect(fill("Hello, {{client_name}}! I am {{ operator_name }}. {single} {{client_name}}", values)).toBe("Hello, Olha Kovalenko! I am Taras. {single} Olha Kovalenko")
  })

  it.prop("text without double braces is inserted unchanged", [fc.string().filter((text) => !text.includes("{{"))], ([text]) => {
    expect(fill(text, values)).toBe(text)
  })

  it.prop("each variable becomes its value, whatever the surrounding text and the values hold", [fc.string(), fc.string(), fc.string(), fc.string()], ([before, between, client, operator]) => {
    const plain = (text: string) => text.replaceAll("{", "(")
    expect(fill(`${plain(before)}{{client_name}}${plain(between)}{{operator_name}}`, { client_name: client, operator_name: operator })).toBe(`${plain(before)}${client}${plain(between)}${operator}`)
  })

  it("a reply with an unknown variable is refused with the field's message", () => {
    expect(unknownVariables("Hi {{client_nmae}} and {{client_name}}")).toEqual(["client_nmae"])
    const decoded = Schema.decodeUnknownEither(QuickReplyForm)({ scope: "personal", category: "A", title: "B", text: "Hi {{client_nmae}}" })
    expect(Either.isLeft(decoded) && String(decoded.left)).toContain("Unknown variable {{client_nmae}}")
  })
})

describe("QuickReply permissions", () => {
  it("company replies are managed by owners, admins and supervisors; personal ones by their owner alone", () => {
    expect(["owner", "admin", "supervisor", "operator"].map((role) => canManage(user(role as "operator"), "company", Option.none(), settings))).toEqual([true, true, true, false])
    expect(canManage(user("operator", "u1"), "personal", Option.some(UserId.make("u1")), settings)).toBe(true)
    expect(canManage(user("admin", "u2"), "personal", Option.some(UserId.make("u1")), settings)).toBe(false)
  })
})

describe("signature (MSG-11)", () => {
  it("is appended after a blank line to replies, never to internal notes or an empty text", () => {
    expect(withSignature("Thanks!", "— Taras, support", false)).toBe("Thanks!\n\n— Taras, support")
    expect(withSignature("Thanks!", "— Taras", true)).toBe("Thanks!")
    expect(withSignature("Thanks!", "", false)).toBe("Thanks!")
    expect(withSignature("  ", "— Taras", false)).toBe("  ")
  })
})
