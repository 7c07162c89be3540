import { Either, Option } from "effect"
import type { Actor } from "../access/Access.js"
import { Delivery, Message, type Author, countedLength, deliveryRank, maxTextLength } from "../messages/Message.js"
import type { MessageInput } from "../messages/Message.js"
import { type ChannelId, type ClientId, type DialogId, MessageId, type QueueId, type UserId } from "../shared/Ids.js"
import type { IssueParams } from "../shared/Issue.js"
import * as AttachmentPolicy from "../files/AttachmentPolicy.js"
import * as Dialog from "./Dialog.js"
import type { DecideContext, DialogCommand, DialogEvent, DialogState } from "./Dialog.js"
import * as Permissions from "./Permissions.js"
import * as SystemMessages from "./SystemMessages.js"

type Result = Either.Either<ReadonlyArray<DialogEvent>, Dialog.DialogRejected>

/**
 * Messages and their events are built here from decoded commands and state, so their Schema
 * constructors skip re-validating them (`disableValidation`): that cost ~70 µs per message.
 */
const trusted = true

const actorLabel = (actor: Actor): string => (actor._tag === "User" ? actor.id : actor._tag === "Bot" ? actor.id : "system")

/** The id of the `seq`-th message of a dialog: unique without an id generator. */
export const messageIdOf = (dialogId: DialogId, seq: number): MessageId => MessageId.make(`${dialogId}.m${seq}`)

/** The message a command refers to (the one edited, deleted, delivery-updated or quoted), if any. */
export const referencedMessageId = (command: DialogCommand): MessageId | undefined =>
  command._tag === "EditMessage" || command._tag === "DeleteMessage" || command._tag === "UpdateDelivery"
    ? command.messageId
    : command._tag === "SendMessage"
    ? command.quoteOf
    : undefined

/** May `actor` see this dialog? (`Permissions.canView`, here for the callers that know it from the decider.) */
export const canView = Permissions.canView

/**
 * The dialog decider: every rule about who may do what to a dialog lives here. Pure: time,
 * actor and facts from other aggregates arrive in `ctx`; it never throws and never reads a clock.
 */
export const decide = (state: DialogState, command: DialogCommand, ctx: DecideContext): Result => {
  const reject = (reason: Dialog.DialogRejected["reason"], message: string, params?: IssueParams): Result =>
    Either.left(new Dialog.DialogRejected(params === undefined ? { dialogId: state.id, reason, message } : { dialogId: state.id, reason, message, params }))
  const ok = (...events: ReadonlyArray<DialogEvent>): Result => Either.right(events)
  const by = actorLabel(ctx.actor)
  const now = ctx.now
  /** The actor-and-state rule for `action` (`Permissions.refusal`), as this decision's rejection. */
  const refused = (action: Permissions.DialogAction): Result | undefined =>
    Option.match(Permissions.refusal(ctx.actor, action, state, ctx.settings), {
      onNone: () => undefined,
      onSome: (refusal) => reject(refusal.reason, refusal.message)
    })

  if (state.deleted) return reject("Deleted", "The dialog was deleted")
  // Accept and Reassign explain their own refusals ("already taken", "forbidden"); the rest need access.
  const selfChecked = ["ReceiveClientMessage", "UpdateDelivery", "Accept", "Reassign"].includes(command._tag)
  if (!selfChecked && !canView(state, ctx.actor, ctx.settings)) {
    return reject("NotYours", "The dialog is not yours")
  }

  let seq = state.messageSeq
  const systemMessage = (key: SystemMessages.SystemMessageKey, name?: string): DialogEvent =>
    new Dialog.StaffMessageSent({
      message: outgoing(state.id, ++seq, { _tag: "System" }, false, SystemMessages.render(key, name === undefined ? {} : { name }, ctx.client?.language, ctx.settings.mainLanguage), [], Option.none(), now)
    }, trusted)
  const clientReachable = ctx.client !== undefined && !ctx.client.blocked && Option.isSome(state.clientId)

  switch (command._tag) {
    case "ReceiveClientMessage": {
      if (command.externalId !== undefined && state.recentExternalIds.some(([externalId]) => externalId === command.externalId)) return ok()
      const blocked = ctx.client?.blocked === true
      const events: Array<DialogEvent> = []
      const message = (): Dialog.ClientMessageReceived =>
        new Dialog.ClientMessageReceived({
          message: new Message({
            id: messageIdOf(state.id, ++seq),
            dialogId: state.id,
            seq,
            author: { _tag: "Client" },
            internal: false,
            text: command.input.text,
            attachments: command.input.attachments,
            quoteOf: Option.none(),
            createdAt: now,
            editedAt: Option.none(),
            deletedAt: Option.none(),
            delivery: Option.none(),
            rejected: blocked,
            externalId: Option.fromNullable(command.externalId)
          }, trusted)
        }, trusted)
      if (blocked) return ok(message())
      const payload = command.payload?.trim().toLowerCase()
      if (state.status === "closed") {
        const score = payload?.startsWith("rate:") === true ? Number(payload.slice(5)) : Number.NaN
        if (state.ratingRequested && Option.isNone(state.rating) && Number.isInteger(score) && score >= 1 && score <= 5) {
          return ok(message(), new Dialog.RatingGiven({ score, at: now }, trusted))
        }
        events.push(new Dialog.DialogReopened({ cause: "client", operatorId: Option.none(), at: now }, trusted))
      }
      events.push(message())
      if (state.status === "active" && Option.isSome(state.pendingClose)) {
        const pending = state.pendingClose.value
        const answer = payload === "no" ? "no" : "yes"
        events.push(new Dialog.MoreQuestionsAnswered({ answer, at: now }, trusted))
        if (answer === "no") {
          events.push(...closing("client", pending.reasonId, pending.by))
        }
      }
      return ok(...events)
    }

    case "SendMessage": {
      const checked = checkText(command.input.text, command.input.attachments.length, ctx) ?? checkAttachments(command.input.attachments, command.internal, ctx)
      if (checked !== undefined) return reject(checked[0], checked[1], checked[2])
      if (command.quoteOf !== undefined) {
        const quoted = ctx.message
        if (quoted === undefined || quoted.deleted) return reject("UnknownMessage", "The quoted message does not exist")
      }
      const author = authorOf(ctx.actor)
      if (command.internal) {
        const mayNote = refused("note")
        if (mayNote !== undefined) return mayNote
        return ok(new Dialog.StaffMessageSent({
          message: outgoing(state.id, seq + 1, author, true, command.input.text, command.input.attachments, Option.fromNullable(command.quoteOf), now)
        }, trusted))
      }
      if (Option.isNone(state.clientId)) return reject("NoClient", "The client was detached from this dialog")
      if (ctx.client?.blocked === true) return reject("ClientBlocked", "The client is blocked: unblock them to write")
      const mayWrite = refused("write")
      if (mayWrite !== undefined) return mayWrite
      const events: Array<DialogEvent> = []
      if (ctx.actor._tag === "User" && state.status === "closed") {
        events.push(new Dialog.DialogReopened({ cause: "operator", operatorId: Option.some(ctx.actor.id), at: now }, trusted))
      }
      events.push(new Dialog.StaffMessageSent({
        message: outgoing(state.id, seq + 1, author, false, command.input.text, command.input.attachments, Option.fromNullable(command.quoteOf), now)
      }, trusted))
      return ok(...events)
    }

    case "EditMessage":
    case "DeleteMessage": {
      const entry = ctx.message
      if (entry === undefined || entry.deleted) return reject("UnknownMessage", "The message does not exist")
      const refusal = Permissions.messageRefusal(ctx.actor, command._tag === "EditMessage" ? "editMessage" : "deleteMessage", state, entry, ctx.settings, ctx.channel)
      if (Option.isSome(refusal)) return reject(refusal.value.reason, refusal.value.message)
      if (command._tag === "DeleteMessage") return ok(new Dialog.MessageDeleted({ messageId: command.messageId, by, at: now }, trusted))
      const checked = checkText(command.text, 0, ctx)
      if (checked !== undefined) return reject(checked[0], checked[1], checked[2])
      return ok(new Dialog.MessageEdited({ messageId: command.messageId, text: command.text, by, at: now }, trusted))
    }

    case "UpdateDelivery": {
      const entry = ctx.message
      if (entry === undefined || entry.author._tag === "Client" || entry.internal) return reject("UnknownMessage", "No such outgoing message")
      const current = Option.getOrElse(entry.delivery, () => "queued" as const)
      const advances = command.status === "failed" ? current !== "read" && current !== "failed" : current !== "failed" && deliveryRank[command.status] > deliveryRank[current]
      if (!advances) return ok()
      return ok(new Dialog.DeliveryUpdated({
        messageId: command.messageId,
        delivery: new Delivery({ status: command.status, at: now, ...(command.reason === undefined ? {} : { reason: command.reason }) }, trusted)
      }, trusted))
    }

    case "HandToQueue": {
      if (state.status !== "bot" || Option.isNone(state.botId)) return reject("NotActive", "Only a bot's dialog can be handed to the queue")
      return refused("handToQueue") ?? ok(new Dialog.HandedToQueue({ botId: state.botId.value, at: now }, trusted))
    }

    case "Accept": {
      const mayAccept = refused("accept")
      if (mayAccept !== undefined || ctx.actor._tag !== "User") return mayAccept ?? reject("Forbidden", "Only an operator accepts dialogs")
      if (ctx.target !== undefined && !ctx.target.available) return reject("Unavailable", "Your status does not allow taking dialogs")
      const events: Array<DialogEvent> = []
      const offeredToOther = Option.filter(state.offer, (offer) => offer.operatorId !== (ctx.actor as { id: UserId }).id)
      if (Option.isSome(offeredToOther)) events.push(new Dialog.OfferEnded({ operatorId: offeredToOther.value.operatorId, outcome: "rescinded", at: now }, trusted))
      const over = ctx.target !== undefined && ctx.target.load >= ctx.target.capacity && !Option.exists(state.offer, (offer) => offer.operatorId === (ctx.actor as { id: UserId }).id)
      events.push(assigned(ctx.actor.id, "accept", over))
      if (ctx.settings.joinNotices && clientReachable) events.push(systemMessage("operatorJoined", ctx.actor.name))
      return ok(...events)
    }

    case "Leave": {
      return refused("leave") ?? ok(new Dialog.DialogRequeued({ reason: "left", fromOperatorId: state.assigneeId, queueId: state.queueId, enqueuedAt: Option.getOrElse(state.enqueuedAt, () => now), at: now }, trusted))
    }

    case "ReturnToBot": {
      const mayReturn = refused("returnToBot")
      if (mayReturn !== undefined) return mayReturn
      const botId = command.botId ?? Option.getOrUndefined(state.botId)
      if (botId === undefined) return reject("NoBot", "This dialog has no bot to return to")
      return ok(new Dialog.ReturnedToBot({ botId, by, at: now }, trusted))
    }

    case "Close": {
      const mayClose = refused("close")
      if (mayClose !== undefined) return mayClose
      if (ctx.settings.topicsEnabled && ctx.settings.topicRequired && state.topics.length === 0) {
        return reject("TopicRequired", "Choose at least one topic before closing")
      }
      // With a catalog of close reasons, only its reasons (DLG-06); without one, any.
      if (command.reasonId !== undefined && ctx.settings.closeReasons.length > 0 && !ctx.settings.closeReasons.some((reason) => reason.id === command.reasonId)) {
        return reject("UnknownReason", `The company has no close reason "${command.reasonId}"`, { id: command.reasonId })
      }
      const reasonId = Option.fromNullable(command.reasonId)
      if (ctx.settings.anyMoreQuestions && !command.force && state.status === "active" && clientReachable) {
        if (Option.isSome(state.pendingClose)) return ok()
        return ok(new Dialog.MoreQuestionsAsked({ reasonId, by, at: now }, trusted), systemMessage("moreQuestions"))
      }
      return ok(...closing("operator", reasonId, by))
    }

    case "CloseForInactivity": {
      const minutes = ctx.settings.inactivityCloseMinutes
      if (minutes === null) return reject("NotDue", "Inactivity close is off")
      if (state.status !== "active") return reject("NotActive", "Only an active dialog closes for inactivity")
      const waitingSince = inactivitySince(state)
      if (waitingSince === undefined || now < waitingSince + minutes * 60_000) return reject("NotDue", "The client answered or time is not up")
      return ok(...closing("inactivity", Option.none(), "system"))
    }

    case "Reassign": {
      const mayReassign = refused("reassign")
      if (mayReassign !== undefined) return mayReassign
      if (command.to._tag === "Bot") {
        if (state.status === "bot" && Option.contains(state.botId, command.to.botId)) return reject("AlreadyAssigned", "The bot already holds the dialog")
        if (state.status === "closed") return reject("Closed", "A closed dialog cannot go to a bot")
        return ok(new Dialog.ReturnedToBot({ botId: command.to.botId, by, at: now }, trusted))
      }
      const to = command.to.userId
      if (Option.contains(state.assigneeId, to) && state.status !== "queued" && state.status !== "bot") return reject("AlreadyAssigned", "The dialog is already theirs")
      if (ctx.target !== undefined && ctx.target.load >= ctx.target.capacity && ctx.manualOverCapacity === "deny" && state.status !== "closed") {
        return reject("OverCapacity", "The operator has no free capacity")
      }
      const over = state.status !== "closed" && ctx.target !== undefined && ctx.target.load >= ctx.target.capacity
      const events: Array<DialogEvent> = []
      if (Option.isSome(state.offer)) events.push(new Dialog.OfferEnded({ operatorId: state.offer.value.operatorId, outcome: "rescinded", at: now }, trusted))
      events.push(assigned(to, "reassign", over))
      if (state.status !== "closed" && clientReachable) {
        const changed = Option.isSome(state.assigneeId) && state.status === "active"
        if (changed ? ctx.settings.changeNotices : ctx.settings.joinNotices) events.push(systemMessage(changed ? "operatorChanged" : "operatorJoined", ctx.nameOf(to)))
      }
      return ok(...events)
    }

    case "MarkRead":
    case "MarkUnread": {
      if (ctx.actor._tag !== "User") return reject("Forbidden", "Only panel users read dialogs")
      return command._tag === "MarkRead"
        ? ok(new Dialog.DialogRead({ userId: ctx.actor.id, clientMessageCount: state.clientMessageCount, at: now }, trusted))
        : ok(new Dialog.DialogMarkedUnread({ userId: ctx.actor.id, at: now }, trusted))
    }

    case "SaveDraft": {
      if (ctx.actor._tag !== "User") return reject("Forbidden", "Only panel users keep drafts")
      if ((state.drafts[ctx.actor.id] ?? "") === command.text) return ok()
      if (command.text !== "" && state.status === "closed") return reject("Closed", "The dialog is closed: it keeps no draft")
      // A draft that could never be sent is refused, not kept in place of the last one that could (MSG-05).
      const tooLong = checkText(command.text, 1, ctx)
      if (tooLong !== undefined) return reject(tooLong[0], `${tooLong[1]}: the draft was not saved`, { ...tooLong[2], draft: 1 })
      return ok(new Dialog.DraftSaved({ userId: ctx.actor.id, text: command.text, at: now }, trusted))
    }

    case "DeleteDialog":
      return refused("delete") ?? ok(new Dialog.DialogDeleted({ by, at: now }, trusted))

    case "Reopen": {
      const mayReopen = refused("reopen")
      if (mayReopen !== undefined || ctx.actor._tag !== "User") return mayReopen ?? reject("Forbidden", "Only staff reopen dialogs")
      return ok(new Dialog.DialogReopened({ cause: "operator", operatorId: Option.some(ctx.actor.id), at: now }, trusted))
    }

    case "SetTopics":
    case "SetTags": {
      const mayEdit = refused("edit")
      if (mayEdit !== undefined) return mayEdit
      if (command._tag === "SetTopics") {
        if (!ctx.settings.topicsEnabled) return reject("Forbidden", "Topics are turned off")
        const unknownTopic = ctx.settings.topics.length === 0 ? undefined : command.topics.find((topic) => !ctx.settings.topics.some((known) => known.id === topic))
        if (unknownTopic !== undefined) return reject("UnknownTopic", `The company has no topic "${unknownTopic}"`, { id: unknownTopic })
        return ok(new Dialog.TopicsSet({ topics: dedupe(command.topics), by, at: now }, trusted))
      }
      return ok(new Dialog.TagsSet({ tags: dedupe(command.tags), by, at: now }, trusted))
    }

    case "SetPriority":
      return refused("prioritize") ?? (state.priority === command.priority ? ok() : ok(new Dialog.PriorityChanged({ priority: command.priority, by, at: now }, trusted)))

    case "SetLanguage": {
      const language = Option.fromNullable(command.language)
      return refused("edit") ?? (Option.getEquivalence<string>((a, b) => a === b)(state.language, language) ? ok() : ok(new Dialog.LanguageSet({ language, by, at: now }, trusted)))
    }

    case "DetachClient": {
      if (Option.isNone(state.clientId)) return reject("NoClient", "The client is already detached")
      return refused("detachClient") ?? ok(new Dialog.ClientDetached({ clientId: state.clientId.value, by, at: now }, trusted))
    }

    case "OfferDialog": {
      if (ctx.actor._tag !== "System") return reject("Forbidden", "Only the router makes offers")
      if (state.status !== "queued") return reject("NotQueued", "The dialog is not waiting in the queue")
      if (Option.isSome(state.offer)) return reject("AlreadyTaken", "The dialog is already offered")
      if (state.excludedOperators.includes(command.operatorId)) return reject("Excluded", "The operator declined this dialog")
      if (ctx.target !== undefined && (!ctx.target.available || ctx.target.load >= ctx.target.capacity)) return reject("OverCapacity", "The operator cannot take more dialogs")
      if (ctx.target?.servesQueue === false) return reject("Unavailable", "The operator does not serve this dialog's queue")
      if (ctx.target?.skilled === false) return reject("Unavailable", "The operator is in no skill group for this dialog")
      return ok(new Dialog.DialogOffered({ operatorId: command.operatorId, seq: command.seq, at: now, expiresAt: command.expiresAt }, trusted))
    }

    case "DeclineOffer":
    case "ExpireOffer":
    case "RescindOffer": {
      if (Option.isNone(state.offer)) return reject("NoOffer", "There is no pending offer")
      const offer = state.offer.value
      if (command._tag === "DeclineOffer" && !(ctx.actor._tag === "User" && ctx.actor.id === offer.operatorId)) return reject("NotYours", "The offer is not yours")
      if (command._tag !== "DeclineOffer" && ctx.actor._tag !== "System") return reject("Forbidden", "Only the router ends offers")
      if (command._tag === "ExpireOffer" && now < offer.expiresAt) return reject("NotDue", "The offer has not expired yet")
      const outcome = command._tag === "DeclineOffer" ? "declined" : command._tag === "ExpireOffer" ? "expired" : "rescinded"
      return ok(new Dialog.OfferEnded({ operatorId: offer.operatorId, outcome, at: now }, trusted))
    }

    case "RouteToOperator": {
      if (ctx.actor._tag !== "System") return reject("Forbidden", "Only the router assigns")
      if (state.status !== "queued") return reject("NotQueued", "The dialog is not waiting in the queue")
      if (Option.isSome(state.offer)) return reject("AlreadyTaken", "The dialog is offered to someone")
      if (state.excludedOperators.includes(command.operatorId)) return reject("Excluded", "The operator declined this dialog")
      if (ctx.target !== undefined && (!ctx.target.available || ctx.target.load >= ctx.target.capacity)) return reject("OverCapacity", "The operator cannot take more dialogs")
      if (ctx.target?.servesQueue === false) return reject("Unavailable", "The operator does not serve this dialog's queue")
      if (ctx.target?.skilled === false) return reject("Unavailable", "The operator is in no skill group for this dialog")
      const events: Array<DialogEvent> = [assigned(command.operatorId, command.sticky ? "sticky" : "route", false, command.seq)]
      if (ctx.settings.joinNotices && clientReachable) events.push(systemMessage("operatorJoined", ctx.nameOf(command.operatorId)))
      return ok(...events)
    }

    case "Requeue": {
      const mayRequeue = refused("requeue")
      if (mayRequeue !== undefined) return mayRequeue
      const enqueuedAt = command.resetAge ? now : Option.getOrElse(state.enqueuedAt, () => now)
      return ok(new Dialog.DialogRequeued({ reason: command.reason, fromOperatorId: state.assigneeId, queueId: command.queueId ?? state.queueId, enqueuedAt, at: now }, trusted))
    }

    case "SetHold": {
      const mayHold = refused("hold")
      if (mayHold !== undefined) return mayHold
      if (state.onHold === command.onHold) return ok()
      return ok(new Dialog.HoldChanged({ onHold: command.onHold, at: now }, trusted))
    }

    case "SetWaitingOnClient": {
      if (state.status === "closed") return reject("Closed", "The dialog is closed")
      const mayEdit = refused("edit")
      if (mayEdit !== undefined) return mayEdit
      if (state.waitingOnClient === command.waiting) return ok()
      return ok(new Dialog.WaitingOnClientChanged({ waiting: command.waiting, by, at: now }, trusted))
    }

    case "ResetExclusions":
      if (ctx.actor._tag !== "System") return reject("Forbidden", "Only the router resets exclusions")
      return state.excludedOperators.length === 0 ? ok() : ok(new Dialog.ExclusionsCleared({ at: now }, trusted))
  }

  function assigned(operatorId: UserId, mode: Dialog.DialogAssigned["mode"], overCapacity: boolean, seq = 0): DialogEvent {
    return new Dialog.DialogAssigned({
      operatorId,
      mode,
      previousAssigneeId: state.status === "active" || state.status === "closed" ? state.assigneeId : Option.none(),
      fromBotId: state.status === "bot" ? state.botId : Option.none(),
      overCapacity,
      seq,
      by,
      at: now
    }, trusted)
  }

  function closing(cause: Dialog.DialogClosed["cause"], reasonId: Option.Option<Dialog.DialogClosed["reasonId"] extends Option.Option<infer R> ? R : never>, closedBy: string): ReadonlyArray<DialogEvent> {
    const events: Array<DialogEvent> = [new Dialog.DialogClosed({ cause, reasonId, by: closedBy, at: now }, trusted)]
    if (clientReachable) {
      events.push(systemMessage("dialogClosed"))
      if (ctx.settings.mandatoryRating) events.push(new Dialog.RatingRequested({ at: now }, trusted), systemMessage("rateDialog"))
    }
    return events
  }
}

/** When the client started owing us an answer: our last visible message after their last one. */
export const inactivitySince = (state: DialogState): number | undefined => {
  const staff = Option.getOrUndefined(state.lastStaffMessageAt)
  if (staff === undefined) return undefined
  const client = Option.getOrUndefined(state.lastClientMessageAt)
  return client !== undefined && client > staff ? undefined : staff
}

const dedupe = <A>(items: ReadonlyArray<A>): ReadonlyArray<A> => [...new Set(items)]

const authorOf = (actor: Actor): Author =>
  actor._tag === "User" ? { _tag: "Operator", userId: actor.id } : actor._tag === "Bot" ? { _tag: "Bot", botId: actor.id } : { _tag: "System" }

/** A refusal as `decide` makes it: the reason, the English message, the details a user interface words it with. */
type Refusal = readonly [Dialog.DialogRejected["reason"], string, (IssueParams | undefined)?]

const checkText = (text: string, attachments: number, ctx: DecideContext): Refusal | undefined => {
  const limit = Math.min(maxTextLength, ctx.channel.maxTextLength ?? maxTextLength)
  const length = countedLength(text)
  if (length > limit) return ["TooLong", `The text has ${length} characters without spaces; the limit is ${limit}`, { length, limit }]
  // Said the same for every sender (the composer, the widget, the API): names no control some of them lack.
  if (length === 0 && attachments === 0) return ["Empty", "The message is empty: write something to send"]
  return undefined
}

/**
 * Attachments against the company's file settings and, unless the message is an internal note,
 * the channel's limits (MSG-06, SET-02): the same check `Attachments` runs before storing bytes.
 */
const checkAttachments = (
  attachments: MessageInput["attachments"],
  internal: boolean,
  ctx: DecideContext
): Refusal | undefined => {
  const count = AttachmentPolicy.checkCount(attachments)
  if (Either.isLeft(count)) return ["AttachmentRefused", count.left.message, count.left.params]
  for (const attachment of attachments) {
    const checked = AttachmentPolicy.check(attachment, ctx.settings.files, internal ? undefined : ctx.channel.files)
    if (Either.isLeft(checked)) return ["AttachmentRefused", checked.left.message, checked.left.params]
  }
  return undefined
}

const outgoing = (
  dialogId: DialogId,
  seq: number,
  author: Author,
  internal: boolean,
  text: string,
  attachments: MessageInput["attachments"],
  quoteOf: Option.Option<MessageId>,
  now: number
): Message =>
  new Message({
    id: messageIdOf(dialogId, seq),
    dialogId,
    seq,
    author,
    internal,
    text,
    attachments,
    quoteOf,
    createdAt: now,
    editedAt: Option.none(),
    deletedAt: Option.none(),
    delivery: internal ? Option.none() : Option.some(new Delivery({ status: "queued", at: now }, trusted)),
    rejected: false,
    externalId: Option.none()
  }, trusted)

/** Open a new dialog for a client (first contact, a message after the last one was detached, DLG-13). */
export const open = (params: {
  readonly dialogId: DialogId
  readonly clientId: ClientId
  readonly channelId: ChannelId
  readonly queueId: QueueId
  readonly priority: number
  readonly botId: Option.Option<Dialog.DialogOpened["botId"] extends Option.Option<infer B> ? B : never>
  readonly startedBy: Option.Option<UserId>
  readonly at: number
}): Dialog.DialogOpened => new Dialog.DialogOpened(params, trusted)
