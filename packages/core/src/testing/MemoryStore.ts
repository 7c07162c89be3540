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
export const make = (): StoreService => {
  const state = MemoryState.make()
  return {
    ...MemoryEventStore.make(state),
    ...MemoryDialogListStore.make(state),
    ...MemoryHistoryStore.make(state),
    ...MemoryTimerStore.make(state),
    ...MemoryPresenceStore.make(state),
    ...MemoryConfigStore.make(state),
    ...MemoryOutboxStore.make(state),
    ...MemoryOutboxStore.makeSecrets(state)
  }
}

/** A fresh in-memory store per layer build, as every storage port. */
export const layer: Layer.Layer<StorePorts> = storeLayer(Effect.sync(make))
