import type { Access, DialogFilters, Folder } from "@switchboard/core"
import { I18n, type Locale } from "@switchboard/ui-htmx"
import type { Contract, CountersView } from "@switchboard/ui-htmx"

/**
 * One item a stream writes: an SSE event or a heartbeat comment. `position` is the store position of
 * the batch it belongs to (every item of a batch has the batch's last position), so that a resumed
 * stream skips what its replay already sent and the last item of a batch carries the SSE id; items
 * that belong to no batch (counters counted afresh, a heartbeat) have none. The hub hands one
 * object to every stream it goes to: its wire frame is formatted once (`sseText`).
 */
export type Outgoing =
  | { readonly _tag: "Event"; readonly event: string; readonly data: string; readonly position?: number | undefined }
  | { readonly _tag: "Heartbeat" }

/** Each event's wire frame (without its id and closing blank line), formatted once per object. */
const frames = new WeakMap<Outgoing, string>()

const frameOf = (item: Extract<Outgoing, { _tag: "Event" }>): string => {
  let frame = frames.get(item)
  if (frame === undefined) {
    frame = `event: ${item.event}\n${item.data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`).join("\n")}\n`
    frames.set(item, frame)
  }
  return frame
}

/**
 * Items as the text of an SSE stream: the last item of each batch carries the batch's position as
 * its `id` (a reconnect resumes after a whole batch); items of batches up to `after` (sent by the
 * replay already) are left out.
 */
export const sseText = (items: ReadonlyArray<Outgoing>, after = -1): string => {
  let text = ""
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!
    if (item._tag === "Heartbeat") {
      text += ": heartbeat\n\n"
      continue
    }
    const at = item.position
    if (at !== undefined && at <= after) continue
    text += frameOf(item)
    const next = items[i + 1]
    if (at !== undefined && (next === undefined || next._tag !== "Event" || next.position !== at)) text += `id: ${at}\n`
    text += "\n"
  }
  return text
}

/** Each batch's bytes, encoded once for every stream it goes to whole (`sseBytes`). */
const encoded = new WeakMap<ReadonlyArray<Outgoing>, Uint8Array>()
const encoder = new TextEncoder()

/**
 * `sseText` as the bytes a stream writes. The hub hands the same batch (one array) to every stream
 * that gets exactly those items, so a batch that goes out whole is encoded once, not once per
 * stream (at 1,000 streams the per-stream encoding was most of the fan-out's own work).
 */
export const sseBytes = (items: ReadonlyArray<Outgoing>, after = -1): Uint8Array => {
  const whole = items.every((item) => item._tag !== "Event" || item.position === undefined || item.position > after)
  if (!whole) return encoder.encode(sseText(items, after))
  let bytes = encoded.get(items)
  if (bytes === undefined) encoded.set(items, (bytes = encoder.encode(sseText(items))))
  return bytes
}

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
  /** The list as the page's URLs carry it: the open dialog's pushed head links its actions to it. */
  readonly list?: Contract.ListParams | undefined
}

const noFocus: Focus = { dialogId: undefined, folder: undefined, filters: undefined }

/**
 * One SSE connection of a user: a bounded queue between the hub, which never waits for it, and the
 * writer of its HTTP response. A client that reads too slowly to keep its queue under `bound` is
 * told to refresh (its queue replaced by one `refresh`) and is closed; nobody else waits for it.
 */
export class Connection {
  /** The batches queued, each as the hub handed it (one array shared by every stream it went to). */
  private batches: Array<ReadonlyArray<Outgoing>> = []
  private count = 0
  private wake: (() => void) | undefined
  /** The queue overflowed: the next item written is `refresh`, then the connection ends. */
  overflowed = false
  closed = false
  focus: Focus = noFocus
  /** The user's unread counters as last sent, kept current by the hub from each batch; none until first counted. */
  counters: CountersView | undefined
  /** The store position the counters were counted at: batches up to it are in the count. */
  countedAt = 0
  /**
   * While the counters are being counted: what each batch handled meanwhile moved (a dialog leaving
   * one unread folder for another, from the position that first touched it). The count keeps those
   * past the position it counted at; before, a batch handled during the count was lost.
   */
  counting: Array<{ readonly first: number; readonly was: "new" | "mine" | undefined; readonly is: "new" | "mine" | undefined }> | undefined
  /** The open dialog's head as last pushed to this page (a head that did not change is not sent again). */
  headSent: string | undefined
  /** The user's language and time zone: what is pushed to this page is rendered in them (issue 22). */
  locale: Locale = I18n.defaultLocale

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
    if (this.count + batch.length > this.bound) {
      this.overflowed = true
      this.batches = []
      this.count = 0
    } else {
      this.batches.push(batch)
      this.count += batch.length
    }
    this.signal()
  }

  /** Everything queued, waiting for something if nothing is; empty once closed. One batch queued comes as the hub handed it. */
  async take(): Promise<ReadonlyArray<Outgoing>> {
    while (this.count === 0 && !this.closed && !this.overflowed) {
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
    const taken = this.batches
    this.batches = []
    this.count = 0
    return taken.length === 1 ? taken[0]! : taken.flat()
  }

  /** How many items wait to be written. */
  get queued(): number {
    return this.count
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
