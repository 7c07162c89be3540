import { Schema } from "effect"

/** Identifies a client (contact). */
export const ClientId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("ClientId"))
export type ClientId = typeof ClientId.Type

/** Identifies a dialog (one conversation with one client in one channel). */
export const DialogId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("DialogId"))
export type DialogId = typeof DialogId.Type

/** Identifies a message; derived from its dialog and sequence number, so ids never collide. */
export const MessageId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

/** Identifies a user of the panel: owner, admin, supervisor or operator. */
export const UserId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** Identifies a configured channel (a Telegram bot, a widget, a mailbox…). */
export const ChannelId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("ChannelId"))
export type ChannelId = typeof ChannelId.Type

/** Identifies an external bot that handles dialogs before (and after) operators. */
export const BotId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("BotId"))
export type BotId = typeof BotId.Type

/** Identifies a dialog topic of the company's catalog (DLG-18); non-empty, trimmed. */
export const TopicId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("TopicId"))
export type TopicId = typeof TopicId.Type

/** Identifies a tag (on dialogs or clients) of the company's catalog; non-empty, trimmed. */
export const TagId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("TagId"))
export type TagId = typeof TagId.Type

/** Identifies a close reason of the company's catalog (DLG-06); non-empty, trimmed. */
export const CloseReasonId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("CloseReasonId"))
export type CloseReasonId = typeof CloseReasonId.Type

/** Identifies a routing queue; a deployment may have just one (`"default"`). */
export const QueueId = Schema.NonEmptyTrimmedString.pipe(Schema.brand("QueueId"))
export type QueueId = typeof QueueId.Type

/** An instant as epoch milliseconds (UTC). The shell fills it from `Clock`; `decide` never reads a clock. */
export const Instant = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
export type Instant = typeof Instant.Type
