import { describe, expect, it } from "@effect/vitest"
import { Channel, ChannelAdapter, ChannelId } from "@switchboard/core"
import { Effect, Either, Redacted } from "effect"
import { TelegramAdapter } from "../../src/index.js"
import { FakeTelegram } from "../../src/testing.js"

const channel = Channel.Channel.make({ id: ChannelId.make("tg"), kind: "telegram", name: "Telegram" })
const contextFor = (fake: FakeTelegram.FakeTelegram, token = fake.token): ChannelAdapter.ChannelContext => ({
  channel,
  secrets: { botToken: Redacted.make(token), webhookSecret: Redacted.make("whsec_0123") }
})
const olena = { id: 4242, first_name: "Olena", username: "olena_k" }
const bytesOf = (text: string) => new TextEncoder().encode(text)

const outbound = (overrides: Partial<ChannelAdapter.OutboundMessage> = {}): ChannelAdapter.OutboundMessage => ({
  messageId: "m-1",
  dialogId: "d-1",
  recipient: "4242",
  text: "Hello from support",
  files: [],
  ...overrides
})
const fileOf = (kind: ChannelAdapter.AttachmentKind, name: string, mime: string, content: string): ChannelAdapter.OutboundFile => ({
  kind,
  name,
  mime,
  size: content.length,
  bytes: Effect.succeed(bytesOf(content))
})

/** Each test gets its own fake Bot API and an adapter pointed at it. */
const withFake = <A, E>(body: (fake: FakeTelegram.FakeTelegram, adapter: ChannelAdapter.ChannelAdapter) => Effect.Effect<A, E>) =>
  Effect.scoped(Effect.flatMap(FakeTelegram.make(), (fake) => body(fake, TelegramAdapter.make({ apiRoot: fake.apiRoot }))))

describe("TelegramAdapter against FakeTelegram", () => {
  it.effect("sends a text as sendMessage to the client's chat, quoting the client's message with reply_parameters", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        const sent = yield* adapter.send(contextFor(fake), outbound({ replyTo: "4242:17" }))
        const [call] = fake.callsOf("sendMessage")
        expect(call?.params).toMatchObject({ chat_id: "4242", text: "Hello from support", reply_parameters: { message_id: 17, allow_sending_without_reply: true } })
        expect(sent.providerMessageId).toMatch(/^4242:\d+$/)
      })
    ))

  it.effect("sends an image as sendPhoto and anything else as sendDocument, the text as the first caption, the bytes uploaded", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        yield* adapter.send(contextFor(fake), outbound({
          text: "Here are the documents",
          files: [fileOf("image", "scan.png", "image/png", "PNGDATA"), fileOf("document", "contract \"final\".pdf", "application/pdf", "%PDF-1.7")]
        }))
        expect(fake.calls().map((call) => call.method)).toEqual(["sendPhoto", "sendDocument"])
        const [photo] = fake.callsOf("sendPhoto")
        const [document] = fake.callsOf("sendDocument")
        expect(photo?.params).toMatchObject({ chat_id: "4242", caption: "Here are the documents" })
        expect(new TextDecoder().decode(photo?.files["photo"]?.bytes)).toBe("PNGDATA")
        expect(document?.params["caption"]).toBeUndefined()
        expect(document?.files["document"]?.name).toBe("contract _final_.pdf")
        expect(new TextDecoder().decode(document?.files["document"]?.bytes)).toBe("%PDF-1.7")
      })
    ))

  it.effect("a text longer than a caption goes first as its own message, then the file", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        yield* adapter.send(contextFor(fake), outbound({ text: "x".repeat(2000), files: [fileOf("image", "a.jpg", "image/jpeg", "JPG")] }))
        expect(fake.calls().map((call) => call.method)).toEqual(["sendMessage", "sendPhoto"])
        expect(fake.callsOf("sendPhoto")[0]?.params["caption"]).toBeUndefined()
      })
    ))

  it.effect("a 429 is a retryable failure that waits retry_after; a later call goes through", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        fake.failNext("sendMessage", 1, FakeTelegram.tooManyRequests(7))
        const failed = yield* adapter.send(contextFor(fake), outbound()).pipe(Effect.flip)
        expect(failed).toMatchObject({ retryable: true, retryAfterMs: 7000 })
        expect(failed.reason).toContain("429")
        const waiting = fake.waitFor("sendMessage", 2)
        yield* adapter.send(contextFor(fake), outbound())
        expect(yield* Effect.promise(() => waiting)).toHaveLength(2)
      })
    ))

  it.effect("a blocked bot (403), a bad request (400) and a wrong token (401) fail for good with Telegram's description", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        fake.block(4242)
        const blocked = yield* adapter.send(contextFor(fake), outbound()).pipe(Effect.flip)
        expect(blocked).toMatchObject({ retryable: false, reason: "Telegram sendMessage: 403 Forbidden: bot was blocked by the user" })
        fake.failNext("sendMessage", 1, FakeTelegram.badRequest("chat not found"))
        const bad = yield* adapter.send(contextFor(fake), outbound({ recipient: "77" })).pipe(Effect.flip)
        expect(bad).toMatchObject({ retryable: false, reason: "Telegram sendMessage: 400 Bad Request: chat not found" })
        const unauthorized = yield* adapter.send(contextFor(fake, "999:WRONG"), outbound({ recipient: "77" })).pipe(Effect.flip)
        expect(unauthorized).toMatchObject({ retryable: false })
        expect(unauthorized.reason).toContain("401")
        expect(unauthorized.reason).not.toContain("999:WRONG")
      })
    ))

  it.effect("a server error or an unreachable Bot API may pass on a retry", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        fake.failNext("*", 1, { error_code: 502, description: "Bad Gateway" })
        expect(yield* adapter.send(contextFor(fake), outbound()).pipe(Effect.flip)).toMatchObject({ retryable: true })
        const nowhere = TelegramAdapter.make({ apiRoot: "http://127.0.0.1:1" })
        const failed = yield* nowhere.send(contextFor(fake), outbound()).pipe(Effect.flip)
        expect(failed.retryable).toBe(true)
        expect(failed.reason).not.toContain(fake.token)
      })
    ))

  it.effect("downloads an inbound photo through getFile and the file URL", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        const update = fake.updates.photo(olena, bytesOf("JPEG-BYTES"), "look")
        const [event] = yield* adapter.parseInbound(contextFor(fake), {
          method: "POST",
          headers: { "x-telegram-bot-api-secret-token": "whsec_0123" },
          body: bytesOf(JSON.stringify(update))
        })
        if (event?._tag !== "InboundMessage") return expect.fail("expected a message")
        const [file] = event.files
        if (file === undefined) return expect.fail("expected a file")
        const bytes = yield* (adapter.download?.(contextFor(fake), file) ?? Effect.die("no download"))
        expect(new TextDecoder().decode(bytes)).toBe("JPEG-BYTES")
        expect(fake.callsOf("getFile")[0]?.params).toEqual({ file_id: file.ref })
      })
    ))

  it.effect("a file Telegram does not know, or one over the Bot API's 20 MB, fails for good", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        const download = adapter.download ?? (() => Effect.die("no download"))
        const unknown = yield* download(contextFor(fake), { ref: "nope", name: "x.jpg" }).pipe(Effect.flip)
        expect(unknown).toMatchObject({ retryable: false })
        const huge = yield* download(contextFor(fake), { ref: "big", name: "movie.mp4", size: 30 * 1024 * 1024 }).pipe(Effect.flip)
        expect(huge.reason).toContain("20 MB")
        expect(fake.callsOf("getFile")).toHaveLength(1)
      })
    ))

  it.effect("register sets the webhook with the secret token; Telegram then delivers updates with the secret header", () =>
    withFake((fake, adapter) =>
      Effect.gen(function*() {
        yield* (adapter.register?.(contextFor(fake), "https://switchboard.example/api/channels/tg/inbound") ?? Effect.die("no register"))
        expect(fake.webhook()).toEqual({ url: "https://switchboard.example/api/channels/tg/inbound", secret_token: "whsec_0123" })
        expect(fake.callsOf("setWebhook")[0]?.params["allowed_updates"]).toEqual(["message", "edited_message", "my_chat_member"])
        const badSecret: ChannelAdapter.ChannelContext = { channel, secrets: { botToken: Redacted.make(fake.token), webhookSecret: Redacted.make("has space") } }
        const refused = yield* (adapter.register?.(badSecret, "https://x.example/") ?? Effect.die("no register")).pipe(Effect.either)
        expect(Either.isLeft(refused) && refused.left.reason).toContain("A-Z, a-z, 0-9, _ and -")
      })
    ))
})
