import { Effect, Either } from "effect"
import type { Context, MiddlewareHandler } from "hono"
import { bodyLimit } from "hono/body-limit"
import { I18n, t } from "@switchboard/ui-htmx"
import { BadRequest, failure, failureJson } from "./respond.js"
import { listParameterLabel } from "./panel/Filters.js"
import { issueText } from "./panel/InvalidText.js"

/**
 * How the server reads request bodies: every route has a size limit (413 naming it), JSON routes
 * take only `application/json` (415 otherwise: a web page cannot post it without a CORS
 * preflight), panel forms only form encodings, and JSON is parsed with a depth limit so that no
 * body can overflow the stack of whatever walks it later.
 */

/**
 * Body limits in bytes: the JSON API (1 MiB unless configured), the panel's forms (256 KiB), and
 * its file uploads (the default company limit of 100 MB plus 1 MiB for the form around the file;
 * a company allowing larger files raises it with `SWITCHBOARD_FILES_BODY_LIMIT`). A file within
 * this but beyond the company's or the channel's limit is refused by `AttachmentPolicy` with that limit.
 */
export const defaultBodyLimits = { api: 1024 * 1024, forms: 256 * 1024, files: 101 * 1024 * 1024 } as const

/** The deepest nesting the JSON API reads; its Schemas nest a few levels, free-form objects 5. */
export const maxJsonDepth = 32

const methodsWithoutBody: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"])

/** The media type of a request, lower case, without parameters (`charset`, `boundary`). */
const mediaType = (c: Context): string => (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase()

/** A body limit answering 413 with the limit in the message: as JSON (the API) or as a notice (the panel). */
export const limitBody = (maxSize: number, as: "json" | "html"): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: (c) => {
      const error = { _tag: "PayloadTooLarge", message: t("requests.tooLarge", { limit: maxSize }) }
      return as === "json" ? failureJson(c, error) : failure(c, error)
    }
  })

/** JSON routes: a request with a body must say `Content-Type: application/json`, or it gets a 415. */
export const jsonOnly: MiddlewareHandler = async (c, next) => {
  if (methodsWithoutBody.has(c.req.method) || mediaType(c) === "application/json") return next()
  return failureJson(c, { _tag: "UnsupportedMediaType", message: t("requests.jsonOnly") })
}

const formTypes: ReadonlySet<string> = new Set(["application/x-www-form-urlencoded", "multipart/form-data"])

/**
 * Panel forms: a request with a body must be a form (415 otherwise), and a malformed one is a 400
 * here rather than an exception in a route. The parsed form is cached for the routes.
 */
export const formsOnly: MiddlewareHandler = async (c, next) => {
  if (methodsWithoutBody.has(c.req.method)) return next()
  if (!formTypes.has(mediaType(c))) {
    return failure(c, { _tag: "UnsupportedMediaType", message: t("requests.formOnly") })
  }
  const parsed = await c.req.parseBody({ all: true }).then(
    () => true,
    () => false
  )
  return parsed ? next() : failure(c, bodyProblem("unreadableForm"))
}

/**
 * A body the server cannot read, named by its catalog key: the English text is the message (the
 * logs', and the JSON API's fallback); `requestText` shows it in the request's language. Made
 * inside Effect programs, so no `t()` here.
 */
export const bodyProblem = (problem: "notJson" | "unreadable" | "tooDeep" | "unreadableForm"): BadRequest =>
  new BadRequest({ parameter: "body", message: I18n.catalogs.en.requests[problem].replace("{{depth}}", String(maxJsonDepth)), problem })

/**
 * Why an editor's text is not JSON, in the request's language: where `JSON.parse` stopped (line and
 * column, counted here from the position its error names) or that the text ends too early; not the
 * engine's English message. Call it while handling the request (`t()` reads its locale).
 */
export const jsonSyntaxReason = (text: string, error: unknown): string => {
  const message = error instanceof Error ? error.message : ""
  const position = /\bposition (\d+)/.exec(message)
  if (position !== null && Number(position[1]) < text.trimEnd().length) {
    const before = text.slice(0, Number(position[1]))
    return t("requests.notJsonAt", { line: before.split("\n").length, column: before.length - before.lastIndexOf("\n") })
  }
  return text.trim() === "" || position !== null || /\bend of JSON\b/i.test(message) ? t("requests.notJsonEnd") : t("requests.notJsonElse")
}

/** A list filter the company cannot apply, as `parameter: reason` in the request's language. */
const filterText = (parameter: string, filter: NonNullable<BadRequest["filter"]>, tags: BadRequest["tags"]): string =>
  t("invalid.field", {
    path: listParameterLabel(parameter) ?? parameter,
    reason: filter === "tagAndTags"
      ? t("requests.filter.tagAndTags", { choice: tags === "pinned" ? t("inbox.pinnedTag") : t("inbox.noTagsChoice") })
      // A day that is no real day reads as one the query's Schema refused (`2026-02-30`, `20260101`).
      : filter === "notADay" ? t("invalid.notDate") : t(`requests.filter.${filter}`)
  })

/** A problem the server names (`BadRequest.problem`) in the request's language; call it while rendering. */
export const requestText = (error: { readonly _tag: string }): string | undefined => {
  if (!(error instanceof BadRequest)) return undefined
  if (error.filter !== undefined) return filterText(error.parameter, error.filter, error.tags)
  if (error.problem === undefined) return error.issues === undefined || error.issues.length === 0 ? undefined : error.issues.map((issue) => issueText(issue, listParameterLabel)).join("; ")
  switch (error.problem) {
    case "tooDeep":
      return t("requests.tooDeep", { depth: maxJsonDepth })
    case "badPosition":
      return t("requests.badPosition", { parameter: error.parameter })
    case "unknownTag": {
      // Core names the tag in its English message; the user's language names it too.
      const named = /^The company has no tag "(.*)"$/.exec(error.message)
      return named === null ? t("refusals.client.UnknownTag") : t("refusals.client.UnknownTagNamed", { id: named[1]! })
    }
    case "duplicateTag":
      return t("refusals.client.DuplicateTag")
    default:
      return t(`requests.${error.problem}`)
  }
}

/** Whether a parsed JSON value nests deeper than `max` (walked without recursion). */
const nestedDeeperThan = (value: unknown, max: number): boolean => {
  const pending: Array<readonly [unknown, number]> = [[value, 0]]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next
    if (typeof node !== "object" || node === null) continue
    if (depth >= max) return true
    for (const child of Object.values(node)) pending.push([child, depth + 1])
  }
  return false
}

/** Parse a JSON text; a syntax error, a stack overflow or nesting beyond `maxJsonDepth` is a 400 naming `body`. */
export const parseJson = (text: string): Either.Either<unknown, BadRequest> => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return Either.left(bodyProblem("notJson"))
  }
  return nestedDeeperThan(value, maxJsonDepth)
    ? Either.left(bodyProblem("tooDeep"))
    : Either.right(value)
}

/** Read and parse the request's JSON body (after `limitBody` and `jsonOnly`). */
export const readJson = (c: Context): Effect.Effect<unknown, BadRequest> =>
  Effect.flatMap(
    Effect.tryPromise({ try: () => c.req.text(), catch: () => bodyProblem("unreadable") }),
    parseJson
  )

/** The request's body bytes (after `limitBody`), e.g. for a webhook whose signature covers them exactly. */
export const readBytes = (c: Context): Effect.Effect<Uint8Array, BadRequest> =>
  Effect.map(
    Effect.tryPromise({ try: () => c.req.arrayBuffer(), catch: () => bodyProblem("unreadable") }),
    (buffer) => new Uint8Array(buffer)
  )
