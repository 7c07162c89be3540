import { Effect, Option } from "effect"
import * as Listing from "../../dialogs/Listing.js"
import type { Message } from "../../messages/Message.js"
import type { HistoryStoreService } from "../../ports/HistoryStore.js"
import type { Page } from "../../ports/Page.js"
import type { MemoryState } from "./MemoryState.js"

/** The in-memory `HistoryStore` over a shared `MemoryState`'s message projection. */
export const make = (state: MemoryState): HistoryStoreService => ({
  messages: (query) =>
    Effect.map(Listing.checkMessageQuery(query), (before): Page<Message> => {
      const all = [...(state.messages.get(query.dialogId)?.values() ?? [])]
        .filter((message) => (query.includeInternal || !message.internal) && (before === undefined || message.seq < before))
        .filter((message) => query.beforeTime === undefined || message.createdAt < query.beforeTime)
        .sort((a, b) => b.seq - a.seq)
      const items = all.slice(0, query.limit)
      const last = items[items.length - 1]
      return { items, nextCursor: all.length > query.limit && last !== undefined ? Option.some(Listing.encodeHistoryCursor(last.seq)) : Option.none() }
    })
})
