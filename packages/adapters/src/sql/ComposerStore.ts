import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Layer, Option, Schema } from "effect"
import { ComposerStore, type ComposerStoreService, PersonalSettings, QuickReply } from "@switchboard/core"

const encodeReply = Schema.encodeSync(QuickReply.QuickReply)
const decodeReply = Schema.decodeUnknownSync(QuickReply.QuickReply)
const decodePreferences = Schema.decodeUnknownSync(QuickReply.ComposerPreferences)
const decodePersonal = Schema.decodeUnknownSync(PersonalSettings.PersonalSettings)
const encodePersonal = Schema.encodeSync(PersonalSettings.PersonalSettings)

/** PGlite hands `jsonb` back parsed, node-postgres too; a string is parsed for safety. */
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

/**
 * The `ComposerStore` on PostgreSQL's dialect (PostgreSQL or PGlite), over migration 23's tables:
 * a quick reply row (its owner null for a company reply) keeps the encoded Schema value as
 * `payload`, with the columns a listing orders and filters by; preferences are a row per user, and
 * so are personal settings (migration 25: the encoded Schema value as `payload`).
 */
export const make: Effect.Effect<ComposerStoreService, never, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const die = <A>(effect: Effect.Effect<A, SqlError>) => Effect.orDie(effect)
  return {
    quickReplies: (userId) =>
      Effect.map(
        die(sql<{ readonly payload: unknown }>`
          SELECT payload FROM quick_replies WHERE owner_id IS NULL OR owner_id = ${userId}
          ORDER BY category COLLATE "C", title COLLATE "C", id COLLATE "C"`),
        (rows) => rows.map((row) => decodeReply(json(row.payload)))
      ),
    quickReply: (id) =>
      Effect.map(die(sql<{ readonly payload: unknown }>`SELECT payload FROM quick_replies WHERE id = ${id}`), (rows) =>
        Option.map(Option.fromNullable(rows[0]), (row) => decodeReply(json(row.payload)))),
    putQuickReply: (reply) =>
      Effect.asVoid(die(sql`
        INSERT INTO quick_replies (id, owner_id, category, title, payload)
        VALUES (${reply.id}, ${Option.getOrNull(reply.owner)}, ${reply.category}, ${reply.title}, ${JSON.stringify(encodeReply(reply))}::jsonb)
        ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, category = excluded.category, title = excluded.title, payload = excluded.payload`)),
    deleteQuickReply: (id) => Effect.map(die(sql<{ readonly id: string }>`DELETE FROM quick_replies WHERE id = ${id} RETURNING id`), (rows) => rows.length > 0),
    preferences: (userId) =>
      Effect.map(die(sql<{ readonly user_id: string; readonly send_key: string; readonly signature: string }>`
        SELECT user_id, send_key, signature FROM composer_preferences WHERE user_id = ${userId}`), (rows) =>
        Option.map(Option.fromNullable(rows[0]), (row) => decodePreferences({ userId: row.user_id, sendKey: row.send_key, signature: row.signature }))),
    savePreferences: (preferences) =>
      Effect.asVoid(die(sql`
        INSERT INTO composer_preferences (user_id, send_key, signature) VALUES (${preferences.userId}, ${preferences.sendKey}, ${preferences.signature})
        ON CONFLICT (user_id) DO UPDATE SET send_key = excluded.send_key, signature = excluded.signature`)),
    personal: (userId) =>
      Effect.map(die(sql<{ readonly payload: unknown }>`SELECT payload FROM personal_settings WHERE user_id = ${userId}`), (rows) =>
        Option.map(Option.fromNullable(rows[0]), (row) => decodePersonal(json(row.payload)))),
    savePersonal: (settings) =>
      Effect.asVoid(die(sql`
        INSERT INTO personal_settings (user_id, payload) VALUES (${settings.userId}, ${JSON.stringify(encodePersonal(settings))}::jsonb)
        ON CONFLICT (user_id) DO UPDATE SET payload = excluded.payload`))
  }
})

/** The composer store on a provided `SqlClient`; it expects the schema from `Migrations` (the `SqlStore` layers migrate first). */
export const layer: Layer.Layer<ComposerStore, never, SqlClient.SqlClient> = Layer.effect(ComposerStore, make)
