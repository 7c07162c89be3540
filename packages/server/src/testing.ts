/**
 * `@switchboard/server/testing` — storage for tests and examples only: production (`main.ts`,
 * `startServer`) never imports it, as it never imports `@switchboard/core/testing`.
 *
 * @module @switchboard/server/testing
 */
import { Layer } from "effect"
import { MemoryStore } from "@switchboard/core/testing"
import { StoreEventBus } from "@switchboard/adapters"
import type { StorageChoice } from "./Storage.js"

/** The in-memory store (core's contract-tested fake) with an in-process bus: nothing survives a restart. */
export const memoryStorage: StorageChoice = {
  layer: StoreEventBus.layer.pipe(Layer.provideMerge(MemoryStore.layer)),
  description: "in-memory store (data is lost on restart)"
}
