import { Context, type Effect, type Redacted } from "effect"

/**
 * Checks a widget's identity proof (CHN-03): `hash` must be the hex HMAC-SHA256 of `userId` under
 * the channel's identity secret, as Chatwoot's `identifier_hash`. Compared in constant time; core
 * has no crypto of its own (`@switchboard/adapters`' `HmacIdentityVerifier`).
 */
export interface IdentityVerifierService {
  readonly verify: (secret: Redacted.Redacted<string>, userId: string, hash: string) => Effect.Effect<boolean>
  /** The hash a page's server computes for `userId` (documentation, the demo page, tests). */
  readonly sign: (secret: Redacted.Redacted<string>, userId: string) => Effect.Effect<string>
}

/** The `IdentityVerifier` port's tag. */
export class IdentityVerifier extends Context.Tag("@switchboard/core/IdentityVerifier")<IdentityVerifier, IdentityVerifierService>() {}
