import { Option, Schema } from "effect"
import type { Actor } from "../access/Access.js"
import { can as holds, type PermissionSettings } from "../access/Access.js"
import type { Author } from "../messages/Message.js"
import type { DialogRejected, DialogState } from "./Dialog.js"

/**
 * What an actor may do to a dialog, by the actor and the dialog's state alone. The panel asks
 * `can` which controls to render; `decide` asks `refusal` for the same rule, so a control shown is
 * a command accepted (as far as the actor and the dialog go: the text, the client's block and the
 * target operator's capacity are checked by `decide` on the command's own facts).
 */
export const DialogAction = Schema.Literal(
  /** See the dialog and its history. */
  "view",
  /** Write to the client (a closed dialog reopens). */
  "write",
  /** Write an internal note. */
  "note",
  "accept",
  "leave",
  "close",
  /** Give the dialog to another operator or a bot. */
  "reassign",
  "returnToBot",
  /** Set topics, tags, "waiting on the client". */
  "edit",
  "detachClient",
  "hold",
  "requeue",
  "handToQueue",
  /** Change the dialog's priority (supervisors, bots and the system). */
  "prioritize",
  "delete",
  /** Reopen a closed dialog and hold it (its last operator, or one who may intervene). */
  "reopen"
)
export type DialogAction = typeof DialogAction.Type

/** Why an action is refused: a `DialogRejected` reason and the message a user reads. */
export interface Refusal {
  readonly reason: DialogRejected["reason"]
  readonly message: string
}

/** The settings the dialog rules read: the ones that widen operator rights. */
export type DialogPermissionSettings = PermissionSettings

const refuse = (reason: Refusal["reason"], message: string): Option.Option<Refusal> => Option.some({ reason, message })
const allowed: Option.Option<Refusal> = Option.none()

const isAssignee = (state: DialogState, actor: Actor): boolean => actor._tag === "User" && Option.contains(state.assigneeId, actor.id)

/** May `actor` see this dialog? Previous operators lose access after reassignment (DLG-08). */
export const canView = (state: DialogState, actor: Actor, settings: DialogPermissionSettings): boolean => {
  if (state.deleted) return false
  if (actor._tag === "System") return true
  if (actor._tag === "Bot") return Option.contains(state.botId, actor.id)
  if (holds(actor, "dialogs.viewAll", settings)) return true
  if (Option.contains(state.assigneeId, actor.id)) return true
  if (Option.exists(state.offer, (offer) => offer.operatorId === actor.id)) return true
  return state.status === "queued" || state.status === "bot"
}

/**
 * Why `actor` may not do `action` to the dialog now, or none if they may. The one place these
 * rules live: `decide` rejects with this refusal, the panel renders what `can` allows.
 */
export const refusal = (actor: Actor, action: DialogAction, state: DialogState, settings: DialogPermissionSettings): Option.Option<Refusal> => {
  if (state.deleted) return refuse("Deleted", "The dialog was deleted")
  // Accept and reassignment explain their own refusals ("already taken", "forbidden"); the rest need access.
  if (action !== "accept" && action !== "reassign" && !canView(state, actor, settings)) return refuse("NotYours", "The dialog is not yours")
  const mine = isAssignee(state, actor)
  const intervenes = holds(actor, "dialogs.intervene", settings)
  const reassigns = holds(actor, "dialogs.reassign", settings)
  switch (action) {
    case "view":
      return allowed
    case "write": {
      if (actor._tag === "Bot") return state.status === "bot" ? allowed : refuse("NotYours", "The bot no longer holds this dialog")
      if (actor._tag !== "User") return allowed
      if (state.status === "closed") return mine || intervenes ? allowed : refuse("NotYours", "The dialog is not yours")
      if (state.status !== "active") return refuse("NotYours", "Accept the dialog before writing to the client")
      return mine || intervenes ? allowed : refuse("NotYours", "The dialog is not yours")
    }
    case "note":
      return actor._tag === "User" ? allowed : refuse("Forbidden", "Only staff write internal notes")
    case "accept":
      if (actor._tag !== "User") return refuse("Forbidden", "Only an operator accepts dialogs")
      if (state.status === "closed") return refuse("Closed", "The dialog is closed")
      if (state.status === "active") return mine ? refuse("AlreadyAssigned", "The dialog is already yours") : refuse("AlreadyTaken", "Another operator has already taken this dialog")
      return allowed
    case "leave":
      if (state.status !== "active") return refuse("NotActive", "The dialog is not active")
      return mine ? allowed : refuse("NotYours", "Only the responsible operator can leave the dialog")
    case "close":
      if (state.status === "closed") return refuse("Closed", "The dialog is already closed")
      return actor._tag === "User" && !mine && !intervenes ? refuse("NotYours", "The dialog is not yours") : allowed
    case "reassign":
      return reassigns || mine ? allowed : refuse("Forbidden", "You may not change the responsible operator")
    case "returnToBot":
      if (state.status === "closed") return refuse("Closed", "The dialog is closed")
      if (state.status === "bot") return refuse("AlreadyAssigned", "The bot already holds the dialog")
      return mine || reassigns ? allowed : refuse("NotYours", "The dialog is not yours")
    case "edit":
      return actor._tag === "User" && !mine && !intervenes ? refuse("NotYours", "The dialog is not yours") : allowed
    case "detachClient":
      return mine || intervenes ? allowed : refuse("Forbidden", "You may not detach the client")
    case "hold":
      if (state.status !== "active") return refuse("NotActive", "Only an active dialog can be put on hold")
      return mine || actor._tag === "System" ? allowed : refuse("NotYours", "The dialog is not yours")
    case "requeue":
      if (state.status !== "active") return refuse("NotActive", "Only an active dialog can be requeued")
      return actor._tag === "System" || reassigns ? allowed : refuse("Forbidden", "You may not requeue dialogs")
    case "handToQueue":
      if (state.status !== "bot" || Option.isNone(state.botId)) return refuse("NotActive", "Only a bot's dialog can be handed to the queue")
      return actor._tag === "User" && !reassigns ? refuse("Forbidden", "Only the bot hands its dialogs over") : allowed
    case "prioritize":
      if (state.status === "closed") return refuse("Closed", "The dialog is closed")
      return actor._tag === "User" && !reassigns ? refuse("Forbidden", "Only supervisors change a dialog's priority") : allowed
    case "delete":
      return mayDelete(actor, settings) ? allowed : refuse("Forbidden", "You may not delete dialogs")
    case "reopen":
      if (actor._tag !== "User") return refuse("Forbidden", "Only staff reopen dialogs")
      if (state.status !== "closed") return refuse("NotActive", "Only a closed dialog can be reopened")
      return mine || intervenes ? allowed : refuse("NotYours", "The dialog is not yours")
  }
}

/**
 * Whether `actor` may delete dialogs at all (DLG-12): the rule `refusal` applies to "delete", for
 * a list's bulk controls, which stand for no dialog in particular.
 */
export const mayDelete = (actor: Actor, settings: DialogPermissionSettings): boolean => holds(actor, "dialogs.delete", settings)

/** Whether `actor` may do `action` to the dialog now (`refusal` is none). */
export const can = (actor: Actor, action: DialogAction, state: DialogState, settings: DialogPermissionSettings): boolean =>
  Option.isNone(refusal(actor, action, state, settings))

/** What may be done to one sent message (MSG-04). */
export type MessageAction = "editMessage" | "deleteMessage"

/** The facts of a message its rule reads. */
export interface MessageFacts {
  readonly author: Author
  readonly internal: boolean
  readonly deleted: boolean
}

/** The company switches that turn editing and deleting off (MSG-04). */
export interface MessagePermissionSettings extends DialogPermissionSettings {
  readonly forbidEditing: boolean
  readonly forbidDeleting: boolean
}

/** What the dialog's channel lets change after sending. */
export interface MessageChannelFacts {
  readonly editMessages: boolean
  readonly deleteMessages: boolean
}

/**
 * Why `actor` may not edit or delete `message` now, or none (MSG-04): only its author, unless the
 * company or (for what the client sees) the channel forbids it, and a reply only while the dialog
 * is theirs (or they may intervene). `decide` rejects with it; the panel shows the controls it allows.
 */
export const messageRefusal = (
  actor: Actor,
  action: MessageAction,
  state: DialogState,
  message: MessageFacts,
  settings: MessagePermissionSettings,
  channel: MessageChannelFacts
): Option.Option<Refusal> => {
  if (state.deleted) return refuse("Deleted", "The dialog was deleted")
  if (!canView(state, actor, settings)) return refuse("NotYours", "The dialog is not yours")
  if (message.deleted) return refuse("UnknownMessage", "The message does not exist")
  const editing = action === "editMessage"
  if (editing ? settings.forbidEditing : settings.forbidDeleting) {
    return refuse(editing ? "EditForbidden" : "DeleteForbidden", editing ? "Editing messages is turned off" : "Deleting messages is turned off")
  }
  if (!message.internal && !(editing ? channel.editMessages : channel.deleteMessages)) {
    return refuse(editing ? "EditForbidden" : "DeleteForbidden", "The channel does not support it")
  }
  const own = actor._tag === "User" && message.author._tag === "Operator" && message.author.userId === actor.id
  if (!own) return refuse("Forbidden", "Only the author may change a message")
  if (!isAssignee(state, actor) && !message.internal && !holds(actor, "dialogs.intervene", settings)) return refuse("NotYours", "The dialog is not yours any more")
  return allowed
}

/** Whether `actor` may edit or delete `message` now (`messageRefusal` is none). */
export const canChangeMessage = (
  actor: Actor,
  action: MessageAction,
  state: DialogState,
  message: MessageFacts,
  settings: MessagePermissionSettings,
  channel: MessageChannelFacts
): boolean => Option.isNone(messageRefusal(actor, action, state, message, settings, channel))
