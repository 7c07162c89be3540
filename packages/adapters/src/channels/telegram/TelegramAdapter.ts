import { timingSafeEqual } from "node:crypto"
import { ChannelAdapter, ChannelLimits } from "@switchboard/core"
import { Effect, Redacted } from "effect"
import { Api, GrammyError, HttpError, InputFile } from "grammy"
import { messageIdIn, messageRef, parseUpdate } from "./TelegramUpdate.js"

/**
 * The Telegram channel (CHN-01) over the Bot API through grammY. A channel's secrets are its bot's
 * `botToken` (from @BotFather) and the `webhookSecret` Telegram sends back in every webhook request
 * (`X-Telegram-Bot-Api-Secret-Token`, set by `register`). Statuses: Telegram reports neither delivery nor
 * reading to bots, so a sent message stays `sent`.
 */

/** The secret names a Telegram channel's `ChannelContext.secrets` carries. */
export const secretNames = { botToken: "botToken", webhookSecret: "webhookSecret" } as const

/** Telegram's own rule for `secret_token`: 1–256 characters `A-Z`, `a-z`, `0-9`, `_` and `-`. */
export const webhookSecretPattern = /^[A-Za-z0-9_-]{1,256}$/

/** The header Telegram puts the webhook secret in (lower-cased, as `InboundRequest.headers` are). */
export const secretHeader = "x-telegram-bot-api-secret-token"

/** Telegram's own text limit in characters. */
export const telegramTextLimit = 4096

/** The cloud Bot API hands out files up to 20 MB through `getFile` (a local Bot API server has no such limit). */
export const downloadLimitBytes = 20 * 1024 * 1024

/**
 * What a Telegram chat takes: MSG-06's attachment limits for Telegram (image 10 MB, audio / video /
 * other 50 MB), the product's text limit (MSG-05) or the channel's own lower one, never above
 * Telegram's 4096 characters. Bots get no delivery or read receipts. Editing and deleting sent
 * messages exist in the Bot API, but the adapter port has no operation for them yet, so they are not
 * claimed.
 */
export const capabilities = (channel: ChannelAdapter.ChannelContext["channel"]): ChannelAdapter.AdapterCapabilities =>
  ChannelAdapter.AdapterCapabilities.make({
    ...ChannelLimits.configuredCapabilities(channel),
    maxTextLength: Math.min(telegramTextLimit, ChannelLimits.configuredCapabilities(channel).maxTextLength),
    deliveryReceipts: false,
    readReceipts: false,
    editMessages: false,
    deleteMessages: false,
    quotes: true,
    buttons: false
  })

/** Options of the adapter. */
export interface TelegramOptions {
  /**
   * Where the Bot API lives: `https://api.telegram.org` by default; a local Bot API server, or a
   * `FakeTelegram` (tests, and the demo's sandbox mode) otherwise.
   */
  readonly apiRoot?: string | undefined
}

const permanent = (reason: string) => new ChannelAdapter.SendFailed({ reason, retryable: false })

/**
 * Telegram's answer as a `SendFailed`: `429` waits `retry_after` seconds, a server error or a network
 * failure may pass on a retry, everything else (a blocked bot's 403, a bad request's 400, a revoked
 * token's 401) will not, and its description is what the operator reads.
 */
export const toSendFailed = (error: unknown): ChannelAdapter.SendFailed => {
  if (error instanceof GrammyError) {
    const reason = `Telegram ${error.method}: ${error.error_code} ${error.description}`
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after
      return new ChannelAdapter.SendFailed({ reason, retryable: true, ...(seconds === undefined ? {} : { retryAfterMs: seconds * 1000 }) })
    }
    return new ChannelAdapter.SendFailed({ reason, retryable: error.error_code >= 500 })
  }
  // HttpError's message names the method and never the URL (which holds the token).
  if (error instanceof HttpError) return new ChannelAdapter.SendFailed({ reason: error.message, retryable: true })
  return new ChannelAdapter.SendFailed({ reason: `Telegram call failed: ${String(error)}`, retryable: true })
}

const botToken = (context: ChannelAdapter.ChannelContext): Effect.Effect<string, ChannelAdapter.SendFailed> => {
  const token = context.secrets[secretNames.botToken]
  return token === undefined
    ? Effect.fail(permanent(`Channel ${context.channel.id} has no Telegram bot token`))
    : Effect.succeed(Redacted.value(token))
}

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** grammY's Node build types its signals with the `abort-controller` polyfill's class. */
type GrammySignal = NonNullable<Parameters<Api["getMe"]>[0]>
/** The platform's AbortSignal does all grammY asks of one (`aborted`, `addEventListener("abort")`), so interrupting a call aborts its request. */
const grammySignal = (signal: AbortSignal): GrammySignal => signal as unknown as GrammySignal

/** grammY writes the file name into a multipart header unquoted: keep it to one clean line. */
const multipartSafeName = (name: string): string => name.replace(/[\r\n";\\]/g, "_").trim() || "file"

/** Build the Telegram adapter; `apiRoot` chooses the Bot API server. */
export const make = (options: TelegramOptions = {}): ChannelAdapter.ChannelAdapter => {
  const apiRoot = (options.apiRoot ?? "https://api.telegram.org").replace(/\/+$/, "")
  const apiFor = (token: string) => new Api(token, { apiRoot })

  const call = <A>(method: string, run: (signal: GrammySignal) => Promise<A>) =>
    Effect.tryPromise({ try: (signal) => run(grammySignal(signal)), catch: toSendFailed }).pipe(Effect.withSpan(`Telegram.${method}`))

  const parseInbound = Effect.fn("Telegram.parseInbound")(function*(context: ChannelAdapter.ChannelContext, request: ChannelAdapter.InboundRequest) {
    const expected = context.secrets[secretNames.webhookSecret]
    if (expected === undefined) {
      return yield* new ChannelAdapter.InboundRejected({ reason: "This Telegram channel has no webhook secret; re-register its webhook", unauthorized: true })
    }
    const given = request.headers[secretHeader]
    if (given === undefined) return yield* new ChannelAdapter.InboundRejected({ reason: `Missing the ${secretHeader} header`, unauthorized: true })
    if (!sameSecret(given, Redacted.value(expected))) {
      return yield* new ChannelAdapter.InboundRejected({ reason: `Wrong ${secretHeader} header`, unauthorized: true })
    }
    if (request.method.toUpperCase() !== "POST") {
      return yield* new ChannelAdapter.InboundRejected({ reason: "Telegram delivers updates with POST", unauthorized: false })
    }
    return yield* parseUpdate(request.body)
  })

  const send = Effect.fn("Telegram.send")(function*(context: ChannelAdapter.ChannelContext, message: ChannelAdapter.OutboundMessage) {
    const api = apiFor(yield* botToken(context))
    const chatId = message.recipient
    const quoted = message.replyTo === undefined ? undefined : messageIdIn(chatId, message.replyTo)
    const reply = quoted === undefined ? {} : { reply_parameters: { message_id: quoted, allow_sending_without_reply: true } }
    // A caption holds 1024 characters: a longer text goes first as its own message.
    const captioned = message.files.length > 0 && message.text.length <= 1024
    const sentIds: Array<number> = []
    if (message.text !== "" && !captioned) {
      const sent = yield* call("sendMessage", (signal) => api.sendMessage(chatId, message.text, reply, signal))
      sentIds.push(sent.message_id)
    }
    for (const [index, file] of message.files.entries()) {
      const bytes = yield* file.bytes
      const input = new InputFile(bytes, multipartSafeName(file.name))
      const caption = captioned && index === 0 && message.text !== "" ? { caption: message.text } : {}
      const other = { ...caption, ...(sentIds.length === 0 ? reply : {}) }
      const sent = file.kind === "image"
        ? yield* call("sendPhoto", (signal) => api.sendPhoto(chatId, input, other, signal))
        : yield* call("sendDocument", (signal) => api.sendDocument(chatId, input, other, signal))
      sentIds.push(sent.message_id)
    }
    const first = sentIds[0]
    if (first === undefined) return yield* permanent("Nothing to send: the message has no text and no files")
    return { providerMessageId: messageRef(chatId, first) }
  })

  const download = Effect.fn("Telegram.download")(function*(context: ChannelAdapter.ChannelContext, file: ChannelAdapter.InboundFile) {
    if (file.size !== undefined && file.size > downloadLimitBytes) {
      return yield* permanent(`Telegram's Bot API hands out files up to 20 MB; ${file.name} has ${file.size} bytes`)
    }
    const token = yield* botToken(context)
    const found = yield* call("getFile", (signal) => apiFor(token).getFile(file.ref, signal))
    if (found.file_path === undefined) return yield* permanent(`Telegram has no download for ${file.name}`)
    const filePath = found.file_path
    const response = yield* Effect.tryPromise({
      try: (signal) => fetch(`${apiRoot}/file/bot${token}/${filePath}`, { signal }),
      catch: () => new ChannelAdapter.SendFailed({ reason: `Downloading ${file.name} from Telegram failed`, retryable: true })
    })
    if (!response.ok) {
      return yield* new ChannelAdapter.SendFailed({
        reason: `Downloading ${file.name} from Telegram: HTTP ${response.status}`,
        retryable: response.status === 429 || response.status >= 500
      })
    }
    const body = yield* Effect.tryPromise({
      try: () => response.arrayBuffer(),
      catch: () => new ChannelAdapter.SendFailed({ reason: `Downloading ${file.name} from Telegram was cut off`, retryable: true })
    })
    return new Uint8Array(body)
  })

  const register = Effect.fn("Telegram.register")(function*(context: ChannelAdapter.ChannelContext, webhookUrl: string) {
    const secret = context.secrets[secretNames.webhookSecret]
    if (secret === undefined || !webhookSecretPattern.test(Redacted.value(secret))) {
      return yield* permanent("A Telegram webhook secret is 1–256 characters of A-Z, a-z, 0-9, _ and -")
    }
    const api = apiFor(yield* botToken(context))
    yield* call("setWebhook", (signal) =>
      api.setWebhook(webhookUrl, {
        secret_token: Redacted.value(secret),
        allowed_updates: ["message", "edited_message", "my_chat_member"]
      }, signal))
  })

  return { kind: "telegram", capabilities, parseInbound, send, download, register }
}
