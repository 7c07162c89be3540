import { configStoreContract } from "./contract/ConfigStoreContract.js"
import { dialogListStoreContract } from "./contract/DialogListStoreContract.js"
import { eventStoreContract } from "./contract/EventStoreContract.js"
import { historyStoreContract } from "./contract/HistoryStoreContract.js"
import { outboxStoreContract } from "./contract/OutboxStoreContract.js"
import { presenceStoreContract } from "./contract/PresenceStoreContract.js"
import { settingsAuditContract } from "./contract/SettingsAuditContract.js"
import type { StoreLayer } from "./contract/support.js"
import { timerStoreContract } from "./contract/TimerStoreContract.js"

/**
 * The behaviour every store adapter must have: the contract suite of each storage port, on stores
 * built by `makeStore` (a fresh one per test): `storeContract("PGlite", () => SqlStore.layerPglite())`.
 */
export const storeContract = (name: string, makeStore: StoreLayer): void => {
  eventStoreContract(name, makeStore)
  dialogListStoreContract(name, makeStore)
  historyStoreContract(name, makeStore)
  timerStoreContract(name, makeStore)
  presenceStoreContract(name, makeStore)
  configStoreContract(name, makeStore)
  settingsAuditContract(name, makeStore)
  outboxStoreContract(name, makeStore)
}
