import { describe, expect, it } from "@effect/vitest"
import { Channel, ChannelAdapter, ChannelId } from "@switchboard/core"
import { Effect, Either, FastCheck as fc, Redacted } from "effect"
import { TelegramAdapter, TelegramUpdate } from "../../src/index.js"

const channel = Channel.Channel.make({ id: ChannelId.make("tg"), kind: "telegram", name: "Telegram" })
const context: ChannelAdapter.ChannelContext = {
  channel,
  secrets: { botToken: Redacted.make("123456:TEST"), webhookSecret: Redacted.make("s3cret_-Token") }
}
const adapter = TelegramAdapter.make({ apiRoot: "http://127.0.0.1:9" })
const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))
/** `secret: null` sends no secret header. */
const request = (body: Uint8Array, secret: string | null = "s3cret_-Token"): ChannelAdapter.InboundRequest => ({
  method: "POST",
  headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }) },
  body
})
const parse = (body: Uint8Array, secret?: string | null) => adapter.parseInbound(context, request(body, secret)).pipe(Effect.either)

const chat = { id: 4242, type: "private", first_name: "Olena" }
const from = { id: 4242, is_bot: false, first_name: "Olena", last_name: "K", username: "olena_k", language_code: "uk" }

describe("Telegram webhook updates", () => {
  it.effect("a text message becomes an InboundMessage from the chat, with the sender's name, handle and language", () =>
    Effect.gen(function*() {
      const events = yield* adapter.parseInbound(context, request(encode({ update_id: 1, message: { message_id: 7, date: 1, chat, from, text: "Hello" } })))
      expect(events).toEqual([{
        _tag: "InboundMessage",
        externalId: "4242:7",
        sender: { from: "4242", name: "Olena K", username: "olena_k", language: "uk" },
        text: "Hello",
        files: []
      }])
    }))

  it.effect("a photo keeps only its largest size; its caption is the text; a reply names the quoted message", () =>
    Effect.gen(function*() {
      const photo = [
        { file_id: "small", file_unique_id: "s", width: 90, height: 90, file_size: 100 },
        { file_id: "big", file_unique_id: "b", width: 1280, height: 1280, file_size: 90_000 },
        { file_id: "mid", file_unique_id: "m", width: 320, height: 320 }
      ]
      const events = yield* adapter.parseInbound(context, request(encode({
        update_id: 2,
        message: { message_id: 8, date: 1, chat, from, photo, caption: "my receipt", reply_to_message: { message_id: 3, date: 1, chat } }
      })))
      expect(events).toEqual([expect.objectContaining({
        _tag: "InboundMessage",
        text: "my receipt",
        files: [{ ref: "big", name: "photo-b.jpg", mime: "image/jpeg", size: 90_000 }],
        replyTo: "4242:3"
      })])
    }))

  it.effect("a document keeps its name and type; an edit becomes an InboundEdit of the same message", () =>
    Effect.gen(function*() {
      const document = { file_id: "doc", file_unique_id: "d", file_name: "invoice.pdf", mime_type: "application/pdf", file_size: 5000 }
      const [message] = yield* adapter.parseInbound(context, request(encode({ update_id: 3, message: { message_id: 9, date: 1, chat, from, document } })))
      expect(message).toMatchObject({ files: [{ ref: "doc", name: "invoice.pdf", mime: "application/pdf", size: 5000 }], text: "" })
      const edit = yield* adapter.parseInbound(context, request(encode({ update_id: 4, edited_message: { message_id: 9, date: 1, edit_date: 2, chat, from, text: "typo fixed" } })))
      expect(edit).toEqual([{ _tag: "InboundEdit", externalId: "4242:9", sender: expect.objectContaining({ from: "4242" }), text: "typo fixed" }])
    }))

  it.effect("update kinds the engine has no use for, and stickers, give no events; a user blocking the bot has left", () =>
    Effect.gen(function*() {
      expect(yield* adapter.parseInbound(context, request(encode({ update_id: 5, callback_query: { id: "q", from, chat_instance: "x" } })))).toEqual([])
      expect(yield* adapter.parseInbound(context, request(encode({ update_id: 6, message: { message_id: 10, date: 1, chat, from, sticker: { file_id: "st" } } })))).toEqual([])
      const left = yield* adapter.parseInbound(context, request(encode({
        update_id: 7,
        my_chat_member: { chat, from, date: 1, old_chat_member: { status: "member" }, new_chat_member: { status: "kicked" } }
      })))
      expect(left).toEqual([{ _tag: "InboundClientLeft", sender: expect.objectContaining({ from: "4242" }) }])
    }))

  it.effect("a missing or wrong secret header is refused as unauthorized (401) with the reason, before the body is read", () =>
    Effect.gen(function*() {
      const body = encode({ update_id: 1, message: { message_id: 7, date: 1, chat, from, text: "Hello" } })
      const missing = yield* parse(body, null)
      const wrong = yield* parse(body, "s3cret_-Tokem")
      const short = yield* parse(new Uint8Array([1, 2, 3]), "s3cret")
      for (const result of [missing, wrong, short]) {
        expect(Either.isLeft(result) && result.left.unauthorized).toBe(true)
      }
      expect(Either.isLeft(missing) && missing.left.reason).toContain("Missing the x-telegram-bot-api-secret-token header")
      expect(Either.isLeft(wrong) && wrong.left.reason).toContain("Wrong x-telegram-bot-api-secret-token header")
    }))

  it.effect("a malformed update is refused (400, not unauthorized) naming what is wrong", () =>
    Effect.gen(function*() {
      const notJson = yield* parse(new TextEncoder().encode("{nope"))
      const noId = yield* parse(encode({ message: { message_id: 1, date: 1, chat, text: "x" } }))
      const badMessage = yield* parse(encode({ update_id: 1, message: { message_id: "seven", date: 1, chat } }))
      for (const result of [notJson, noId, badMessage]) {
        expect(Either.isLeft(result) && result.left.unauthorized).toBe(false)
        expect(Either.isLeft(result) && result.left.reason).toMatch(/^Not a Telegram update/)
      }
      expect(Either.isLeft(noId) && noId.left.reason).toContain("update_id")
      expect(Either.isLeft(badMessage) && badMessage.left.reason).toContain("message_id")
    }))

  it.effect.prop(
    "any body with the right secret is either parsed or refused with a 400 reason; it never defects",
    [fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.jsonValue().map(encode), fc.record({ update_id: fc.integer(), message: fc.anything() }).map(encode))],
    ([body]) =>
      Effect.gen(function*() {
        const result = yield* parse(body)
        if (Either.isLeft(result)) {
          expect(result.left.unauthorized).toBe(false)
          expect(result.left.reason.length).toBeGreaterThan(0)
        }
      })
  )

  it("message refs carry the chat, so a quote is only read back in its own chat", () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.nat(), (chatId, messageId) => {
      const ref = TelegramUpdate.messageRef(chatId, messageId)
      expect(TelegramUpdate.messageIdIn(String(chatId), ref)).toBe(messageId)
      expect(TelegramUpdate.messageIdIn(String(chatId + 1), ref)).toBeUndefined()
    }))
  })

  it("capabilities follow MSG-06 for Telegram, the product's text limit and the channel's own lower one", () => {
    const caps = TelegramAdapter.capabilities(channel)
    expect(caps.maxTextLength).toBeLessThanOrEqual(TelegramAdapter.telegramTextLimit)
    expect(caps.maxTextLength).toBe(2000)
    expect(caps.attachments.map((limit) => [limit.kind, limit.maxBytes / 1024 / 1024])).toEqual([["image", 10], ["audio", 50], ["video", 50], ["document", 50]])
    expect(caps.readReceipts).toBe(false)
    expect(caps.quotes).toBe(true)
    const lower = Channel.Channel.make({ ...channel, capabilities: Channel.Capabilities.make({ maxTextLength: 1000 }) })
    expect(TelegramAdapter.capabilities(lower).maxTextLength).toBe(1000)
  })
})
