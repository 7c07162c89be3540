import { Effect, Layer, type ManagedRuntime } from "effect"
import { ChannelGateway, Engine, type EventBus, Ids, Scheduler, type Store } from "@switchboard/core"

/** What the server's routes need from the runtime. */
export type PanelServices = Engine | Store | EventBus | Scheduler

/** The one runtime the server runs every program on (STYLE.md: built once at start-up). */
export type PanelRuntime = ManagedRuntime.ManagedRuntime<PanelServices, unknown>

/** Real ids: a readable prefix and a random UUID (`dlg_3f2c…`). */
export const UuidIds: Layer.Layer<Ids> = Layer.succeed(Ids, {
  next: (prefix) => Effect.sync(() => `${prefix}_${crypto.randomUUID()}`)
})

/**
 * A channel gateway that accepts every message and only logs it: the demo has no real
 * Telegram bot or widget behind its channels, but delivery statuses still move to "sent".
 */
export const LoggingGateway: Layer.Layer<ChannelGateway> = Layer.succeed(ChannelGateway, {
  send: (channel, recipient, message) => Effect.logDebug(`[${channel.kind}] to ${recipient}: ${message.text}`)
})

/** The engine and its scheduler, real ids and the demo gateway over a given store and event bus. */
export const servicesLayer = <E>(storage: Layer.Layer<Store | EventBus, E>): Layer.Layer<PanelServices, E> =>
  Scheduler.Default.pipe(
    Layer.provideMerge(Engine.Default),
    Layer.provideMerge(Layer.mergeAll(storage, UuidIds, LoggingGateway))
  )
