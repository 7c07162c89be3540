import { Cause, Effect, Exit, Option, ParseResult, Schema } from "effect"
import { t } from "@switchboard/ui-htmx"
import type { Context } from "hono"
import { InvalidInput, Issue } from "@switchboard/core"
import { Contract, Document, Notice } from "@switchboard/ui-htmx"
import type { PanelRuntime, PanelServices } from "./Services.js"
import { invalidText } from "./panel/InvalidText.js"
import { refusalText } from "./panel/Refusals.js"
import { requestText } from "./RequestBody.js"

/**
 * A malformed query parameter (a garbled list cursor, an over-long search): 400 naming the
 * parameter and why. Form fields stay `InvalidInput` (422, re-rendered with the errors).
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", {
  parameter: Schema.String,
  message: Schema.String,
  /**
   * A problem the server itself names (not a Schema's decode issue): its text is the catalog's
   * `requests.<problem>`, looked up when the answer renders, in the request's language.
   */
  problem: Schema.optional(Schema.Literal("notJson", "unreadable", "tooDeep", "unreadableForm", "badPosition", "clientLeft", "unknownTag", "duplicateTag")),
  /**
   * A list filter the company cannot apply (`listFilters`): its text is the catalog's
   * `requests.filter.<filter>` after the parameter, looked up when the answer renders. `tags` is
   * the "no tags" or "pinned" choice that came with a tag.
   */
  filter: Schema.optional(Schema.Literal("noSuchChannel", "ownDialogsOnly", "noSuchOperator", "noSuchBot", "tagAndTags", "notADay", "periodReversed")),
  tags: Schema.optional(Schema.Literal("none", "pinned")),
  /** A query decode's issues (codes and params), worded in the request's language when the answer renders; `message` is the English. */
  issues: Schema.optional(Schema.Array(Issue.Issue))
}) {
  /** The issues of a query decode, each as `parameter: reason` (short whatever the value: see `InvalidInput`), with their codes. */
  static fromParseError(error: ParseResult.ParseError): BadRequest {
    const invalid = InvalidInput.fromParseError(error)
    return new BadRequest({ parameter: invalid.path, message: invalid.message.replace(/^\(root\): /, ""), issues: InvalidInput.issuesOf(invalid) })
  }
}

/**
 * A form field the core (or the route) refused: an edited text too long, an unknown topic. A 422
 * naming the field, like `InvalidInput`, whose text is looked up when the answer renders, in the
 * user's language: the refusal's (`refusalText`), or the route's own `problem`. `message` is the
 * English, for the logs.
 */
export class FieldRefusal extends Schema.TaggedError<FieldRefusal>()("FieldRefusal", {
  path: Schema.String,
  message: Schema.String,
  refusal: Schema.optional(Schema.Unknown),
  problem: Schema.optional(Schema.Literal("textNotStorable", "unknownPriority"))
}) {}

/** A request without valid credentials (the JSON API): 401 with what to send instead. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", {
  message: Schema.String
}) {}

/** A typed failure the panel knows how to show. */
interface Tagged {
  readonly _tag: string
  readonly message?: string
}

const isTagged = (error: unknown): error is Tagged =>
  typeof error === "object" && error !== null && "_tag" in error && typeof (error as { _tag: unknown })._tag === "string"

/** Refusals that are about who asks, not about the state: the role × action matrix answers them 403. */
const accessReasons: ReadonlyArray<string> = ["Forbidden", "NotYours", "EditForbidden", "DeleteForbidden"]

const deniesAccess = (error: Tagged): boolean =>
  error._tag === "Forbidden" || ("reason" in error && typeof error.reason === "string" && accessReasons.includes(error.reason) && error._tag.endsWith("Rejected"))

/** HTTP status and a short title for each typed engine error (403 for a refusal of access, whatever the aggregate). */
export const statusOf = (error: Tagged): { readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 500; readonly title: string } => {
  if (deniesAccess(error)) return { status: 403, title: t("errors.notAllowed") }
  switch (error._tag) {
    case "BadRequest":
      return { status: 400, title: t("errors.badRequest") }
    case "Unauthorized":
      return { status: 401, title: t("errors.unauthorized") }
    case "InboundRejected":
      return "unauthorized" in error && error.unauthorized === true ? { status: 401, title: t("errors.unauthorized") } : { status: 400, title: t("errors.badRequest") }
    case "DialogRejected":
    case "ClientRejected":
    case "OperatorRejected":
    case "VersionConflict":
      return { status: 409, title: t("errors.notPossible") }
    case "AccountRejected":
      return "reason" in error && error.reason === "NotFound" ? { status: 404, title: t("errors.notFound") } : { status: 422, title: t("errors.notAccepted") }
    case "NotFound":
    case "FileNotFound":
      return { status: 404, title: t("errors.notFound") }
    case "AttachmentRefused":
      return "reason" in error && error.reason === "TooLarge" ? { status: 413, title: t("errors.tooLarge") } : { status: 422, title: t("errors.notAccepted") }
    case "InvalidInput":
    case "FieldRefusal":
      return { status: 422, title: t("errors.invalidInput") }
    case "PayloadTooLarge":
      return { status: 413, title: t("errors.tooLarge") }
    case "UnsupportedMediaType":
      return { status: 415, title: t("errors.unsupportedType") }
    default:
      return { status: 500, title: t("errors.error") }
  }
}

/** What a failure says, in the request's language: a core refusal by its tag and reason (`refusalText`), else its own message. */
export const describe = (error: Tagged): string => {
  if (error._tag === "FileNotFound") return t("errors.fileNotFound")
  if (error._tag === "VersionConflict") return t("errors.versionConflict")
  if (error._tag === "Defect") return t("errors.defect")
  if (error._tag === "InboundRejected" && "reason" in error) return String(error.reason)
  if (error instanceof FieldRefusal) {
    const text = error.problem !== undefined ? t(`requests.${error.problem}`) : isTagged(error.refusal) ? refusalText(error.refusal) : undefined
    return `${error.path}: ${text ?? error.message}`
  }
  if (error instanceof InvalidInput) return invalidText(error)
  if (error._tag === "BadRequest" || error._tag === "UnsupportedMediaType" || error._tag === "PayloadTooLarge") return requestText(error) ?? error.message ?? error._tag
  return refusalText(error) ?? error.message ?? error._tag
}

/** Whether the request came from htmx (a fragment is wanted). */
export const isHtmx = (c: Context): boolean => c.req.header("HX-Request") === "true"

/** Render a failure: the notice fragment for htmx (retargeted to the notice area), a small page otherwise. */
export const failure = async (c: Context, error: Tagged): Promise<Response> => {
  const { status, title } = statusOf(error)
  const notice = <Notice kind="error" title={title} message={describe(error)} />
  c.header("Vary", "HX-Request")
  if (isHtmx(c)) {
    c.header("HX-Retarget", `#${Contract.ids.notice}`)
    c.header("HX-Reswap", "innerHTML")
    return c.html(notice, status)
  }
  return c.html(
    <Document title="Switchboard">
      <main class="login">
        {notice}
        <p>
          <a href={Contract.routes.panel}>{t("common.backToPanel")}</a>
        </p>
      </main>
    </Document>,
    status
  )
}


/**
 * Run a program and split its `Exit`: success → `render`, a typed error → `onError`, a defect →
 * logged once, then `onDefect`. The panel and the JSON API differ only in how they answer.
 */
const runAndAnswer = async <A, E>(
  c: Context,
  runtime: PanelRuntime,
  program: Effect.Effect<A, E, PanelServices>,
  render: (value: A) => Response | Promise<Response>,
  onError: (error: Tagged) => Response | Promise<Response>,
  onDefect: () => Response | Promise<Response>
): Promise<Response> => {
  const exit = await runtime.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return render(exit.value)
  const error = Cause.failureOption(exit.cause)
  if (Option.isSome(error) && isTagged(error.value)) return onError(error.value)
  // The method and path are fields of their own (the logger escapes them): a path is user input.
  await runtime.runPromise(Effect.logError("request failed", exit.cause).pipe(Effect.annotateLogs({ method: c.req.method, path: c.req.path })))
  return onDefect()
}

/**
 * Run a program on the runtime and turn its `Exit` into a response: success → `render`,
 * each typed error → its status with a fragment (400 `BadRequest`, 409 `DialogRejected`,
 * 404 `NotFound`, 422 `InvalidInput`), defects → 500, logged.
 */
export const respond = <A, E>(
  c: Context,
  runtime: PanelRuntime,
  program: Effect.Effect<A, E, PanelServices>,
  render: (value: A) => Response | Promise<Response>
): Promise<Response> =>
  runAndAnswer(c, runtime, program, render, (error) => failure(c, error), () =>
    failure(c, { _tag: "Defect" }))

/**
 * A failure as the JSON API answers it: `{ error, path?, message }` with the error's status. An
 * `InvalidInput` keeps core's English `message` (what API clients have always read) and lists its
 * `issues` (path, code, params, message) for a client to word in its own language.
 */
export const failureJson = (c: Context, error: Tagged): Response =>
  c.json({ ...error, error: error._tag, message: error instanceof InvalidInput ? error.message : describe(error) }, statusOf(error).status)

/** The JSON API's `respond`: the same mapping, errors as `{ error, path?, message }`. */
export const respondJson = <A, E>(
  c: Context,
  runtime: PanelRuntime,
  program: Effect.Effect<A, E, PanelServices>,
  render: (value: A) => Response | Promise<Response>
): Promise<Response> =>
  runAndAnswer(
    c,
    runtime,
    program,
    render,
    (error) => failureJson(c, error),
    () => c.json({ error: "Defect", message: t("requests.internal") }, 500)
  )
