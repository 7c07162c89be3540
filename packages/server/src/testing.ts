/**
 * `@switchboard/server/testing` — storage for tests and examples only: production (`cli.ts`,
 * `startServer`) never imports it, as it never imports `@switchboard/core/testing`.
 *
 * @module @switchboard/server/testing
 */
import { Layer } from "effect"
import { MemoryAccountStore, MemoryComposerStore, MemoryStore, MemoryWidgetSessionStore } from "@switchboard/core/testing"
import { StoreEventBus } from "@switchboard/adapters"
import type { StorageChoice } from "./Storage.js"

/** The in-memory stores (core's contract-tested fakes) with an in-process bus: nothing survives a restart. */
export const memoryStorage: StorageChoice = {
  layer: StoreEventBus.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStore.layer, MemoryAccountStore.layer, MemoryWidgetSessionStore.layer, MemoryComposerStore.layer))),
  description: "in-memory store (data is lost on restart)"
}
