/** Contract suites every adapter must pass (they need vitest and @effect/vitest). */
export { storeContract } from "./StoreContract.js"
/** ROUTING.md's invariants as properties over Engine + Router + a Store (memory, PGlite, PostgreSQL). */
export { routingProperties, type RoutingPropertiesOptions } from "./RoutingProperties.js"
