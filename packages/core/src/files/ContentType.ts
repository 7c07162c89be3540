import { Context, type Effect, Option } from "effect"
import { extensionOf } from "./AttachmentPolicy.js"
import { textTypes } from "./FileSettings.js"

/** A type recognised from a file's leading bytes (magic numbers). */
export interface DetectedType {
  readonly mime: string
  readonly ext: string
}

/**
 * Recognises a file's type from its bytes, never from the name or the type a client claims
 * (the `file-type` adapter in @switchboard/adapters). `none` when the bytes carry no known signature.
 */
export interface ContentTypesService {
  readonly detect: (bytes: Uint8Array) => Effect.Effect<Option.Option<DetectedType>>
}

/** The `ContentTypes` port's tag. */
export class ContentTypes extends Context.Tag("@switchboard/core/ContentTypes")<ContentTypes, ContentTypesService>() {}

/** The type of content nobody recognised: allowed only if a company lists it explicitly. */
export const unknownType = "application/octet-stream"

const utf8 = new TextDecoder("utf-8", { fatal: true })

/** Whether bytes read as UTF-8 text: valid UTF-8, no NUL. */
export const isText = (bytes: Uint8Array): boolean => {
  if (bytes.includes(0)) return false
  try {
    utf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

/**
 * A file's type: what its bytes say when they carry a signature; else, for text formats (which have
 * none), the type of its extension when the name has a text extension (`textTypes`) and the bytes
 * are valid UTF-8 without NUL; else `application/octet-stream`. So an `.exe` renamed `.png` is an
 * executable, and a binary renamed `.txt` is not text.
 */
export const resolve = (detected: Option.Option<DetectedType>, name: string, bytes: Uint8Array): string =>
  Option.match(detected, {
    onSome: (type) => type.mime,
    onNone: () => {
      const extension = extensionOf(name)
      return Object.hasOwn(textTypes, extension) && isText(bytes) ? textTypes[extension]! : unknownType
    }
  })
