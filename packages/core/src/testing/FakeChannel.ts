import { Effect, Layer, Redacted, Ref, Schema } from "effect"
import {
  AdapterCapabilities,
  AttachmentLimit,
  type ChannelAdapter,
  ChannelAdapters,
  InboundEvent,
  InboundRejected,
  type OutboundMessage,
  SendFailed
} from "../channels/Adapter.js"
import type { ChannelKind } from "../channels/Channel.js"

/** One message the fake provider accepted, as recorded for assertions. */
export interface Delivered {
  readonly channelId: string
  readonly providerMessageId: string
  readonly message: OutboundMessage
}

/** The capabilities of the fake channel: 2000 characters, images up to 5 MB, receipts, buttons. */
export const capabilities = AdapterCapabilities.make({
  maxTextLength: 2000,
  attachments: [AttachmentLimit.make({ kind: "image", maxBytes: 5 * 1024 * 1024 })],
  deliveryReceipts: true,
  readReceipts: true,
  editMessages: true,
  deleteMessages: true,
  quotes: true,
  buttons: true
})

const decodeEvents = Schema.decodeUnknown(Schema.parseJson(Schema.Struct({ events: Schema.Array(InboundEvent) })))

/**
 * A channel adapter with a scriptable provider behind it, for engine and server tests: every send
 * is recorded (`delivered`) unless a scripted failure is next in `failures`; inbound requests are
 * `{"events": [...]}` as JSON (any other body is refused), and need `x-fake-token` to equal the
 * channel's `token` secret when it has one.
 */
export class FakeChannel extends Effect.Service<FakeChannel>()("@switchboard/core/testing/FakeChannel", {
  effect: Effect.gen(function* () {
    const delivered = yield* Ref.make<ReadonlyArray<Delivered>>([])
    /** Failures the next sends meet, in order, before one succeeds. */
    const failures = yield* Ref.make<ReadonlyArray<SendFailed>>([])
    const attempts = yield* Ref.make(0)
    const adapterFor = (kind: ChannelKind): ChannelAdapter => ({
      kind,
      capabilities: () => capabilities,
      parseInbound: (context, request) =>
        Effect.gen(function* () {
          const token = context.secrets["token"]
          if (token !== undefined && request.headers["x-fake-token"] !== Redacted.value(token)) {
            return yield* Effect.fail(new InboundRejected({ reason: "x-fake-token is missing or wrong", unauthorized: true }))
          }
          const parsed = yield* Effect.mapError(decodeEvents(new TextDecoder().decode(request.body)), (error) => new InboundRejected({ reason: error.message, unauthorized: false }))
          return parsed.events
        }),
      send: (context, message) =>
        Effect.gen(function* () {
          const n = yield* Ref.updateAndGet(attempts, (count) => count + 1)
          const [next, ...rest] = yield* Ref.get(failures)
          if (next !== undefined) {
            yield* Ref.set(failures, rest)
            return yield* Effect.fail(next)
          }
          const providerMessageId = `p${n}`
          yield* Ref.update(delivered, (all) => [...all, { channelId: context.channel.id, providerMessageId, message }])
          return { providerMessageId }
        })
    })
    return { delivered, failures, attempts, adapterFor } as const
  })
}) {}

/** `ChannelAdapters` for `kinds`, all backed by one `FakeChannel` (provided too, for assertions). */
export const layer = (kinds: ReadonlyArray<ChannelKind> = ["telegram", "widget"]): Layer.Layer<ChannelAdapters | FakeChannel> =>
  Layer.effect(ChannelAdapters, Effect.map(FakeChannel, (fake) => new Map(kinds.map((kind) => [kind, fake.adapterFor(kind)])))).pipe(
    Layer.provideMerge(FakeChannel.Default)
  )

/** A retryable failure (a provider outage), optionally with the provider's retry-after. */
export const outage = (retryAfterMs?: number) =>
  new SendFailed({ reason: "The provider is unavailable", retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) })
