import { Effect, Option } from "effect"
import type { DialogState } from "../../dialogs/Dialog.js"
import * as Listing from "../../dialogs/Listing.js"
import type { DialogListStoreService, DialogRow } from "../../ports/DialogListStore.js"
import type { Page } from "../../ports/Page.js"
import type { TagId } from "../../shared/Ids.js"
import type { MemoryState } from "./MemoryState.js"

/** The in-memory `DialogListStore` over a shared `MemoryState`: core's `Listing` rules applied to every dialog. */
export const make = (state: MemoryState): DialogListStoreService => {
  const clientOf = (id: Parameters<MemoryState["clients"]["get"]>[0]) => state.clients.get(id)?.state

  const clientName = (dialog: DialogState): string =>
    Option.match(dialog.clientId, {
      onNone: () => "",
      onSome: (id) => Listing.listedClientName(clientOf(id))
    })

  const pinnedTagsOf = (dialog: DialogState): ReadonlyArray<TagId> =>
    Option.match(dialog.clientId, {
      onNone: () => [],
      onSome: (id) => (clientOf(id)?.tags ?? []).filter((tag) => tag.pinned).map((tag) => tag.tagId)
    })

  /** DLG-19 as the SQL store applies it: every word a word prefix in one message (not deleted) or in the client's name. */
  const matchesText = (dialog: DialogState, words: ReadonlyArray<string>): boolean => {
    if (Listing.textMatches(words, clientName(dialog))) return true
    for (const message of state.messages.get(dialog.id)?.values() ?? []) {
      if (Option.isNone(message.deletedAt) && Listing.textMatches(words, message.text)) return true
    }
    return false
  }

  const writtenWithin = (dialog: DialogState, from: number | undefined, to: number | undefined) =>
    Listing.correspondedWithin(state.messages.get(dialog.id)?.values() ?? [], from, to)

  /** The queued dialogs, longest waiting first, at most `limit`. */
  const queued = (limit: number) =>
    [...state.dialogs.values()]
      .filter((entry) => entry.state.status === "queued" && !entry.state.deleted)
      .sort((a, b) => Option.getOrElse(a.state.enqueuedAt, () => 0) - Option.getOrElse(b.state.enqueuedAt, () => 0))
      .slice(0, limit)
  return {
    listDialogs: (query) =>
      Effect.map(Listing.checkQuery(query), (after): Page<DialogRow> => {
        const text = query.filters?.text
        const words = text === undefined || text.trim() === "" ? undefined : Listing.searchWords(text)
        const rows = [...state.dialogs.values()]
          .map((entry) => entry.state)
          .filter((dialog) => Listing.inFolder(dialog, query.viewer, query.folder))
          .filter((dialog) => Listing.matchesFilters(dialog, query.filters, clientOf))
          .filter((dialog) => writtenWithin(dialog, query.filters?.from, query.filters?.to))
          .filter((dialog) => words === undefined || matchesText(dialog, words))
          .map((dialog) => Listing.toRow(dialog, query.viewer, clientName(dialog), pinnedTagsOf(dialog)))
        return Listing.paginate(rows, query, after)
      }),
    unread: (viewer) =>
      Effect.sync(() => {
        let fresh = 0
        let mine = 0
        for (const { state: dialog } of state.dialogs.values()) {
          const counter = Listing.unreadFolder(dialog, viewer)
          if (counter === "new") fresh++
          else if (counter === "mine") mine++
        }
        return { total: fresh + mine, new: fresh, mine }
      }),
    tagCounts: (query) =>
      Effect.map(Listing.checkTagCountLimit(query.limit), (limit) => {
        const counts = new Map<TagId, number>()
        for (const { state: dialog } of state.dialogs.values()) {
          if (Option.isNone(dialog.clientId) || !Listing.inFolder(dialog, query.viewer, query.folder)) continue
          if (!Listing.matchesFilters(dialog, query.filters, clientOf)) continue
          if (!writtenWithin(dialog, query.filters?.from, query.filters?.to)) continue
          for (const tag of clientOf(dialog.clientId.value)?.tags ?? []) counts.set(tag.tagId, (counts.get(tag.tagId) ?? 0) + 1)
        }
        return [...counts].map(([tagId, dialogs]) => ({ tagId, dialogs })).sort(Listing.tagCountOrder).slice(0, limit)
      }),
    queued: (limit) => Effect.sync(() => queued(limit)),
    queuedVersions: (limit) => Effect.sync(() => queued(limit).map((entry) => ({ id: entry.state.id, version: entry.version })))
  }
}
