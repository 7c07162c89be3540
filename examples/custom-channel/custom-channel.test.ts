import { Access, Channel, ChannelId, ConfigStore, Dialog, Engine, InboundMessage, Message, UserId } from "@switchboard/core"
import { MemoryEventBus, MemoryStore, SequentialIds } from "@switchboard/core/testing"
import { Effect, Layer, Option } from "effect"
import { createHmac } from "node:crypto"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { expect, it } from "vitest"
import * as CallbackGateway from "./CallbackGateway.js"

/** What the receiving system computes to check a callback: HMAC-SHA256 of the raw body, in hex, with the shared secret. */
const expectedSignature = (secret: string, body: string) => `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`

it("signs a callback as HMAC-SHA256 of the body in hex (RFC 4231 test case 2)", () => {
  expect(CallbackGateway.sign("Jefe", "what do ya want for nothing?")).toBe("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
})

it("a custom channel: inbound through the engine, replies POSTed and signed to the callback", async () => {
  const received: Array<{ body: string; signature: string | undefined }> = []
  const server = createServer((request, response) => {
    let body = ""
    request.on("data", (chunk) => (body += chunk))
    request.on("end", () => {
      received.push({ body, signature: request.headers["x-switchboard-signature"] as string | undefined })
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`
  const live = Engine.Default.pipe(
    Layer.provideMerge(Layer.mergeAll(MemoryStore.layer, MemoryEventBus.layer, SequentialIds.layer, CallbackGateway.layer({ url, secret: "s3cret" })))
  )
  const operator = new Access.UserActor({ id: UserId.make("op"), name: "Op", role: "operator" })
  try {
    const delivery = await Effect.runPromise(
      Effect.gen(function* () {
        const config = yield* ConfigStore
        const engine = yield* Engine
        yield* config.putChannel(Channel.Channel.make({ id: ChannelId.make("crm"), kind: "custom", name: "Our CRM" }))
        const { dialogId } = yield* engine.receive(InboundMessage.make({ channelId: ChannelId.make("crm"), from: "crm-user-7", message: Message.MessageInput.make({ text: "Hello from the CRM" }) }))
        yield* engine.execute(operator, new Dialog.Accept({ dialogId }))
        yield* engine.execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Hello back" }) }))
        const page = yield* engine.history(operator, { dialogId, limit: 1 })
        return Option.map(page.items[0]!.delivery, (d) => d.status)
      }).pipe(Effect.provide(live))
    )
    expect(delivery).toEqual(Option.some("sent"))
    expect(received.map((r) => JSON.parse(r.body).text)).toEqual(["Op joined the conversation", "Hello back"])
    for (const r of received) expect(r.signature).toBe(expectedSignature("s3cret", r.body))
  } finally {
    server.close()
  }
})
