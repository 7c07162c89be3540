import { Schema } from "effect"

/**
 * The custom channel's JSON payloads (CHN-02), documented in `docs/channels/custom.md`. Both
 * directions are signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) with the channel's `signingSecret`.
 */

/** Who wrote, as the integrator's system knows them. */
export const Sender = Schema.Struct({
  id: Schema.String,
  name: Schema.optional(Schema.String),
  username: Schema.optional(Schema.String),
  language: Schema.optional(Schema.String),
  attributes: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String }))
})

/** A file of an inbound message, by URL (fetched into the file store when the server has one). */
export const InboundFile = Schema.Struct({
  url: Schema.String,
  name: Schema.String,
  mime: Schema.optional(Schema.String),
  size: Schema.optional(Schema.Number)
})

/** What the integrator's system POSTs to `/api/channels/:channelId/webhook`. */
export const Inbound = Schema.Union(
  Schema.Struct({
    type: Schema.Literal("message"),
    data: Schema.Struct({
      /** Your id of the message: a repeat delivery of the same id is stored once. */
      id: Schema.String,
      from: Sender,
      text: Schema.String,
      files: Schema.optionalWith(Schema.Array(InboundFile), { default: () => [] }),
      /** Your id of the message this one replies to. */
      replyTo: Schema.optional(Schema.String)
    })
  }),
  Schema.Struct({
    type: Schema.Literal("message.edited"),
    data: Schema.Struct({ id: Schema.String, from: Sender, text: Schema.String })
  }),
  Schema.Struct({
    type: Schema.Literal("message.status"),
    data: Schema.Struct({
      /** The id your callback answered for one of our messages. */
      messageId: Schema.String,
      status: Schema.Literal("delivered", "read", "failed"),
      reason: Schema.optional(Schema.String)
    })
  }),
  Schema.Struct({
    type: Schema.Literal("client.left"),
    data: Schema.Struct({ from: Sender })
  })
)
export type Inbound = typeof Inbound.Type

/** What Switchboard POSTs to the channel's `callbackUrl` for every outgoing message. */
export const Outbound = Schema.Struct({
  type: Schema.Literal("message.created"),
  data: Schema.Struct({
    /** Our id of the message: the same on every retry, so use it to deduplicate. */
    messageId: Schema.String,
    dialogId: Schema.String,
    /** Your id of the recipient (the `from.id` they wrote with). */
    to: Schema.String,
    text: Schema.String,
    files: Schema.Array(Schema.Struct({ name: Schema.String, mime: Schema.String, size: Schema.Number, base64: Schema.String })),
    replyTo: Schema.optional(Schema.String)
  })
})
export type Outbound = typeof Outbound.Type

/** Your callback's answer (2xx): your id of the delivered message, which your status reports name. */
export const Accepted = Schema.Struct({ id: Schema.String })
