import { type InvalidInput, Issue } from "@switchboard/core"
import { t } from "@switchboard/ui-htmx"

type Expected = Issue.ExpectedKind

const isExpected = (value: unknown): value is Expected => typeof value === "string" && (Issue.expectedKinds as ReadonlyArray<string>).includes(value)

/** A param as a number, if it is one (params cross the wire as strings or numbers). */
const numberParam = (issue: Issue.Issue, name: string): number | undefined => {
  const value = issue.params?.[name]
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN
  return Number.isFinite(number) ? number : undefined
}

const stringParam = (issue: Issue.Issue, name: string): string | undefined => {
  const value = issue.params?.[name]
  return value === undefined ? undefined : String(value)
}

/** The codes whose text takes one param, and its name (the catalogs' `invalid.<code>` use it). */
const oneParam = {
  notOneOf: "options",
  emptyRange: "time",
  notApiOption: "options",
  notCardField: "fields",
  badAttributeName: "name",
  unknownCustomField: "name"
} as const satisfies Partial<Record<Issue.IssueCode, string>>

/**
 * What is wrong with one field, in the request's language, from its code and params (issue 22);
 * core's English only for `other` (and for a code whose params did not come). Call it while
 * rendering (`t()` reads the request's locale).
 */
export const issueReason = (issue: Issue.Issue): string => {
  const english = () => t("invalid.other", { message: issue.message })
  const max = numberParam(issue, "max")
  const min = numberParam(issue, "min")
  switch (issue.code) {
    case "missing":
      return t("invalid.missing")
    case "type": {
      const expected = issue.params?.["expected"]
      return isExpected(expected) ? t("invalid.typeExpected", { expected: t(`invalid.expected.${expected}`) }) : t("invalid.type")
    }
    case "tooLong":
      return max === undefined ? english() : t("invalid.tooLong", { count: max })
    case "tooShort":
      return min === undefined ? english() : min <= 1 ? t("invalid.empty") : t("invalid.tooShort", { count: min })
    case "tooMany":
      return max === undefined ? english() : t("invalid.tooMany", { count: max })
    case "tooFew":
      return min === undefined ? english() : t("invalid.tooFew", { count: min })
    case "pattern":
      return t("invalid.pattern")
    case "notOneOf":
    case "emptyRange":
    case "notApiOption":
    case "notCardField":
    case "badAttributeName":
    case "unknownCustomField": {
      // Codes with one text param: the catalog's text with it filled in.
      const name = oneParam[issue.code]
      const value = stringParam(issue, name)
      return value === undefined ? english() : t(`invalid.${issue.code}`, { [name]: value } as never)
    }
    case "outOfRange": {
      const above = numberParam(issue, "above")
      const below = numberParam(issue, "below")
      if (above !== undefined) return t("invalid.outOfRangeAbove", { min: above })
      if (below !== undefined) return t("invalid.outOfRangeBelow", { max: below })
      return min !== undefined && max !== undefined
        ? t("invalid.outOfRange", { min, max })
        : min !== undefined
          ? t("invalid.outOfRangeMin", { min })
          : max !== undefined
            ? t("invalid.outOfRangeMax", { max })
            : english()
    }
    case "notStorable":
    case "duplicate":
    case "unknownTimeZone":
    case "reserved":
    case "badCursor":
    case "unexpected":
    case "tooDeep":
    case "notTimeOfDay":
    case "notDate":
    case "notMonthDay":
    case "rangeStartsAtEnd":
    case "noWorkingTime":
    case "allHolidays":
    case "needsOptions":
    case "webUrl":
      // Codes without params: the catalog's text is the whole reason.
      return t(`invalid.${issue.code}`)
    case "unknownVariable": {
      const name = stringParam(issue, "name")
      const variables = stringParam(issue, "variables")
      return name === undefined || variables === undefined ? english() : t("invalid.unknownVariable", { name: `{{${name}}}`, variables })
    }
    case "rangeOverlap": {
      const range = stringParam(issue, "range")
      const other = stringParam(issue, "other")
      return range === undefined || other === undefined ? english() : t("invalid.rangeOverlap", { range, other })
    }
    case "other":
      return english()
  }
}

/**
 * The label a form gives a field, by the issue's path (`title`, `closeReasons[2].id`), in the
 * request's language; `undefined` for a field without one, which is then named by its path.
 */
export type FieldLabels = (path: string) => string | undefined

/**
 * One issue as a form shows it: `field: reason`, the field named by its label when the form gives
 * one (`labels`), else by its path; the reason alone for the whole input, or for an English
 * message that names its path already.
 */
export const issueText = (issue: Issue.Issue, labels?: FieldLabels): string =>
  issue.path === "" || (issue.code === "other" && issue.message.startsWith(`${issue.path}: `))
    ? issueReason(issue)
    : t("invalid.field", { path: labels?.(issue.path) ?? issue.path, reason: issueReason(issue) })

/** Each issue of an `InvalidInput` in the request's language, with its field's path (and its label in `text`, when `labels` has one). Call it while rendering. */
export const invalidTexts = (invalid: InvalidInput, labels?: FieldLabels): ReadonlyArray<{ readonly path: string; readonly text: string; readonly reason: string }> =>
  invalid.issues === undefined || invalid.issues.length === 0
    // A route's own InvalidInput: its message is already what the user reads (in their language).
    ? [{ path: invalid.path, text: invalid.message, reason: invalid.message }]
    : invalid.issues.map((issue) => ({ path: issue.path, text: issueText(issue, labels), reason: issueReason(issue) }))

/** An `InvalidInput` in the request's language: its issues, `field: reason`, joined by "; ". Call it while rendering. */
export const invalidText = (invalid: InvalidInput, labels?: FieldLabels): string => invalidTexts(invalid, labels).map((issue) => issue.text).join("; ")

/** A configuration editor's problem (`Calendar.ConfigIssue`, `ClientCard.ConfigIssue`) with its reason in the request's language when core gave its code. Call it while rendering. */
export const configIssueText = (issue: { readonly path: string; readonly message: string; readonly code?: Issue.IssueCode | undefined; readonly params?: Issue.IssueParams | undefined }): { readonly path: string; readonly message: string } =>
  issue.code === undefined
    ? { path: issue.path, message: issue.message }
    : { path: issue.path, message: issueReason(issue.params === undefined ? { path: issue.path, code: issue.code, message: issue.message } : { path: issue.path, code: issue.code, params: issue.params, message: issue.message }) }
