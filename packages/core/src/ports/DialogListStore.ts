import { Context, type Effect, type Option, Schema } from "effect"
import type { DialogState, Status } from "../dialogs/Dialog.js"
import type { InvalidInput } from "../shared/Errors.js"
import type { BotId, ChannelId, ClientId, DialogId, Instant, TagId, UserId } from "../shared/Ids.js"
import type { Versioned } from "./EventStore.js"
import type { Page } from "./Page.js"

/** Who is looking: folders and unread counts depend on it. */
export interface Viewer {
  readonly userId: UserId
  /** Supervisors and admins see every operator's dialogs ("All active", the whole archive). */
  readonly seesAll: boolean
}

/** DLG-02 folders; `bot` holds the dialogs a bot is answering (an operator may take them over, DLG-03). */
export const Folder = Schema.Literal("new", "mine", "active", "bot", "archive")
/** A folder of the dialog list (DLG-02). */
export type Folder = typeof Folder.Type

/** Client-tag filter (DLG-21): any tags, no tags, all of a list (AND), pinned only. */
export type TagFilter =
  | { readonly _tag: "None" }
  | { readonly _tag: "AllOf"; readonly tags: ReadonlyArray<TagId> }
  | { readonly _tag: "Pinned" }

/** The dialog list's filters (DLG-21); all given ones apply together. */
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

/** One page of a folder as a viewer sees it. */
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
  readonly unread: number
  readonly tags: ReadonlyArray<TagId>
  /** The client's pinned tags, shown under their name in the list (DLG-21, CLI-01). */
  readonly clientPinnedTags: ReadonlyArray<TagId>
  readonly topics: DialogState["topics"]
  readonly priority: number
}

/** Which dialogs `DialogListStore.tagCounts` counts: a folder as a viewer sees it, narrowed by the list's filters (not its text). */
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

/**
 * The dialog list and its search: what the panel's inbox reads. Answers come from the dialogs'
 * current state (as the last commit left it) and, for text and periods, from their messages; the
 * folder and filter rules are core's (`Listing`), every adapter applies the same. Invariants: keyset
 * pages cover every matching dialog once, in the chosen order; counters agree with each dialog's
 * own unread state.
 */
export interface DialogListStoreService {
  /** A folder's dialogs for a viewer, filtered and sorted, one keyset page. `InvalidInput`: a bad `limit` or `cursor`. */
  readonly listDialogs: (query: DialogQuery) => Effect.Effect<Page<DialogRow>, InvalidInput>
  /** The viewer's unread counters: queued dialogs and their own active ones with an unread client message or marked unread (DLG-09). */
  readonly unread: (viewer: Viewer) => Effect.Effect<UnreadSummary>
  /**
   * The client tags of the dialogs a list shows (a folder for a viewer, narrowed by `filters`
   * except the text search), each with the number of those dialogs whose client carries it, i.e.
   * what the list would hold with that tag added to an `AllOf` filter: most used first, then by id;
   * at most `limit` (1–500; `InvalidInput` otherwise).
   */
  readonly tagCounts: (query: TagCountQuery) => Effect.Effect<ReadonlyArray<TagCount>, InvalidInput>
  /** Dialogs waiting in the queue, longest waiting first, for the router and the supervisor's queue view. */
  readonly queued: (limit: number) => Effect.Effect<ReadonlyArray<Versioned<DialogState>>>
  /**
   * The ids and versions of the dialogs `queued(limit)` answers, in its order, without their state:
   * what the router's safety tick compares the queue it keeps with, loading only the dialogs whose
   * version moved (decoding 10,000 queued dialogs every 30 s stalled the server for most of a second).
   */
  readonly queuedVersions: (limit: number) => Effect.Effect<ReadonlyArray<QueuedVersion>>
}

/** A queued dialog's id and stored version (`DialogListStore.queuedVersions`). */
export interface QueuedVersion {
  readonly id: DialogState["id"]
  readonly version: number
}

/** The dialog list port: see `DialogListStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class DialogListStore extends Context.Tag("@switchboard/core/DialogListStore")<DialogListStore, DialogListStoreService>() {}
