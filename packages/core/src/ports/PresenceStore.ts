import { Context, type Effect } from "effect"
import type { Presence } from "../routing/Routing.js"
import type { ChannelId, DialogId, Instant, UserId } from "../shared/Ids.js"

/** An operator's last recorded presence and when it was recorded (ROUTING.md A1). */
export interface PresenceRecord {
  readonly presence: Presence
  readonly lastHeartbeatAt: Instant
}

/** One operator's presence record, as `recordPresences` takes it. */
export interface PresenceEntry {
  readonly operatorId: UserId
  readonly presence: Presence
  readonly at: Instant
}

/** An operator's current load: their assigned dialogs and pending offers (ROUTING A1). */
export interface LoadEntry {
  readonly dialogId: DialogId
  readonly channelId: ChannelId
  readonly kind: "assigned" | "offered"
  readonly onHold: boolean
}

/** Whose load `PresenceStore.loads` reads: these operators' whole load, and every pending offer. */
export interface LoadScope {
  readonly operators: ReadonlyArray<UserId>
}

/**
 * What the router needs to know about operators, shared by every server: who is present (as of
 * their latest heartbeat) and what each one holds. Load is derived from the dialogs' own state by
 * the commits that change it, never kept by hand, so it cannot drift from the dialogs.
 */
export interface PresenceStoreService {
  /**
   * Record an operator's presence as of `at` (a heartbeat of the panel, or an explicit presence;
   * ROUTING.md A1), for every server's router. A record older than the one stored changes nothing.
   */
  readonly recordPresence: (operatorId: UserId, presence: Presence, at: Instant) => Effect.Effect<void>
  /**
   * Record the presence of many operators at once, as `recordPresence` does for each, in one write
   * (a server's heartbeat for everyone with a panel open: one statement whatever the team's size).
   */
  readonly recordPresences: (records: ReadonlyArray<PresenceEntry>) => Effect.Effect<void>
  /** Every operator's last recorded presence. */
  readonly presences: () => Effect.Effect<ReadonlyMap<UserId, PresenceRecord>>
  /** One operator's load: active dialogs assigned to them (not deleted) and offers pending for them. */
  readonly loadOf: (operatorId: UserId) => Effect.Effect<ReadonlyArray<LoadEntry>>
  /**
   * Loads in one query (not one per operator): every operator's without `scope` (the supervisor's
   * board); with it, the whole load of each of `scope.operators` and every pending offer of anyone
   * (a routing pass: the operators who may take a dialog or lose theirs, and the offers its sweep
   * rescinds), so a pass does not read the dialogs held by operators who are away.
   */
  readonly loads: (scope?: LoadScope) => Effect.Effect<ReadonlyMap<UserId, ReadonlyArray<LoadEntry>>>
}

/** The presence and load port: see `PresenceStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class PresenceStore extends Context.Tag("@switchboard/core/PresenceStore")<PresenceStore, PresenceStoreService>() {}
