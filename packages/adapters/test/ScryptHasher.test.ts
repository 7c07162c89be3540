import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { PasswordHasher } from "@switchboard/core"
import { ScryptHasher } from "../src/index.js"

const cheap = { ...ScryptHasher.owasp, cost: 2 ** 10 }

describe("ScryptHasher", () => {
  it.effect("hashes at OWASP's parameters by default, with a fresh salt each time, and checks only the right password", () =>
    Effect.gen(function* () {
      const hasher = yield* PasswordHasher
      const password = Redacted.make("correct horse battery")
      const first = yield* hasher.hash(password)
      const second = yield* hasher.hash(password)
      expect(Redacted.value(first)).toMatch(/^\$scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/)
      expect(Redacted.value(first)).not.toBe(Redacted.value(second))
      expect(yield* hasher.verify(password, first)).toBe(true)
      expect(yield* hasher.verify(Redacted.make("correct horse battery!"), first)).toBe(false)
      expect(String(first)).not.toContain("scrypt")
    }).pipe(Effect.provide(ScryptHasher.layer())))

  it.effect("a stored hash is checked with the parameters it carries; a garbled one never matches", () =>
    Effect.gen(function* () {
      const password = Redacted.make("correct horse battery")
      const stored = yield* Effect.provide(Effect.flatMap(PasswordHasher, (hasher) => hasher.hash(password)), ScryptHasher.layer(cheap))
      const hasher = yield* PasswordHasher
      expect(Redacted.value(stored)).toMatch(/^\$scrypt\$ln=10,/)
      expect(yield* hasher.verify(password, stored)).toBe(true)
      for (const garbled of ["", "plain:correct horse battery", Redacted.value(stored).replace("ln=10", "ln=40"), Redacted.value(stored).slice(0, -10)]) {
        expect(yield* hasher.verify(password, Redacted.make(garbled))).toBe(false)
      }
    }).pipe(Effect.provide(ScryptHasher.layer())))
})
