import { ChannelAdapter } from "@switchboard/core"
import { Clock, Effect, Redacted, Schema } from "effect"
import { createHash, randomUUID } from "node:crypto"
import { Webhook } from "standardwebhooks"
import { Accepted, Inbound, type Outbound, Sender } from "./Payloads.js"

const { AdapterCapabilities, AttachmentLimit, InboundRejected, SendFailed } = ChannelAdapter

/** Options of the custom channel adapter. `fetch` is the global one unless given (a test's fake provider). */
export interface CustomChannelOptions {
  readonly fetch?: typeof globalThis.fetch
  /** How long a `webhook-id` is remembered against replays with another body (Standard Webhooks' tolerance: 5 minutes). */
  readonly replayWindowMs?: number
}

/** The custom channel's capabilities: the product's text limit, images and documents, receipts, quotes; no buttons. */
export const capabilities = AdapterCapabilities.make({
  maxTextLength: 2000,
  attachments: [AttachmentLimit.make({ kind: "image", maxBytes: 10 * 1024 * 1024 }), AttachmentLimit.make({ kind: "document", maxBytes: 20 * 1024 * 1024 })],
  deliveryReceipts: true,
  readReceipts: true,
  editMessages: false,
  deleteMessages: false,
  quotes: true,
  buttons: false
})

const decodeInbound = Schema.decodeUnknown(Schema.parseJson(Inbound), { onExcessProperty: "error" })
const decodeAccepted = Schema.decodeUnknown(Accepted)
const secretOf = (context: ChannelAdapter.ChannelContext, name: string) => context.secrets[name]
const sha256 = (bytes: Uint8Array | string) => createHash("sha256").update(bytes).digest("hex")
const sender = (from: typeof Sender.Type): ChannelAdapter.InboundSender => ({
  from: from.id,
  ...(from.name === undefined ? {} : { name: from.name }),
  ...(from.username === undefined ? {} : { username: from.username }),
  ...(from.language === undefined ? {} : { language: from.language }),
  ...(from.attributes === undefined ? {} : { attributes: from.attributes })
})

/** The seconds of a `Retry-After` header (a date is read too), as milliseconds. */
const retryAfterMs = (header: string | null, now: number): number | undefined => {
  if (header === null) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * The custom channel (CHN-02): any system behind a webhook. Inbound requests and outbound callbacks
 * are signed per Standard Webhooks with the channel's `signingSecret` (the `standardwebhooks`
 * package checks the signature in constant time and the timestamp within 5 minutes). A
 * `webhook-id` seen again with another body is refused as a replay; the same request again is a
 * redelivery (stored once, by the message's id). Replies go to the channel's `callbackUrl`:
 * 2xx is sent, 429 and 5xx are retried (honouring `Retry-After`), any other answer fails for good.
 */
export const make = (options: CustomChannelOptions = {}): ChannelAdapter.ChannelAdapter => {
  const send = options.fetch ?? globalThis.fetch
  const window = options.replayWindowMs ?? 5 * 60_000
  /** webhook-id → [hash of the body, when it was seen]: pruned to the replay window. */
  const seen = new Map<string, readonly [string, number]>()

  const verify = (context: ChannelAdapter.ChannelContext, request: ChannelAdapter.InboundRequest) =>
    Effect.gen(function* () {
      const secret = secretOf(context, "signingSecret")
      if (secret === undefined) return yield* Effect.fail(new InboundRejected({ reason: "This channel has no signing secret", unauthorized: true }))
      const id = request.headers["webhook-id"]
      if (id === undefined || request.headers["webhook-timestamp"] === undefined || request.headers["webhook-signature"] === undefined) {
        return yield* Effect.fail(new InboundRejected({ reason: "Missing webhook-id, webhook-timestamp or webhook-signature header", unauthorized: true }))
      }
      yield* Effect.try({
        try: () => new Webhook(Redacted.value(secret)).verify(Buffer.from(request.body), request.headers, { jsonParse: false }),
        catch: (error) => new InboundRejected({ reason: `Signature refused: ${error instanceof Error ? error.message : String(error)}`, unauthorized: true })
      })
      const now = yield* Clock.currentTimeMillis
      for (const [key, [, at]] of seen) if (at < now - window) seen.delete(key)
      const key = `${context.channel.id}\u0000${id}`
      const hash = sha256(request.body)
      const before = seen.get(key)
      if (before !== undefined && before[0] !== hash) return yield* Effect.fail(new InboundRejected({ reason: `Replayed webhook-id ${id} with another body`, unauthorized: true }))
      seen.set(key, [hash, now])
    })

  return {
    kind: "custom",
    capabilities: () => capabilities,
    parseInbound: (context, request) =>
      Effect.gen(function* () {
        yield* verify(context, request)
        const payload = yield* Effect.mapError(decodeInbound(new TextDecoder().decode(request.body)), (error) =>
          new InboundRejected({ reason: error.message, unauthorized: false }))
        switch (payload.type) {
          case "message":
            return [{
              _tag: "InboundMessage" as const,
              externalId: payload.data.id,
              sender: sender(payload.data.from),
              text: payload.data.text,
              files: payload.data.files.map((file) => ({ ref: file.url, name: file.name, ...(file.mime === undefined ? {} : { mime: file.mime }), ...(file.size === undefined ? {} : { size: file.size }) })),
              ...(payload.data.replyTo === undefined ? {} : { replyTo: payload.data.replyTo })
            }]
          case "message.edited":
            return [{ _tag: "InboundEdit" as const, externalId: payload.data.id, sender: sender(payload.data.from), text: payload.data.text }]
          case "message.status":
            return [{ _tag: "InboundStatus" as const, providerMessageId: payload.data.messageId, status: payload.data.status, ...(payload.data.reason === undefined ? {} : { reason: payload.data.reason }) }]
          case "client.left":
            return [{ _tag: "InboundClientLeft" as const, sender: sender(payload.data.from) }]
        }
      }),
    send: (context, message) =>
      Effect.gen(function* () {
        const secret = secretOf(context, "signingSecret")
        const url = secretOf(context, "callbackUrl")
        if (secret === undefined || url === undefined) return yield* Effect.fail(new SendFailed({ reason: "The channel has no callbackUrl or signingSecret", retryable: false }))
        const files = yield* Effect.forEach(message.files, (file) =>
          Effect.map(file.bytes, (bytes) => ({ name: file.name, mime: file.mime, size: file.size, base64: Buffer.from(bytes).toString("base64") })))
        const body: Outbound = {
          type: "message.created",
          data: { messageId: message.messageId, dialogId: message.dialogId, to: message.recipient, text: message.text, files, ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }) }
        }
        const text = JSON.stringify(body)
        const now = yield* Clock.currentTimeMillis
        const id = `msg_${randomUUID()}`
        // The wire timestamp is wall-clock time: the receiver checks it against its own clock.
        const sentAt = new Date()
        const signature = new Webhook(Redacted.value(secret)).sign(id, sentAt, text)
        const response = yield* Effect.tryPromise({
          try: (signal) =>
            send(Redacted.value(url), {
              method: "POST",
              headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)), "webhook-signature": signature },
              body: text,
              signal
            }),
          catch: (error) => new SendFailed({ reason: `The callback could not be reached: ${error instanceof Error ? error.message : String(error)}`, retryable: true })
        })
        if (response.status === 429 || response.status >= 500) {
          const after = retryAfterMs(response.headers.get("retry-after"), now)
          return yield* Effect.fail(new SendFailed({ reason: `The callback answered ${response.status}`, retryable: true, ...(after === undefined ? {} : { retryAfterMs: after }) }))
        }
        const answer = yield* Effect.tryPromise({
          try: () => response.text(),
          catch: () => new SendFailed({ reason: `The callback's answer (${response.status}) could not be read`, retryable: true })
        })
        if (response.status < 200 || response.status > 299) {
          return yield* Effect.fail(new SendFailed({ reason: `The callback answered ${response.status}: ${answer.slice(0, 200)}`, retryable: false }))
        }
        const accepted = yield* Effect.mapError(
          Effect.flatMap(Effect.try(() => JSON.parse(answer) as unknown), decodeAccepted),
          () => new SendFailed({ reason: `The callback's answer is not {"id": "..."}: ${answer.slice(0, 200)}`, retryable: false })
        )
        return { providerMessageId: accepted.id }
      }),
    download: (_context, file) =>
      Effect.tryPromise({
        try: async () => {
          const response = await send(file.ref)
          if (!response.ok) throw new Error(`${file.ref} answered ${response.status}`)
          return new Uint8Array(await response.arrayBuffer())
        },
        catch: (error) => new SendFailed({ reason: error instanceof Error ? error.message : String(error), retryable: true })
      })
  }
}
