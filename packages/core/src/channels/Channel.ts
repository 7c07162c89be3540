import { Schema } from "effect"
import { BotId, ChannelId, QueueId } from "../shared/Ids.js"
import { limits, StoredName } from "../shared/StoredText.js"

/** The kinds of channel Switchboard knows (CHN-01); `custom` is any system behind a webhook (CHN-02). */
export const ChannelKind = Schema.Literal("widget", "telegram", "whatsapp", "viber", "messenger", "instagram", "email", "sms", "custom")
export type ChannelKind = typeof ChannelKind.Type

/** What a channel can do; the engine adapts to it (no read receipts, a lower text limit…). */
export class Capabilities extends Schema.Class<Capabilities>("Capabilities")({
  readReceipts: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  editMessages: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  deleteMessages: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** The channel's own text limit in non-space characters, when lower than the product's 2000. */
  maxTextLength: Schema.optional(Schema.Number.pipe(Schema.int(), Schema.positive()))
}) {}

/** A configured channel: one Telegram bot, one widget, one mailbox. */
export class Channel extends Schema.Class<Channel>("Channel")({
  id: ChannelId,
  kind: ChannelKind,
  name: StoredName(limits.name),
  capabilities: Schema.optionalWith(Capabilities, { default: () => Capabilities.make({}) }),
  /** The bot that answers this channel's new dialogs first; none = straight to the queue. */
  botId: Schema.optional(BotId),
  /** Where this channel's dialogs wait for an operator. */
  queueId: Schema.optionalWith(QueueId, { default: () => QueueId.make("default") })
}) {}
