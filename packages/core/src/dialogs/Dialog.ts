import { Option, Schema } from "effect"
import { Actor } from "../access/Access.js"
import { Author, Delivery, DeliveryStatus, Message, MessageInput } from "../messages/Message.js"
import { limits, StoredText } from "../shared/StoredText.js"
import {
  BotId,
  ChannelId,
  ClientId,
  CloseReasonId,
  DialogId,
  Instant,
  MessageId,
  QueueId,
  TagId,
  TopicId,
  UserId
} from "../shared/Ids.js"

/** DLG-01: who holds the dialog. `queued` = New/Waiting, `active` = Mine/Active, `closed` = Archive. */
export const Status = Schema.Literal("bot", "queued", "active", "closed")
export type Status = typeof Status.Type

/** A pending routing offer (ROUTING.md A3, OFFER delivery). */
export const Offer = Schema.Struct({ operatorId: UserId, at: Instant, expiresAt: Instant })
export type Offer = typeof Offer.Type

/** What `decide` needs to know about the message a command refers to (the engine reads it from the message projection). */
export const MessageIndexEntry = Schema.Struct({
  seq: Schema.Number,
  author: Author,
  internal: Schema.Boolean,
  deleted: Schema.Boolean,
  delivery: Schema.OptionFromNullOr(DeliveryStatus)
})
export type MessageIndexEntry = typeof MessageIndexEntry.Type

export const LastMessage = Schema.Struct({
  seq: Schema.Number,
  author: Schema.Literal("Client", "Operator", "Bot", "System"),
  text: Schema.String,
  at: Instant
})
export type LastMessage = typeof LastMessage.Type

/** One SLA-relevant moment of a dialog's history (see `Sla.TimelineEntry`). */
export const SlaMark = Schema.Struct({
  kind: Schema.Literal("Created", "ClientMessage", "OperatorReply", "WaitingOn", "WaitingOff", "Closed", "Reopened"),
  at: Instant
})
export type SlaMark = typeof SlaMark.Type

export const SlaStatus = Schema.Literal("running", "paused", "warning", "met", "breached")
export type SlaStatus = typeof SlaStatus.Type

/** Per metric status, the policy applied, and when the pending reply is due (processing order, DLG-20). */
export const SlaSnapshot = Schema.Struct({
  policy: Schema.String,
  statuses: Schema.Struct({
    firstResponse: Schema.optionalWith(SlaStatus, { exact: true }),
    nextResponse: Schema.optionalWith(SlaStatus, { exact: true }),
    timeToClose: Schema.optionalWith(SlaStatus, { exact: true })
  }),
  responseDueAt: Schema.OptionFromNullOr(Instant)
})
export type SlaSnapshot = typeof SlaSnapshot.Type

/** Waiting for the client's answer to "any more questions?" (DLG-15). */
export const PendingClose = Schema.Struct({ reasonId: Schema.OptionFromNullOr(CloseReasonId), by: Schema.String, at: Instant })

/**
 * The dialog aggregate's state: everything `decide` needs and everything the dialog list shows.
 * Messages live in the message projection, not here.
 */
export const DialogState = Schema.Struct({
  id: DialogId,
  /** `None` once the client was detached (DLG-23). */
  clientId: Schema.OptionFromNullOr(ClientId),
  channelId: ChannelId,
  status: Status,
  deleted: Schema.Boolean,
  assigneeId: Schema.OptionFromNullOr(UserId),
  /** The operator who held the dialog before; they lose access (DLG-08) but sticky reopen prefers them. */
  previousAssigneeId: Schema.OptionFromNullOr(UserId),
  botId: Schema.OptionFromNullOr(BotId),
  queueId: QueueId,
  priority: Schema.Number,
  /** Routing-eligibility time; preserved when requeued after a decline, expiry or leave (INV-11). */
  enqueuedAt: Schema.OptionFromNullOr(Instant),
  excludedOperators: Schema.Array(UserId),
  offer: Schema.OptionFromNullOr(Offer),
  onHold: Schema.Boolean,
  overCapacity: Schema.Boolean,
  topics: Schema.Array(TopicId),
  tags: Schema.Array(TagId),
  closeReasonId: Schema.OptionFromNullOr(CloseReasonId),
  closedAt: Schema.OptionFromNullOr(Instant),
  createdAt: Instant,
  lastActivityAt: Instant,
  lastMessage: Schema.OptionFromNullOr(LastMessage),
  lastClientMessageAt: Schema.OptionFromNullOr(Instant),
  /** The last message the client can see that came from us (operator, bot or system). */
  lastStaffMessageAt: Schema.OptionFromNullOr(Instant),
  firstResponseAt: Schema.OptionFromNullOr(Instant),
  /** First client message not yet answered by an operator: the processing-order key (DLG-20). */
  awaitingReplySince: Schema.OptionFromNullOr(Instant),
  messageSeq: Schema.Number,
  clientMessageCount: Schema.Number,
  /**
   * The most recent inbound external ids (oldest first) with the `seq` of the message each became: a channel's
   * repeated delivery is recorded once. Bounded (`recentExternalIdsKept`), like everything in the
   * state: a dialog's state never grows with its history, so a message to a long dialog costs what
   * a message to a new one costs. Once it is full, the engine has the store check an id it does not
   * hold (`Store.commitUnseen`).
   */
  recentExternalIds: Schema.optionalWith(Schema.Array(Schema.Tuple(Schema.String, Schema.Number)), { default: () => [] }),
  /** Per user: how many client messages they have read (DLG-09). */
  reads: Schema.Record({ key: Schema.String, value: Schema.Number }),
  markedUnread: Schema.Array(UserId),
  drafts: Schema.Record({ key: Schema.String, value: Schema.String }),
  pendingClose: Schema.OptionFromNullOr(PendingClose),
  ratingRequested: Schema.Boolean,
  rating: Schema.OptionFromNullOr(Schema.Number),
  /** A client reopened the dialog that this operator closed: routing tries them first ("sticky", ROUTING A3). */
  reopenedFrom: Schema.optionalWith(Schema.OptionFromNullOr(UserId), { default: () => Option.none() }),
  /** The operator marked the dialog as waiting on the client: SLA clocks may pause (SLA-03). */
  waitingOnClient: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** The SLA-relevant history, compacted: only entries that can change a measurement. */
  slaTimeline: Schema.optionalWith(Schema.Array(SlaMark), { default: () => [] }),
  /** The last SLA evaluation recorded by the engine (labels in the list, processing order). */
  sla: Schema.optionalWith(Schema.OptionFromNullOr(SlaSnapshot), { default: () => Option.none() })
})
export type DialogState = typeof DialogState.Type

// ---- events (past tense) ----

export class DialogOpened extends Schema.TaggedClass<DialogOpened>()("DialogOpened", {
  dialogId: DialogId,
  clientId: ClientId,
  channelId: ChannelId,
  queueId: QueueId,
  priority: Schema.Number,
  /** The bot that answers first; `None` = straight to the queue. */
  botId: Schema.OptionFromNullOr(BotId),
  /** An outgoing dialog's operator (DLG-13); `None` for inbound dialogs. */
  startedBy: Schema.OptionFromNullOr(UserId),
  at: Instant
}) {}
export class ClientMessageReceived extends Schema.TaggedClass<ClientMessageReceived>()("ClientMessageReceived", {
  message: Message
}) {}
export class StaffMessageSent extends Schema.TaggedClass<StaffMessageSent>()("StaffMessageSent", {
  message: Message
}) {}
export class MessageEdited extends Schema.TaggedClass<MessageEdited>()("MessageEdited", {
  messageId: MessageId,
  text: Schema.String,
  by: Schema.String,
  at: Instant
}) {}
export class MessageDeleted extends Schema.TaggedClass<MessageDeleted>()("MessageDeleted", {
  messageId: MessageId,
  by: Schema.String,
  at: Instant
}) {}
export class DeliveryUpdated extends Schema.TaggedClass<DeliveryUpdated>()("DeliveryUpdated", {
  messageId: MessageId,
  delivery: Delivery
}) {}
export class HandedToQueue extends Schema.TaggedClass<HandedToQueue>()("HandedToQueue", {
  botId: BotId,
  at: Instant
}) {}
export class DialogOffered extends Schema.TaggedClass<DialogOffered>()("DialogOffered", {
  operatorId: UserId,
  at: Instant,
  expiresAt: Instant
}) {}
export class OfferEnded extends Schema.TaggedClass<OfferEnded>()("OfferEnded", {
  operatorId: UserId,
  outcome: Schema.Literal("declined", "expired", "rescinded"),
  at: Instant
}) {}
export class DialogAssigned extends Schema.TaggedClass<DialogAssigned>()("DialogAssigned", {
  operatorId: UserId,
  /** How: an operator accepted/picked, the router assigned, a supervisor reassigned, a reopen went back. */
  mode: Schema.Literal("accept", "route", "reassign", "sticky"),
  previousAssigneeId: Schema.OptionFromNullOr(UserId),
  /** The bot the dialog came from: its transfer script runs (DLG-03). */
  fromBotId: Schema.OptionFromNullOr(BotId),
  overCapacity: Schema.Boolean,
  by: Schema.String,
  at: Instant
}) {}
export class DialogRequeued extends Schema.TaggedClass<DialogRequeued>()("DialogRequeued", {
  reason: Schema.Literal("left", "operator_unavailable", "transfer"),
  fromOperatorId: Schema.OptionFromNullOr(UserId),
  queueId: QueueId,
  enqueuedAt: Instant,
  at: Instant
}) {}
export class ReturnedToBot extends Schema.TaggedClass<ReturnedToBot>()("ReturnedToBot", {
  botId: BotId,
  by: Schema.String,
  at: Instant
}) {}
export class HoldChanged extends Schema.TaggedClass<HoldChanged>()("HoldChanged", {
  onHold: Schema.Boolean,
  at: Instant
}) {}
export class ExclusionsCleared extends Schema.TaggedClass<ExclusionsCleared>()("ExclusionsCleared", { at: Instant }) {}
export class MoreQuestionsAsked extends Schema.TaggedClass<MoreQuestionsAsked>()("MoreQuestionsAsked", {
  reasonId: Schema.OptionFromNullOr(CloseReasonId),
  by: Schema.String,
  at: Instant
}) {}
export class MoreQuestionsAnswered extends Schema.TaggedClass<MoreQuestionsAnswered>()("MoreQuestionsAnswered", {
  answer: Schema.Literal("yes", "no"),
  at: Instant
}) {}
export class DialogClosed extends Schema.TaggedClass<DialogClosed>()("DialogClosed", {
  cause: Schema.Literal("operator", "inactivity", "client", "system"),
  reasonId: Schema.OptionFromNullOr(CloseReasonId),
  by: Schema.String,
  at: Instant
}) {}
export class DialogReopened extends Schema.TaggedClass<DialogReopened>()("DialogReopened", {
  cause: Schema.Literal("client", "operator"),
  /** The operator who wrote into the closed dialog and now holds it; `None` = back to the queue. */
  operatorId: Schema.OptionFromNullOr(UserId),
  at: Instant
}) {}
export class RatingRequested extends Schema.TaggedClass<RatingRequested>()("RatingRequested", { at: Instant }) {}
export class RatingGiven extends Schema.TaggedClass<RatingGiven>()("RatingGiven", {
  score: Schema.Number.pipe(Schema.int(), Schema.between(1, 5)),
  at: Instant
}) {}
export class TopicsSet extends Schema.TaggedClass<TopicsSet>()("TopicsSet", {
  topics: Schema.Array(TopicId),
  by: Schema.String,
  at: Instant
}) {}
export class TagsSet extends Schema.TaggedClass<TagsSet>()("TagsSet", {
  tags: Schema.Array(TagId),
  by: Schema.String,
  at: Instant
}) {}
export class DialogRead extends Schema.TaggedClass<DialogRead>()("DialogRead", {
  userId: UserId,
  clientMessageCount: Schema.Number,
  at: Instant
}) {}
export class DialogMarkedUnread extends Schema.TaggedClass<DialogMarkedUnread>()("DialogMarkedUnread", {
  userId: UserId,
  at: Instant
}) {}
export class DraftSaved extends Schema.TaggedClass<DraftSaved>()("DraftSaved", {
  userId: UserId,
  text: Schema.String,
  at: Instant
}) {}
export class DialogDeleted extends Schema.TaggedClass<DialogDeleted>()("DialogDeleted", {
  by: Schema.String,
  at: Instant
}) {}
export class ClientDetached extends Schema.TaggedClass<ClientDetached>()("ClientDetached", {
  clientId: ClientId,
  by: Schema.String,
  at: Instant
}) {}

export class WaitingOnClientChanged extends Schema.TaggedClass<WaitingOnClientChanged>()("WaitingOnClientChanged", {
  waiting: Schema.Boolean,
  by: Schema.String,
  at: Instant
}) {}
/**
 * The engine re-evaluated the dialog's SLA and something a user would see changed: the policy,
 * a status (a warning or a breach, fired by the scheduler at its instant), or the due instant.
 */
export class SlaUpdated extends Schema.TaggedClass<SlaUpdated>()("SlaUpdated", {
  sla: SlaSnapshot,
  /** Metrics whose status changed with this update. */
  changed: Schema.Array(Schema.Literal("firstResponse", "nextResponse", "timeToClose")),
  at: Instant
}) {}

export const DialogEvent = Schema.Union(
  WaitingOnClientChanged,
  SlaUpdated,
  DialogOpened,
  ClientMessageReceived,
  StaffMessageSent,
  MessageEdited,
  MessageDeleted,
  DeliveryUpdated,
  HandedToQueue,
  DialogOffered,
  OfferEnded,
  DialogAssigned,
  DialogRequeued,
  ReturnedToBot,
  HoldChanged,
  ExclusionsCleared,
  MoreQuestionsAsked,
  MoreQuestionsAnswered,
  DialogClosed,
  DialogReopened,
  RatingRequested,
  RatingGiven,
  TopicsSet,
  TagsSet,
  DialogRead,
  DialogMarkedUnread,
  DraftSaved,
  DialogDeleted,
  ClientDetached
)
export type DialogEvent = typeof DialogEvent.Type

// ---- commands (imperative) ----

const dialogId = { dialogId: DialogId }

/** A client's message arriving through a channel. `payload` carries a pressed button ("yes", "no", "rate:5"). */
export class ReceiveClientMessage extends Schema.TaggedClass<ReceiveClientMessage>()("ReceiveClientMessage", {
  ...dialogId,
  input: MessageInput,
  externalId: Schema.optional(StoredText(limits.externalId)),
  payload: Schema.optional(StoredText(limits.payload))
}) {}
export class SendMessage extends Schema.TaggedClass<SendMessage>()("SendMessage", {
  ...dialogId,
  input: MessageInput,
  internal: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  quoteOf: Schema.optional(MessageId)
}) {}
export class EditMessage extends Schema.TaggedClass<EditMessage>()("EditMessage", {
  ...dialogId,
  messageId: MessageId,
  text: StoredText(limits.text)
}) {}
export class DeleteMessage extends Schema.TaggedClass<DeleteMessage>()("DeleteMessage", { ...dialogId, messageId: MessageId }) {}
export class UpdateDelivery extends Schema.TaggedClass<UpdateDelivery>()("UpdateDelivery", {
  ...dialogId,
  messageId: MessageId,
  status: DeliveryStatus,
  reason: Schema.optional(StoredText(limits.notes))
}) {}
export class HandToQueue extends Schema.TaggedClass<HandToQueue>()("HandToQueue", dialogId) {}
export class Accept extends Schema.TaggedClass<Accept>()("Accept", dialogId) {}
export class Leave extends Schema.TaggedClass<Leave>()("Leave", dialogId) {}
export class ReturnToBot extends Schema.TaggedClass<ReturnToBot>()("ReturnToBot", {
  ...dialogId,
  botId: Schema.optional(BotId)
}) {}
export class Close extends Schema.TaggedClass<Close>()("Close", {
  ...dialogId,
  reasonId: Schema.optional(CloseReasonId),
  /** Skip "any more questions?" and close now. */
  force: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}
export class CloseForInactivity extends Schema.TaggedClass<CloseForInactivity>()("CloseForInactivity", dialogId) {}
export class Reassign extends Schema.TaggedClass<Reassign>()("Reassign", {
  ...dialogId,
  to: Schema.Union(Schema.TaggedStruct("Operator", { userId: UserId }), Schema.TaggedStruct("Bot", { botId: BotId }))
}) {}
export class MarkRead extends Schema.TaggedClass<MarkRead>()("MarkRead", dialogId) {}
export class MarkUnread extends Schema.TaggedClass<MarkUnread>()("MarkUnread", dialogId) {}
export class SaveDraft extends Schema.TaggedClass<SaveDraft>()("SaveDraft", {
  ...dialogId,
  text: StoredText(limits.text)
}) {}
export class DeleteDialog extends Schema.TaggedClass<DeleteDialog>()("DeleteDialog", dialogId) {}
export class SetTopics extends Schema.TaggedClass<SetTopics>()("SetTopics", { ...dialogId, topics: Schema.Array(TopicId) }) {}
export class SetTags extends Schema.TaggedClass<SetTags>()("SetTags", { ...dialogId, tags: Schema.Array(TagId) }) {}
export class DetachClient extends Schema.TaggedClass<DetachClient>()("DetachClient", dialogId) {}
/** Routing: offer the dialog to an operator until `expiresAt` (OFFER delivery). */
export class OfferDialog extends Schema.TaggedClass<OfferDialog>()("OfferDialog", {
  ...dialogId,
  operatorId: UserId,
  expiresAt: Instant
}) {}
export class DeclineOffer extends Schema.TaggedClass<DeclineOffer>()("DeclineOffer", dialogId) {}
export class ExpireOffer extends Schema.TaggedClass<ExpireOffer>()("ExpireOffer", dialogId) {}
export class RescindOffer extends Schema.TaggedClass<RescindOffer>()("RescindOffer", dialogId) {}
/** Routing: assign directly (DIRECT delivery, sticky reopen). */
export class RouteToOperator extends Schema.TaggedClass<RouteToOperator>()("RouteToOperator", {
  ...dialogId,
  operatorId: UserId,
  sticky: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}
export class Requeue extends Schema.TaggedClass<Requeue>()("Requeue", {
  ...dialogId,
  reason: Schema.Literal("operator_unavailable", "transfer"),
  queueId: Schema.optional(QueueId),
  /** A transfer to another queue may restart the wait (A3); everything else keeps it (INV-11). */
  resetAge: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}
export class SetHold extends Schema.TaggedClass<SetHold>()("SetHold", { ...dialogId, onHold: Schema.Boolean }) {}
export class ResetExclusions extends Schema.TaggedClass<ResetExclusions>()("ResetExclusions", dialogId) {}

/** Mark the dialog as waiting on the client (or not): the time-to-close clock may pause (SLA-03). */
export class SetWaitingOnClient extends Schema.TaggedClass<SetWaitingOnClient>()("SetWaitingOnClient", {
  ...dialogId,
  waiting: Schema.Boolean
}) {}

export const DialogCommand = Schema.Union(
  SetWaitingOnClient,
  ReceiveClientMessage,
  SendMessage,
  EditMessage,
  DeleteMessage,
  UpdateDelivery,
  HandToQueue,
  Accept,
  Leave,
  ReturnToBot,
  Close,
  CloseForInactivity,
  Reassign,
  MarkRead,
  MarkUnread,
  SaveDraft,
  DeleteDialog,
  SetTopics,
  SetTags,
  DetachClient,
  OfferDialog,
  DeclineOffer,
  ExpireOffer,
  RescindOffer,
  RouteToOperator,
  Requeue,
  SetHold,
  ResetExclusions
)
export type DialogCommand = typeof DialogCommand.Type

/** The one rejection of the dialog aggregate: a small reason union and a readable message. */
export class DialogRejected extends Schema.TaggedError<DialogRejected>()("DialogRejected", {
  dialogId: DialogId,
  reason: Schema.Literal(
    "NotYours",
    "Forbidden",
    "Closed",
    "Deleted",
    "ClientBlocked",
    "NoClient",
    "TopicRequired",
    "EditForbidden",
    "DeleteForbidden",
    "TooLong",
    "Empty",
    "UnknownMessage",
    "AlreadyTaken",
    "AlreadyAssigned",
    "NotQueued",
    "NotActive",
    "NoBot",
    "NoOffer",
    "Excluded",
    "OverCapacity",
    "Unavailable",
    "NotDue",
    "UnknownReason",
    "UnknownTopic"
  ),
  message: Schema.String
}) {}

/** What the shell passes to `decide` besides the command: time, actor, settings and facts from other aggregates. */
export interface DecideContext {
  readonly now: Instant
  readonly actor: Actor
  readonly settings: import("../settings/Settings.js").Settings
  /** The dialog's client, if attached: blocked flag and language for system messages. */
  readonly client: { readonly blocked: boolean; readonly language: string | undefined } | undefined
  /** The channel's own text limit when lower than 2000 (MSG-05) and what it can do. */
  readonly channel: { readonly maxTextLength: number | undefined; readonly editMessages: boolean; readonly deleteMessages: boolean }
  /** Display names for system messages ("Olena joined the chat"). */
  readonly nameOf: (userId: UserId) => string
  /**
   * The target operator's routing facts, for commands that add load (route, offer, reassign, accept):
   * whether they may receive dialogs now, and their load and capacity on this channel.
   */
  readonly target?: {
    readonly available: boolean
    readonly load: number
    readonly capacity: number
    /** Serves the dialog's queue (ROUTING INV-2), checked on the operator's current state at commit. */
    readonly servesQueue?: boolean
  } | undefined
  /**
   * The message the command refers to (the one edited, deleted, delivery-updated or quoted), as
   * stored; undefined if the dialog has no such message.
   */
  readonly message?: MessageIndexEntry | undefined
  /** Whether the router may exceed capacity on manual assignment (ROUTING A2.6); default allow, flagged. */
  readonly manualOverCapacity?: "allow" | "deny"
}
