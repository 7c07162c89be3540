import { Context, Effect, Layer, type Scope } from "effect"
import { ChannelSecretStore, type ChannelSecretStoreService } from "./ChannelSecretStore.js"
import { ConfigStore, type ConfigStoreService } from "./ConfigStore.js"
import { DialogListStore, type DialogListStoreService } from "./DialogListStore.js"
import { EventStore, type EventStoreService } from "./EventStore.js"
import { HistoryStore, type HistoryStoreService } from "./HistoryStore.js"
import { OutboxStore, type OutboxStoreService } from "./OutboxStore.js"
import { PresenceStore, type PresenceStoreService } from "./PresenceStore.js"
import { TimerStore, type TimerStoreService } from "./TimerStore.js"

export * from "./ChannelSecretStore.js"
export * from "./ConfigStore.js"
export * from "./DialogListStore.js"
export * from "./EventStore.js"
export * from "./HistoryStore.js"
export * from "./OutboxStore.js"
export * from "./Page.js"
export * from "./PresenceStore.js"
export * from "./TimerStore.js"

/**
 * Every storage port in one object: one adapter object serves them all (they share a database, or
 * one in-memory state). Code asks for the port it uses (`EventStore`, `DialogListStore`,
 * `HistoryStore`, `TimerStore`, `PresenceStore`, `ConfigStore`); an adapter builds this object and
 * provides it as each port (`storeLayer`). Every adapter passes `storeContract`.
 */
export type StoreService =
  & EventStoreService
  & DialogListStoreService
  & HistoryStoreService
  & TimerStoreService
  & PresenceStoreService
  & ConfigStoreService
  & OutboxStoreService
  & ChannelSecretStoreService

/** The storage ports, for layer types (`Layer<StorePorts | EventBus>`). */
export type StorePorts = EventStore | DialogListStore | HistoryStore | TimerStore | PresenceStore | ConfigStore | OutboxStore | ChannelSecretStore

/** One store object as each storage port. */
export const storeContext = (store: StoreService): Context.Context<StorePorts> =>
  Context.make(EventStore, store).pipe(
    Context.add(DialogListStore, store),
    Context.add(HistoryStore, store),
    Context.add(TimerStore, store),
    Context.add(PresenceStore, store),
    Context.add(ConfigStore, store),
    Context.add(OutboxStore, store),
    Context.add(ChannelSecretStore, store)
  )

/** A store layer from the effect that builds the store object: it provides every storage port. */
export const storeLayer = <E, R>(make: Effect.Effect<StoreService, E, R>): Layer.Layer<StorePorts, E, Exclude<R, Scope.Scope>> =>
  Layer.scopedContext(Effect.map(make, storeContext))

/**
 * The storage ports of a context as one object again (in every store layer they are one object):
 * for tests, benchmarks and tools that look at the whole store.
 */
export const storeOf = (context: Context.Context<StorePorts>): StoreService => ({
  ...Context.get(context, EventStore),
  ...Context.get(context, DialogListStore),
  ...Context.get(context, HistoryStore),
  ...Context.get(context, TimerStore),
  ...Context.get(context, PresenceStore),
  ...Context.get(context, ConfigStore),
  ...Context.get(context, OutboxStore),
  ...Context.get(context, ChannelSecretStore)
})

/** `storeOf` the current context. */
export const storeService: Effect.Effect<StoreService, never, StorePorts> = Effect.map(Effect.context<StorePorts>(), storeOf)

/**
 * A store layer whose ports are `wrap` of its store object (a test that counts or delays calls).
 */
export const wrapStore = (wrap: (store: StoreService) => StoreService) =>
<E, R>(layer: Layer.Layer<StorePorts, E, R>): Layer.Layer<StorePorts, E, R> =>
  Layer.map(layer, (context) => storeContext(wrap(storeOf(context))))
