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
   * The first issue of a Schema parse error as an `InvalidInput` naming its path
   * (`message.attachments[0].size`).
   */
  static fromParseError(error: ParseResult.ParseError): InvalidInput {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
    const first = issues[0]
    const path = first === undefined ? "" : formatPath(first.path)
    const message = issues.map((issue) => `${formatPath(issue.path) || "(root)"}: ${issue.message}`).join("; ")
    return new InvalidInput({ path, message })
  }
}

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`),
    ""
  )

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
  entity: Schema.Literal("dialog", "client", "user", "channel", "message"),
  id: Schema.String
}) {}

/** The actor lacks the permission for an action outside any one aggregate (company settings…). */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  action: Schema.String,
  message: Schema.String
}) {}
