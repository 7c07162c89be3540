import { Context, type Effect, type Option } from "effect"
import type { Instant } from "../shared/Ids.js"

/** A due-time job: inactivity close, offer expiry, SLA warning/breach, requeue after grace. */
export interface Timer {
  /** Unique: setting a timer with the same key replaces it. */
  readonly key: string
  readonly kind: string
  readonly subject: string
  readonly dueAt: Instant
}

/** A claimed timer; `token` proves the claim when completing it. */
export interface ClaimedTimer extends Timer {
  readonly token: string
}

/** A timer set or cancelled by a commit (`Commit.timers`): timers change atomically with the events that call for them. */
export type TimerChange = { readonly _tag: "Set"; readonly timer: Timer } | { readonly _tag: "Cancel"; readonly key: string }

/**
 * Due timers, for the scheduler of every server. Timers are set and cancelled only by commits
 * (`EventStore.commit`, `Commit.timers`), so a timer never outlives or precedes the decision that
 * set it; this port hands them out when due. Invariants: a claimed timer is not handed out again
 * until its lease runs out (any number of schedulers may poll; each timer fires once per lease),
 * and completing a timer that was replaced after the claim leaves the replacement in place.
 */
export interface TimerStoreService {
  /**
   * Claim up to `limit` timers due at `now` for `leaseMs`, earliest due first. A claimed timer is
   * not handed out again until its lease runs out, so any number of schedulers may poll; each timer fires once.
   */
  readonly claimDue: (now: Instant, limit: number, leaseMs: number) => Effect.Effect<ReadonlyArray<ClaimedTimer>>
  /** Remove a fired timer, unless it was replaced after the claim. */
  readonly completeTimer: (timer: ClaimedTimer) => Effect.Effect<void>
  /** When the earliest timer is due (leased or not), for the scheduler's next wake-up; none when no timer is set. */
  readonly nextDueAt: () => Effect.Effect<Option.Option<Instant>>
}

/** The timer port: see `TimerStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class TimerStore extends Context.Tag("@switchboard/core/TimerStore")<TimerStore, TimerStoreService>() {}
