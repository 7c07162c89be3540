import { Either, Redacted } from "effect"
import { commonPasswords } from "./commonPasswords.js"

/** NIST 800-63B: at least this many characters (code points), and no composition rules. */
export const minLength = 12
/** Long passphrases are welcome; this only bounds the work of hashing one. */
export const maxLength = 256

const common = new Set(commonPasswords)

/**
 * Why `password` may not be chosen, or nothing: shorter than 12 characters, longer than 256, or
 * one of the 1,000 most common passwords (case-insensitive). No other rules (NIST 800-63B).
 */
export const check = (password: Redacted.Redacted<string>): Either.Either<void, string> => {
  const value = Redacted.value(password)
  const length = [...value].length
  if (length < minLength) return Either.left(`Use at least ${minLength} characters (a few words make a good password)`)
  if (length > maxLength) return Either.left(`Use at most ${maxLength} characters`)
  if (common.has(value.toLowerCase())) return Either.left("This password is one of the most common ones; choose another")
  return Either.right(undefined)
}
