import { Option, Schema } from "effect"
import { type Actor, can, type PermissionSettings } from "../access/Access.js"
import { maxTextLength } from "../messages/Message.js"
import { Instant, UserId } from "../shared/Ids.js"
import { IssueAnnotationId, issueAnnotation, optionsParam } from "../shared/Issue.js"
import { limits, storable, StoredName } from "../shared/StoredText.js"

/** Identifies a quick reply (PRD-01). */
export const QuickReplyId = Schema.NonEmptyTrimmedString.pipe(storable(limits.id), Schema.brand("QuickReplyId"))
export type QuickReplyId = typeof QuickReplyId.Type

/**
 * The variables a quick reply's text may hold, each written `{{name}}`: `{{client_name}}` is the
 * dialog's client as the panel names them, `{{operator_name}}` the operator who inserts the reply.
 * They are filled in on the server when the reply is inserted (`fill`); any other `{{…}}` is refused
 * when the reply is saved, so a typo never reaches a client.
 */
export const variables = ["client_name", "operator_name"] as const
/** One of `variables`. */
export type Variable = (typeof variables)[number]

/** What `fill` puts in for each variable. */
export type VariableValues = Readonly<Record<Variable, string>>

const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g

/** The `{{…}}` names in `text` that are no variable, in order of appearance, each once. */
export const unknownVariables = (text: string): ReadonlyArray<string> => [
  ...new Set([...text.matchAll(placeholder)].map((match) => match[1] ?? "").filter((name) => !(variables as ReadonlyArray<string>).includes(name)))
]

/** `text` with each `{{variable}}` replaced by its value (spaces inside the braces allowed); other text unchanged. */
export const fill = (text: string, values: VariableValues): string =>
  text.replace(placeholder, (whole, name: string) => ((variables as ReadonlyArray<string>).includes(name) ? values[name as Variable] : whole))

/** A quick reply's text: what an operator can send (at most `Message.maxTextLength` characters), with known variables only. */
export const QuickReplyText = Schema.Trim.pipe(
  Schema.minLength(1, { message: () => "Write the reply's text" }),
  Schema.maxLength(maxTextLength, { message: () => `A quick reply is at most ${maxTextLength} characters` }),
  storable(maxTextLength),
  Schema.filter((text) => {
    const unknown = unknownVariables(text)
    return unknown.length === 0 || `Unknown variable {{${unknown[0]}}}: use ${variables.map((name) => `{{${name}}}`).join(" or ")}`
  }, {
    [IssueAnnotationId]: (actual: unknown) => ({
      code: "unknownVariable" as const,
      params: { name: typeof actual === "string" ? (unknownVariables(actual)[0] ?? "") : "", variables: optionsParam(variables.map((name) => `{{${name}}}`)) }
    })
  })
)

/** A category or a title: a short non-empty name. */
const ReplyName = (what: string) =>
  Schema.Trim.pipe(
    Schema.minLength(1, { message: () => `Give the reply a ${what}` }),
    Schema.maxLength(limits.name, { message: () => `A ${what} is at most ${limits.name} characters` }),
    storable(limits.name)
  )

/**
 * A prepared answer the operator inserts from the composer (PRD-01): company-wide (no `owner`,
 * managed by holders of `quickReplies.manage`) or personal (its `owner` alone sees and manages it).
 */
export const QuickReply = Schema.Struct({
  id: QuickReplyId,
  owner: Schema.OptionFromNullOr(UserId),
  category: StoredName(limits.name),
  title: StoredName(limits.name),
  text: Schema.String.pipe(storable(maxTextLength)),
  createdAt: Instant
})
export type QuickReply = typeof QuickReply.Type

/** Who a quick reply is for: the whole company, or the one who saves it. */
export const QuickReplyScope = Schema.Literal("company", "personal")
export type QuickReplyScope = typeof QuickReplyScope.Type

/** One of a few words (a form's choice), refused with `message` otherwise. */
const oneOf = <const Choices extends ReadonlyArray<string>>(message: string, ...choices: Choices) =>
  Schema.String.pipe(Schema.filter((value): value is Choices[number] => choices.includes(value), { message: () => message, ...issueAnnotation("notOneOf", { options: optionsParam(choices) }) }))

/** The form that creates a quick reply; every field's message names what to fix. */
export const QuickReplyForm = Schema.Struct({
  scope: oneOf("Choose company-wide or personal", "company", "personal"),
  category: ReplyName("category"),
  title: ReplyName("title"),
  text: QuickReplyText
})
export type QuickReplyForm = typeof QuickReplyForm.Type

/** The scope of a stored reply. */
export const scopeOf = (reply: QuickReply): QuickReplyScope => (Option.isNone(reply.owner) ? "company" : "personal")

/** May `actor` see (and insert) this reply: every company reply, and their own personal ones. */
export const canUse = (actor: Actor, reply: QuickReply): boolean =>
  Option.match(reply.owner, { onNone: () => true, onSome: (owner) => actor._tag === "User" && actor.id === owner })

/**
 * May `actor` create or delete a reply of this scope (owned by `owner` when personal): company
 * replies need `quickReplies.manage` (admins and supervisors), personal ones belong to their owner.
 * The panel asks it which controls to show; `Composer` enforces it.
 */
export const canManage = (actor: Actor, scope: QuickReplyScope, owner: Option.Option<UserId>, settings: PermissionSettings): boolean =>
  scope === "company" ? can(actor, "quickReplies.manage", settings) : actor._tag === "User" && Option.contains(owner, actor.id)

/** Which key sends from the composer (MSG-08, PRD-03): Ctrl+Enter (Enter is a new line), or Enter (Shift+Enter is a new line). */
export const SendKey = oneOf("Choose Ctrl+Enter or Enter", "ctrlEnter", "enter")
export type SendKey = typeof SendKey.Type

/** A signature's longest length, kept well below a message's so a reply still has room. */
export const maxSignatureLength = 500

/** A user's composer settings: the send key and the signature appended to replies (MSG-11). */
export const ComposerPreferences = Schema.Struct({
  userId: UserId,
  sendKey: SendKey,
  signature: Schema.Trim.pipe(
    Schema.maxLength(maxSignatureLength, { message: () => `A signature is at most ${maxSignatureLength} characters` }),
    storable(maxSignatureLength)
  )
})
export type ComposerPreferences = typeof ComposerPreferences.Type

/** The preferences form (the account page): the fields of `ComposerPreferences` a user sets. */
export const PreferencesForm = ComposerPreferences.pipe(Schema.omit("userId"))
export type PreferencesForm = typeof PreferencesForm.Type

/** A user's preferences before they save any: Ctrl+Enter sends, no signature. */
export const defaultPreferences = (userId: UserId): ComposerPreferences => ({ userId, sendKey: "ctrlEnter", signature: "" })

/** A reply to the client as sent: the text, then a blank line and the signature when there is one (MSG-11; never on internal notes). */
export const withSignature = (text: string, signature: string, internal: boolean): string =>
  internal || signature === "" || text.trim() === "" ? text : `${text}\n\n${signature}`
