import type { Layer } from "effect"
import { Effect } from "effect"
import { storeLayer, type StorePorts, type StoreService } from "../ports/Store.js"
import * as MemoryConfigStore from "./memory/MemoryConfigStore.js"
import * as MemoryDialogListStore from "./memory/MemoryDialogListStore.js"
import * as MemoryEventStore from "./memory/MemoryEventStore.js"
import * as MemoryHistoryStore from "./memory/MemoryHistoryStore.js"
import * as MemoryOutboxStore from "./memory/MemoryOutboxStore.js"
import * as MemoryPresenceStore from "./memory/MemoryPresenceStore.js"
import * as MemoryState from "./memory/MemoryState.js"
import * as MemoryTimerStore from "./memory/MemoryTimerStore.js"

/**
 * The in-memory store: one `MemoryState` and a fake of each storage port over it (`memory/`), the
 * reference behaviour every adapter's contract run is compared to. Commits are synchronous, so
 * they are atomic with respect to other fibers.
 */
export const make = (): StoreService => makeOver(MemoryState.make())

/** Everything the in-memory store holds: what `layerOver` runs on and `copyState` copies. */
export type State = MemoryState.MemoryState

/** An empty store's state: default settings, no streams. */
export const emptyState = (): State => MemoryState.make()

/** A copy of `state` that shares nothing mutable with it (`MemoryState.copy`): writes to one never show in the other. */
export const copyState = (state: State): State => MemoryState.copy(state)

/** The in-memory store over a given `State` (which it reads and writes in place). */
export const makeOver = (state: State): StoreService => ({
  ...MemoryEventStore.make(state),
  ...MemoryDialogListStore.make(state),
  ...MemoryHistoryStore.make(state),
  ...MemoryTimerStore.make(state),
  ...MemoryPresenceStore.make(state),
  ...MemoryConfigStore.make(state),
  ...MemoryOutboxStore.make(state),
  ...MemoryOutboxStore.makeSecrets(state)
})

/** A fresh in-memory store per layer build, as every storage port. */
export const layer: Layer.Layer<StorePorts> = storeLayer(Effect.sync(make))

/** The store over `state` for every build of the layer: seed a `State` once, then run each case on a `copyState` of it. */
export const layerOver = (state: State): Layer.Layer<StorePorts> => storeLayer(Effect.sync(() => makeOver(state)))
