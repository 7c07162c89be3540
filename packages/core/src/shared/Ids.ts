import { Schema } from "effect"
import { limits, storable } from "./StoredText.js"

/**
 * A non-empty trimmed string branded as `B`: every id of the domain. Storable (no NUL, no lone
 * surrogate, at most `limits.id` characters), so an id from a URL or a form is checked like any stored string.
 */
const id = <B extends string>(brand: B) => Schema.NonEmptyTrimmedString.pipe(storable(limits.id), Schema.brand(brand))

/** Identifies a client (contact). */
export const ClientId = id("ClientId")

/** Identifies a dialog (one conversation with one client in one channel). */
export const DialogId = id("DialogId")

/** Identifies a message; derived from its dialog and sequence number, so ids never collide. */
export const MessageId = id("MessageId")

/** Identifies a user of the panel: owner, admin, supervisor or operator. */
export const UserId = id("UserId")

/** Identifies a configured channel (a Telegram bot, a widget, a mailbox…). */
export const ChannelId = id("ChannelId")

/** Identifies an external bot that handles dialogs before (and after) operators. */
export const BotId = id("BotId")

/** Identifies a dialog topic of the company's catalog (`Settings.topics`). */
export const TopicId = id("TopicId")

/** Identifies a client tag of the company's catalog (`Settings.tags`). */
export const TagId = id("TagId")

/** Identifies a close reason of the company's catalog (`Settings.closeReasons`). */
export const CloseReasonId = id("CloseReasonId")

/** Identifies a routing queue; a deployment may have just one (`"default"`). */
export const QueueId = id("QueueId")

/** Identifies a stored file (an attachment's bytes behind the `FileStore` port). */
export const FileId = id("FileId")

/** An instant as epoch milliseconds (UTC). The shell fills it from `Clock`; `decide` never reads a clock. */
export const Instant = Schema.Number.pipe(Schema.int(), Schema.nonNegative())
export type Instant = typeof Instant.Type

/** The ids as types (`ClientId` is both the schema and the branded string it decodes to). */
export type ClientId = typeof ClientId.Type
export type DialogId = typeof DialogId.Type
export type MessageId = typeof MessageId.Type
export type UserId = typeof UserId.Type
export type ChannelId = typeof ChannelId.Type
export type BotId = typeof BotId.Type
export type TopicId = typeof TopicId.Type
export type TagId = typeof TagId.Type
export type CloseReasonId = typeof CloseReasonId.Type
export type QueueId = typeof QueueId.Type
export type FileId = typeof FileId.Type

/** A language tag such as `en`, `uk`, `pt-BR`: a client's, a dialog's, an operator's (ROUTING A0). */
export const Language = Schema.String.pipe(Schema.pattern(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/), Schema.brand("Language"))
export type Language = typeof Language.Type
