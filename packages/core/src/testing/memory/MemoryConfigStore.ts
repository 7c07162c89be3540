import { Effect, Option } from "effect"
import { VersionConflict } from "../../shared/Errors.js"
import { configStreamId, type ConfigStoreService } from "../../ports/ConfigStore.js"
import type { MemoryState } from "./MemoryState.js"

/** The in-memory `ConfigStore` over a shared `MemoryState`: every change moves the configuration version. */
export const make = (state: MemoryState): ConfigStoreService => {
  const bumpConfig = () => state.versions.set(configStreamId, (state.versions.get(configStreamId) ?? 0) + 1)
  return {
    getSettings: () => Effect.sync(() => state.settings),
    config: () => Effect.sync(() => ({ version: state.versions.get(configStreamId) ?? 0, settings: state.settings, channels: [...state.channels.values()] })),
    saveSettings: (next) =>
      Effect.sync(() => {
        state.settings = next
        bumpConfig()
      }),
    changeSettings: (next, change, expectedVersion) =>
      Effect.suspend(() => {
        const actualVersion = state.versions.get(configStreamId) ?? 0
        if (actualVersion !== expectedVersion) return Effect.fail(new VersionConflict({ streamId: configStreamId, expectedVersion, actualVersion }))
        state.settings = next
        state.audit.push({ id: (state.audit.at(-1)?.id ?? 0) + 1, change })
        bumpConfig()
        return Effect.void
      }),
    settingsHistory: ({ limit, before }) =>
      Effect.sync(() => {
        const older = state.audit.filter((entry) => before === undefined || entry.id < before).reverse()
        const items = older.slice(0, Math.max(0, limit))
        return { items, nextCursor: older.length > items.length && items.length > 0 ? Option.some(String(items.at(-1)!.id)) : Option.none() }
      }),
    putChannel: (channel) =>
      Effect.sync(() => {
        state.channels.set(channel.id, channel)
        bumpConfig()
      }),
    getChannel: (id) => Effect.sync(() => Option.fromNullable(state.channels.get(id))),
    listChannels: () => Effect.sync(() => [...state.channels.values()])
  }
}
