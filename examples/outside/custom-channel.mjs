// A custom channel adapter in plain JavaScript (the README's "Write a channel adapter"): replies
// leave through the ChannelGateway port as signed POSTs to the integrator's callback URL. A local
// HTTP server stands in for the external system and checks each signature.
import { Access, Channel, ChannelGateway, ChannelId, ConfigStore, DeliveryFailed, Dialog, Engine, InboundMessage, Message, UserId } from "@switchboard/core"
import { MemoryEventBus, MemoryStore, SequentialIds } from "@switchboard/core/testing"
import { Effect, Layer, Option } from "effect"
import { createHmac } from "node:crypto"
import { createServer } from "node:http"

/** `X-Switchboard-Signature: sha256=<hex>` over the raw body. */
const sign = (secret, body) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`

/** The gateway: each outgoing message is POSTed, signed; a failed POST is the message's delivery failure. */
const callbackGateway = ({ url, secret }) =>
  Layer.succeed(ChannelGateway, {
    send: (channel, recipient, message) =>
      Effect.tryPromise({
        try: async () => {
          const body = JSON.stringify({ channelId: channel.id, to: recipient, messageId: message.id, text: message.text })
          const response = await fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", "x-switchboard-signature": sign(secret, body) },
            body
          })
          if (!response.ok) throw new Error(`callback answered ${response.status}`)
        },
        catch: (error) => new DeliveryFailed({ reason: error instanceof Error ? error.message : String(error) })
      })
  })

// The external system: records what it receives and whether the signature holds.
const secret = "s3cret"
const received = []
const external = createServer((request, response) => {
  let body = ""
  request.on("data", (chunk) => (body += chunk))
  request.on("end", () => {
    received.push(`${JSON.parse(body).text} (signature ${request.headers["x-switchboard-signature"] === sign(secret, body) ? "ok" : "WRONG"})`)
    response.writeHead(204).end()
  })
})
await new Promise((resolve) => external.listen(0, "127.0.0.1", resolve))
const url = `http://127.0.0.1:${external.address().port}/callback`

const live = Engine.Default.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStore.layer, MemoryEventBus.layer, SequentialIds.layer, callbackGateway({ url, secret })))
)
const operator = new Access.UserActor({ id: UserId.make("op"), name: "Op", role: "operator" })
const crm = ChannelId.make("crm")

try {
  const delivery = await Effect.runPromise(
    Effect.gen(function* () {
      const config = yield* ConfigStore
      const engine = yield* Engine
      yield* config.putChannel(Channel.Channel.make({ id: crm, kind: "custom", name: "Our CRM" }))
      // Inbound: the external system's message enters through the engine.
      const { dialogId } = yield* engine.receive(InboundMessage.make({ channelId: crm, from: "crm-user-7", message: Message.MessageInput.make({ text: "Hello from the CRM" }) }))
      yield* engine.execute(operator, new Dialog.Accept({ dialogId }))
      yield* engine.execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Hello back" }) }))
      const page = yield* engine.history(operator, { dialogId, limit: 1 })
      return Option.getOrElse(Option.map(page.items[0].delivery, (d) => d.status), () => "none")
    }).pipe(Effect.provide(live))
  )
  for (const line of received) console.log(`callback received: ${line}`)
  console.log(`delivery of the reply: ${delivery}`)
} finally {
  external.close()
}
