import { I18n, type MessageKey, t, useLocale } from "@switchboard/ui-htmx"

/** Which rule a weak password broke, by core's message (`Password.check`). */
export const weakPasswordRule = (message: string): "tooShort" | "tooLong" | "common" =>
  message.startsWith("Use at least") ? "tooShort" : message.startsWith("Use at most") ? "tooLong" : "common"

/**
 * The reasons a weak password is refused, in the request's language. Call it while rendering or
 * before an Effect program runs (`t()` reads the request's locale), then pick with `weakPasswordRule`.
 */
export const weakPasswordMessages = (): Record<ReturnType<typeof weakPasswordRule>, string> => ({
  tooShort: t("account.passwordTooShort"),
  tooLong: t("account.passwordTooLong"),
  common: t("account.passwordCommon")
})

/** A refused password in the request's language: core's reason (and, for a weak one, which rule). Call it while rendering. */
export const passwordRefusal = (reason: string, message: string): string =>
  reason === "WrongPassword" ? t("account.wrongPassword") : reason === "WeakPassword" ? weakPasswordMessages()[weakPasswordRule(message)] : message

/** A typed failure as the panel and the widget show it: its tag and, for a refusal, its reason and fields. */
interface Refusal {
  readonly _tag: string
  readonly message?: string
}

const field = (error: Refusal, name: string): unknown => (error as unknown as Record<string, unknown>)[name]

/** The catalog section of each core rejection, by its tag: its keys are the rejection's reasons. */
const sections = {
  DialogRejected: "dialog",
  ClientRejected: "client",
  OperatorRejected: "operator",
  AccountRejected: "account",
  AttachmentRefused: "attachment",
  WidgetRejected: "widget"
} as const satisfies Record<string, keyof typeof I18n.catalogs.en.refusals>

const hasSection = (tag: string): tag is keyof typeof sections => Object.hasOwn(sections, tag)

/**
 * A `Forbidden`'s text by its message: core's and the server's messages are the English catalog's
 * `refusals.forbidden` texts (without the final full stop, as core writes them). A message not
 * among them was written by the server in the request's language already (the SLA editor's), or is
 * core's own English: it is shown as it is.
 */
const forbiddenTexts: ReadonlyMap<string, keyof typeof I18n.catalogs.en.refusals.forbidden> = new Map(
  Object.entries(I18n.catalogs.en.refusals.forbidden).map(([key, text]) => [text.replace(/\.$/, ""), key as keyof typeof I18n.catalogs.en.refusals.forbidden])
)

const MB = 1024 * 1024

/** A size as `AttachmentPolicy.formatSize` rounds it (down, to a tenth), in the user's number format and units. */
const size = (bytes: number): string => {
  const { number } = useLocale()
  const tenth = (value: number) => number(Math.floor(value * 10) / 10, { maximumFractionDigits: 1 })
  if (bytes >= MB) return t("refusals.sizeMb", { size: tenth(bytes / MB) })
  if (bytes >= 1024) return t("refusals.sizeKb", { size: tenth(bytes / 1024) })
  return t("refusals.sizeBytes", { size: number(bytes) })
}

/** Core's words for the kinds of file (`AttachmentPolicy`) → the catalog's kind keys. */
const kinds: Readonly<Record<string, "image" | "audio" | "video" | "document">> = { images: "image", "audio files": "audio", videos: "video", documents: "document" }

/**
 * Refusals whose core message carries details the reason alone does not (a file's type, a limit, a
 * text's length): the message's shape, and its text in the user's language with those details.
 * Read from core's messages because that is where core puts them; a shape not listed here falls
 * back to the reason's text.
 */
const detailed: ReadonlyArray<readonly [tag: string, shape: RegExp, text: (match: RegExpExecArray, error: Refusal) => string]> = [
  ["DialogRejected", /^The text has (\d+) characters without spaces; the limit is (\d+): the draft was not saved$/, (m) => t("refusals.dialog.TooLongDraft", { length: m[1]!, limit: m[2]! })],
  ["DialogRejected", /^The text has (\d+) characters without spaces; the limit is (\d+)$/, (m) => t("refusals.dialog.TooLong", { length: m[1]!, limit: m[2]! })],
  ["AttachmentRefused", /^Files without an extension are not allowed$/, () => t("refusals.attachment.noExtension")],
  ["AttachmentRefused", /^Files of type \.(\S+) are not allowed$/, (m) => t("refusals.attachment.extension", { extension: m[1]! })],
  ["AttachmentRefused", /^The file's content is (\S+), which is not allowed$/, (m) => t("refusals.attachment.content", { mime: m[1]! })],
  ["AttachmentRefused", /^A message carries one file or up to (\d+) images$/, (m) => t("refusals.attachment.count", { max: useLocale().number(Number(m[1])) })],
  ["AttachmentRefused", /^A message's files are accepted up to .+ in all$/, (_, e) => t("refusals.attachment.TooLargeTotal", { limit: size(Number(field(e, "limitBytes"))) })],
  ["AttachmentRefused", /^Files are accepted up to /, (_, e) => t("refusals.attachment.TooLarge", { limit: size(Number(field(e, "limitBytes"))) })],
  ["AttachmentRefused", /^(.+) accepts no files$/, (m) => t("refusals.attachment.noFiles", { channel: m[1]! })],
  ["AttachmentRefused", /^(.+) accepts no (images|audio files|videos|documents)$/, (m) => t("refusals.attachment.noKind", { channel: m[1]!, kind: t(`refusals.attachment.kindsNone.${kinds[m[2]!]!}`) })],
  ["AttachmentRefused", /^(.+) accepts (images|audio files|videos|documents) up to /, (m, e) =>
    t("refusals.attachment.TooLargeChannel", { channel: m[1]!, kind: t(`refusals.attachment.kindsUpTo.${kinds[m[2]!]!}`), limit: size(Number(field(e, "limitBytes"))) })],
  ["DialogRejected", /^The company has no topic "(.*)"$/, (m) => t("refusals.dialog.UnknownTopicNamed", { id: m[1]! })],
  ["DialogRejected", /^The company has no close reason "(.*)"$/, (m) => t("refusals.dialog.UnknownReasonNamed", { id: m[1]! })],
  ["WidgetRejected", /^Send the widget session's token/, () => t("refusals.widget.noToken")]
]

/**
 * A core refusal in the request's language, keyed by its tag and reason (and, for the shapes in
 * `detailed`, the details its message carries); `undefined` for a tag this does not know, whose
 * own (English) message is then shown. Call it while rendering (`t()` reads the request's locale).
 */
export const refusalText = (error: Refusal): string | undefined => {
  const reason = field(error, "reason")
  if (error._tag === "Forbidden") {
    const known = forbiddenTexts.get((error.message ?? "").replace(/\.$/, ""))
    return known === undefined ? error.message : t(`refusals.forbidden.${known}`)
  }
  if (error._tag === "NotFound") {
    const entity = field(error, "entity")
    return typeof entity === "string" && Object.hasOwn(I18n.catalogs.en.refusals.notFound, entity)
      ? t(`refusals.notFound.${entity as keyof typeof I18n.catalogs.en.refusals.notFound}`)
      : undefined
  }
  if (!hasSection(error._tag) || typeof reason !== "string") return undefined
  if (error._tag === "AccountRejected" && (reason === "WrongPassword" || reason === "WeakPassword")) return passwordRefusal(reason, error.message ?? "")
  for (const [tag, shape, text] of detailed) {
    const match = tag === error._tag ? shape.exec(error.message ?? "") : null
    if (match !== null) return text(match, error)
  }
  if (error._tag === "DialogRejected" && reason === "TooLong") return t("refusals.dialog.TooLongPlain")
  if (error._tag === "AttachmentRefused" && reason === "TooLarge") return t("refusals.attachment.TooLargePlain")
  if (error._tag === "ClientRejected" && reason === "InvalidField") {
    const path = field(error, "path")
    return t("refusals.client.InvalidField", { path: typeof path === "string" ? path : "" })
  }
  const section = sections[error._tag]
  const keys = I18n.catalogs.en.refusals[section] as Readonly<Record<string, unknown>>
  return typeof keys[reason] === "string" ? t(`refusals.${section}.${reason}` as MessageKey as "refusals.dialog.Closed") : error.message
}
