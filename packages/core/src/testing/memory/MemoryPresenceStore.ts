import { Effect, Option } from "effect"
import type { LoadEntry, PresenceStoreService } from "../../ports/PresenceStore.js"
import type { Presence } from "../../routing/Routing.js"
import type { UserId } from "../../shared/Ids.js"
import type { MemoryState } from "./MemoryState.js"

/** The in-memory `PresenceStore` over a shared `MemoryState`: load is read from the dialogs themselves. */
export const make = (state: MemoryState): PresenceStoreService => {
  const record = (operatorId: UserId, presence: Presence, at: number) => {
    const known = state.presences.get(operatorId)
    if (known === undefined || known.lastHeartbeatAt <= at) state.presences.set(operatorId, { presence, lastHeartbeatAt: at })
  }
  return {
    recordPresence: (operatorId, presence, at) => Effect.sync(() => record(operatorId, presence, at)),
    recordPresences: (records) => Effect.sync(() => records.forEach((entry) => record(entry.operatorId, entry.presence, entry.at))),
    presences: () => Effect.sync(() => new Map(state.presences)),
    loadOf: (operatorId) => Effect.sync(() => loads(state).get(operatorId) ?? []),
    loads: (scope) =>
      Effect.sync(() => {
        const all = loads(state)
        if (scope === undefined) return all
        const wanted = new Set<UserId>(scope.operators)
        const some = new Map<UserId, Array<LoadEntry>>()
        for (const [operatorId, entries] of all) {
          const kept = wanted.has(operatorId) ? entries : entries.filter((entry) => entry.kind === "offered")
          if (kept.length > 0) some.set(operatorId, kept)
        }
        return some
      })
  }
}

/** Every operator's assigned (active, not deleted) dialogs and pending offers. */
const loads = (state: MemoryState): Map<UserId, Array<LoadEntry>> => {
  const all = new Map<UserId, Array<LoadEntry>>()
  const add = (operatorId: UserId, entry: LoadEntry) => all.set(operatorId, [...(all.get(operatorId) ?? []), entry])
  for (const { state: dialog } of state.dialogs.values()) {
    if (dialog.deleted) continue
    if (dialog.status === "active" && Option.isSome(dialog.assigneeId)) {
      add(dialog.assigneeId.value, { dialogId: dialog.id, channelId: dialog.channelId, kind: "assigned", onHold: dialog.onHold })
    } else if (Option.isSome(dialog.offer)) {
      add(dialog.offer.value.operatorId, { dialogId: dialog.id, channelId: dialog.channelId, kind: "offered", onHold: false })
    }
  }
  return all
}
