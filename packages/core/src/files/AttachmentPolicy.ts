import { Either, Schema } from "effect"
import type { AdapterCapabilities, AttachmentKind } from "../channels/Adapter.js"
import { IssueParams } from "../shared/Issue.js"
import { type FileSettings, MB, productMaxBytes } from "./FileSettings.js"

/**
 * Why a file may not be sent, with the limit in the message (MSG-06): `TooLarge` (the company's
 * or the channel's size limit, in `limitBytes`), `TypeNotAllowed` (extension or detected type not
 * in the settings), `KindNotAccepted` (the channel takes no files of this kind).
 */
export class AttachmentRefused extends Schema.TaggedError<AttachmentRefused>()("AttachmentRefused", {
  reason: Schema.Literal("TooLarge", "TypeNotAllowed", "KindNotAccepted"),
  message: Schema.String,
  limitBytes: Schema.optional(Schema.Number),
  /**
   * The details a user interface words the refusal with in the user's language (issue 22): which
   * `rule` refused it (`noExtension`, `extension`, `content`, `size`, `noFiles`, `noKind`,
   * `channelSize`, `count`, `total`) and its `extension`, `mime`, `channel`, `kind`, `max` or `limitBytes`.
   * `message` says the same in English.
   */
  params: Schema.optional(IssueParams)
}) {}

/** A file as the policy sees it: its name, its type detected from the content, its size in bytes. */
export interface FileFacts {
  readonly name: string
  readonly mime: string
  readonly size: number
}

/** The channel a file goes out through: how refusals name it, and what it accepts. */
export interface ChannelFacts {
  readonly label: string
  readonly capabilities: AdapterCapabilities
}

/** Which of a channel's limits applies to a type: images, audio, video, everything else a document. */
export const kindOf = (mime: string): AttachmentKind => {
  const family = mime.split("/")[0]
  return family === "image" || family === "audio" || family === "video" ? family : "document"
}

/** The extension of a file name, lower case without the dot; "" when it has none. */
export const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".")
  return dot <= 0 || dot === name.length - 1 ? "" : name.slice(dot + 1).toLowerCase()
}

/** A size as people read limits: "50 MB", "1.5 MB", "200 KB", "12 bytes". */
export const formatSize = (bytes: number): string => {
  const unit = (value: number, name: string) => `${Number.isInteger(value) ? value : value.toFixed(1)} ${name}`
  if (bytes >= MB) return unit(Math.floor((bytes / MB) * 10) / 10, "MB")
  if (bytes >= 1024) return unit(Math.floor((bytes / 1024) * 10) / 10, "KB")
  return `${bytes} bytes`
}

const plural: Record<AttachmentKind, string> = { image: "images", audio: "audio files", video: "videos", document: "documents" }

const mimeAllowed = (mime: string, allowed: ReadonlyArray<string>): boolean =>
  allowed.some((pattern) => pattern === mime || (pattern.endsWith("/*") && mime.startsWith(pattern.slice(0, -1))))

/**
 * Whether a file may be sent (SET-02, MSG-06): its extension and detected type are allowed by the
 * company's settings and it is within their size; then, when it goes out through a channel, the
 * channel accepts its kind and it is within the channel's limit for that kind. Answers the kind
 * (which the attachment records) or the refusal naming the limit. Internal notes pass no channel.
 */
export const check = (file: FileFacts, settings: FileSettings, channel?: ChannelFacts): Either.Either<AttachmentKind, AttachmentRefused> => {
  const extension = extensionOf(file.name)
  const extensions: ReadonlyArray<string> = settings.allowedExtensions
  if (!extensions.includes(extension)) {
    return Either.left(new AttachmentRefused({
      reason: "TypeNotAllowed",
      message: extension === "" ? `Files without an extension are not allowed` : `Files of type .${extension} are not allowed`,
      params: extension === "" ? { rule: "noExtension" } : { rule: "extension", extension }
    }))
  }
  if (!mimeAllowed(file.mime, settings.allowedMimeTypes)) {
    return Either.left(new AttachmentRefused({ reason: "TypeNotAllowed", message: `The file's content is ${file.mime}, which is not allowed`, params: { rule: "content", mime: file.mime } }))
  }
  if (file.size > settings.maxBytes) {
    return Either.left(new AttachmentRefused({ reason: "TooLarge", message: `Files are accepted up to ${formatSize(settings.maxBytes)}`, limitBytes: settings.maxBytes, params: { rule: "size", limitBytes: settings.maxBytes } }))
  }
  const kind = kindOf(file.mime)
  if (channel === undefined) return Either.right(kind)
  const limit = channel.capabilities.attachments.find((accepted) => accepted.kind === kind)
  if (limit === undefined) {
    return Either.left(new AttachmentRefused({
      reason: "KindNotAccepted",
      message: channel.capabilities.attachments.length === 0 ? `${channel.label} accepts no files` : `${channel.label} accepts no ${plural[kind]}`,
      params: channel.capabilities.attachments.length === 0 ? { rule: "noFiles", channel: channel.label } : { rule: "noKind", channel: channel.label, kind }
    }))
  }
  if (file.size > limit.maxBytes) {
    return Either.left(new AttachmentRefused({ reason: "TooLarge", message: `${channel.label} accepts ${plural[kind]} up to ${formatSize(limit.maxBytes)}`, limitBytes: limit.maxBytes, params: { rule: "channelSize", channel: channel.label, kind, limitBytes: limit.maxBytes } }))
  }
  return Either.right(kind)
}

/** How many files one message carries (MSG-06): one file, or up to 10 images. */
export const maxImages = 10

/** Whether a message may carry these files together: one file of any kind, or up to `maxImages` images, 500 MB in all. */
export const checkCount = (files: ReadonlyArray<{ readonly mime: string; readonly size: number }>): Either.Either<void, AttachmentRefused> => {
  if (files.length > 1 && (files.length > maxImages || files.some((file) => kindOf(file.mime) !== "image"))) {
    return Either.left(new AttachmentRefused({ reason: "TypeNotAllowed", message: `A message carries one file or up to ${maxImages} images`, params: { rule: "count", max: maxImages } }))
  }
  const total = files.reduce((sum, file) => sum + file.size, 0)
  return total > productMaxBytes
    ? Either.left(new AttachmentRefused({ reason: "TooLarge", message: `A message's files are accepted up to ${formatSize(productMaxBytes)} in all`, limitBytes: productMaxBytes, params: { rule: "total", limitBytes: productMaxBytes } }))
    : Either.void
}
