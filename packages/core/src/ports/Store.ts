import { Context, type Effect, type Option, Schema } from "effect"
import type { Channel } from "../channels/Channel.js"
import type { ClientEvent, ClientState } from "../clients/Client.js"
import type { DialogEvent, DialogState, Status } from "../dialogs/Dialog.js"
import type { Message } from "../messages/Message.js"
import type { OperatorEvent, OperatorState } from "../operators/Operator.js"
import type { Presence } from "../routing/Routing.js"
import type { Settings } from "../settings/Settings.js"
import type { InvalidInput, VersionConflict } from "../shared/Errors.js"
import type { BotId, ChannelId, ClientId, DialogId, Instant, MessageId, TagId, UserId } from "../shared/Ids.js"

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

/** Any event of any stream: dialog, client or operator. */
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

/**
 * A change to the timer table committed with the events: set (replacing the timer of the same key) or
 * cancel by key.
 */
export type TimerChange = { readonly _tag: "Set"; readonly timer: Timer } | { readonly _tag: "Cancel"; readonly key: string }

/**
 * One atomic write: every stream's events (each with its expected version), the projections they
 * change and the timers they set. All of it lands, or none of it does.
 */
export interface Commit {
  readonly streams: ReadonlyArray<StreamWrite>
  /** Message projection upserts (new, edited, deleted, delivery updated). */
  readonly messages: ReadonlyArray<Message>
  readonly timers: ReadonlyArray<TimerChange>
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

/** The stream whose version moves with every `saveSettings` and `putChannel`. */
export const configStreamId = "config"

/** The company settings and the channels, with the version of `configStreamId` they were read at. */
export interface ConfigSnapshot {
  readonly version: number
  readonly settings: Settings
  readonly channels: ReadonlyArray<Channel>
}

/** An appended event with its place in its stream and in the global log. */
export interface StoredEvent {
  /** Global, strictly increasing: a live client resumes from the last position it saw. */
  readonly position: number
  readonly streamId: string
  readonly version: number
  readonly event: DomainEvent
}

/** An operator's last recorded presence and when it was recorded (ROUTING.md A1). */
export interface PresenceRecord {
  readonly presence: Presence
  readonly lastHeartbeatAt: Instant
}

/** Who is looking: folders and unread counts depend on it. */
export interface Viewer {
  readonly userId: UserId
  /** Supervisors and admins see every operator's dialogs ("All active", the whole archive). */
  readonly seesAll: boolean
}

/** DLG-02 folders; `bot` holds the dialogs a bot is answering (an operator may take them over, DLG-03). */
export const Folder = Schema.Literal("new", "mine", "active", "bot", "archive")
export type Folder = typeof Folder.Type

/** Client-tag filter (DLG-21): any tags, no tags, all of a list (AND), pinned only. */
export type TagFilter =
  | { readonly _tag: "None" }
  | { readonly _tag: "AllOf"; readonly tags: ReadonlyArray<TagId> }
  | { readonly _tag: "Pinned" }

/** The dialog list's filters (DLG-21); every given filter must hold (AND), an absent one does not filter. */
export interface DialogFilters {
  readonly operatorId?: UserId
  readonly botId?: BotId
  readonly channelIds?: ReadonlyArray<ChannelId>
  readonly clientTags?: TagFilter
  readonly status?: Status
  readonly lastWriter?: "client" | "staff"
  /**
   * A period (DLG-21): dialogs with correspondence within [from, to), a message of the client, staff
   * or a bot (internal notes too; not a system notice, not a deleted message) created then,
   * whatever came before or after it.
   */
  readonly from?: Instant
  readonly to?: Instant
  /** Full-text search over the client's name and the dialog's message text (DLG-19). */
  readonly text?: string
}

/** One page of a folder's dialog list as a viewer sees it, filtered and sorted; `limit` rows at most. */
export interface DialogQuery {
  readonly viewer: Viewer
  readonly folder: Folder
  readonly filters?: DialogFilters
  /** DLG-20: last activity (default) or processing order (longest-waiting unanswered first). */
  readonly sort?: "lastActivity" | "processingOrder"
  /** Opaque cursor from the previous page. */
  readonly cursor?: string
  readonly limit: number
}

/** One line of the dialog list, for one viewer. */
export interface DialogRow {
  readonly dialogId: DialogId
  readonly clientId: Option.Option<ClientId>
  readonly clientName: string
  readonly channelId: ChannelId
  readonly status: Status
  readonly assigneeId: Option.Option<UserId>
  /** The viewer's draft if they have one (DLG-11), else the last message. */
  readonly preview: string
  readonly previewIsDraft: boolean
  readonly lastWriter: Option.Option<"Client" | "Operator" | "Bot" | "System">
  readonly lastActivityAt: Instant
  readonly awaitingReplySince: Option.Option<Instant>
  /** When the pending reply is due under the SLA policy (processing order, DLG-20). */
  readonly responseDueAt: Option.Option<Instant>
  /** SLA labels: yellow on warning, red on breach (SLA-04). */
  readonly sla: DialogState["sla"]
  /** How many of the dialog's client messages the viewer has not read (DLG-09). */
  readonly unread: number
  readonly tags: ReadonlyArray<TagId>
  /** The client's pinned tags, shown under their name in the list (DLG-21, CLI-01). */
  readonly clientPinnedTags: ReadonlyArray<TagId>
  readonly topics: DialogState["topics"]
  readonly priority: number
}

/** A page of results, newest or first first; `nextCursor` fetches the next page. */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** Present when there may be more. */
  readonly nextCursor: Option.Option<string>
}

/** One page of a dialog's history, newest first (MSG-07). */
export interface MessageQuery {
  readonly dialogId: DialogId
  /** The page after this one: the previous page's `nextCursor` (MSG-07). None (and no `beforeSeq`) = the newest page. */
  readonly cursor?: string
  /** Messages with `seq` below this, newest first (a message and what came before it); not with `cursor`. */
  readonly beforeSeq?: number
  /**
   * Messages created before this instant, newest first: the history as it stood then (DLG-21, a
   * dialog opened from a period starts at its end). Not with `cursor` or `beforeSeq`; the pages
   * before it go by `nextCursor` as usual.
   */
  readonly beforeTime?: Instant
  readonly limit: number
  /** Internal notes are for staff only. */
  readonly includeInternal: boolean
}

/** Which dialogs `Store.tagCounts` counts: a folder as a viewer sees it, narrowed by the list's filters (not its text). */
export interface TagCountQuery {
  readonly viewer: Viewer
  readonly folder: Folder
  readonly filters?: Omit<DialogFilters, "text">
  readonly limit: number
}

/** How many of a list's dialogs belong to clients carrying a tag (DLG-21: tags listed with their dialog count). */
export interface TagCount {
  readonly tagId: TagId
  readonly dialogs: number
}

/** Unread dialogs per folder and the header total (DLG-09). */
export interface UnreadSummary {
  readonly total: number
  readonly new: number
  readonly mine: number
}

/** An operator's current load: their assigned dialogs and pending offers (ROUTING A1). */
export interface LoadEntry {
  readonly dialogId: DialogId
  readonly channelId: ChannelId
  readonly kind: "assigned" | "offered"
  readonly onHold: boolean
}

/**
 * The storage port: the event log, the current state of every stream, the projections the panel
 * reads, and due timers. Adapters: in-memory (`@switchboard/core/testing`), SQL on PostgreSQL and
 * PGlite (`@switchboard/adapters`). Every adapter passes `StoreContract`.
 */
export interface StoreService {
  /** A dialog's state and stream version, as of its last commit; `None` if no such dialog. */
  readonly loadDialog: (id: DialogId) => Effect.Effect<Option.Option<Versioned<DialogState>>>
  /** A client's state and stream version; `None` if no such client. */
  readonly loadClient: (id: ClientId) => Effect.Effect<Option.Option<Versioned<ClientState>>>
  /** An operator's state and stream version; `None` if no such user. */
  readonly loadOperator: (id: UserId) => Effect.Effect<Option.Option<Versioned<OperatorState>>>
  /** Every registered user with their state and version. */
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
  /** One stream's events (`streamId`), oldest first; empty for an unknown stream. */
  readonly readStream: (streamId: string) => Effect.Effect<ReadonlyArray<StoredEvent>>
  /**
   * Events after `position`, oldest first. Positions are given in commit order: once an event is
   * readable, no event with a lower position can appear later (so a reader that resumes after the
   * last position it read misses nothing).
   */
  readonly readAll: (afterPosition: number, limit: number) => Effect.Effect<ReadonlyArray<StoredEvent>>
  /** The position of the newest committed event; 0 if there is none. */
  readonly lastPosition: Effect.Effect<number>
  /**
   * Record an operator's presence as of `at` (a heartbeat of the panel, or an explicit presence;
   * ROUTING.md A1), for every server's router. A record older than the one stored changes nothing.
   */
  readonly recordPresence: (operatorId: UserId, presence: Presence, at: Instant) => Effect.Effect<void>
  /** Every operator's last recorded presence. */
  readonly presences: () => Effect.Effect<ReadonlyMap<UserId, PresenceRecord>>
  /** A dialog's messages, newest first, paged by `seq` (MSG-07). `InvalidInput`: a bad `limit` or `beforeSeq`. */
  readonly messages: (query: MessageQuery) => Effect.Effect<Page<Message>, InvalidInput>
  /** A folder's dialogs for a viewer, filtered and sorted, one keyset page. `InvalidInput`: a bad `limit` or `cursor`. */
  readonly listDialogs: (query: DialogQuery) => Effect.Effect<Page<DialogRow>, InvalidInput>
  /** The viewer's unread counters (DLG-09): the header's total of unread dialogs, and those in New and Mine. */
  readonly unread: (viewer: Viewer) => Effect.Effect<UnreadSummary>
  /**
   * The client tags of the dialogs a list shows (a folder for a viewer, narrowed by `filters`
   * except the text search), each with the number of those dialogs whose client carries it, i.e.
   * what the list would hold with that tag added to an `AllOf` filter: most used first, then by id;
   * at most `limit` (1–500; `InvalidInput` otherwise).
   */
  readonly tagCounts: (query: TagCountQuery) => Effect.Effect<ReadonlyArray<TagCount>, InvalidInput>
  /** Dialogs waiting in the queue, for the router and the supervisor's queue view. */
  readonly queued: (limit: number) => Effect.Effect<ReadonlyArray<Versioned<DialogState>>>
  /** One operator's current load: their assigned dialogs and pending offers, with channel and hold flag. */
  readonly loadOf: (operatorId: UserId) => Effect.Effect<ReadonlyArray<LoadEntry>>
  /** Every operator's load at once, for a routing pass (one query instead of one per operator). */
  readonly loads: () => Effect.Effect<ReadonlyMap<UserId, ReadonlyArray<LoadEntry>>>
  /** The company settings (defaults until some are saved). */
  readonly getSettings: () => Effect.Effect<Settings>
  /** Settings and channels in one consistent read, with the configuration version (see `Commit.checks`). */
  readonly config: () => Effect.Effect<ConfigSnapshot>
  /** Replace the settings; moves the configuration version. */
  readonly saveSettings: (settings: Settings) => Effect.Effect<void>
  /** Add or replace a channel; moves the configuration version. */
  readonly putChannel: (channel: Channel) => Effect.Effect<void>
  /** A configured channel; `None` if no such channel. */
  readonly getChannel: (id: ChannelId) => Effect.Effect<Option.Option<Channel>>
  /** Every configured channel. */
  readonly listChannels: () => Effect.Effect<ReadonlyArray<Channel>>
  /**
   * Claim up to `limit` timers due at `now` for `leaseMs`. A claimed timer is not handed out again
   * until its lease runs out, so any number of schedulers may poll; each timer fires once.
   */
  readonly claimDue: (now: Instant, limit: number, leaseMs: number) => Effect.Effect<ReadonlyArray<ClaimedTimer>>
  /** Remove a fired timer, unless it was replaced after the claim. */
  readonly completeTimer: (timer: ClaimedTimer) => Effect.Effect<void>
  /**
   * When the earliest timer is due; `None` when there are none (the scheduler sleeps until then or a
   * new timer).
   */
  readonly nextDueAt: () => Effect.Effect<Option.Option<Instant>>
}

/**
 * The `Store` port's tag: the event log, its projections and the timers, provided by one adapter
 * (`MemoryStore`, `SqlStore` on PGlite or PostgreSQL) that passes the Store contract suite.
 */
export class Store extends Context.Tag("@switchboard/core/Store")<Store, StoreService>() {}
