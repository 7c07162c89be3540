import type { Access, DialogFilters, Folder } from "@switchboard/core"
import type { CountersView } from "@switchboard/ui-htmx"

/**
 * One item a stream writes: an SSE event (`id` on the last item of a batch of the store's events,
 * its position) or a heartbeat comment. `position` is the batch's, so that a resumed stream skips
 * what its replay already sent; items that belong to no batch (counters, a heartbeat) have none.
 */
export type Outgoing =
  | { readonly _tag: "Event"; readonly event: string; readonly data: string; readonly id?: number | undefined; readonly position?: number | undefined }
  | { readonly _tag: "Heartbeat" }

/** What a page shows, as it told the server (`POST /panel/events/focus`). */
export interface Focus {
  /** The dialog open in its pane: only its bubbles are sent. */
  readonly dialogId: string | undefined
  readonly folder: Folder | undefined
  /**
   * The list's filters the server checks for a pushed row (core's `Listing.matchesFilters`): a row
   * they exclude goes out as a removal. Search text and periods are the page's to re-read.
   */
  readonly filters: DialogFilters | undefined
}

const noFocus: Focus = { dialogId: undefined, folder: undefined, filters: undefined }

/**
 * One SSE connection of a user: a bounded queue between the hub, which never waits for it, and the
 * writer of its HTTP response. A client that reads too slowly to keep its queue under `bound` is
 * told to refresh (its queue replaced by one `refresh`) and is closed; nobody else waits for it.
 */
export class Connection {
  private items: Array<Outgoing> = []
  private wake: (() => void) | undefined
  /** The queue overflowed: the next item written is `refresh`, then the connection ends. */
  overflowed = false
  closed = false
  focus: Focus = noFocus
  /** The user's unread counters as last sent, kept current by the hub from each batch; none until first counted. */
  counters: CountersView | undefined
  /** The store position the counters were counted at: batches up to it are in the count. */
  countedAt = 0

  constructor(
    /** The stream's id, sent in `ready`; the page names it in its focus. */
    readonly id: string,
    /** The user, as of their latest operator event (role and permissions decide what they see). */
    public actor: Access.UserActor,
    readonly bound: number
  ) {}

  /** Queue the items of one batch; past the bound the queue becomes one refresh. Never waits. */
  push(batch: ReadonlyArray<Outgoing>): void {
    if (this.closed || this.overflowed || batch.length === 0) return
    if (this.items.length + batch.length > this.bound) {
      this.overflowed = true
      this.items = []
    } else {
      for (const item of batch) this.items.push(item)
    }
    this.signal()
  }

  /** Everything queued, waiting for something if nothing is; empty once closed. */
  async take(): Promise<ReadonlyArray<Outgoing>> {
    while (this.items.length === 0 && !this.closed && !this.overflowed) {
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
    const taken = this.items
    this.items = []
    return taken
  }

  /** How many items wait to be written. */
  get queued(): number {
    return this.items.length
  }

  close(): void {
    this.closed = true
    this.signal()
  }

  private signal(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }
}
