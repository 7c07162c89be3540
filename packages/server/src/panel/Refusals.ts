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

/** Which refusal text a `Forbidden` gets, by the action it names (`Access`' action ids). */
const forbiddenActions: Readonly<Record<string, "settingsManage" | "operatorsSupervise">> = {
  "settings.manage": "settingsManage",
  "operators.supervise": "operatorsSupervise"
}

/** A size limit in megabytes, in the user's number format. */
const megabytes = (bytes: number): string => t("refusals.megabytes", { size: useLocale().number(bytes / (1024 * 1024), { maximumFractionDigits: 1 }) })

/**
 * A core refusal in the request's language, keyed by its tag and reason (and the fields that carry
 * numbers: a size limit, a text's length); `undefined` for a tag this does not know, whose own
 * (English) message is then shown. Call it while rendering (`t()` reads the request's locale).
 */
export const refusalText = (error: Refusal): string | undefined => {
  const reason = field(error, "reason")
  if (error._tag === "Forbidden") {
    const action = field(error, "action")
    const known = typeof action === "string" && Object.hasOwn(forbiddenActions, action) ? forbiddenActions[action] : undefined
    return t(`refusals.forbidden.${known ?? "other"}`)
  }
  if (error._tag === "NotFound") {
    const entity = field(error, "entity")
    return typeof entity === "string" && Object.hasOwn(I18n.catalogs.en.refusals.notFound, entity)
      ? t(`refusals.notFound.${entity as keyof typeof I18n.catalogs.en.refusals.notFound}`)
      : undefined
  }
  if (!hasSection(error._tag) || typeof reason !== "string") return undefined
  if (error._tag === "AccountRejected" && (reason === "WrongPassword" || reason === "WeakPassword")) return passwordRefusal(reason, error.message ?? "")
  if (error._tag === "DialogRejected" && reason === "TooLong") {
    // Core's message carries the numbers: "The text has 2100 characters without spaces; the limit is 2000".
    const numbers = /(\d+)\D+(\d+)/.exec(error.message ?? "")
    return numbers === null ? t("refusals.dialog.TooLongPlain") : t("refusals.dialog.TooLong", { length: useLocale().number(Number(numbers[1])), limit: useLocale().number(Number(numbers[2])) })
  }
  if (error._tag === "AttachmentRefused" && reason === "TooLarge") {
    const limit = field(error, "limitBytes")
    return typeof limit === "number" ? t("refusals.attachment.TooLarge", { limit: megabytes(limit) }) : t("refusals.attachment.TooLargePlain")
  }
  if (error._tag === "ClientRejected" && reason === "InvalidField") {
    const path = field(error, "path")
    return t("refusals.client.InvalidField", { path: typeof path === "string" ? path : "" })
  }
  const section = sections[error._tag]
  const keys = I18n.catalogs.en.refusals[section] as Readonly<Record<string, string>>
  return Object.hasOwn(keys, reason) ? t(`refusals.${section}.${reason}` as MessageKey as "refusals.unknown") : error.message
}
