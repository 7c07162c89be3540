import { Schema } from "effect"
import { AttachmentKind } from "../channels/Adapter.js"
import { BotId, DialogId, FileId, Instant, MessageId, UserId } from "../shared/Ids.js"
import { limits, StoredName, StoredText, WebUrl } from "../shared/StoredText.js"

/** Who wrote a message (MSG-01). */
export const Author = Schema.Union(
  Schema.TaggedStruct("Client", {}),
  Schema.TaggedStruct("Operator", { userId: UserId }),
  Schema.TaggedStruct("Bot", { botId: BotId }),
  Schema.TaggedStruct("System", {})
)
export type Author = typeof Author.Type

/** Metadata of an attached file; the bytes live behind the `FileStore` port. */
export class Attachment extends Schema.Class<Attachment>("Attachment")({
  name: StoredName(255),
  mime: StoredText(255).pipe(Schema.pattern(/^[\w.+-]+\/[\w.+-]+$/)),
  size: Schema.Number.pipe(Schema.int(), Schema.between(0, 500 * 1024 * 1024)),
  /** Where the file is: `http` or `https` only. */
  url: Schema.optional(WebUrl),
  /** The file's bytes in the `FileStore`, when Switchboard keeps them. */
  fileId: Schema.optional(FileId),
  /** Which of the channel's limits applies (MSG-06); derived from the detected type when stored. */
  kind: Schema.optional(AttachmentKind)
}) {}

/** Delivery of an outgoing message (MSG-02): queued → sent → delivered → read, or failed. */
export const DeliveryStatus = Schema.Literal("queued", "sent", "delivered", "read", "failed")
export type DeliveryStatus = typeof DeliveryStatus.Type

/** Delivery statuses in the order they advance: a report never moves a message back (`failed` is last). */
export const deliveryRank: Record<DeliveryStatus, number> = { queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 }

/** An outgoing message's delivery status, when it was reached, and the reason when it failed (MSG-02). */
export class Delivery extends Schema.Class<Delivery>("Delivery")({
  status: DeliveryStatus,
  reason: Schema.optional(StoredText(limits.notes)),
  at: Instant
}) {}

/** Text limit in characters not counting white space (MSG-05). */
export const maxTextLength = 2000

/** Characters that count toward the text limit: everything but white space. */
export const countedLength = (text: string): number => text.replace(/\s/gu, "").length

/** A message as the panel and the API see it; the projection of the dialog's message events. */
export class Message extends Schema.Class<Message>("Message")({
  id: MessageId,
  dialogId: DialogId,
  /** Position in the dialog, 1-based; the cursor of history pages (MSG-07). */
  seq: Schema.Number.pipe(Schema.int(), Schema.positive()),
  author: Author,
  /** An internal note, visible to staff only (MSG-01). */
  internal: Schema.Boolean,
  text: StoredText(limits.text),
  attachments: Schema.Array(Attachment),
  quoteOf: Schema.OptionFromNullOr(MessageId),
  createdAt: Instant,
  editedAt: Schema.OptionFromNullOr(Instant),
  deletedAt: Schema.OptionFromNullOr(Instant),
  /** Outgoing messages only. */
  delivery: Schema.OptionFromNullOr(Delivery),
  /** A blocked client's message: stored for the record, delivered to nobody (DLG-10). */
  rejected: Schema.Boolean,
  /** The channel's own id of an inbound message; a repeat delivery is ignored. */
  externalId: Schema.OptionFromNullOr(StoredText(limits.externalId))
}) {}

/** What an inbound or outgoing message carries; decoded at the edge so bad input names its path. */
export class MessageInput extends Schema.Class<MessageInput>("MessageInput")({
  text: StoredText(limits.text),
  attachments: Schema.optionalWith(Schema.Array(Attachment).pipe(Schema.maxItems(10)), { default: () => [] })
}) {}
