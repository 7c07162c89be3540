import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { Effect, Layer, Redacted } from "effect"
import { PasswordHasher } from "@switchboard/core"

/** scrypt's cost parameters. */
export interface ScryptParameters {
  /** N, a power of two: CPU and memory cost. */
  readonly cost: number
  /** r */
  readonly blockSize: number
  /** p */
  readonly parallelization: number
  /** The derived key's bytes; `verify` reads only 64-byte keys. */
  readonly keyLength: number
  readonly saltLength: number
}

/** OWASP's Password Storage Cheat Sheet: N=2^17, r=8, p=1 (128 MiB per hash), a 64-byte key and a 16-byte salt. */
export const owasp: ScryptParameters = { cost: 2 ** 17, blockSize: 8, parallelization: 1, keyLength: 64, saltLength: 16 }

const derive = (password: string, salt: Buffer, parameters: ScryptParameters) =>
  Effect.async<Buffer, Error>((resume) => {
    // scrypt needs 128·N·r bytes; Node's default `maxmem` (32 MiB) is below OWASP's 128 MiB.
    const maxmem = 128 * parameters.cost * parameters.blockSize * 2
    scrypt(password.normalize("NFKC"), salt, parameters.keyLength, { N: parameters.cost, r: parameters.blockSize, p: parameters.parallelization, maxmem }, (error, key) =>
      resume(error === null ? Effect.succeed(key) : Effect.fail(error))
    )
  })

/** `$scrypt$ln=17,r=8,p=1$<salt>$<key>` (base64), the PHC string format: each hash carries its own parameters. */
const encode = (parameters: ScryptParameters, salt: Buffer, key: Buffer) =>
  `$scrypt$ln=${Math.log2(parameters.cost)},r=${parameters.blockSize},p=${parameters.parallelization}$${salt.toString("base64")}$${key.toString("base64")}`

const pattern = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/

const decode = (hash: string): { readonly parameters: ScryptParameters; readonly salt: Buffer; readonly key: Buffer } | undefined => {
  const match = pattern.exec(hash)
  if (match === null) return undefined
  const [, ln, r, p, salt, key] = match
  const saltBytes = Buffer.from(salt!, "base64")
  const keyBytes = Buffer.from(key!, "base64")
  const parameters = { cost: 2 ** Number(ln), blockSize: Number(r), parallelization: Number(p), keyLength: keyBytes.length, saltLength: saltBytes.length }
  // A whole 64-byte key and a 16-byte salt or more: a truncated key would still match its own prefix.
  return parameters.cost < 2 || parameters.cost > 2 ** 20 || keyBytes.length !== 64 || saltBytes.length < 16 ? undefined : { parameters, salt: saltBytes, key: keyBytes }
}

/**
 * `PasswordHasher` with Node's `crypto.scrypt` (run on libuv's pool, off the event loop). New
 * hashes use `parameters` (OWASP's by default; tests pass a cheaper N); a stored hash is checked
 * with the parameters it carries, compared in constant time (`timingSafeEqual`).
 */
export const layer = (parameters: ScryptParameters = owasp): Layer.Layer<PasswordHasher> =>
  Layer.succeed(PasswordHasher, {
    hash: (password) =>
      Effect.gen(function* () {
        const salt = randomBytes(parameters.saltLength)
        const key = yield* derive(Redacted.value(password), salt, parameters)
        return Redacted.make(encode(parameters, salt, key))
      }).pipe(Effect.orDie, Effect.withSpan("ScryptHasher.hash")),
    verify: (password, hash) =>
      Effect.gen(function* () {
        const stored = decode(Redacted.value(hash))
        if (stored === undefined) return false
        const key = yield* derive(Redacted.value(password), stored.salt, stored.parameters)
        return key.length === stored.key.length && timingSafeEqual(key, stored.key)
      }).pipe(Effect.orDie, Effect.withSpan("ScryptHasher.verify"))
  })
