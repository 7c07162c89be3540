import type { ChannelAdapter, StorePorts } from "@switchboard/core"
import { Effect, Exit, type Layer, Scope } from "effect"
import { afterAll, beforeAll } from "vitest"
import { TelegramAdapter } from "../../src/index.js"
import { channelConformance, type ProviderFailure, type ProviderFake } from "../../src/testing/channelConformance.js"
import * as FakeTelegram from "../../src/channels/telegram/FakeTelegram.js"

const webhookSecret = "conformance_webhook_secret"
const encoder = new TextEncoder()

const asApiFailure = (failure: ProviderFailure): FakeTelegram.ApiFailure => {
  switch (failure._tag) {
    case "Outage":
      return { error_code: 502, description: "Bad Gateway" }
    case "Permanent":
      return { error_code: 403, description: `Forbidden: ${failure.reason}` }
    case "RateLimited":
      return FakeTelegram.tooManyRequests(failure.retryAfterSeconds)
  }
}

const request = (json: unknown, headers: Record<string, string> = { "x-telegram-bot-api-secret-token": webhookSecret }, method = "POST"): ChannelAdapter.InboundRequest => ({
  method,
  headers: { "content-type": "application/json", ...headers },
  body: encoder.encode(typeof json === "string" ? json : JSON.stringify(json))
})

/**
 * The suite's provider over one FakeTelegram Bot API (one server per file; each provider counts
 * from the calls made before it). Clients' names ("client-1") become numeric Telegram users.
 */
const providerOn = (fake: FakeTelegram.FakeTelegram): ProviderFake => {
  const sendsBefore = fake.callsOf("sendMessage").length
  const acceptedBefore = fake.sent().length
  const users = new Map<string, number>()
  const userOf = (name: string) => {
    const id = users.get(name) ?? 700_000 + users.size + Math.floor(Math.random() * 1_000_000) * 1000
    users.set(name, id)
    return { id, first_name: name }
  }
  const nameOf = (chat: string) => [...users].find(([, id]) => String(id) === chat)?.[0] ?? chat
  const update = (input: { readonly from: string; readonly text: string }) => {
    const { messageId: _, ...json } = fake.updates.text(userOf(input.from), input.text)
    return json
  }
  return {
    settings: { [TelegramAdapter.secretNames.botToken]: fake.token, [TelegramAdapter.secretNames.webhookSecret]: webhookSecret },
    accepted: () =>
      fake.sent().slice(acceptedBefore).map(({ call, messageId }) => ({
        messageId: String(messageId),
        to: nameOf(String(call.params["chat_id"])),
        text: String(call.params["text"] ?? call.params["caption"] ?? ""),
        providerMessageId: `${String(call.params["chat_id"])}:${messageId}`
      })),
    attempts: () => fake.callsOf("sendMessage").length - sendsBefore,
    waitForAttempts: (count) => fake.waitFor("sendMessage", sendsBefore + count).then(() => undefined),
    failNext: (count, failure) => fake.failNext("sendMessage", count, asApiFailure(failure)),
    message: (input) => request(update(input)),
    status: () => {
      throw new Error("Telegram reports no delivery statuses to bots")
    },
    forged: (input) => [
      { name: "no secret header", request: request(update(input), {}) },
      { name: "wrong secret", request: request(update(input), { "x-telegram-bot-api-secret-token": `${webhookSecret}x` }) },
      { name: "secret of the same length", request: request(update(input), { "x-telegram-bot-api-secret-token": webhookSecret.replace(/.$/, "X") }) },
      { name: "secret in another header", request: request(update(input), { "x-webhook-secret": webhookSecret }) }
    ],
    malformed: () => [
      { name: "not JSON", request: request("{") },
      { name: "no update_id", request: request({ message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "hi" } }) },
      { name: "a message without its chat", request: request({ update_id: 9_999_999, message: { message_id: 1, date: 0, text: "hi" } }) },
      { name: "GET instead of POST", request: request(update({ from: "client-9", text: "hi" }), undefined, "GET") }
    ]
  }
}

/**
 * The Telegram adapter's conformance run on a store, against one FakeTelegram Bot API started for
 * the file (the adapter is made once the fake listens).
 */
export const telegramConformance = (name: string, store: () => Layer.Layer<StorePorts, unknown>) => {
  const scope = Effect.runSync(Scope.make())
  let fake: FakeTelegram.FakeTelegram | undefined
  let adapter: ChannelAdapter.ChannelAdapter | undefined
  beforeAll(async () => {
    fake = await Effect.runPromise(Scope.extend(FakeTelegram.make(), scope))
    adapter = TelegramAdapter.make({ apiRoot: fake.apiRoot })
  })
  afterAll(() => Effect.runPromise(Scope.close(scope, Exit.void)))
  const started = () => {
    if (adapter === undefined) throw new Error("FakeTelegram is not running yet")
    return adapter
  }
  channelConformance({
    name: `Telegram on ${name}`,
    adapter: {
      kind: "telegram",
      capabilities: TelegramAdapter.capabilities,
      parseInbound: (context, request) => started().parseInbound(context, request),
      send: (context, message) => started().send(context, message),
      download: (context, file) => started().download!(context, file),
      register: (context, url) => started().register!(context, url)
    },
    provider: () => providerOn(fake ?? Effect.runSync(Effect.die("FakeTelegram is not running yet"))),
    store
  })
}
