import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Redacted } from "effect"
import { Accounts } from "../../src/index.js"
import { commonPasswords } from "../../src/accounts/commonPasswords.js"
import { deriveCommonPasswords } from "../../../../scripts/common-passwords.js"

const common = new Set(commonPasswords)
const accepted = (candidate: string) => Accounts.Password.check(Redacted.make(candidate))._tag === "Right"
const randomCase = (text: string, flips: ReadonlyArray<boolean>) => [...text].map((char, index) => (flips[index % flips.length] ? char.toUpperCase() : char)).join("")

describe("Password rules (NIST 800-63B)", () => {
  it("the shipped list is the one derived from @zxcvbn-ts/language-common (run scripts/common-passwords.ts after upgrading it)", () => {
    expect(commonPasswords).toEqual(deriveCommonPasswords())
    expect(commonPasswords.slice(0, 3)).toEqual(["123456", "password", "12345678"])
  })

  it.prop(
    "a password is accepted iff it has 12 to 256 characters and is not a common one in any case; no composition rules",
    [
      fc.oneof(
        fc.string({ unit: "grapheme", maxLength: 40 }),
        fc.tuple(fc.constantFrom(...commonPasswords), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 })).map(([entry, flips]) => randomCase(entry, flips)),
        fc.string({ minLength: 250, maxLength: 262 })
      )
    ],
    ([candidate]) => {
      const length = [...candidate].length
      expect(accepted(candidate)).toBe(length >= 12 && length <= 256 && !common.has(candidate.toLowerCase()))
    },
    { fastCheck: { numRuns: 200 } }
  )

  it("says why, in words a user understands", () => {
    expect(Accounts.Password.check(Redacted.make("short"))).toMatchObject({ left: "Use at least 12 characters (a few words make a good password)" })
    expect(Accounts.Password.check(Redacted.make("QWERTY123456"))).toMatchObject({ left: "This password is one of the most common ones; choose another" })
    expect(accepted("all lowercase words here")).toBe(true)
  })
})
