import { Effect, Option } from "effect"
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
    putChannel: (channel) =>
      Effect.sync(() => {
        state.channels.set(channel.id, channel)
        bumpConfig()
      }),
    getChannel: (id) => Effect.sync(() => Option.fromNullable(state.channels.get(id))),
    listChannels: () => Effect.sync(() => [...state.channels.values()])
  }
}
