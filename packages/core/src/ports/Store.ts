import { Context, Effect, Layer, type Scope } from "effect"
import { ConfigStore, type ConfigStoreService } from "./ConfigStore.js"
import { DialogListStore, type DialogListStoreService } from "./DialogListStore.js"
import { EventStore, type EventStoreService } from "./EventStore.js"
import { HistoryStore, type HistoryStoreService } from "./HistoryStore.js"
import { PresenceStore, type PresenceStoreService } from "./PresenceStore.js"
import { TimerStore, type TimerStoreService } from "./TimerStore.js"

export * from "./ConfigStore.js"
export * from "./DialogListStore.js"
export * from "./EventStore.js"
export * from "./HistoryStore.js"
export * from "./Page.js"
export * from "./PresenceStore.js"
export * from "./TimerStore.js"

/**
 * Every storage port in one service: one adapter object serves them all (they share a database, or
 * one in-memory state). New code asks for the port it uses (`EventStore`, `DialogListStore`,
 * `HistoryStore`, `TimerStore`, `PresenceStore`, `ConfigStore`); the composite `Store` stays while
 * the engine and the panel move to them. Every adapter passes `storeContract`.
 */
export type StoreService = EventStoreService & DialogListStoreService & HistoryStoreService & TimerStoreService & PresenceStoreService & ConfigStoreService

/** The composite storage tag (see `StoreService`); every store layer provides it and each split port from the same object. */
export class Store extends Context.Tag("@switchboard/core/Store")<Store, StoreService>() {}

/** The split storage ports (without the composite `Store`). */
export type StorePorts = EventStore | DialogListStore | HistoryStore | TimerStore | PresenceStore | ConfigStore

/** One store object as the composite `Store` and as each split port. */
export const storeContext = (store: StoreService): Context.Context<Store | StorePorts> =>
  Context.make(Store, store).pipe(
    Context.add(EventStore, store),
    Context.add(DialogListStore, store),
    Context.add(HistoryStore, store),
    Context.add(TimerStore, store),
    Context.add(PresenceStore, store),
    Context.add(ConfigStore, store)
  )

/** A store layer from the effect that builds the store object: it provides `Store` and every split port. */
export const storeLayer = <E, R>(make: Effect.Effect<StoreService, E, R>): Layer.Layer<Store | StorePorts, E, Exclude<R, Scope.Scope>> =>
  Layer.scopedContext(Effect.map(make, storeContext))

/**
 * The split ports from a composite `Store` in context: for a test that wraps a store object
 * (`Layer.succeed(Store, wrapped)`) and hands it to code that asks for the split ports.
 */
export const splitStore: Layer.Layer<StorePorts, never, Store> = Layer.effectContext(Effect.map(Store, (store) => Context.omit(Store)(storeContext(store))))
