/** Contract suites every adapter must pass (they need vitest and @effect/vitest). */
export { storeContract } from "./StoreContract.js"
export { accountStoreContract } from "./AccountStoreContract.js"
