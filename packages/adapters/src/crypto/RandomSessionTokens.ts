import { createHash, randomBytes } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import { SessionKey, SessionTokens } from "@switchboard/core"

const keyOf = (token: string) => SessionKey.make(createHash("sha256").update(token).digest("base64url"))

/**
 * `SessionTokens` from Node's CSPRNG: a 256-bit id (base64url) for the cookie, its SHA-256 as the
 * store's key, and a separate 256-bit CSRF token bound to the session.
 */
export const layer: Layer.Layer<SessionTokens> = Layer.succeed(SessionTokens, {
  issue: Effect.sync(() => {
    const token = randomBytes(32).toString("base64url")
    return { token: Redacted.make(token), key: keyOf(token), csrfToken: randomBytes(32).toString("base64url") }
  }),
  keyOf: (token) => Effect.sync(() => keyOf(token))
})
