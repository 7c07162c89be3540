import { Access, Channel, ChannelId, Dialog, Engine, Message, Operator, UserId } from "@switchboard/core"
import { ChannelCredentials, startServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"
import { Effect, Option, Redacted } from "effect"
import { afterAll, beforeAll, expect, it } from "vitest"
import { startProvider } from "./provider.js"

const crm = ChannelId.make("crm")
const operator = new Access.UserActor({ id: UserId.make("op"), name: "Op", role: "operator" })
let server: Awaited<ReturnType<typeof startServer>>
let provider: Awaited<ReturnType<typeof startProvider>>

beforeAll(async () => {
  server = await startServer({ port: 0, hostname: "127.0.0.1", storage: memoryStorage, seed: false, channels: { outbox: { idleMs: 10, baseDelayMs: 10 } } })
  // By address, not "localhost": a name lookup waits for libuv's thread pool, which the other test
  // files of this process keep busy hashing passwords (the lookup then outlasts fetch's 10 s connect timeout).
  provider = await startProvider({ switchboardUrl: switchboardUrl(), channelId: crm })
  // Creating the channel generates its credentials, shown once: the provider keeps the signing secret.
  const issued = await server.runtime.runPromise(
    Effect.gen(function* () {
      const engine = yield* Engine
      yield* engine.operator(Access.system, new Operator.RegisterOperator({ userId: operator.id, name: operator.name, role: operator.role }))
      return yield* (yield* ChannelCredentials).create(Channel.Channel.make({ id: crm, kind: "custom", name: "Our CRM" }), { callbackUrl: provider.callbackUrl })
    })
  )
  provider.useSecret(Redacted.value(issued.signingSecret))
})

const switchboardUrl = () => `http://127.0.0.1:${server.port}`

afterAll(async () => {
  await provider?.close()
  await server?.close()
})

const waitFor = async <A>(read: () => Promise<A>, done: (value: A) => boolean): Promise<A> => {
  for (;;) {
    const value = await read()
    if (done(value)) return value
    await new Promise((resolve) => setImmediate(resolve))
  }
}

const deliveryOf = (dialogId: Dialog.DialogState["id"]) =>
  server.runtime.runPromise(Effect.map(Effect.flatMap(Engine, (engine) => engine.history(operator, { dialogId, limit: 1 })), (page) => Option.map(page.items[0]!.delivery, (d) => d.status)))

it("a client's message comes in signed, the reply goes out signed and exactly once; statuses follow what the provider reports", async () => {
  const first = await provider.message({ id: "crm-user-7", name: "Ann" }, "in-1", "Hello from the CRM")
  expect(first.status).toBe(202)
  const { received } = (await first.json()) as { received: Array<{ dialogId: Dialog.DialogState["id"] }> }
  const dialogId = received[0]!.dialogId
  // The same request again is a redelivery: stored once.
  expect((await provider.message({ id: "crm-user-7" }, "in-1", "Hello from the CRM")).status).toBe(202)
  let failures = 2
  provider.answerWith((reply) => (failures-- > 0 ? { status: 503 } : { status: 200, id: `crm-${reply.messageId}` }))
  await server.runtime.runPromise(
    Effect.flatMap(Engine, (engine) =>
      Effect.zipRight(
        engine.execute(operator, new Dialog.Accept({ dialogId })),
        engine.execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Hello back" }) }))
      ))
  )
  await waitFor(() => deliveryOf(dialogId), (status) => Option.contains(status, "sent"))
  expect(provider.delivered().map((reply) => [reply.to, reply.text])).toEqual([["crm-user-7", "Op joined the conversation"], ["crm-user-7", "Hello back"]])
  const reply = provider.delivered()[1]!
  expect((await provider.status(reply.id, "read")).status).toBe(202)
  expect(await deliveryOf(dialogId)).toEqual(Option.some("read"))
  const history = await server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.history(operator, { dialogId, limit: 10 })))
  expect(history.items.filter((message) => message.text === "Hello from the CRM")).toHaveLength(1)
})

it("refuses what is not signed with the channel's secret: 401 with the reason", async () => {
  const forged = await fetch(`${switchboardUrl()}/api/channels/crm/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": "msg_x", "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": "v1,AAAA" },
    body: JSON.stringify({ type: "message", data: { id: "in-2", from: { id: "mallory" }, text: "hi" } })
  })
  expect(forged.status).toBe(401)
  expect(((await forged.json()) as { message: string }).message).toMatch(/Signature refused/)
})
