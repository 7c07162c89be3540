/**
 * Contract suites every adapter must pass (they need `vitest` and `@effect/vitest`, optional peers).
 *
 * @module @switchboard/core/testing/contract
 */
export { storeContract } from "./StoreContract.js"
