import { Effect, Layer, Option } from "effect"
import { WidgetAdapter } from "@switchboard/adapters"
import { ChannelAdapter, ChannelGateway, DeliveryFailed } from "@switchboard/core"

/** The channel adapters this server runs, by kind (the outbox, when it lands, sends through the same map). */
export const channelAdapters: Layer.Layer<ChannelAdapter.ChannelAdapters> = Layer.succeed(
  ChannelAdapter.ChannelAdapters,
  new Map([[WidgetAdapter.adapter.kind, WidgetAdapter.adapter]])
)

/**
 * The channel gateway over the adapters: a channel whose kind has an adapter sends through it (a
 * failure marks the message failed with the adapter's reason, MSG-02); the others only log, as the
 * demo has no Telegram bot behind its Telegram channel yet.
 */
export const adapterGateway: Layer.Layer<ChannelGateway, never, ChannelAdapter.ChannelAdapters> = Layer.effect(
  ChannelGateway,
  Effect.map(ChannelAdapter.ChannelAdapters, (adapters) => ({
    send: (channel, recipient, message) => {
      const adapter = Option.fromNullable(adapters.get(channel.kind))
      if (Option.isNone(adapter)) return Effect.logDebug(`[${channel.kind}] to ${recipient}: ${message.text}`)
      return adapter.value.send({ channel, secrets: {} }, {
        messageId: message.id,
        dialogId: message.dialogId,
        recipient,
        text: message.text,
        files: []
      }).pipe(Effect.mapError((failed) => new DeliveryFailed({ reason: failed.reason })), Effect.asVoid)
    }
  }))
)
