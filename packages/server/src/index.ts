/**
 * `@switchboard/server` — the Hono app (panel, SSE, JSON API), its composition and the demo seed.
 *
 * @module @switchboard/server
 */
export { makeApp, type AppOptions } from "./App.js"
export { startServer, type StartOptions, type RunningServer } from "./Server.js"
export { servicesLayer, defaultChannelAdapters, type AccountOptions, type ChannelOptions, type FileOptions, type ServicesOptions, type PanelRuntime, type PanelServices, type Storage } from "./Services.js"
export { chooseStorage, pgliteStorage, postgresStorage, type StorageChoice } from "./Storage.js"
export { seedIfEmpty, demoUsers, demoPassword, demoSignIn } from "./Demo.js"
export { ChannelCredentials, type IssuedCredentials } from "./ChannelCredentials.js"
