import { SqlError } from "@effect/sql/SqlError"
import { MessageId, VersionConflict } from "@switchboard/core"
import { Cause, Exit, Option, Schema } from "effect"

// What the SQLSTATEs of the commit functions (`functions/`) mean for their callers: a conflict the
// engine retries, a check that found something, or a defect.

/** SQLSTATEs that mean "another writer got there first": the command is retried like a stale version. */
const concurrencyCodes = new Set(["40001", "40P01", "23505"])

/** The SQLSTATE of a failed statement, when the driver gave one. */
export const sqlStateOf = (error: SqlError): string | undefined => {
  const cause: unknown = error.cause
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code
  return undefined
}

/** The SQLSTATE `switchboard_commit` raises on a stale version or a taken identity; DETAIL carries the conflict. */
const conflictCode = "SB409"

const ConflictDetail = Schema.parseJson(Schema.Struct({
  streamId: Schema.String,
  expectedVersion: Schema.Number,
  actualVersion: Schema.optional(Schema.Number)
}))
const decodeConflictDetail = Schema.decodeUnknownOption(ConflictDetail)

const conflictOf = (detail: unknown): VersionConflict =>
  Option.match(decodeConflictDetail(detail), {
    onNone: () => new VersionConflict({ streamId: `sqlstate:${conflictCode}`, expectedVersion: -1 }),
    onSome: (conflict) => new VersionConflict(conflict)
  })

/** The SQLSTATE `switchboard_first_contact` raises when a client is already reachable at the address; DETAIL carries them. */
const knownCode = "SB303"

/** A first contact found the address taken: DETAIL holds the client and their dialog there (`functions/switchboard_first_contact.sql`). */
export class AddressKnown {
  readonly _tag = "AddressKnown"
  constructor(readonly detail: unknown) {}
}

/** The SQLSTATE `switchboard_first_contact` raises when a client's message is stored already; DETAIL names it. */
const seenCode = "SB208"

/** A client's message was stored already: DETAIL holds its id (`functions/switchboard_first_contact.sql`). */
export class MessageSeen {
  readonly _tag = "MessageSeen"
  constructor(readonly detail: unknown) {}
}

/** What the check before a commit found (and so wrote nothing). */
export type Checked = AddressKnown | MessageSeen

const SeenDetail = Schema.parseJson(Schema.Struct({ messageId: MessageId }))
/** Decodes the DETAIL of SB208. */
export const decodeSeen = Schema.decodeUnknown(SeenDetail)

/** DETAIL of SB303: the client at the address and their current dialog there, states still encoded. */
const KnownDetail = Schema.parseJson(Schema.Struct({
  client: Schema.Struct({ version: Schema.Number, state: Schema.Unknown }),
  dialog: Schema.NullOr(Schema.Struct({ version: Schema.Number, state: Schema.Unknown }))
}))
/** Decodes the DETAIL of SB303. */
export const decodeKnown = Schema.decodeUnknown(KnownDetail)

/** What a failed commit statement means for its caller: a conflict (retried like a stale version) or a defect. */
export const failureOf = (exit: Exit.Exit<unknown, SqlError>): Exit.Exit<never, VersionConflict | Checked> => {
  if (Exit.isSuccess(exit)) return Exit.die(new Error("failureOf: not a failure"))
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return Exit.failCause(exit.cause as Cause.Cause<never>)
  const error = failure.value
  const code = sqlStateOf(error)
  const cause: unknown = error.cause
  const detail = typeof cause === "object" && cause !== null && "detail" in cause ? cause.detail : undefined
  if (code === conflictCode) return Exit.fail(conflictOf(detail))
  if (code === knownCode) return Exit.fail(new AddressKnown(detail))
  if (code === seenCode) return Exit.fail(new MessageSeen(detail))
  return code !== undefined && concurrencyCodes.has(code) ? Exit.fail(new VersionConflict({ streamId: `sqlstate:${code}`, expectedVersion: -1 })) : Exit.die(error)
}

/** The same for one commit of a group, from the error its subtransaction caught. */
export const groupFailure = (row: { readonly out_sqlstate: string | null; readonly out_message: string | null; readonly out_detail: string | null }): Exit.Exit<never, VersionConflict | Checked> => {
  const code = row.out_sqlstate ?? ""
  if (code === conflictCode) return Exit.fail(conflictOf(row.out_detail))
  if (code === knownCode) return Exit.fail(new AddressKnown(row.out_detail))
  if (code === seenCode) return Exit.fail(new MessageSeen(row.out_detail))
  if (concurrencyCodes.has(code)) return Exit.fail(new VersionConflict({ streamId: `sqlstate:${code}`, expectedVersion: -1 }))
  return Exit.die(new SqlError({ cause: { code, message: row.out_message, detail: row.out_detail }, message: `switchboard_commit_group: ${row.out_message ?? code}` }))
}
