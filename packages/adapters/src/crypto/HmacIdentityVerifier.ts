import { createHmac, timingSafeEqual } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import { IdentityVerifier } from "@switchboard/core"

const sign = (secret: Redacted.Redacted<string>, userId: string): string => createHmac("sha256", Redacted.value(secret)).update(userId, "utf8").digest("hex")

/**
 * `IdentityVerifier` with Node's crypto: the hex HMAC-SHA256 of the user id under the channel's
 * identity secret (Chatwoot's `identifier_hash`), compared with `timingSafeEqual`. A hash that is
 * not 64 hex digits is refused before any comparison (its length says nothing about the secret).
 */
export const layer: Layer.Layer<IdentityVerifier> = Layer.succeed(IdentityVerifier, {
  verify: (secret, userId, hash) =>
    Effect.sync(() => {
      if (!/^[0-9a-fA-F]{64}$/.test(hash)) return false
      return timingSafeEqual(Buffer.from(sign(secret, userId), "hex"), Buffer.from(hash, "hex"))
    }),
  sign: (secret, userId) => Effect.sync(() => sign(secret, userId))
})
