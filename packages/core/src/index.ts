/**
 * `@switchboard/core` — the domain of an omnichannel contact center: dialogs, messages, clients,
 * operators, routing, SLA calendars, and the ports adapters implement.
 *
 * Entry points export namespaces only (STYLE.md).
 *
 * @module @switchboard/core
 */
export * as Access from "./access/Access.js"
export * as Accounts from "./accounts/index.js"
export * as Catalog from "./catalog/Catalog.js"
export * as Channel from "./channels/Channel.js"
export * as ChannelAdapter from "./channels/Adapter.js"
export * as Client from "./clients/Client.js"
export * as Dialog from "./dialogs/Dialog.js"
export * as Dialogs from "./dialogs/decide.js"
export * as DialogPermissions from "./dialogs/Permissions.js"
export * as DialogFold from "./dialogs/evolve.js"
export * as Listing from "./dialogs/Listing.js"
export * as SystemMessages from "./dialogs/SystemMessages.js"
export * as Message from "./messages/Message.js"
export * as Operator from "./operators/Operator.js"
export * as Settings from "./settings/Settings.js"
export * from "./shared/Ids.js"
export * from "./shared/Errors.js"
export * as StoredText from "./shared/StoredText.js"
export * from "./ports/Store.js"
export * from "./ports/AccountStore.js"
export * from "./ports/PasswordHasher.js"
export * from "./ports/SessionTokens.js"
export * from "./ports/EventStore.js"
export * from "./ports/DialogListStore.js"
export * from "./ports/HistoryStore.js"
export * from "./ports/TimerStore.js"
export * from "./ports/PresenceStore.js"
export * from "./ports/ConfigStore.js"
export * from "./ports/Page.js"
export * from "./ports/EventBus.js"
export * from "./ports/Ids.js"
export * from "./ports/BotPort.js"
export * from "./ports/ChannelGateway.js"
export * from "./ports/FileStore.js"
export { Engine, InboundMessage, TimerKind } from "./engine/Engine.js"
export type { Received, DialogError } from "./engine/Engine.js"
export { Scheduler } from "./engine/Scheduler.js"
export type { TimerHandler } from "./engine/Scheduler.js"
// sla (owned by the SLA work)
export * as Calendar from "./sla/Calendar.js"
export * as Sla from "./sla/Sla.js"
export * as SlaClock from "./sla/SlaClock.js"
// routing (owned by the routing work)
export * as Routing from "./routing/index.js"
