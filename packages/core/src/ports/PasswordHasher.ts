import { Context, type Effect, type Redacted } from "effect"

/**
 * Hashes and checks passwords. Core never hashes itself (no crypto in core): the adapter is a
 * vetted slow hash (scrypt at OWASP's parameters) that compares in constant time and encodes its
 * algorithm and parameters in the string it returns.
 */
export interface PasswordHasherService {
  readonly hash: (password: Redacted.Redacted<string>) => Effect.Effect<Redacted.Redacted<string>>
  /** Whether `password` matches `hash`; `false` for a hash it cannot read. */
  readonly verify: (password: Redacted.Redacted<string>, hash: Redacted.Redacted<string>) => Effect.Effect<boolean>
}

/** The password hashing port. */
export class PasswordHasher extends Context.Tag("@switchboard/core/PasswordHasher")<PasswordHasher, PasswordHasherService>() {}
