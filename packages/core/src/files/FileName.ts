import { extensionOf } from "./AttachmentPolicy.js"

/** The longest name an attachment keeps (`Attachment.name`). */
export const maxNameLength = 255

/**
 * A file name as it can be stored and shown: the last path segment only (old browsers send
 * `C:\fakepath\x.png`), without control characters or lone surrogates, trimmed, at most
 * `maxNameLength` characters with its extension kept; `file` when nothing is left.
 */
export const clean = (name: string): string => {
  const base = name.split(/[/\\]/).pop() ?? ""
  const printable = base.replace(/[\p{Cc}\p{Cs}]/gu, "").trim()
  if (printable === "" || printable === "." || printable === "..") return "file"
  if (printable.length <= maxNameLength) return printable
  const extension = extensionOf(printable)
  const suffix = extension === "" || extension.length > 16 ? "" : `.${extension}`
  return `${printable.slice(0, maxNameLength - suffix.length).trimEnd()}${suffix}`
}
