import { Context, type Effect, type Option } from "effect"
import type { ClientEvent, ClientState } from "../clients/Client.js"
import type { DialogEvent, DialogState } from "../dialogs/Dialog.js"
import type { Message } from "../messages/Message.js"
import type { OperatorEvent, OperatorState } from "../operators/Operator.js"
import type { VersionConflict } from "../shared/Errors.js"
import type { ChannelId, ClientId, DialogId, MessageId, UserId } from "../shared/Ids.js"
import type { OutboxEntry } from "./OutboxStore.js"
import type { TimerChange } from "./TimerStore.js"

/** A stream's current state with the version it was read at (the number of events in the stream). */
export interface Versioned<S> {
  readonly version: number
  readonly state: S
}

/** Events of one stream to append, with the version they were decided on and the resulting state. */
export type StreamWrite =
  | { readonly kind: "dialog"; readonly id: DialogId; readonly expectedVersion: number; readonly events: ReadonlyArray<DialogEvent>; readonly state: DialogState }
  | { readonly kind: "client"; readonly id: ClientId; readonly expectedVersion: number; readonly events: ReadonlyArray<ClientEvent>; readonly state: ClientState }
  | { readonly kind: "operator"; readonly id: UserId; readonly expectedVersion: number; readonly events: ReadonlyArray<OperatorEvent>; readonly state: OperatorState }

/** Every event a store holds: a dialog's, a client's or an operator's. */
export type DomainEvent = DialogEvent | ClientEvent | OperatorEvent

/** `dialog:<id>`, `client:<id>`, `operator:<id>`. */
export const streamId = (kind: StreamWrite["kind"], id: string): string => `${kind}:${id}`

/** The client an inbound message comes from, and their current dialog in that channel. */
export interface InboundTarget {
  readonly client: Versioned<ClientState>
  readonly dialog: Option.Option<Versioned<DialogState>>
}

/** Where an inbound message comes from: a channel and the sender's id there. */
export interface InboundAddress {
  readonly channelId: ChannelId
  readonly externalId: string
}

/** A checked commit that passed its check and landed (`commitFirstContact`, `commitUnseen`). */
export interface Committed {
  readonly _tag: "Committed"
  readonly events: ReadonlyArray<StoredEvent>
}

/** What `commitFirstContact` did: committed, or found the address already taken (and wrote nothing). */
export type FirstContact = Committed | { readonly _tag: "Known"; readonly target: InboundTarget }

/** A client's message as its channel named it: the dialog it went to and the channel's id for it. */
export interface DeliveredMessage {
  readonly dialogId: DialogId
  readonly externalId: string
}

/** What `commitUnseen` did: committed, or found the message already stored (and wrote nothing). */
export type Unseen = Committed | { readonly _tag: "Seen"; readonly messageId: MessageId }

/**
 * One atomic write: every stream's events (each with its expected version), the projections they
 * change and the timers they set. All of it lands, or none of it does.
 */
export interface Commit {
  readonly streams: ReadonlyArray<StreamWrite>
  /** Message projection upserts (new, edited, deleted, delivery updated). */
  readonly messages: ReadonlyArray<Message>
  readonly timers: ReadonlyArray<TimerChange>
  /** Outgoing messages to send through their channels (`OutboxStore`), queued with the events that record them. */
  readonly outbox?: ReadonlyArray<OutboxEntry>
  /**
   * Streams the decision read but does not write (an existing client, the company configuration):
   * the commit fails with `VersionConflict` if any of them is no longer at `expectedVersion` (0: the
   * stream does not exist). With them a decision made on cached state is exactly as safe as one made
   * on fresh reads, and two commits can never each rely on what the other changes (no write skew).
   */
  readonly checks?: ReadonlyArray<StreamCheck>
}

/** A stream a commit relies on without writing it. */
export interface StreamCheck {
  readonly streamId: string
  readonly expectedVersion: number
}

/** An appended event with its place in its stream and in the global log. */
export interface StoredEvent {
  /** Global, strictly increasing: a live client resumes from the last position it saw. */
  readonly position: number
  readonly streamId: string
  readonly version: number
  readonly event: DomainEvent
}

/**
 * The event store: the log of every stream's events, each stream's current state with its version,
 * and the one atomic write (`commit`) that appends events together with the projections and timers
 * they change. Invariants: a commit lands whole or not at all; a stream's versions have no gaps;
 * global positions are handed out in commit order; a channel identity belongs to one client.
 */
export interface EventStoreService {
  readonly loadDialog: (id: DialogId) => Effect.Effect<Option.Option<Versioned<DialogState>>>
  readonly loadClient: (id: ClientId) => Effect.Effect<Option.Option<Versioned<ClientState>>>
  readonly loadOperator: (id: UserId) => Effect.Effect<Option.Option<Versioned<OperatorState>>>
  /** Every operator with their current state. */
  readonly listOperators: () => Effect.Effect<ReadonlyArray<Versioned<OperatorState>>>
  /** The client reachable at `externalId` in a channel; identities are unique. */
  readonly findClient: (channelId: ChannelId, externalId: string) => Effect.Effect<Option.Option<ClientId>>
  /**
   * Everything an inbound message needs in one read: the client reachable at `externalId` in the
   * channel and their current dialog there (if any). Adapters answer it in one round trip.
   */
  readonly findInbound: (channelId: ChannelId, externalId: string) => Effect.Effect<Option.Option<InboundTarget>>
  /**
   * Append atomically. Fails with `VersionConflict` if any stream moved past its expected version,
   * if a checked stream (`Commit.checks`) moved, or if a new client claims an identity another
   * client already has.
   */
  readonly commit: (commit: Commit) => Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict>
  /**
   * A first contact without a read before it: commit `commit` (which creates the client at
   * `address`) only if no client is reachable there yet. If one is, write nothing and answer with
   * it and its current dialog, as `findInbound` would. One round trip either way.
   */
  readonly commitFirstContact: (address: InboundAddress, commit: Commit) => Effect.Effect<FirstContact, VersionConflict>
  /**
   * A client's message the dialog's own memory of recent external ids cannot vouch for (a long
   * dialog): commit `commit` (which records it) only if no message of the dialog carries the same
   * external id. If one does, write nothing and answer with its id. One round trip either way.
   */
  readonly commitUnseen: (message: DeliveredMessage, commit: Commit) => Effect.Effect<Unseen, VersionConflict>
  /** A stream's events, oldest first. */
  readonly readStream: (streamId: string) => Effect.Effect<ReadonlyArray<StoredEvent>>
  /**
   * Events after `position`, oldest first. Positions are given in commit order: once an event is
   * readable, no event with a lower position can appear later (so a reader that resumes after the
   * last position it read misses nothing).
   */
  readonly readAll: (afterPosition: number, limit: number) => Effect.Effect<ReadonlyArray<StoredEvent>>
  /** The position of the newest committed event; 0 if there is none. */
  readonly lastPosition: Effect.Effect<number>
}

/** The event store port: see `EventStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class EventStore extends Context.Tag("@switchboard/core/EventStore")<EventStore, EventStoreService>() {}
