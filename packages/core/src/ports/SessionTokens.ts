import { Context, type Effect, type Redacted } from "effect"
import type { SessionKey } from "./AccountStore.js"

/** A new session's secrets: the cookie's random id, the key the store keeps, the CSRF token. */
export interface IssuedSession {
  readonly token: Redacted.Redacted<string>
  readonly key: SessionKey
  readonly csrfToken: string
}

/**
 * Makes session ids (256 random bits) and the key the store keeps for each (a hash, so a read
 * of the store gives no usable cookie). Core has no randomness or crypto of its own.
 */
export interface SessionTokensService {
  readonly issue: Effect.Effect<IssuedSession>
  /** The store key of a cookie's id. */
  readonly keyOf: (token: string) => Effect.Effect<SessionKey>
}

/** The session token port. */
export class SessionTokens extends Context.Tag("@switchboard/core/SessionTokens")<SessionTokens, SessionTokensService>() {}
