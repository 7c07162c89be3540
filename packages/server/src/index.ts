/**
 * `@switchboard/server` — the Hono app (panel, SSE, JSON API), its composition and the demo seed.
 *
 * @module @switchboard/server
 */
export { makeApp, type AppOptions } from "./App.js"
export { startServer, type StartOptions, type RunningServer } from "./Server.js"
export { servicesLayer, LoggingGateway, type PanelRuntime, type PanelServices } from "./Services.js"
export { chooseStorage, pgliteStorage, postgresStorage, type StorageChoice } from "./Storage.js"
export { seedIfEmpty, demoUsers } from "./Demo.js"
