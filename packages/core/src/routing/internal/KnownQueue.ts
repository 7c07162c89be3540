import { Effect, Option } from "effect"
import type * as Dialog from "../../dialogs/Dialog.js"
import { evolve, initial } from "../../dialogs/evolve.js"
import type { DialogListStoreService } from "../../ports/DialogListStore.js"
import type { EventStoreService } from "../../ports/EventStore.js"
import type { StoredEvent, Versioned } from "../../ports/Store.js"
import type { DialogId } from "../../shared/Ids.js"

/**
 * The queued dialogs as a router that follows the event bus knows them: read once, then each
 * dialog event the bus brings folded onto its dialog (`evolve`, the same fold every dialog write
 * stores), so a routing pass decodes no dialog. Before it, every pass read and decoded every queued
 * dialog: with a backlog in New at 1,000 operators and 5 new dialogs a second that was the largest
 * share of the server's Schema decoding (`bench/panel/results.md`, "queued dialogs kept").
 *
 * A dialog is held while it is queued (offered ones included) and not deleted, as
 * `DialogListStore.queued` answers. An event the view already holds changes nothing; one that
 * skips a version, or one that may put a dialog it does not hold into the queue (handed over by a
 * bot, requeued, reopened), is answered by reading that dialog from the store. The router folds
 * the events of its own commands in at once, so the next pass does not plan them again. With more
 * than `limit` dialogs queued, those past the first read join the view at the next refresh.
 */
export interface KnownQueue {
  /**
   * The queued dialogs, longest waiting first (`COALESCE(enqueuedAt, 0)`, then id), at most `limit`:
   * the same array until a dialog of the queue changes, and never changed once answered.
   */
  readonly all: (limit: number) => ReadonlyArray<Versioned<Dialog.DialogState>>
  /** Fold one event in (events of other streams are ignored). */
  readonly apply: (stored: StoredEvent) => Effect.Effect<void>
  /**
   * Read the queue again (the router's safety tick: a dialog written without an event is seen within
   * a tick): its ids and versions, then only the dialogs not held at their stored version; a dialog
   * folded while the read ran keeps what the fold made of it.
   */
  readonly refresh: Effect.Effect<void>
}

const prefix = "dialog:"

/** Events after which a dialog the view does not hold may be queued. */
const mayQueue: ReadonlySet<string> = new Set(["DialogOpened", "HandedToQueue", "DialogRequeued", "DialogReopened"])

const isQueued = (state: Dialog.DialogState): boolean => state.status === "queued" && !state.deleted

const enqueuedOf = (entry: Versioned<Dialog.DialogState>): number => Option.getOrElse(entry.state.enqueuedAt, () => 0)

const byWait = (a: Versioned<Dialog.DialogState>, b: Versioned<Dialog.DialogState>): number =>
  enqueuedOf(a) - enqueuedOf(b) || (a.state.id < b.state.id ? -1 : a.state.id > b.state.id ? 1 : 0)

/** Where `entry` goes in `sorted` (ordered by `byWait`): the first index whose dialog does not wait longer. */
const positionOf = (sorted: ReadonlyArray<Versioned<Dialog.DialogState>>, entry: Versioned<Dialog.DialogState>): number => {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (byWait(sorted[middle]!, entry) < 0) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * Read the queue once (`limit` at most, as a pass would) and answer a `KnownQueue` over it. The
 * list stays sorted: a folded dialog is taken out and put back by binary search (re-sorting the
 * whole queue on the next pass after every event was a tenth of a routing pass at 10,000 queued).
 * A list `all` answered is never changed afterwards: the first change after it works on a copy.
 */
export const make = (listStore: DialogListStoreService, eventStore: EventStoreService, limit: number): Effect.Effect<KnownQueue> =>
  Effect.map(listStore.queued(limit), (list) => {
    const known = new Map<string, Versioned<Dialog.DialogState>>()
    let sorted: Array<Versioned<Dialog.DialogState>> = []
    /** Whether `sorted` was handed out by `all` (then it is copied before it changes). */
    let shared = false
    /** `all`'s answer when the queue is longer than it asked for, kept until the queue changes (a pass compares lists by identity). */
    let head: { readonly max: number; readonly list: ReadonlyArray<Versioned<Dialog.DialogState>> } | undefined
    const reset = (entries: Iterable<Versioned<Dialog.DialogState>>) => {
      sorted = [...entries].sort(byWait)
      shared = false
      head = undefined
    }
    for (const entry of list) known.set(entry.state.id, entry)
    reset(known.values())
    const writable = () => {
      head = undefined
      if (shared) {
        sorted = sorted.slice()
        shared = false
      }
      return sorted
    }
    /** Dialogs folded since the refresh in progress began (it must not drop them). */
    let touched: Set<string> | undefined
    const put = (id: string, entry: Option.Option<Versioned<Dialog.DialogState>>) => {
      const before = known.get(id)
      if (before !== undefined) {
        const list = writable()
        const at = positionOf(list, before)
        if (list[at] === before) list.splice(at, 1)
        else list.splice(list.indexOf(before), 1)
      }
      if (Option.isSome(entry) && isQueued(entry.value.state)) {
        known.set(id, entry.value)
        const list = writable()
        list.splice(positionOf(list, entry.value), 0, entry.value)
      } else known.delete(id)
      touched?.add(id)
    }
    return {
      all: (max) => {
        shared = true
        if (sorted.length <= max) return sorted
        if (head?.max !== max) head = { max, list: sorted.slice(0, max) }
        return head.list
      },
      refresh: Effect.suspend(() => {
        const during = new Set<string>()
        touched = during
        // Versions first: only a dialog the view does not hold at the stored version is loaded (and decoded).
        return Effect.flatMap(listStore.queuedVersions(limit), (versions) => {
          const stale = versions.filter(({ id, version }) => known.get(id)?.version !== version)
          return Effect.map(Effect.forEach(stale, ({ id }) => eventStore.loadDialog(id), { concurrency: "unbounded" }), (loaded) => {
            touched = undefined
            const ids = new Set<string>(versions.map(({ id }) => id))
            loaded.forEach((found, index) => {
              const id = stale[index]!.id
              const cached = known.get(id)
              if (during.has(id) && (cached === undefined || Option.isNone(found) || cached.version >= found.value.version)) return
              // Loaded after the versions were read: it may have left the queue since.
              if (Option.isSome(found) && isQueued(found.value.state)) known.set(id, found.value)
              else known.delete(id)
            })
            for (const id of [...known.keys()]) if (!ids.has(id) && !during.has(id)) known.delete(id)
            reset(known.values())
          })
        })
      }),
      apply: (stored) =>
        Effect.suspend(() => {
          if (!stored.streamId.startsWith(prefix)) return Effect.void
          const id = stored.streamId.slice(prefix.length)
          const cached = known.get(id)
          const event = stored.event as Dialog.DialogEvent
          if (cached !== undefined) {
            if (stored.version <= cached.version) return Effect.void
            if (stored.version === cached.version + 1) {
              put(id, Option.some({ version: stored.version, state: evolve(cached.state, event) }))
              return Effect.void
            }
          } else if (stored.version === 1 && event._tag === "DialogOpened") {
            put(id, Option.some({ version: 1, state: evolve(initial(event.dialogId, event.channelId, event.queueId), event) }))
            return Effect.void
          } else if (!mayQueue.has(event._tag)) {
            return Effect.void
          }
          return Effect.map(eventStore.loadDialog(id as DialogId), (found) => put(id, found))
        })
    }
  })
