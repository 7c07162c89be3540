import { Schema } from "effect"

/** One mebibyte: limits are written in MB as messengers state them (Telegram's "50 MB" is 50 × 1024²). */
export const MB = 1024 * 1024

/** The product's ceiling for one message's files (MSG-06: total ≤ 500 MB); no setting goes beyond it. */
export const productMaxBytes = 500 * MB

/** A file extension as settings list it: lower case, without the dot (`png`, `docx`). */
export const Extension = Schema.String.pipe(Schema.pattern(/^[a-z0-9]{1,16}$/), Schema.brand("Extension"))
export type Extension = typeof Extension.Type

/** A MIME type as settings list it: `image/png`, or a whole family as `image/*`. */
export const MimePattern = Schema.String.pipe(Schema.pattern(/^[a-z0-9.+-]+\/(\*|[a-z0-9.+-]+)$/), Schema.brand("MimePattern"))
export type MimePattern = typeof MimePattern.Type

/**
 * Text formats that have no magic number: a file whose content `file-type` cannot recognise is
 * taken as one of these only when its name has this extension and its bytes are valid UTF-8
 * without NUL (`ContentType.resolve`). Anything else unrecognised is `application/octet-stream`.
 */
export const textTypes: Readonly<Record<string, string>> = {
  txt: "text/plain",
  log: "text/plain",
  csv: "text/csv",
  md: "text/markdown",
  json: "application/json"
}

const defaultExtensions = [
  "png", "jpg", "jpeg", "gif", "webp", "heic",
  "pdf", "txt", "log", "csv", "md", "json", "rtf",
  "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp",
  "zip", "mp3", "ogg", "oga", "opus", "wav", "m4a", "mp4", "webm", "mov"
]

const defaultMimeTypes = [
  "image/png", "image/jpeg", "image/gif", "image/webp", "image/heic",
  "application/pdf", "text/plain", "text/csv", "text/markdown", "application/json", "application/rtf",
  // Legacy Office files are OLE compound files: file-type names them by their container.
  "application/x-cfb",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
  "application/zip",
  "audio/*", "video/mp4", "video/webm", "video/quicktime"
]

/**
 * Which files operators and clients may send (SET-02, MSG-06): a file passes when its name's
 * extension AND its detected MIME type are both listed and it is at most `maxBytes`. The
 * channel's own per-kind limits apply on top (`AttachmentPolicy`).
 */
export class FileSettings extends Schema.Class<FileSettings>("FileSettings")({
  /** The largest file in bytes (default 100 MB, at most the product's 500 MB). */
  maxBytes: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(1, productMaxBytes)), { default: () => 100 * MB }),
  /** Allowed extensions of the file's name, lower case without the dot. */
  allowedExtensions: Schema.optionalWith(Schema.Array(Extension), { default: () => defaultExtensions.map((ext) => Extension.make(ext)) }),
  /** Allowed MIME types, as detected from the content; `family/*` allows a family. */
  allowedMimeTypes: Schema.optionalWith(Schema.Array(MimePattern), { default: () => defaultMimeTypes.map((mime) => MimePattern.make(mime)) })
}) {}

/** The file settings of a new company. */
export const defaultFileSettings: FileSettings = Schema.decodeUnknownSync(FileSettings)({})
