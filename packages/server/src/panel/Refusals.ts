import type { Issue } from "@switchboard/core"
import { I18n, type MessageKey, t, useLocale } from "@switchboard/ui-htmx"
import { issueText } from "./InvalidText.js"

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

/** The kinds of file `AttachmentPolicy` names in its params (`kind`), as the catalog's kind keys. */
const kinds = ["image", "audio", "video", "document"] as const
const isKind = (kind: unknown): kind is (typeof kinds)[number] => typeof kind === "string" && (kinds as ReadonlyArray<string>).includes(kind)

/** The details core gives a refusal (`params`: a limit, a file's type, an unknown id), if it gave any. */
const paramsOf = (error: Refusal): Readonly<Record<string, unknown>> | undefined => {
  const params = field(error, "params")
  return typeof params === "object" && params !== null ? (params as Readonly<Record<string, unknown>>) : undefined
}

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)
const count = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined)

/** A refused file in the user's language, by the rule core names in its params; `undefined` for a rule not known here. */
const attachmentText = (params: Readonly<Record<string, unknown>>): string | undefined => {
  const channel = text(params["channel"])
  const limitBytes = count(params["limitBytes"])
  const limit = () => size(limitBytes ?? 0)
  switch (params["rule"]) {
    case "noExtension":
      return t("refusals.attachment.noExtension")
    case "extension":
      return text(params["extension"]) === undefined ? undefined : t("refusals.attachment.extension", { extension: text(params["extension"])! })
    case "content":
      return text(params["mime"]) === undefined ? undefined : t("refusals.attachment.content", { mime: text(params["mime"])! })
    case "count":
      return count(params["max"]) === undefined ? undefined : t("refusals.attachment.count", { max: useLocale().number(count(params["max"])!) })
    case "total":
      return limitBytes === undefined ? undefined : t("refusals.attachment.TooLargeTotal", { limit: limit() })
    case "size":
      return limitBytes === undefined ? undefined : t("refusals.attachment.TooLarge", { limit: limit() })
    case "noFiles":
      return channel === undefined ? undefined : t("refusals.attachment.noFiles", { channel })
    case "noKind":
      return channel === undefined || !isKind(params["kind"]) ? undefined : t("refusals.attachment.noKind", { channel, kind: t(`refusals.attachment.kindsNone.${params["kind"]}`) })
    case "channelSize":
      return channel === undefined || !isKind(params["kind"]) || limitBytes === undefined
        ? undefined
        : t("refusals.attachment.TooLargeChannel", { channel, kind: t(`refusals.attachment.kindsUpTo.${params["kind"]}`), limit: limit() })
    default:
      return undefined
  }
}

/** A dialog's refusal whose params carry details its reason alone does not (a text's length and limit, an unknown id); `undefined` otherwise. */
const dialogText = (reason: string, params: Readonly<Record<string, unknown>>): string | undefined => {
  const length = count(params["length"])
  const limit = count(params["limit"])
  const id = text(params["id"])
  switch (reason) {
    case "TooLong":
      return length === undefined || limit === undefined ? undefined : params["draft"] === 1 ? t("refusals.dialog.TooLongDraft", { length, limit }) : t("refusals.dialog.TooLong", { length, limit })
    case "UnknownTopic":
      return id === undefined ? undefined : t("refusals.dialog.UnknownTopicNamed", { id })
    case "UnknownReason":
      return id === undefined ? undefined : t("refusals.dialog.UnknownReasonNamed", { id })
    case "AttachmentRefused":
      return attachmentText(params)
    default:
      return undefined
  }
}

/** The widget's refusals core says only in English; their shape, and their text in the user's language. */
const detailed: ReadonlyArray<readonly [tag: string, shape: RegExp, text: () => string]> = [
  ["WidgetRejected", /^Send the widget session's token/, () => t("refusals.widget.noToken")]
]

/**
 * A core refusal in the request's language, keyed by its tag and reason (and the details core
 * gives in its `params`: a limit, a file's type, an unknown id); `undefined` for a tag this does not know, whose
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
  const params = paramsOf(error)
  const said = params === undefined ? undefined : error._tag === "DialogRejected" ? dialogText(reason, params) : error._tag === "AttachmentRefused" ? attachmentText(params) : undefined
  if (said !== undefined) return said
  for (const [tag, shape, say] of detailed) {
    if (tag === error._tag && shape.test(error.message ?? "")) return say()
  }
  if (error._tag === "DialogRejected" && reason === "TooLong") return t("refusals.dialog.TooLongPlain")
  if (error._tag === "AttachmentRefused" && reason === "TooLarge") return t("refusals.attachment.TooLargePlain")
  if (error._tag === "ClientRejected" && reason === "InvalidField") {
    const issues = field(error, "issues")
    if (Array.isArray(issues) && issues.length > 0) return (issues as ReadonlyArray<Issue.Issue>).map((issue) => issueText(issue)).join("; ")
    const path = field(error, "path")
    return t("refusals.client.InvalidField", { path: typeof path === "string" ? path : "" })
  }
  const section = sections[error._tag]
  const keys = I18n.catalogs.en.refusals[section] as Readonly<Record<string, unknown>>
  return typeof keys[reason] === "string" ? t(`refusals.${section}.${reason}` as MessageKey as "refusals.dialog.Closed") : error.message
}
