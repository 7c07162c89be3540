import { Context, type Effect, Schema } from "effect"
import type { Channel } from "../channels/Channel.js"
import type { Message } from "../messages/Message.js"

/** The channel refused or could not deliver; the reason is shown beside the message (MSG-02). */
export class DeliveryFailed extends Schema.TaggedError<DeliveryFailed>()("DeliveryFailed", {
  reason: Schema.String
}) {}

/**
 * Sends outgoing messages to a channel. One adapter per channel kind; delivery reports come back
 * as `UpdateDelivery` commands.
 */
export interface ChannelGatewayService {
  /**
   * Deliver one outgoing message to `recipient` (the client's id in that channel); failing with
   * `DeliveryFailed` marks the message failed with the reason.
   */
  readonly send: (channel: Channel, recipient: string, message: Message) => Effect.Effect<void, DeliveryFailed>
}

/**
 * The `ChannelGateway` port's tag. Optional: without it, outgoing messages are recorded but not
 * sent (they stay `queued`).
 */
export class ChannelGateway extends Context.Tag("@switchboard/core/ChannelGateway")<ChannelGateway, ChannelGatewayService>() {}
