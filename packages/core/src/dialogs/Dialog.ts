import { Option, Schema } from "effect"
import { Actor } from "../access/Access.js"
import { Author, Delivery, DeliveryStatus, Message, MessageInput } from "../messages/Message.js"
import { IssueParams } from "../shared/Issue.js"
import { limits, StoredText } from "../shared/StoredText.js"
import {
  BotId,
  ChannelId,
  ClientId,
  CloseReasonId,
  DialogId,
  Instant,
  Language,
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

/** The newest message as the dialog list shows it (author kind, text, time); internal notes included. */
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

/**
 * One SLA metric's state: `running` toward its due instant, `paused` (outside working time or waiting
 * on the client), `warning` past the policy's warning share, then `met` or `breached` for good.
 */
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
  /** Higher = more urgent: orders the queue (ROUTING A2.1) and selects SLA policies (SLA-03). Set with `SetPriority`. */
  priority: Schema.Number,
  /** The language the dialog needs; routing gives it only to operators who speak it (ROUTING A0). None = any. */
  language: Schema.optionalWith(Schema.OptionFromNullOr(Language), { default: () => Option.none() }),
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
   * hold (`EventStore.commitUnseen`).
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

/**
 * First event of every dialog stream: the client, channel, queue and priority it starts with; a bot or
 * an operator (outgoing dialog, DLG-13) may hold it from the start.
 */
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
/** A client's message entered the dialog (and reopens it when closed, DLG-07). */
export class ClientMessageReceived extends Schema.TaggedClass<ClientMessageReceived>()("ClientMessageReceived", {
  message: Message
}) {}
/**
 * An operator's, bot's or system message (or an internal note) was added; outgoing ones start as
 * `queued` for delivery.
 */
export class StaffMessageSent extends Schema.TaggedClass<StaffMessageSent>()("StaffMessageSent", {
  message: Message
}) {}
/** Its author changed a sent message's text (MSG-04); allowed by the settings and the channel. */
export class MessageEdited extends Schema.TaggedClass<MessageEdited>()("MessageEdited", {
  messageId: MessageId,
  text: Schema.String,
  by: Schema.String,
  at: Instant
}) {}
/** Its author deleted a sent message (MSG-04); the message stays in the history as deleted. */
export class MessageDeleted extends Schema.TaggedClass<MessageDeleted>()("MessageDeleted", {
  messageId: MessageId,
  by: Schema.String,
  at: Instant
}) {}
/**
 * An outgoing message's delivery status advanced (`queued → sent → delivered → read`) or failed with a
 * reason (MSG-02); it never goes back.
 */
export class DeliveryUpdated extends Schema.TaggedClass<DeliveryUpdated>()("DeliveryUpdated", {
  messageId: MessageId,
  delivery: Delivery
}) {}
/** The bot handed its dialog to the operators' queue. */
export class HandedToQueue extends Schema.TaggedClass<HandedToQueue>()("HandedToQueue", {
  botId: BotId,
  at: Instant
}) {}
/**
 * The router offered the queued dialog to one operator until `expiresAt` (OFFER delivery); one offer
 * at a time.
 */
export class DialogOffered extends Schema.TaggedClass<DialogOffered>()("DialogOffered", {
  operatorId: UserId,
  /** The router's order among assignments at the same instant (round robin across passes); 0 for manual ones. */
  seq: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), { default: () => 0 }),

  at: Instant,
  expiresAt: Instant
}) {}
/**
 * A pending offer ended without an assignment; `declined` and `expired` exclude that operator from
 * this dialog's routing until exclusions are cleared.
 */
export class OfferEnded extends Schema.TaggedClass<OfferEnded>()("OfferEnded", {
  operatorId: UserId,
  outcome: Schema.Literal("declined", "expired", "rescinded"),
  at: Instant
}) {}
/**
 * The dialog has a responsible operator now (queued, bot or offered → active): accepted, routed,
 * reassigned or sticky reopen; `overCapacity` when it put them above their capacity.
 */
export class DialogAssigned extends Schema.TaggedClass<DialogAssigned>()("DialogAssigned", {
  operatorId: UserId,
  /** How: an operator accepted/picked, the router assigned, a supervisor reassigned, a reopen went back. */
  mode: Schema.Literal("accept", "route", "reassign", "sticky"),
  previousAssigneeId: Schema.OptionFromNullOr(UserId),
  /** The bot the dialog came from: its transfer script runs (DLG-03). */
  fromBotId: Schema.OptionFromNullOr(BotId),
  overCapacity: Schema.Boolean,
  /** The router's order among assignments at the same instant (round robin across passes); 0 for manual ones. */
  seq: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), { default: () => 0 }),
  by: Schema.String,
  at: Instant
}) {}
/**
 * The dialog went back to the queue (the operator left, became unavailable, or a transfer);
 * `enqueuedAt` keeps its place in line unless a transfer restarts it.
 */
export class DialogRequeued extends Schema.TaggedClass<DialogRequeued>()("DialogRequeued", {
  reason: Schema.Literal("left", "operator_unavailable", "transfer"),
  fromOperatorId: Schema.OptionFromNullOr(UserId),
  queueId: QueueId,
  enqueuedAt: Instant,
  at: Instant
}) {}
/** The dialog went (back) to a bot (DLG-05); the bot's return script runs. */
export class ReturnedToBot extends Schema.TaggedClass<ReturnedToBot>()("ReturnedToBot", {
  botId: BotId,
  by: Schema.String,
  at: Instant
}) {}
/**
 * The responsible operator put the dialog on hold or took it off (a held dialog may not count against
 * capacity, per routing settings).
 */
export class HoldChanged extends Schema.TaggedClass<HoldChanged>()("HoldChanged", {
  onHold: Schema.Boolean,
  at: Instant
}) {}
/**
 * Operators who declined or let an offer expire may be offered the dialog again (the router's
 * exclusion reset).
 */
export class ExclusionsCleared extends Schema.TaggedClass<ExclusionsCleared>()("ExclusionsCleared", { at: Instant }) {}
/**
 * Closing was requested with "any more questions?" on (DLG-15): the client was asked, and the close
 * waits for the answer.
 */
export class MoreQuestionsAsked extends Schema.TaggedClass<MoreQuestionsAsked>()("MoreQuestionsAsked", {
  reasonId: Schema.OptionFromNullOr(CloseReasonId),
  by: Schema.String,
  at: Instant
}) {}
/**
 * The client answered "any more questions?": `no` closes the dialog with the pending reason, `yes`
 * keeps it open.
 */
export class MoreQuestionsAnswered extends Schema.TaggedClass<MoreQuestionsAnswered>()("MoreQuestionsAnswered", {
  answer: Schema.Literal("yes", "no"),
  at: Instant
}) {}
/**
 * The dialog closed (DLG-06, DLG-14): by an operator, for inactivity, by the client's answer or by the
 * system, with an optional close reason.
 */
export class DialogClosed extends Schema.TaggedClass<DialogClosed>()("DialogClosed", {
  cause: Schema.Literal("operator", "inactivity", "client", "system"),
  reasonId: Schema.OptionFromNullOr(CloseReasonId),
  by: Schema.String,
  at: Instant
}) {}
/** A closed dialog reopened because the client or an operator wrote into it (DLG-07). */
export class DialogReopened extends Schema.TaggedClass<DialogReopened>()("DialogReopened", {
  cause: Schema.Literal("client", "operator"),
  /** The operator who wrote into the closed dialog and now holds it; `None` = back to the queue. */
  operatorId: Schema.OptionFromNullOr(UserId),
  at: Instant
}) {}
/** The client was asked to rate the closed dialog (DLG-16). */
export class RatingRequested extends Schema.TaggedClass<RatingRequested>()("RatingRequested", { at: Instant }) {}
/** The client rated the dialog, 1 to 5 (DLG-16). */
export class RatingGiven extends Schema.TaggedClass<RatingGiven>()("RatingGiven", {
  score: Schema.Number.pipe(Schema.int(), Schema.between(1, 5)),
  at: Instant
}) {}
/** The dialog's topics were replaced (DLG-18); no duplicates. */
export class TopicsSet extends Schema.TaggedClass<TopicsSet>()("TopicsSet", {
  topics: Schema.Array(TopicId),
  by: Schema.String,
  at: Instant
}) {}
/** The dialog's tags were replaced (DLG-18); no duplicates. */
export class TagsSet extends Schema.TaggedClass<TagsSet>()("TagsSet", {
  tags: Schema.Array(TagId),
  by: Schema.String,
  at: Instant
}) {}
/**
 * A user read the dialog up to its `clientMessageCount`-th client message (DLG-09); unread counts are
 * per user.
 */
export class DialogRead extends Schema.TaggedClass<DialogRead>()("DialogRead", {
  userId: UserId,
  clientMessageCount: Schema.Number,
  at: Instant
}) {}
/** A user marked the dialog unread for themselves only (DLG-09). */
export class DialogMarkedUnread extends Schema.TaggedClass<DialogMarkedUnread>()("DialogMarkedUnread", {
  userId: UserId,
  at: Instant
}) {}
/** A user's unsent text in the dialog changed (DLG-11); drafts are per user and an empty text clears it. */
export class DraftSaved extends Schema.TaggedClass<DraftSaved>()("DraftSaved", {
  userId: UserId,
  text: Schema.String,
  at: Instant
}) {}
/** The dialog was deleted (DLG-12); it leaves every folder but its stream is kept. */
export class DialogDeleted extends Schema.TaggedClass<DialogDeleted>()("DialogDeleted", {
  by: Schema.String,
  at: Instant
}) {}
/**
 * The client was detached from the dialog (DLG-23); the client record stays and their next message
 * opens a new dialog.
 */
export class ClientDetached extends Schema.TaggedClass<ClientDetached>()("ClientDetached", {
  clientId: ClientId,
  by: Schema.String,
  at: Instant
}) {}
/**
 * The dialog's client was merged into another (CLI-01): the dialog belongs to `into` now, with its
 * history as it was.
 */
export class DialogClientMerged extends Schema.TaggedClass<DialogClientMerged>()("DialogClientMerged", {
  from: ClientId,
  into: ClientId,
  by: Schema.String,
  at: Instant
}) {}

/**
 * An operator marked the dialog as waiting on the client, or not (SLA-03): time-to-close may pause
 * meanwhile.
 */
export class WaitingOnClientChanged extends Schema.TaggedClass<WaitingOnClientChanged>()("WaitingOnClientChanged", {
  waiting: Schema.Boolean,
  by: Schema.String,
  at: Instant
}) {}
/** The dialog's priority changed (`SetPriority`). */
export class PriorityChanged extends Schema.TaggedClass<PriorityChanged>()("PriorityChanged", {
  priority: Schema.Number,
  by: Schema.String,
  at: Instant
}) {}
/** The language the dialog needs changed (`SetLanguage`); None = any. */
export class LanguageSet extends Schema.TaggedClass<LanguageSet>()("LanguageSet", {
  language: Schema.OptionFromNullOr(Language),
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

/**
 * Every event of a dialog stream, decoded by `_tag`; `evolve` folds them into `DialogState` and is
 * total over them.
 */
export const DialogEvent = Schema.Union(
  PriorityChanged,
  LanguageSet,
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
  ClientDetached,
  DialogClientMerged
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
/**
 * An operator (or bot) writes into the dialog: a reply to the client, or an internal note (`internal`)
 * only staff see; may quote a message (MSG-03). The text limit is checked (MSG-05); a closed dialog
 * reopens.
 */
export class SendMessage extends Schema.TaggedClass<SendMessage>()("SendMessage", {
  ...dialogId,
  input: MessageInput,
  internal: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  quoteOf: Schema.optional(MessageId)
}) {}
/**
 * Change the text of one's own sent message (MSG-04); rejected when the company setting or the channel
 * forbids it.
 */
export class EditMessage extends Schema.TaggedClass<EditMessage>()("EditMessage", {
  ...dialogId,
  messageId: MessageId,
  text: StoredText(limits.text)
}) {}
/** Delete one's own sent message (MSG-04); rejected when the company setting or the channel forbids it. */
export class DeleteMessage extends Schema.TaggedClass<DeleteMessage>()("DeleteMessage", { ...dialogId, messageId: MessageId }) {}
/**
 * A channel's delivery report for an outgoing message (MSG-02); a status that does not advance the
 * current one is ignored, so reports may arrive twice or out of order.
 */
export class UpdateDelivery extends Schema.TaggedClass<UpdateDelivery>()("UpdateDelivery", {
  ...dialogId,
  messageId: MessageId,
  status: DeliveryStatus,
  reason: Schema.optional(StoredText(limits.notes))
}) {}
/** The bot hands its dialog to the operators' queue; only a dialog a bot holds. */
export class HandToQueue extends Schema.TaggedClass<HandToQueue>()("HandToQueue", dialogId) {}
/**
 * An operator takes a queued or bot dialog (DLG-03); a second operator gets `AlreadyTaken`. Takes over
 * a pending offer made to someone else.
 */
export class Accept extends Schema.TaggedClass<Accept>()("Accept", dialogId) {}
/**
 * The responsible operator steps out without closing (DLG-04): the dialog is queued again, keeping its
 * place in line.
 */
export class Leave extends Schema.TaggedClass<Leave>()("Leave", dialogId) {}
/**
 * Resolve and hand the dialog back to its bot (or `botId`) (DLG-05); the responsible operator or
 * someone who may reassign.
 */
export class ReturnToBot extends Schema.TaggedClass<ReturnToBot>()("ReturnToBot", {
  ...dialogId,
  botId: Schema.optional(BotId)
}) {}
/**
 * Close with an optional close reason (DLG-06); may require a topic first, and asks "any more
 * questions?" first when that setting is on (unless `force`).
 */
export class Close extends Schema.TaggedClass<Close>()("Close", {
  ...dialogId,
  reasonId: Schema.optional(CloseReasonId),
  /** Skip "any more questions?" and close now. */
  force: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}
/**
 * The scheduler closes an active dialog whose client has not answered for the configured minutes
 * (DLG-14); `NotDue` until then.
 */
export class CloseForInactivity extends Schema.TaggedClass<CloseForInactivity>()("CloseForInactivity", dialogId) {}
/**
 * Give the dialog to another operator or to a bot (DLG-08); supervisors, admins, the responsible
 * operator, or operators when the setting allows. Capacity may be exceeded unless `manualOverCapacity`
 * denies it.
 */
export class Reassign extends Schema.TaggedClass<Reassign>()("Reassign", {
  ...dialogId,
  to: Schema.Union(Schema.TaggedStruct("Operator", { userId: UserId }), Schema.TaggedStruct("Bot", { botId: BotId }))
}) {}
/** The acting user has read the dialog up to now (DLG-09). */
export class MarkRead extends Schema.TaggedClass<MarkRead>()("MarkRead", dialogId) {}
/** Mark the dialog unread for the acting user only (DLG-09). */
export class MarkUnread extends Schema.TaggedClass<MarkUnread>()("MarkUnread", dialogId) {}
/**
 * Keep the acting user's unsent text for this dialog (DLG-11); an unchanged text records nothing.
 * Refused for a closed dialog (it keeps no draft) and beyond the channel's text limit (`TooLong`).
 */
export class SaveDraft extends Schema.TaggedClass<SaveDraft>()("SaveDraft", {
  ...dialogId,
  text: StoredText(limits.text)
}) {}
/**
 * Reopen a closed dialog without writing to the client: the acting user (its last operator, or one
 * who may intervene) holds it again. Writing into a closed dialog reopens it too (`SendMessage`).
 */
export class Reopen extends Schema.TaggedClass<Reopen>()("Reopen", dialogId) {}
/** Delete the dialog (DLG-12); only with the `dialogs.delete` permission. */
export class DeleteDialog extends Schema.TaggedClass<DeleteDialog>()("DeleteDialog", dialogId) {}
/** Replace the dialog's topics (DLG-18); only when topics are turned on. */
export class SetTopics extends Schema.TaggedClass<SetTopics>()("SetTopics", { ...dialogId, topics: Schema.Array(TopicId) }) {}
/** Replace the dialog's tags (DLG-18). */
export class SetTags extends Schema.TaggedClass<SetTags>()("SetTags", { ...dialogId, tags: Schema.Array(TagId) }) {}
/** Detach the client from the dialog (DLG-23); the client record stays. */
export class DetachClient extends Schema.TaggedClass<DetachClient>()("DetachClient", dialogId) {}
/** Routing: offer the dialog to an operator until `expiresAt` (OFFER delivery). */
export class OfferDialog extends Schema.TaggedClass<OfferDialog>()("OfferDialog", {
  ...dialogId,
  operatorId: UserId,
  /** The router's order among assignments at the same instant (round robin across passes); 0 for manual ones. */
  seq: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), { default: () => 0 }),

  expiresAt: Instant
}) {}
/** The offered operator declines the pending offer: the dialog stays queued and that operator is excluded. */
export class DeclineOffer extends Schema.TaggedClass<DeclineOffer>()("DeclineOffer", dialogId) {}
/** The router ends an offer whose time ran out (`NotDue` before `expiresAt`); the operator is excluded. */
export class ExpireOffer extends Schema.TaggedClass<ExpireOffer>()("ExpireOffer", dialogId) {}
/**
 * The router withdraws a pending offer (the operator became unavailable, or someone else took the
 * dialog).
 */
export class RescindOffer extends Schema.TaggedClass<RescindOffer>()("RescindOffer", dialogId) {}
/** Routing: assign directly (DIRECT delivery, sticky reopen). */
export class RouteToOperator extends Schema.TaggedClass<RouteToOperator>()("RouteToOperator", {
  ...dialogId,
  operatorId: UserId,
  /** The router's order among assignments at the same instant (round robin across passes); 0 for manual ones. */
  seq: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.nonNegative()), { default: () => 0 }),

  sticky: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}
/**
 * Put an active dialog back in the queue (the operator became unavailable, or a transfer to another
 * queue); the system or someone who may reassign.
 */
export class Requeue extends Schema.TaggedClass<Requeue>()("Requeue", {
  ...dialogId,
  reason: Schema.Literal("operator_unavailable", "transfer"),
  queueId: Schema.optional(QueueId),
  /** A transfer to another queue may restart the wait (A3); everything else keeps it (INV-11). */
  resetAge: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}
/**
 * The responsible operator puts an active dialog on hold, or takes it off; an unchanged flag records
 * nothing.
 */
export class SetHold extends Schema.TaggedClass<SetHold>()("SetHold", { ...dialogId, onHold: Schema.Boolean }) {}
/**
 * The router lets excluded operators be offered the dialog again; nothing is recorded when none are
 * excluded.
 */
export class ResetExclusions extends Schema.TaggedClass<ResetExclusions>()("ResetExclusions", dialogId) {}

/** Mark the dialog as waiting on the client (or not): the time-to-close clock may pause (SLA-03). */
export class SetWaitingOnClient extends Schema.TaggedClass<SetWaitingOnClient>()("SetWaitingOnClient", {
  ...dialogId,
  waiting: Schema.Boolean
}) {}

/**
 * Set the dialog's priority (higher = more urgent): supervisors (`dialogs.reassign`), the bot
 * holding the dialog, and the system. It reorders the queue at the next pass.
 */
export class SetPriority extends Schema.TaggedClass<SetPriority>()("SetPriority", {
  ...dialogId,
  priority: Schema.Number.pipe(Schema.int(), Schema.between(-100, 100))
}) {}

/** Set the language the dialog needs (`null` = any): whoever may set its topics. */
export class SetLanguage extends Schema.TaggedClass<SetLanguage>()("SetLanguage", {
  ...dialogId,
  language: Schema.NullOr(Language)
}) {}

/**
 * Every command of the dialog aggregate, decoded by `_tag` (`engine.decodeCommand` turns untrusted
 * JSON into one); `decide` answers each with events or a `DialogRejected`.
 */
export const DialogCommand = Schema.Union(
  SetPriority,
  SetLanguage,
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
  Reopen,
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
    "AttachmentRefused",
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
  message: Schema.String,
  /**
   * The details a user interface words the refusal with in the user's language (issue 22): a too
   * long text's `length` and `limit` (and `draft: 1` when a draft was refused), an unknown topic's
   * or close reason's `id`, a refused file's `AttachmentRefused.params`. `message` says the same in English.
   */
  params: Schema.optional(IssueParams)
}) {}

/** What the shell passes to `decide` besides the command: time, actor, settings and facts from other aggregates. */
export interface DecideContext {
  readonly now: Instant
  readonly actor: Actor
  readonly settings: import("../settings/Settings.js").Settings
  /** The dialog's client, if attached: blocked flag and language for system messages. */
  readonly client: { readonly blocked: boolean; readonly language: string | undefined } | undefined
  /** The channel's own text limit when lower than 2000 (MSG-05) and what it can do. */
  readonly channel: {
    readonly maxTextLength: number | undefined
    readonly editMessages: boolean
    readonly deleteMessages: boolean
    /** What the channel accepts for outgoing files (`ChannelLimits`); absent = only the company's file settings apply. */
    readonly files?: import("../files/AttachmentPolicy.js").ChannelFacts | undefined
  }
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
    /**
     * In a skill group covering every topic of the dialog and speaking its language (ROUTING A0,
     * INV-2), checked on the operator's current state and the stored skill groups at commit.
     */
    readonly skilled?: boolean
  } | undefined
  /**
   * The message the command refers to (the one edited, deleted, delivery-updated or quoted), as
   * stored; undefined if the dialog has no such message.
   */
  readonly message?: MessageIndexEntry | undefined
  /** Whether the router may exceed capacity on manual assignment (ROUTING A2.6); default allow, flagged. */
  readonly manualOverCapacity?: "allow" | "deny"
}
