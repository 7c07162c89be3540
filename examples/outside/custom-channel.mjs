// A custom channel from the integrator's side, in plain JavaScript (the README's "Connect a channel"):
// the server's outbox POSTs each reply to your callback URL, signed per Standard Webhooks with the
// channel's signing secret; a local HTTP server stands in for your system and checks each signature.
import { Access, Channel, ChannelId, Dialog, Engine, Message, Operator, UserId } from "@switchboard/core"
import { ChannelCredentials, startServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"
import { Effect, Option, Redacted } from "effect"
import { createServer } from "node:http"
import { Webhook } from "standardwebhooks"

let webhook
const received = []
const external = createServer((request, response) => {
  let body = ""
  request.on("data", (chunk) => (body += chunk))
  request.on("end", () => {
    let verified = "ok"
    try {
      webhook.verify(body, request.headers)
    } catch {
      verified = "WRONG"
    }
    received.push(`${JSON.parse(body).data.text} (signature ${verified})`)
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `crm-${received.length}` }))
  })
})
await new Promise((resolve) => external.listen(0, "127.0.0.1", resolve))
const callbackUrl = `http://127.0.0.1:${external.address().port}/callback`

const server = await startServer({ port: 0, hostname: "127.0.0.1", storage: memoryStorage, seed: false, channels: { outbox: { idleMs: 10 } } })
const operator = new Access.UserActor({ id: UserId.make("op"), name: "Op", role: "operator" })
const crm = ChannelId.make("crm")

try {
  // Creating the channel generates its credentials, shown once: your system keeps the signing secret.
  const issued = await server.runtime.runPromise(
    Effect.gen(function* () {
      yield* (yield* Engine).operator(Access.system, new Operator.RegisterOperator({ userId: operator.id, name: operator.name, role: operator.role }))
      return yield* (yield* ChannelCredentials).create(Channel.Channel.make({ id: crm, kind: "custom", name: "Our CRM" }), { callbackUrl })
    })
  )
  webhook = new Webhook(Redacted.value(issued.signingSecret))
  // Your client writes: a signed POST to the channel's webhook.
  const body = JSON.stringify({ type: "message", data: { id: "in-1", from: { id: "crm-user-7" }, text: "Hello from the CRM" } })
  const at = new Date()
  const inbound = await fetch(`${server.url}/api/channels/crm/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": webhook.sign("msg_1", at, body) },
    body
  })
  const dialogId = (await inbound.json()).received[0].dialogId
  const delivery = () =>
    server.runtime.runPromise(
      Effect.gen(function* () {
        const engine = yield* Engine
        const page = yield* engine.history(operator, { dialogId, limit: 1 })
        return Option.getOrElse(Option.map(page.items[0].delivery, (d) => d.status), () => "none")
      })
    )
  await server.runtime.runPromise(
    Effect.gen(function* () {
      const engine = yield* Engine
      yield* engine.execute(operator, new Dialog.Accept({ dialogId }))
      yield* engine.execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Hello back" }) }))
    })
  )
  // The outbox sends the reply; its status moves to "sent" when your callback accepted it.
  let status = await delivery()
  while (status === "queued") {
    await new Promise((resolve) => setTimeout(resolve, 20))
    status = await delivery()
  }
  for (const line of received) console.log(`callback received: ${line}`)
  console.log(`delivery of the reply: ${status}`)
} finally {
  await server.close()
  external.close()
}
