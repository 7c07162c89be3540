import { ParseResult, Schema } from "effect"

/**
 * Input that does not match its Schema. `path` names the bad field (`message.text`,
 * `attachments[2].size`) so an API client or a form can point at it.
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  path: Schema.String,
  message: Schema.String
}) {
  /**
   * The issues of a decode, each as `path: reason`. The answer stays short whatever the input: at
   * most a few issues, each cut to an excerpt (a 10 MB field is not echoed back), and a value
   * nested too deeply to describe is named by its path alone.
   */
  static fromParseError(error: ParseResult.ParseError): InvalidInput {
    const issues = describeIssues(error.issue)
    const path = issues[0]?.path ?? ""
    const message = issues.slice(0, maxIssues).map((issue) => `${issue.path || "(root)"}: ${excerpt(issue.message)}`).join("; ")
    return new InvalidInput({ path, message })
  }
}

/** How many issues an `InvalidInput` lists, and how long an excerpt of a message or a path key may be. */
const maxIssues = 5
const excerptLength = 160

/** The first `excerptLength` characters of `text`, marked when cut. */
export const excerpt = (text: string, length: number = excerptLength): string =>
  text.length <= length ? text : `${text.slice(0, length)}… (${text.length} characters)`

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

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  excerpt(
    path.reduce<string>(
      (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? excerpt(String(key), 64) : `${acc}.${excerpt(String(key), 64)}`),
      ""
    )
  )

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
