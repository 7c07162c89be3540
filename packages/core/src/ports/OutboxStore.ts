import { Context, type Effect, type Option } from "effect"
import type { Message } from "../messages/Message.js"
import type { ChannelId, DialogId, Instant, MessageId } from "../shared/Ids.js"

/**
 * An outgoing message to send through its channel, written by the same commit that records it
 * (`Commit.outbox`): a reply is either stored and queued for delivery, or neither (MSG-02).
 */
export interface OutboxEntry {
  readonly message: Message
  readonly channelId: ChannelId
  /** The client's id in the channel (`InboundSender.from`). */
  readonly recipient: string
}

/** Where an outbox row stands: waiting (or being sent), sent to the provider, or given up with a reason. */
export type OutboxStatus = "pending" | "sent" | "failed"

/** An outbox row as the delivery log shows it (CHN-02: a delivery log per channel). */
export interface OutboxRow extends OutboxEntry {
  readonly status: OutboxStatus
  /** Send attempts made so far, failed or not. */
  readonly attempts: number
  readonly lastError: Option.Option<string>
  /** The provider's id for the sent message (what its status reports name). */
  readonly providerMessageId: Option.Option<string>
  /** When the row last changed (queued, attempted, settled). */
  readonly updatedAt: Instant
}

/** A claimed outbox row; `token` proves the claim for every later write of the claimant. */
export interface ClaimedOutbox extends OutboxEntry {
  readonly token: string
  /** Send attempts made so far by every claim of the row. */
  readonly attempts: number
  /** The last failed attempt's error, if one failed. */
  readonly lastError?: string | undefined
}

/** How a claimed send ended: the provider took it (with its id), or it failed for good with a reason. */
export type OutboxOutcome =
  | { readonly _tag: "Sent"; readonly providerMessageId: string }
  | { readonly _tag: "Failed"; readonly reason: string }

/**
 * The durable outbox (MSG-02). Rows are written only by commits (`Commit.outbox`), atomically with
 * the events of the message they send; this port hands them to the outbox workers of every server.
 * Invariants: a claimed row is not handed out again until its lease runs out (any number of
 * workers may poll: two servers never send the same row while a lease holds); a dialog's rows are
 * handed out one at a time, oldest first (a reply never overtakes an earlier one); a write with a
 * token that no longer holds the row changes nothing.
 */
export interface OutboxStoreService {
  /**
   * Claim up to `limit` pending rows whose lease ran out at `now`, for `leaseMs`, oldest first, at
   * most one per dialog (the oldest pending one).
   */
  readonly claimOutbox: (now: Instant, limit: number, leaseMs: number) => Effect.Effect<ReadonlyArray<ClaimedOutbox>>
  /** A failed attempt (retried or not): count it, keep its reason, hold the lease until `leaseUntil`; false when the claim no longer holds the row. */
  readonly outboxAttemptFailed: (claim: ClaimedOutbox, reason: string, at: Instant, leaseUntil: Instant) => Effect.Effect<boolean>
  /** Settle a claimed row (a success counts as an attempt; a failure was counted by `outboxAttemptFailed`); false when the claim no longer holds it. */
  readonly settleOutbox: (claim: ClaimedOutbox, outcome: OutboxOutcome, at: Instant) => Effect.Effect<boolean>
  /** The sent message a provider's status report names (`Sent.providerMessageId`) in a channel. */
  readonly findSent: (channelId: ChannelId, providerMessageId: string) => Effect.Effect<Option.Option<{ readonly messageId: MessageId; readonly dialogId: DialogId }>>
  /** A channel's delivery log: its newest outbox rows first. */
  readonly deliveryLog: (channelId: ChannelId, limit: number) => Effect.Effect<ReadonlyArray<OutboxRow>>
}

/** The outbox port: see `OutboxStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class OutboxStore extends Context.Tag("@switchboard/core/OutboxStore")<OutboxStore, OutboxStoreService>() {}
