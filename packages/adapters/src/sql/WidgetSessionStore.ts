import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer, Option, Schema } from "effect"
import { WidgetSession, WidgetSessionStore, type WidgetSessionStoreService, WidgetSettings } from "@switchboard/core"
import * as Migrations from "./Migrations.js"

const encodeSession = Schema.encodeSync(WidgetSession)
const decodeSession = Schema.decodeUnknownSync(WidgetSession)
const encodeSettings = Schema.encodeSync(WidgetSettings)
const decodeSettings = Schema.decodeUnknownSync(WidgetSettings)

/** PGlite hands `jsonb` back parsed, node-postgres too; a string is parsed for safety. */
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/**
 * The `WidgetSessionStore` on PostgreSQL's dialect (PostgreSQL or PGlite), over migration 22's
 * tables: a session row by its key (the hash of the widget's token), a settings row per channel.
 * Each row keeps the encoded Schema value as `payload`; the columns beside it are what queries use.
 */
export const make: Effect.Effect<WidgetSessionStoreService, never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const die = <A>(effect: Effect.Effect<A, SqlError>) => Effect.orDie(effect)
  return {
    create: (session) =>
      Effect.map(
        die(sql<{ readonly key: string }>`
          INSERT INTO widget_sessions (key, channel_id, visitor_id, payload, created_at, last_seen_at)
          VALUES (${session.key}, ${session.channelId}, ${session.visitorId}, ${JSON.stringify(encodeSession(session))}::jsonb, ${session.createdAt}, ${session.lastSeenAt})
          ON CONFLICT DO NOTHING RETURNING key`),
        (rows) => rows.length > 0
      ),
    find: (key) =>
      Effect.map(die(sql<{ readonly payload: unknown }>`SELECT payload FROM widget_sessions WHERE key = ${key}`), (rows) =>
        Option.map(Option.fromNullable(rows[0]), (row) => decodeSession(json(row.payload)))),
    save: (session) =>
      Effect.asVoid(die(sql`
        UPDATE widget_sessions SET
          visitor_id = ${session.visitorId},
          payload = jsonb_set(jsonb_set(${JSON.stringify(encodeSession(session))}::jsonb, '{channelId}', payload->'channelId'), '{createdAt}', payload->'createdAt'),
          last_seen_at = ${session.lastSeenAt}
        WHERE key = ${session.key}`)),
    settings: (channelId) =>
      Effect.map(die(sql<{ readonly payload: unknown }>`SELECT payload FROM widget_settings WHERE channel_id = ${channelId}`), (rows) =>
        Option.map(Option.fromNullable(rows[0]), (row) => decodeSettings(json(row.payload)))),
    saveSettings: (settings) =>
      Effect.asVoid(die(sql`
        INSERT INTO widget_settings (channel_id, payload) VALUES (${settings.channelId}, ${JSON.stringify(encodeSettings(settings))}::jsonb)
        ON CONFLICT (channel_id) DO UPDATE SET payload = excluded.payload`))
  }
})

/** The widget session store on a provided `SqlClient`; expects the schema from `Migrations` (the `SqlStore` layers migrate first). */
export const layer: Layer.Layer<WidgetSessionStore, never, SqlClient.SqlClient> = Layer.effect(WidgetSessionStore, make)

/** The widget session store on a provided `SqlClient`, migrating the schema first. */
export const layerMigrated: Layer.Layer<WidgetSessionStore, SqlError | Migrations.SchemaTooNew, SqlClient.SqlClient> = Layer.effect(
  WidgetSessionStore,
  Effect.zipRight(Migrations.run(), make)
)
