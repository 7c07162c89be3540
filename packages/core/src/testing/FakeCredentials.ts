import { Effect, Layer, Redacted } from "effect"
import { PasswordHasher } from "../ports/PasswordHasher.js"
import { SessionKey } from "../ports/AccountStore.js"
import { SessionTokens } from "../ports/SessionTokens.js"

/**
 * A transparent "hasher" for core tests: `plain:<password>`. Fast and readable; the real one
 * (scrypt) is in @switchboard/adapters and the server never uses this.
 */
export const plainHasher: Layer.Layer<PasswordHasher> = Layer.succeed(PasswordHasher, {
  hash: (password) => Effect.succeed(Redacted.make(`plain:${Redacted.value(password)}`)),
  verify: (password, hash) => Effect.succeed(Redacted.value(hash) === `plain:${Redacted.value(password)}`)
})

/** Sequential session ids (`session-1`…) whose store key is `key:<id>`: tests can name both. */
export const sequentialTokens: Layer.Layer<SessionTokens> = Layer.sync(SessionTokens, () => {
  let next = 0
  return {
    issue: Effect.sync(() => {
      next += 1
      return { token: Redacted.make(`session-${next}`), key: SessionKey.make(`key:session-${next}`), csrfToken: `csrf-${next}` }
    }),
    keyOf: (token) => Effect.succeed(SessionKey.make(`key:${token}`))
  }
})

/** Both fakes. */
export const layer: Layer.Layer<PasswordHasher | SessionTokens> = Layer.merge(plainHasher, sequentialTokens)
