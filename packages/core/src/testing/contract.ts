/**
 * Contract suites every adapter must pass (they need `vitest` and `@effect/vitest`, optional peers).
 *
 * @module @switchboard/core/testing/contract
 */
export { storeContract } from "./StoreContract.js"
export { accountStoreContract } from "./AccountStoreContract.js"
export { widgetSessionStoreContract } from "./contract/WidgetSessionStoreContract.js"
export { composerStoreContract } from "./contract/ComposerStoreContract.js"
/** ROUTING.md's invariants as properties over Engine + Router + a store (memory, PGlite, PostgreSQL). */
export { routingProperties, type RoutingPropertiesOptions } from "./RoutingProperties.js"
export { configStoreContract } from "./contract/ConfigStoreContract.js"
export { settingsAuditContract } from "./contract/SettingsAuditContract.js"
export { dialogListStoreContract } from "./contract/DialogListStoreContract.js"
export { eventStoreContract } from "./contract/EventStoreContract.js"
export { historyStoreContract } from "./contract/HistoryStoreContract.js"
export { outboxStoreContract } from "./contract/OutboxStoreContract.js"
export { presenceStoreContract } from "./contract/PresenceStoreContract.js"
export { timerStoreContract } from "./contract/TimerStoreContract.js"
export type { StoreLayer } from "./contract/support.js"
/** The `FileStore` port's contract (memory, local disk). */
export { fileStoreContract, type FileStoreLayer } from "./contract/FileStoreContract.js"
