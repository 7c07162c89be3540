import { Context, type Effect, type Redacted, Schema } from "effect"
import type { Channel } from "./Channel.js"

/**
 * The channel adapter kit's port (CHN-01..03, MSG-02, MSG-05, MSG-06): what an integrator writes to
 * connect a messenger, a widget or any system to Switchboard. An adapter is small and stateless: it
 * declares its capabilities, turns a provider's inbound request into typed inbound events, and sends
 * one outgoing message, answering with the provider's id for it or a failure that says whether a
 * retry may help. Everything durable — deduplication, the outbox, retries with backoff, delivery
 * statuses, attachments in the `FileStore` — is the engine's, so every adapter gets it right once.
 */

/** The kinds of attachment a channel distinguishes, each with its own size limit (MSG-06). */
export const AttachmentKind = Schema.Literal("image", "audio", "video", "document")
/** The kinds of attachment a channel distinguishes, each with its own size limit (MSG-06). */
export type AttachmentKind = typeof AttachmentKind.Type

/** One kind of attachment a channel accepts, and the largest file of that kind it takes in bytes. */
export class AttachmentLimit extends Schema.Class<AttachmentLimit>("AttachmentLimit")({
  kind: AttachmentKind,
  maxBytes: Schema.Number.pipe(Schema.int(), Schema.positive())
}) {}

/**
 * What a channel can do. The engine checks every outgoing message and attachment against it before
 * accepting it (the operator gets the channel's limit in the error), and hides what the channel lacks.
 */
export class AdapterCapabilities extends Schema.Class<AdapterCapabilities>("AdapterCapabilities")({
  /** The channel's text limit in characters not counting white space (MSG-05; the product's is 2000). */
  maxTextLength: Schema.Number.pipe(Schema.int(), Schema.positive()),
  /** The attachment kinds it accepts with their limits; an empty list means text only. */
  attachments: Schema.Array(AttachmentLimit),
  /** Whether it reports `delivered`. */
  deliveryReceipts: Schema.Boolean,
  /** Whether it reports `read` (MSG-02: read status only where the channel reports it). */
  readReceipts: Schema.Boolean,
  /** Whether a sent message can be edited / deleted at the client's side (MSG-04). */
  editMessages: Schema.Boolean,
  deleteMessages: Schema.Boolean,
  /** Whether a reply can quote a client's message (MSG-03). */
  quotes: Schema.Boolean,
  /** Whether it can show buttons (the "any more questions?" Yes/No, DLG-15; the rating, DLG-16). */
  buttons: Schema.Boolean
}) {}

/** A provider's request as the server received it: lower-cased header names, the raw body bytes. */
export interface InboundRequest {
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/**
 * The channel an adapter acts for, with its secrets (the credentials generated when the channel was
 * created, a bot token, a webhook secret), by name. Secrets are `Redacted` so they never reach a log.
 */
export interface ChannelContext {
  readonly channel: Channel
  readonly secrets: Readonly<Record<string, Redacted.Redacted<string>>>
}

/** A file an inbound message carries: the provider's reference, fetched by `download` into the FileStore. */
export const InboundFile = Schema.Struct({
  /** The provider's id or URL of the file; handed back to `download`. */
  ref: Schema.String,
  name: Schema.String,
  mime: Schema.optional(Schema.String),
  size: Schema.optional(Schema.Number)
})
/** A file an inbound message carries: the provider's reference, fetched by `download` into the FileStore. */
export type InboundFile = typeof InboundFile.Type

/** Who wrote to the channel, as the provider knows them: `from` is their id in the channel. */
export const InboundSender = Schema.Struct({
  from: Schema.String,
  name: Schema.optional(Schema.String),
  /** A messenger handle, an email address, a phone: whatever the channel tells. */
  username: Schema.optional(Schema.String),
  language: Schema.optional(Schema.String),
  /** Page parameters and custom attributes (the widget's `setUser`, CHN-03). */
  attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})
/** Who wrote to the channel, as the provider knows them: `from` is their id in the channel. */
export type InboundSender = typeof InboundSender.Type

/**
 * What a provider's request means, in the engine's terms. `externalId` is the provider's id of the
 * message: a repeat delivery of the same id is stored once. `providerMessageId` in a status report is
 * the id `send` answered for one of our outgoing messages.
 */
export const InboundEvent = Schema.Union(
  Schema.TaggedStruct("InboundMessage", {
    externalId: Schema.String,
    sender: InboundSender,
    text: Schema.String,
    files: Schema.Array(InboundFile),
    /** The provider's id of the message this one replies to (→ a quote). */
    replyTo: Schema.optional(Schema.String)
  }),
  Schema.TaggedStruct("InboundEdit", {
    externalId: Schema.String,
    sender: InboundSender,
    text: Schema.String
  }),
  Schema.TaggedStruct("InboundStatus", {
    providerMessageId: Schema.String,
    status: Schema.Literal("delivered", "read", "failed"),
    reason: Schema.optional(Schema.String)
  }),
  Schema.TaggedStruct("InboundClientLeft", {
    sender: InboundSender
  })
)
/** What a provider's request means, in the engine's terms. */
export type InboundEvent = typeof InboundEvent.Type

/** The provider's request was not acceptable: a 4xx with `reason` (401 when `unauthorized`), nothing stored. */
export class InboundRejected extends Schema.TaggedError<InboundRejected>()("InboundRejected", {
  reason: Schema.String,
  /** A missing, wrong, stale or replayed signature or token (401), not malformed content (400/422). */
  unauthorized: Schema.Boolean
}) {}

/** An attachment of an outgoing message, with a way for the adapter to read its bytes. */
export interface OutboundFile {
  readonly kind: AttachmentKind
  readonly name: string
  readonly mime: string
  readonly size: number
  /** The file's bytes from the `FileStore`. */
  readonly bytes: Effect.Effect<Uint8Array, SendFailed>
}

/** One outgoing message for an adapter to send. `messageId` is ours; use it as an idempotency key. */
export interface OutboundMessage {
  readonly messageId: string
  readonly dialogId: string
  /** The client's id in the channel (`InboundSender.from`). */
  readonly recipient: string
  readonly text: string
  readonly files: ReadonlyArray<OutboundFile>
  /** The provider's id of the client message this one quotes (MSG-03). */
  readonly replyTo?: string
  /** Buttons to show under the text, when the channel has them. */
  readonly buttons?: ReadonlyArray<{ readonly id: string; readonly label: string }>
}

/** What the provider answered for a sent message: its own id, which later status reports name. */
export interface Sent {
  readonly providerMessageId: string
}

/**
 * A send did not go through. `retryable` failures are retried with backoff (waiting at least
 * `retryAfterMs` when the provider said so, e.g. Telegram's `429 retry_after`); the others end the
 * message `failed` with `reason`, which the operator sees (MSG-02).
 */
export class SendFailed extends Schema.TaggedError<SendFailed>()("SendFailed", {
  reason: Schema.String,
  retryable: Schema.Boolean,
  retryAfterMs: Schema.optional(Schema.Number)
}) {}

/**
 * A channel adapter: one per channel kind (custom webhook, widget, Telegram...). Pure of storage;
 * the engine calls it from the inbound route and the outbox.
 */
export interface ChannelAdapter {
  readonly kind: Channel["kind"]
  /** What this channel can do; may depend on the channel's configuration. */
  readonly capabilities: (channel: Channel) => AdapterCapabilities
  /** Verify and parse one inbound request (a provider's webhook). */
  readonly parseInbound: (context: ChannelContext, request: InboundRequest) => Effect.Effect<ReadonlyArray<InboundEvent>, InboundRejected>
  /** Send one outgoing message. */
  readonly send: (context: ChannelContext, message: OutboundMessage) => Effect.Effect<Sent, SendFailed>
  /** Fetch an inbound file's bytes (`InboundFile.ref`), when the provider does not put them in the request. */
  readonly download?: (context: ChannelContext, file: InboundFile) => Effect.Effect<Uint8Array, SendFailed>
  /** Called when a channel of this kind is created or its secrets change (e.g. register Telegram's webhook at `webhookUrl`). */
  readonly register?: (context: ChannelContext, webhookUrl: string) => Effect.Effect<void, SendFailed>
}

/** The adapters a server runs, by channel kind; the composition root lists them. */
export class ChannelAdapters extends Context.Tag("@switchboard/core/ChannelAdapters")<
  ChannelAdapters,
  ReadonlyMap<Channel["kind"], ChannelAdapter>
>() {}
