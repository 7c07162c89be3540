import { Schema } from "effect"
import { limits, storable } from "./StoredText.js"

/** Every id: non-empty, trimmed, storable (no NUL, no lone surrogate, at most `limits.id` characters). */
const Id = Schema.NonEmptyTrimmedString.pipe(storable(limits.id))

/** Identifies a client (contact). */
export const ClientId = Id.pipe(Schema.brand("ClientId"))
export type ClientId = typeof ClientId.Type

/** Identifies a dialog (one conversation with one client in one channel). */
export const DialogId = Id.pipe(Schema.brand("DialogId"))
export type DialogId = typeof DialogId.Type

/** Identifies a message; derived from its dialog and sequence number, so ids never collide. */
export const MessageId = Id.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

/** Identifies a user of the panel: owner, admin, supervisor or operator. */
export const UserId = Id.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** Identifies a configured channel (a Telegram bot, a widget, a mailbox…). */
export const ChannelId = Id.pipe(Schema.brand("ChannelId"))
export type ChannelId = typeof ChannelId.Type

/** Identifies an external bot that handles dialogs before (and after) operators. */
export const BotId = Id.pipe(Schema.brand("BotId"))
export type BotId = typeof BotId.Type

export const TopicId = Id.pipe(Schema.brand("TopicId"))
export type TopicId = typeof TopicId.Type

export const TagId = Id.pipe(Schema.brand("TagId"))
export type TagId = typeof TagId.Type

export const CloseReasonId = Id.pipe(Schema.brand("CloseReasonId"))
export type CloseReasonId = typeof CloseReasonId.Type

/** Identifies a routing queue; a deployment may have just one (`"default"`). */
export const QueueId = Id.pipe(Schema.brand("QueueId"))
export type QueueId = typeof QueueId.Type

/** An instant as epoch milliseconds (UTC). The shell fills it from `Clock`; `decide` never reads a clock. */
export const Instant = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
export type Instant = typeof Instant.Type
