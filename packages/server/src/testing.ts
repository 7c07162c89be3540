/**
 * `@switchboard/server/testing` — storage for tests and examples only: production (`cli.ts`,
 * `startServer`) never imports it, as it never imports `@switchboard/core/testing`.
 *
 * @module @switchboard/server/testing
 */
import { Layer } from "effect"
import type { FileStore } from "@switchboard/core"
import { MemoryAccountStore, MemoryComposerStore, MemoryFileStore, MemoryStore, MemoryWidgetSessionStore } from "@switchboard/core/testing"
import { StoreEventBus } from "@switchboard/adapters"
import type { Storage } from "./Services.js"
import type { StorageChoice } from "./Storage.js"

/**
 * Everything the in-memory storage of a server holds, attachments' bytes included: a test seeds
 * one (`layerOver` and `filesOver` run a server on it) and gives each case a `copyState` of it.
 */
export interface State {
  readonly store: MemoryStore.State
  readonly accounts: MemoryAccountStore.State
  readonly widgetSessions: MemoryWidgetSessionStore.State
  readonly composer: MemoryComposerStore.State
  readonly files: MemoryFileStore.State
}

/** Nothing stored: what a fresh `memoryStorage` starts with. */
export const emptyState = (): State => ({
  store: MemoryStore.emptyState(),
  accounts: MemoryAccountStore.emptyState(),
  widgetSessions: MemoryWidgetSessionStore.emptyState(),
  composer: MemoryComposerStore.emptyState(),
  files: MemoryFileStore.emptyState()
})

/** A copy of `state` that shares nothing mutable with it, for every store: writes to one never show in the other. */
export const copyState = (state: State): State => ({
  store: MemoryStore.copyState(state.store),
  accounts: MemoryAccountStore.copyState(state.accounts),
  widgetSessions: MemoryWidgetSessionStore.copyState(state.widgetSessions),
  composer: MemoryComposerStore.copyState(state.composer),
  files: MemoryFileStore.copyState(state.files)
})

/** The in-memory stores over `state` (read and written in place) with an in-process bus. */
export const layerOver = (state: State): Layer.Layer<Storage> =>
  StoreEventBus.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(
      MemoryStore.layerOver(state.store),
      MemoryAccountStore.layerOver(state.accounts),
      MemoryWidgetSessionStore.layerOver(state.widgetSessions),
      MemoryComposerStore.layerOver(state.composer)
    ))
  )

/** The attachments of `state` as a `FileStore` (a server's `files.store`). */
export const filesOver = (state: State): Layer.Layer<FileStore> => MemoryFileStore.layerOver(state.files)

/** The in-memory stores (core's contract-tested fakes) with an in-process bus: nothing survives a restart. */
export const memoryStorage: StorageChoice = {
  layer: StoreEventBus.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStore.layer, MemoryAccountStore.layer, MemoryWidgetSessionStore.layer, MemoryComposerStore.layer))),
  description: "in-memory store (data is lost on restart)"
}
