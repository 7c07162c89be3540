import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { type AccountStore, type ComposerStore, storeLayer, type WidgetSessionStore, type StorePorts, type StoreService } from "@switchboard/core"
import { Effect, Layer } from "effect"
import * as ConfigStore from "./ConfigStore.js"
import * as DialogListStore from "./DialogListStore.js"
import * as EventStore from "./EventStore.js"
import * as GroupCommit from "./GroupCommit.js"
import * as HistoryStore from "./HistoryStore.js"
import * as SqlAccountStore from "./AccountStore.js"
import * as SqlComposerStore from "./ComposerStore.js"
import * as SqlWidgetSessionStore from "./WidgetSessionStore.js"
import * as Migrations from "./Migrations.js"
import * as OutboxStore from "./OutboxStore.js"
import { type PgOptions, pgClientLayer, scratchSchema } from "./PgConnection.js"
import * as PgliteClient from "./PgliteClient.js"
import * as PointReads from "./PointReads.js"
import * as PresenceStore from "./PresenceStore.js"
import * as TimerStore from "./TimerStore.js"

export { type PgOptions, pgClientLayer, scratchSchema, urlWithSchema } from "./PgConnection.js"
export { type SearchStatistics, readSearchStatistics, searchPlan } from "./ListPlanner.js"
export { DomainEvent, MalformedRow } from "./Tables.js"

/** Tuning of `makeWith`; the defaults suit a production database (see `DialogListStore.ListOptions`). */
export type Options = DialogListStore.ListOptions

/** `make` with `Options`: every storage port on one `SqlClient`, sharing its point reads and its group commit. */
export const makeWith = (options: Options = {}): Effect.Effect<StoreService, never, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const reads = yield* PointReads.make(sql)
    const group = yield* GroupCommit.make(sql)
    return {
      ...EventStore.make(sql, reads, group),
      ...(yield* DialogListStore.make(sql, options)),
      ...HistoryStore.make(sql),
      ...TimerStore.make(sql),
      ...PresenceStore.make(sql),
      ...ConfigStore.make(sql, reads),
      ...OutboxStore.make(sql)
    }
  })

/**
 * Every storage port over PostgreSQL's dialect, on whatever `SqlClient` is provided (PostgreSQL through
 * `@effect/sql-pg`, or embedded PGlite). Expects the schema from `Migrations`.
 */
export const make: Effect.Effect<StoreService, never, SqlClient.SqlClient> = makeWith()

/** The store on a provided `SqlClient`; migrates the schema (in the current `search_path`) first. */
export const layer: Layer.Layer<StorePorts, SqlError | Migrations.SchemaTooNew, SqlClient.SqlClient> = storeLayer(
  Effect.zipRight(Migrations.run(), make)
)

/** `layer` with `Options`. */
export const layerWith = (options: Options): Layer.Layer<StorePorts, SqlError | Migrations.SchemaTooNew, SqlClient.SqlClient> =>
  storeLayer(Effect.zipRight(Migrations.run(), makeWith(options)))

/** The store, the account store (`SqlAccountStore`), the widget sessions (`SqlWidgetSessionStore`) and the composer's store (`SqlComposerStore`) on one `SqlClient`, migrated once. */
const withAccounts = Layer.mergeAll(layer, SqlAccountStore.layer, SqlWidgetSessionStore.layer, SqlComposerStore.layer)

/** The embedded default: PGlite in `dataDir`, or in memory when no folder is given (with the account store). */
export const layerPglite = (options: PgliteClient.PgliteOptions = {}): Layer.Layer<StorePorts | AccountStore | WidgetSessionStore | ComposerStore, SqlError | Migrations.SchemaTooNew> =>
  withAccounts.pipe(Layer.provide(PgliteClient.layer(options)))

/** The store and the account store on PostgreSQL (`DATABASE_URL`), migrating the schema at build. */
export const layerPg = (options: PgOptions): Layer.Layer<StorePorts | AccountStore | WidgetSessionStore | ComposerStore, SqlError | Migrations.SchemaTooNew> =>
  withAccounts.pipe(Layer.provide(pgClientLayer(options)))

/** The store and the account store on a fresh, private schema of a PostgreSQL server, dropped when the layer is released. */
export const layerPgScratch = (options: PgOptions): Layer.Layer<StorePorts | AccountStore | WidgetSessionStore | ComposerStore, SqlError | Migrations.SchemaTooNew> =>
  Layer.unwrapScoped(Effect.map(scratchSchema(options.url), (schema) => layerPg({ ...options, schema })))

/** The `@effect/sql` client module the store runs on, for callers outside this package (benchmarks, tools). */
export { SqlClient }
