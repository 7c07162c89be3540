import { ParseResult, Schema } from "effect"
import { excerpt, formatPath, Issue, type IssueCode, type IssueParams, issuesOf, maxIssues } from "./Issue.js"

export { excerpt } from "./Issue.js"

/**
 * Input that does not match its Schema. `path` names the bad field (`message.text`,
 * `attachments[2].size`) so an API client or a form can point at it; `message` says what is wrong
 * in English (logs, API clients). `issues` says it again as codes and params a user interface
 * words in the user's language (issue 22); an `InvalidInput` made before they existed, or by a
 * route with its own words, has none (`issuesOf` then gives one `other` issue).
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  path: Schema.String,
  message: Schema.String,
  issues: Schema.optional(Schema.Array(Issue))
}) {
  /**
   * The issues of a decode, each as `path: reason`. The answer stays short whatever the input: at
   * most a few issues, each cut to an excerpt (a 10 MB field is not echoed back), and a value
   * nested too deeply to describe is named by its path alone.
   */
  static fromParseError(error: ParseResult.ParseError): InvalidInput {
    const described = describeIssues(error.issue)
    const issues = issuesOf(error.issue)
    const path = described[0]?.path ?? issues[0]?.path ?? ""
    const message = described.slice(0, maxIssues).map((issue) => `${issue.path || "(root)"}: ${excerpt(issue.message)}`).join("; ")
    return new InvalidInput({ path, message, issues })
  }

  /** One field's problem, said by core itself (not a Schema): the English `path: message`, and its code and params. */
  static of(path: string, code: IssueCode, message: string, params?: IssueParams): InvalidInput {
    const issue: Issue = params === undefined ? { path, code, message } : { path, code, params, message }
    return new InvalidInput({ path, message: `${path}: ${message}`, issues: [issue] })
  }

  /** The issues to show: the structured ones, else the English message as one `other` issue at `path`. */
  static issuesOf(invalid: { readonly path: string; readonly message: string; readonly issues?: ReadonlyArray<Issue> | undefined }): ReadonlyArray<Issue> {
    return invalid.issues !== undefined && invalid.issues.length > 0 ? invalid.issues : [{ path: invalid.path, code: "other", message: invalid.message }]
  }
}

type Described = { readonly path: string; readonly message: string }

const describeIssues = (issue: ParseResult.ParseIssue): ReadonlyArray<Described> => {
  try {
    return ParseResult.ArrayFormatter.formatIssueSync(issue).map((item) => ({ path: formatPath(item.path), message: item.message }))
  } catch {
    // Effect's formatter echoes the bad value and recurses into it: a value nested thousands of
    // levels deep overflows the stack (a RangeError, or a FiberFailure wrapping one). Name the
    // place without describing the value.
    return [{ path: formatPath(firstPath(issue)), message: "nested too deeply to describe" }]
  }
}

/** The path to the first issue, walked without formatting any value (bounded by the issue's own depth). */
const firstPath = (root: ParseResult.ParseIssue): ReadonlyArray<PropertyKey> => {
  const path: Array<PropertyKey> = []
  let issue: ParseResult.ParseIssue | undefined = root
  while (issue !== undefined) {
    switch (issue._tag) {
      case "Pointer":
        path.push(...(Array.isArray(issue.path) ? issue.path : [issue.path]))
        issue = issue.issue
        break
      case "Composite":
        issue = Array.isArray(issue.issues) ? issue.issues[0] : issue.issues
        break
      case "Refinement":
      case "Transformation":
        issue = issue.issue
        break
      default:
        issue = undefined
    }
  }
  return path
}

/**
 * Another writer appended to a stream after we read it. The engine retries the command on a
 * fresh state; callers see it only when retries run out.
 */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  streamId: Schema.String,
  expectedVersion: Schema.Number,
  actualVersion: Schema.optional(Schema.Number)
}) {}

/** A referenced dialog, client, user or channel does not exist (or is not visible to the actor). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  entity: Schema.Literal("dialog", "client", "user", "channel", "message", "quickReply", "folder"),
  id: Schema.String
}) {}

/** The actor lacks the permission for an action outside any one aggregate (company settings…). */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  action: Schema.String,
  message: Schema.String
}) {}
