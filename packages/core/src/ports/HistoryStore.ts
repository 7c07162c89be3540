import { Context, type Effect } from "effect"
import type { Message } from "../messages/Message.js"
import type { InvalidInput } from "../shared/Errors.js"
import type { DialogId, Instant } from "../shared/Ids.js"
import type { Page } from "./Page.js"

/** Which page of a dialog's history to read (MSG-07, DLG-21). */
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

/**
 * A dialog's message history: the message projection that commits keep (`Commit.messages`, one
 * row per message, replaced on edit, deletion or delivery update). Read-only here; invariants:
 * newest first by `seq`, a cursor page never repeats or skips a message, internal notes only when
 * asked for.
 */
export interface HistoryStoreService {
  /** A dialog's messages, newest first, paged by `seq` (MSG-07). `InvalidInput`: a bad `limit`, `cursor`, `beforeSeq` or `beforeTime`. */
  readonly messages: (query: MessageQuery) => Effect.Effect<Page<Message>, InvalidInput>
}

/** The history port: see `HistoryStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class HistoryStore extends Context.Tag("@switchboard/core/HistoryStore")<HistoryStore, HistoryStoreService>() {}
