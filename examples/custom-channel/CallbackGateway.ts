/**
 * An integrator's channel adapter (CHN-02): outgoing messages are POSTed to the external
 * system's callback URL, signed with HMAC-SHA256 so the receiver can check they came from us.
 * Inbound messages arrive the other way, through `Engine.receive`.
 */
import { ChannelGateway, DeliveryFailed } from "@switchboard/core"
import { Effect, Layer } from "effect"
import { createHmac } from "node:crypto"

export interface CallbackConfig {
  readonly url: string
  readonly secret: string
}

/** `X-Switchboard-Signature: sha256=<hex>` over the raw body. */
export const sign = (secret: string, body: string): string => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`

export const layer = (config: CallbackConfig) =>
  Layer.succeed(ChannelGateway, {
    send: (channel, recipient, message) =>
      Effect.tryPromise({
        try: async () => {
          const body = JSON.stringify({ channelId: channel.id, to: recipient, messageId: message.id, text: message.text })
          const response = await fetch(config.url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-switchboard-signature": sign(config.secret, body) },
            body
          })
          if (!response.ok) throw new Error(`callback answered ${response.status}`)
        },
        catch: (error) => new DeliveryFailed({ reason: error instanceof Error ? error.message : String(error) })
      })
  })
