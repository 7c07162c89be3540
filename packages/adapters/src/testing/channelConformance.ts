import { describe, expect, it } from "@effect/vitest"
import {
  Access,
  Channel,
  ChannelAdapter,
  ChannelId,
  ChannelSecretStore,
  ConfigStore,
  Dialog,
  Engine,
  EventStore,
  HistoryStore,
  Inbound,
  Message,
  Operator,
  Outbox,
  OutboxStore,
  type StorePorts,
  UserId
} from "@switchboard/core"
import type { EventBus, Ids, InvalidInput, NotFound } from "@switchboard/core"
import { MemoryEventBus, SequentialIds } from "@switchboard/core/testing"
import { Clock, Duration, Effect, Either, Fiber, Layer, Option, Redacted, Schema, TestClock } from "effect"

/** How the provider fake fails its next sends: an outage (retried), a refusal (final), a rate limit with retry-after. */
export type ProviderFailure =
  | { readonly _tag: "Outage" }
  | { readonly _tag: "Permanent"; readonly reason: string }
  | { readonly _tag: "RateLimited"; readonly retryAfterSeconds: number }

/** A provider's request, as the adapter receives it. */
export type Request = ChannelAdapter.InboundRequest

/**
 * A fake of the provider behind an adapter, for `channelConformance`: it records what it accepts,
 * fails as scripted, and produces the requests the provider would send (signed as it signs them).
 */
export interface ProviderFake<R = never> {
  /** What the channel needs to talk to this provider (a callback URL, a signing secret, a bot token), stored as its secrets. */
  readonly settings: Readonly<Record<string, string>>
  /** Every message the provider accepted, in order (a message it accepted twice appears twice). */
  readonly accepted: () => ReadonlyArray<{ readonly messageId: string; readonly to: string; readonly text: string; readonly providerMessageId: string }>
  /** Sends that reached the provider so far, accepted or failed. */
  readonly attempts: () => number
  /** Resolves once `count` sends have reached the provider (the suite waits on it, never on time). */
  readonly waitForAttempts: (count: number) => Promise<void>
  readonly failNext: (count: number, failure: ProviderFailure) => void
  /** A client's message as the provider delivers it. */
  readonly message: (input: { readonly id: string; readonly from: string; readonly text: string }) => Request
  /** The provider's report of a status for a message it accepted (only asked for when the adapter claims `deliveryReceipts`). */
  readonly status: (providerMessageId: string, status: "delivered" | "read") => Request
  /**
   * Requests that must be refused as unauthorized (tampered body, wrong secret, stale timestamp...).
   * One with `replayOf` is refused after `replayOf` was accepted.
   */
  readonly forged: (input: { readonly id: string; readonly from: string; readonly text: string }) => ReadonlyArray<{ readonly name: string; readonly request: Request; readonly replayOf?: Request }>
  /** Requests that are authentic but not acceptable (not JSON, an unknown shape): refused, not as unauthorized. */
  readonly malformed: () => ReadonlyArray<{ readonly name: string; readonly request: Request }>
  /**
   * How this provider's requests reach the engine when its clients do not call a webhook but the
   * channel's own API (the web widget's visitors): answer as `ChannelInbound.handle` would, refusing
   * a forgery with `InboundRejected` (`unauthorized`) and bad content with `InvalidInput`. Absent:
   * every request goes through `ChannelInbound.handle` and the adapter's `parseInbound`.
   */
  readonly handle?: (channelId: ChannelId, request: Request) => Effect.Effect<Inbound.InboundOutcome, Inbound.InboundRejected | InvalidInput | NotFound, R | ConformanceServices>
  /**
   * Feed channels (`outbound: "feed"`): the client's side connects and takes what it has not seen —
   * after `after` (a position it resumed from; 0 = everything) — as the channel's live connection
   * would, marking each of our messages delivered. The texts it got, in order, and where to resume.
   */
  readonly catchUp?: (from: string, after: number) => Effect.Effect<{ readonly texts: ReadonlyArray<string>; readonly last: number }, never, R | ConformanceServices>
}

/** What the suite runs an adapter's checks with: the engine, the store, the outbox and the inbound pipeline. */
export type ConformanceServices = Engine | StorePorts | Outbox.OutboxWorker | Inbound.ChannelInbound | EventBus | Ids

/** What `channelConformance` checks an adapter with. */
export interface ConformanceOptions<R = never, S = never> {
  readonly name: string
  readonly adapter: ChannelAdapter.ChannelAdapter
  /** A fresh provider fake per test. The adapter must talk to the latest one made (e.g. through a shared `fetch`). */
  readonly provider: () => ProviderFake<R>
  /** A fresh, empty store per test (memory, PGlite, PostgreSQL), with whatever other stores the channel needs (`S`). */
  readonly store: () => Layer.Layer<StorePorts | S, unknown>
  /** The channel's own services its provider fake's `handle` needs (the widget's `Widget`), built over the engine and the store. */
  readonly services?: Layer.Layer<R, unknown, Engine | StorePorts | S | EventBus | Ids>
  /**
   * How our messages reach the client. `"provider"` (the default): `send` pushes them to a provider,
   * which may be down, rate-limit or refuse — the suite checks retries with backoff and permanent
   * failures. `"feed"`: the channel is the client's own live connection (the web widget): `send`
   * hands a committed message to it and has no provider to fail, so instead the suite checks what
   * stands in for retries there — a client who was away gets every message when they connect, once,
   * and a reconnect from where they left off repeats nothing (the fake's `catchUp`).
   */
  readonly outbound?: "provider" | "feed"
}

const operator = new Access.UserActor({ id: UserId.make("conformance-operator"), name: "Olena", role: "operator" })
const channelId = ChannelId.make("conformance")
const policy = { baseDelayMs: 1000, maxDelayMs: 30_000, maxRetries: 5, leaseMs: 86_400_000, sendTimeoutMs: 86_400_000 }

/**
 * The behaviour every channel adapter must have, with the engine, the outbox and the inbound
 * pipeline over a real store: capabilities honoured (over-limit text and attachments refused with
 * the limit), idempotent inbound, delivery statuses from the provider only, retries with backoff
 * (TestClock), permanent failure → `failed` with the reason, forged and malformed input refused
 * with nothing stored. Call it in a vitest file:
 * `channelConformance({ name, adapter, provider, store })`.
 */
export const channelConformance = <R = never, S = never>(options: ConformanceOptions<R, S>): void => {
  describe(`channel conformance: ${options.name}`, () => {
    const run = <A, E>(body: (provider: ProviderFake<R>) => Effect.Effect<A, E, ConformanceServices | R>) => {
      const provider = options.provider()
      const services = (options.services ?? Layer.empty) as Layer.Layer<R, unknown, Engine | StorePorts | S | EventBus | Ids>
      const layer = Layer.mergeAll(Outbox.OutboxWorker.Default, Inbound.ChannelInbound.Default, services).pipe(
        Layer.provideMerge(Engine.Default),
        Layer.provideMerge(Layer.mergeAll(
          options.store(),
          MemoryEventBus.layer,
          SequentialIds.layer,
          Layer.succeed(ChannelAdapter.ChannelAdapters, new Map([[options.adapter.kind, options.adapter]])),
          Outbox.OutboxSettings.layer(policy)
        ))
      )
      return Effect.scoped(Effect.provide(Effect.gen(function* () {
        if (provider.handle !== undefined) handler = provider.handle
        yield* TestClock.setTime(Date.UTC(2026, 2, 2, 9))
        yield* (yield* ConfigStore).putChannel(Channel.Channel.make({ id: channelId, kind: options.adapter.kind, name: "Conformance" }))
        yield* (yield* ChannelSecretStore).putSecrets(channelId, Object.fromEntries(Object.entries(provider.settings).map(([name, value]) => [name, Redacted.make(value)])))
        const engine = yield* Engine
        yield* engine.operator(Access.system, new Operator.RegisterOperator({ userId: operator.id, name: operator.name, role: operator.role }))
        return yield* body(provider)
      }), layer))
    }

    let handler: ProviderFake<R>["handle"]
    const handle = (request: Request) => handler !== undefined ? handler(channelId, request) : Effect.flatMap(Inbound.ChannelInbound, (inbound) => inbound.handle(channelId, request))
    /** A client writes and the operator takes the dialog (its "joined" message goes out first). */
    const opened = (provider: ProviderFake<R>, from = "client-1") =>
      Effect.gen(function* () {
        const outcome = yield* handle(provider.message({ id: `${from}-hello`, from, text: "Hello" }))
        const dialogId = outcome.received[0]!.dialogId
        yield* (yield* Engine).execute(operator, new Dialog.Accept({ dialogId }))
        return dialogId
      })
    const reply = (dialogId: Dialog.DialogState["id"], text: string) =>
      Effect.flatMap(Engine, (engine) => engine.execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text }) })))
    const lastStatus = (dialogId: Dialog.DialogState["id"]) =>
      Effect.map(Effect.flatMap(HistoryStore, (history) => history.messages({ dialogId, limit: 1, includeInternal: false })), (page) =>
        Option.map(page.items[0]!.delivery, (delivery) => [delivery.status, delivery.reason] as const))
    /** One turn of the event loop, so that a store's and a provider's I/O can complete between clock steps. */
    const ioTurn = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))
    /** Run the outbox until nothing is due (no retries: nothing waits on the clock). */
    const drain = (_provider: ProviderFake<R>) =>
      Effect.flatMap(Outbox.OutboxWorker, (worker) => Effect.asVoid(Effect.repeat(worker.runOnce, { until: (count) => count === 0 })))
    /**
     * Move the TestClock on, a second at a time, until the provider has seen `count` sends; the
     * virtual time when it had. Waits on the provider, never on real time. When the worker ends
     * first (it failed or died, e.g. on a store error), that ends the test with its cause.
     */
    const advanceUntil = (provider: ProviderFake<R>, count: number, worker: Fiber.Fiber<number>) =>
      Effect.zipRight(
        Effect.raceFirst(
          Effect.promise(() => provider.waitForAttempts(count)),
          Effect.raceFirst(
            Effect.flatMap(Fiber.join(worker), () =>
              provider.attempts() >= count ? Effect.void : Effect.dieMessage(`The outbox worker stopped after ${provider.attempts()} of ${count} sends`)),
            Effect.forever(Effect.zipRight(ioTurn, TestClock.adjust(Duration.seconds(1))))
          )
        ),
        Clock.currentTimeMillis
      )

    it.effect("capabilities are valid, and the engine refuses what the channel cannot take, with the channel's limit", () =>
      run(() =>
        Effect.gen(function* () {
          const capabilities = options.adapter.capabilities(Channel.Channel.make({ id: channelId, kind: options.adapter.kind, name: "Conformance" }))
          expect(Schema.is(ChannelAdapter.AdapterCapabilities)(capabilities)).toBe(true)
          const provider = options.provider()
          const dialogId = yield* opened(provider)
          const tooLong = yield* Effect.flip(reply(dialogId, "x".repeat(capabilities.maxTextLength + 1)))
          expect(tooLong._tag === "DialogRejected" && tooLong.reason).toBe("TooLong")
          expect(tooLong.message).toContain(String(capabilities.maxTextLength))
          const image = capabilities.attachments.find((limit) => limit.kind === "image")
          const oversized = Schema.decodeUnknownEither(Message.Attachment)({ name: "big.png", mime: "image/png", size: (image?.maxBytes ?? 1000) + 1, kind: "image" })
          // A channel whose limit is the product's ceiling (MSG-06: 500 MB): no message can even carry a larger file.
          if (Either.isLeft(oversized)) return expect(String(oversized.left)).toContain("size")
          const attachment = oversized.right
          const refused = yield* Effect.flip((yield* Engine).execute(operator, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "", attachments: [attachment] }) })))
          expect(refused._tag === "DialogRejected" && refused.reason).toBe("AttachmentRefused")
          // The limit, in bytes or in whole megabytes.
          if (image !== undefined) expect(refused.message).toMatch(new RegExp(`${image.maxBytes}|${Math.round(image.maxBytes / 1024 / 1024)} MB`))
        })
      ))

    it.effect("a message delivered twice is stored once", () =>
      run((provider) =>
        Effect.gen(function* () {
          const request = provider.message({ id: "ext-1", from: "client-1", text: "Twice?" })
          const first = yield* handle(request)
          const second = yield* handle(request)
          expect(second.received[0]!.messageId).toEqual(first.received[0]!.messageId)
          const page = yield* (yield* HistoryStore).messages({ dialogId: first.received[0]!.dialogId, limit: 10, includeInternal: true })
          expect(page.items.filter((message) => message.text === "Twice?")).toHaveLength(1)
        })
      ))

    it.effect("statuses move only on what the provider says: queued, sent when it accepted, then its delivered and read", () =>
      run((provider) =>
        Effect.gen(function* () {
          const dialogId = yield* opened(provider)
          yield* reply(dialogId, "Hi there")
          expect(yield* lastStatus(dialogId)).toEqual(Option.some(["queued", undefined]))
          yield* drain(provider)
          expect(provider.accepted().map((sent) => [sent.to, sent.text])).toEqual([["client-1", "Olena joined the conversation"], ["client-1", "Hi there"]])
          expect(yield* lastStatus(dialogId)).toEqual(Option.some(["sent", undefined]))
          const providerId = provider.accepted()[1]!.providerMessageId
          const capabilities = options.adapter.capabilities(Channel.Channel.make({ id: channelId, kind: options.adapter.kind, name: "Conformance" }))
          // A provider without receipts (Telegram to bots) leaves the message `sent`: nothing may claim more.
          if (!capabilities.deliveryReceipts) return
          yield* handle(provider.status(providerId, "delivered"))
          expect(yield* lastStatus(dialogId)).toEqual(Option.some(["delivered", undefined]))
          if (capabilities.readReceipts) {
            yield* handle(provider.status(providerId, "read"))
            expect(yield* lastStatus(dialogId)).toEqual(Option.some(["read", undefined]))
          }
        })
      ))

    if (options.outbound === "feed") {
      it.effect("a client who was away gets every message when they connect, once; a reconnect from where they left off repeats nothing", () =>
        run((provider) =>
          Effect.gen(function* () {
            const catchUp = provider.catchUp
            if (catchUp === undefined) return yield* Effect.dieMessage("A feed channel's provider fake must have catchUp")
            const dialogId = yield* opened(provider)
            yield* drain(provider)
            const first = yield* catchUp("client-1", 0)
            expect(first.texts).toEqual(["Hello", "Olena joined the conversation"])
            // Away: three replies committed and handed to the feed, none taken yet.
            for (const text of ["One", "Two", "Three"]) yield* reply(dialogId, text)
            yield* drain(provider)
            expect(yield* lastStatus(dialogId)).toEqual(Option.some(["sent", undefined]))
            const back = yield* catchUp("client-1", first.last)
            expect(back.texts).toEqual(["One", "Two", "Three"])
            expect(yield* lastStatus(dialogId)).toEqual(Option.some(["delivered", undefined]))
            expect((yield* catchUp("client-1", back.last)).texts).toEqual([])
            // Handing to the feed is one send per message, whatever the number of drains.
            yield* drain(provider)
            expect(provider.accepted().filter((sent) => ["One", "Two", "Three"].includes(sent.text))).toHaveLength(3)
          })
        ))
    } else {
      it.effect("retryable failures are retried with backoff, never sooner than the provider's retry-after, and delivered once", () =>
        run((provider) =>
          Effect.gen(function* () {
            const dialogId = yield* opened(provider)
            yield* drain(provider)
            provider.failNext(1, { _tag: "RateLimited", retryAfterSeconds: 120 })
            provider.failNext(3, { _tag: "Outage" })
            yield* reply(dialogId, "Eventually")
            const worker = yield* Outbox.OutboxWorker
            const before = provider.attempts()
            const running = yield* Effect.fork(worker.runOnce)
            const limited = yield* advanceUntil(provider, before + 1, running)
            const retried = yield* advanceUntil(provider, before + 2, running)
            // Rate limited: not before the provider's 120 s (give or take the one-second steps of the clock).
            expect(retried - limited).toBeGreaterThanOrEqual(119_000)
            yield* advanceUntil(provider, before + 5, running)
            yield* Fiber.join(running)
            expect(provider.accepted().filter((sent) => sent.text === "Eventually")).toHaveLength(1)
            expect(yield* lastStatus(dialogId)).toEqual(Option.some(["sent", undefined]))
            const log = yield* (yield* OutboxStore).deliveryLog(channelId, 1)
            expect([log[0]!.attempts, log[0]!.status]).toEqual([5, "sent"])
          })
        ))

      it.effect("a permanent failure ends the message failed, with the provider's reason", () =>
        run((provider) =>
          Effect.gen(function* () {
            const dialogId = yield* opened(provider)
            yield* drain(provider)
            provider.failNext(1, { _tag: "Permanent", reason: "The user blocked the bot" })
            yield* reply(dialogId, "Are you there?")
            yield* drain(provider)
            const status = yield* lastStatus(dialogId)
            expect(Option.map(status, ([state]) => state)).toEqual(Option.some("failed"))
            expect(Option.getOrThrow(status)[1]).toContain("The user blocked the bot")
          })
        ))
    }

    it.effect("forged and malformed requests are refused (401 for forgeries), and nothing is stored", () =>
      run((provider) =>
        Effect.gen(function* () {
          const eventStore = yield* EventStore
          for (const forged of provider.forged({ id: "ext-forged", from: "mallory", text: "Let me in" })) {
            if (forged.replayOf !== undefined) yield* handle(forged.replayOf)
            const before = yield* eventStore.lastPosition
            const refused = yield* Effect.flip(handle(forged.request))
            expect(yield* eventStore.lastPosition).toBe(before)
            expect([forged.name, refused._tag, refused._tag === "InboundRejected" && refused.unauthorized]).toEqual([forged.name, "InboundRejected", true])
          }
          for (const malformed of provider.malformed()) {
            const before = yield* eventStore.lastPosition
            const refused = yield* Effect.flip(handle(malformed.request))
            expect(yield* eventStore.lastPosition).toBe(before)
            expect([malformed.name, refused._tag === "InboundRejected" ? refused.unauthorized : refused._tag]).toEqual([malformed.name, refused._tag === "InvalidInput" ? "InvalidInput" : false])
          }
        })
      ))
  })
}
