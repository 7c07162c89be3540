import { t } from "@switchboard/ui-htmx"

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
