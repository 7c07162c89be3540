import { mkdirSync } from "node:fs"
import { Layer } from "effect"
import { PgEventBus, SqlStore, StoreEventBus } from "@switchboard/adapters"
import type { Storage } from "./Services.js"

/** The chosen store and event bus, and a line saying what they are. */
export interface StorageChoice {
  readonly layer: Layer.Layer<Storage, unknown>
  readonly description: string
}

/** Embedded PGlite in `dataDir` (created if missing) with an in-process bus: one server. */
export const pgliteStorage = (dataDir: string): StorageChoice => {
  mkdirSync(dataDir, { recursive: true })
  return { layer: StoreEventBus.layer.pipe(Layer.provideMerge(SqlStore.layerPglite({ dataDir }))), description: `embedded PGlite in ${dataDir}` }
}

/** PostgreSQL with LISTEN/NOTIFY, so several servers share live updates. */
export const postgresStorage = (url: string): StorageChoice => ({
  layer: PgEventBus.storage({ url }),
  description: "PostgreSQL (DATABASE_URL)"
})

/** `DATABASE_URL` → PostgreSQL, else embedded PGlite in `dataDir` (the `start` default). */
export const chooseStorage = (options: { readonly dataDir: string; readonly databaseUrl: string | undefined }): StorageChoice =>
  options.databaseUrl !== undefined && options.databaseUrl !== "" ? postgresStorage(options.databaseUrl) : pgliteStorage(options.dataDir)
