import { Clock, Context, Duration, Effect, FiberSet, Layer, Option, Queue, Ref, Schedule, Schema } from "effect"
import { system } from "../access/Access.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine } from "../engine/Engine.js"
import type { Message } from "../messages/Message.js"
import { ChannelSecretStore } from "../ports/ChannelSecretStore.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { FileStore } from "../ports/FileStore.js"
import { type ClaimedOutbox, type OutboxOutcome, OutboxStore } from "../ports/OutboxStore.js"
import { limits } from "../shared/StoredText.js"
import { type ChannelAdapter, ChannelAdapters, type ChannelContext, type OutboundFile, type OutboundMessage, SendFailed } from "./Adapter.js"

/** How the outbox sends and retries (MSG-02). Defaults: `OutboxPolicy.defaults`. */
export interface OutboxPolicy {
  /** The first retry's delay; each next one doubles (with jitter), up to `maxDelayMs`. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** Retries after the first attempt before the message ends `failed`. */
  readonly maxRetries: number
  /** How long one send may take before it counts as a retryable failure. */
  readonly sendTimeoutMs: number
  /**
   * How long a claim holds a row; renewed at every failed attempt (by the provider's retry-after
   * too, when it gave one). Longer than `maxDelayMs + sendTimeoutMs`.
   */
  readonly leaseMs: number
  /**
   * Rows one worker holds at once, sending or waiting for their next try (at most one per dialog,
   * so a dialog's replies go out in order). `run` claims again as soon as a row settles.
   */
  readonly batch: number
  /** The wait between polls that found nothing to send (a settled row wakes the worker sooner). */
  readonly idleMs: number
}

/** The outbox's policy; provide `OutboxPolicy.layer(...)` to change it. */
export class OutboxSettings extends Context.Tag("@switchboard/core/OutboxSettings")<OutboxSettings, OutboxPolicy>() {
  static readonly defaults: OutboxPolicy = { baseDelayMs: 500, maxDelayMs: 30_000, maxRetries: 8, sendTimeoutMs: 20_000, leaseMs: 60_000, batch: 32, idleMs: 250 }
  /** The outbox policy: the defaults with `policy`'s fields over them. */
  static readonly layer = (policy: Partial<OutboxPolicy> = {}) => Layer.succeed(OutboxSettings, { ...OutboxSettings.defaults, ...policy })
}

/**
 * When a retryable send is tried again: exponential backoff with jitter, capped at `maxDelayMs`,
 * never sooner than the provider's `retryAfterMs` (Telegram's `429 retry_after`), at most
 * `maxRetries` times, and only while the failure is retryable.
 */
export const sendRetries = <E extends { readonly _tag: string }>(policy: OutboxPolicy) =>
  Schedule.exponential(Duration.millis(policy.baseDelayMs), 2).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.millis(policy.maxDelayMs))),
    Schedule.intersect(Schedule.recurs(policy.maxRetries)),
    Schedule.intersect(Schedule.identity<E | SendFailed>()),
    Schedule.modifyDelay(([, failure], delay) => Duration.max(delay, Duration.millis(failure instanceof SendFailed ? failure.retryAfterMs ?? 0 : 0))),
    // Whole milliseconds: jitter makes fractions, and a clock moved by them (TestClock) would hand the store fractional times.
    Schedule.modifyDelay((_, delay) => Duration.millis(Math.ceil(Duration.toMillis(delay)))),
    Schedule.whileInput((failure: E | SendFailed) => failure instanceof SendFailed && failure.retryable)
  )

/** Another worker holds the row now (our lease ran out): stop without settling it. */
class LeaseLost extends Schema.TaggedError<LeaseLost>()("LeaseLost", {}) {}

const reasonOf = (text: string): string => (text.length > limits.notes ? `${text.slice(0, limits.notes - 1)}…` : text)

/** The reason a retryable failure ends `failed` with, after `attempts` tries. */
const gaveUp = (reason: string, attempts: number): string => reasonOf(`${reason} (gave up after ${attempts} attempts)`)

/**
 * The outbox worker (MSG-02): claims queued outgoing messages (`OutboxStore`, a lease per row, so
 * servers running it side by side never send one row twice), sends each through its channel's
 * adapter, retries retryable failures by `sendRetries`, and reports what the provider said as a
 * delivery status: `sent` on success, `failed` with the reason when it gave up. `delivered` and
 * `read` come only from the provider's inbound status reports (`Inbound`).
 */
export class OutboxWorker extends Effect.Service<OutboxWorker>()("@switchboard/core/OutboxWorker", {
  effect: Effect.gen(function* () {
    const outbox = yield* OutboxStore
    const secretStore = yield* ChannelSecretStore
    const configStore = yield* ConfigStore
    const adapters = yield* ChannelAdapters
    const engine = yield* Engine
    const files = yield* Effect.serviceOption(FileStore)
    const policy = Option.getOrElse(yield* Effect.serviceOption(OutboxSettings), () => OutboxSettings.defaults)
    /**
     * The retries a claim has left: the row's attempts count across claims, so a message whose
     * earlier claims ended with their server (stopped, crashed) mid-retry is not tried afresh each time.
     */
    const retriesAfter = (attempts: number) => sendRetries<LeaseLost>({ ...policy, maxRetries: Math.max(0, policy.maxRetries - attempts) })

    const filesOf = (message: Message): ReadonlyArray<OutboundFile> =>
      message.attachments.map((attachment) => ({
        kind: attachment.kind ?? "document",
        name: attachment.name,
        mime: attachment.mime,
        size: attachment.size,
        bytes: attachment.fileId === undefined || Option.isNone(files)
          ? Effect.fail(new SendFailed({ reason: `The file ${attachment.name} is not stored on this server`, retryable: false }))
          : Effect.map(
            Effect.mapError(files.value.get(attachment.fileId), (error) => new SendFailed({ reason: `The file ${attachment.name} could not be read (${error._tag})`, retryable: error._tag === "FileStoreError" })),
            (stored) => stored.bytes
          )
      }))

    /** Send one claimed row until it is sent, fails for good, or its lease is lost. */
    const attempt = (claim: ClaimedOutbox, adapter: ChannelAdapter, context: ChannelContext, message: OutboundMessage) =>
      Effect.suspend(() =>
        adapter.send(context, message).pipe(
          Effect.timeoutFail({ duration: Duration.millis(policy.sendTimeoutMs), onTimeout: () => new SendFailed({ reason: "The provider did not answer in time", retryable: true }) })
        )
      ).pipe(
        Effect.tapError((failure) =>
          Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis
            // The next try may wait for the provider's retry-after beyond `maxDelayMs`: the lease covers it.
            const kept = yield* outbox.outboxAttemptFailed(claim, reasonOf(failure.reason), now, now + policy.leaseMs + (failure.retryAfterMs ?? 0))
            if (!kept) return yield* Effect.fail(new LeaseLost())
          })
        ),
        Effect.retry(retriesAfter(claim.attempts))
      )

    const deliver = (claim: ClaimedOutbox) =>
      Effect.gen(function* () {
        const message = claim.message
        const channel = yield* configStore.getChannel(claim.channelId)
        const adapter = Option.flatMap(channel, (found) => Option.fromNullable(adapters.get(found.kind)))
        if (Option.isSome(channel) && Option.isNone(adapter)) {
          // Another server may have the adapter (or this one, after an upgrade): the row stays queued and comes back when its lease runs out.
          return yield* Effect.logDebug(`outbox: no adapter for ${channel.value.kind} channels on this server`)
        }
        const outcome: OutboxOutcome = Option.isNone(channel) || Option.isNone(adapter)
          ? { _tag: "Failed", reason: "The channel no longer exists" }
          : claim.attempts > policy.maxRetries
          // Every attempt was spent by earlier claims: the last one's error is the reason.
          ? { _tag: "Failed", reason: gaveUp(claim.lastError ?? "The provider did not take it", claim.attempts) }
          : yield* attempt(claim, adapter.value, { channel: channel.value, secrets: yield* secretStore.getSecrets(claim.channelId) }, {
            messageId: message.id,
            dialogId: message.dialogId,
            recipient: claim.recipient,
            text: message.text,
            files: filesOf(message)
          }).pipe(
            Effect.map((sent): OutboxOutcome => ({ _tag: "Sent", providerMessageId: sent.providerMessageId })),
            Effect.catchTag("SendFailed", (failure) =>
              Effect.succeed<OutboxOutcome>({ _tag: "Failed", reason: failure.retryable ? gaveUp(failure.reason, policy.maxRetries + 1) : reasonOf(failure.reason) })
            )
          )
        const settled = yield* outbox.settleOutbox(claim, outcome, yield* Clock.currentTimeMillis)
        if (!settled) return
        yield* Effect.ignoreLogged(engine.execute(system, new Dialog.UpdateDelivery({
          dialogId: message.dialogId,
          messageId: message.id,
          status: outcome._tag === "Sent" ? "sent" : "failed",
          ...(outcome._tag === "Failed" ? { reason: outcome.reason } : {})
        })))
      }).pipe(
        Effect.catchTag("LeaseLost", () => Effect.logWarning("outbox: another worker took over a message whose lease ran out").pipe(Effect.annotateLogs({ messageId: claim.message.id }))),
        Effect.withSpan("OutboxWorker.deliver", { attributes: { messageId: claim.message.id } })
      )

    /** Claim one batch of due rows and send them side by side until every one settled; the number claimed. */
    const runOnce: Effect.Effect<number> = Effect.gen(function* () {
      const claimed = yield* outbox.claimOutbox(yield* Clock.currentTimeMillis, policy.batch, policy.leaseMs)
      yield* Effect.forEach(claimed, deliver, { concurrency: "unbounded", discard: true })
      return claimed.length
    }).pipe(Effect.withSpan("OutboxWorker.runOnce"))

    /**
     * Send forever, with no batch barrier: each claimed row is sent (and retried) in a fiber of its
     * own, and as soon as one settles the worker claims again, up to `batch` rows held at once. A
     * slow or failing send holds its own dialog (whose next reply must wait for it) and one place,
     * never the other dialogs. With nothing due it waits `idleMs`, or less when a row settles.
     */
    const run: Effect.Effect<never> = Effect.scoped(Effect.gen(function* () {
      const fibers = yield* FiberSet.make()
      const held = yield* Ref.make(0)
      /** A row settled: its dialog's next reply may be due, and a place is free. */
      const settled = yield* Queue.sliding<void>(1)
      const release = Effect.zipRight(Ref.update(held, (count) => count - 1), settled.offer(undefined))
      /** Claim into the free places; whether every place was filled (so more may be due). */
      const poll = Effect.gen(function* () {
        const free = policy.batch - (yield* Ref.get(held))
        if (free <= 0) return false
        const claimed = yield* outbox.claimOutbox(yield* Clock.currentTimeMillis, free, policy.leaseMs)
        yield* Ref.update(held, (count) => count + claimed.length)
        for (const claim of claimed) {
          yield* FiberSet.run(fibers, deliver(claim).pipe(Effect.catchAllCause((cause) => Effect.logError("outbox: a send failed", cause)), Effect.ensuring(release)))
        }
        return claimed.length === free
      }).pipe(Effect.withSpan("OutboxWorker.poll"))
      return yield* poll.pipe(
        Effect.flatMap((full) => (full ? Effect.void : Effect.raceFirst(Queue.take(settled), Effect.sleep(Duration.millis(policy.idleMs))))),
        Effect.catchAllCause((cause) => Effect.zipRight(Effect.logError("outbox: a poll failed", cause), Effect.sleep(Duration.millis(policy.idleMs)))),
        Effect.forever
      )
    }))

    return { runOnce, run } as const
  })
}) {}
