import type { SqlClient } from "@effect/sql"
import { type ConfigSnapshot, type ConfigStoreService, configStreamId, type SettingsAudit, VersionConflict } from "@switchboard/core"
import { Channel as Channels, Settings as Config, SettingsAudit as Audit } from "@switchboard/core"
import { Effect, Option, Schema } from "effect"
import type { PointReads } from "./PointReads.js"
import { db, decodeChannel, decodeSettings, queries } from "./Tables.js"

const { Channel } = Channels
const { defaults, Settings } = Config

const json = <A, I>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeSync(schema)
  return (value: A): string => JSON.stringify(encode(value))
}
const encodeSettings = json(Settings)
const encodeChannel = json(Channel)
const encodeChange = json(Audit.SettingsChanged)
const decodeChange = Schema.decodeUnknown(Audit.SettingsChanged)

/**
 * The settings, their audit entry and the move of the configuration version in one statement, only
 * while the version is `$3`: the guarded UPDATE re-checks its row after a concurrent writer commits,
 * so of two changes made on one version exactly one lands. Answers one row when it did.
 */
const changeSettingsSql = `WITH bumped AS (
    UPDATE streams SET version = version + 1 WHERE id = '${configStreamId}' AND version = $3 RETURNING version
  ), created AS (
    INSERT INTO streams (id, version) SELECT '${configStreamId}', 1 WHERE $3 = 0 ON CONFLICT (id) DO NOTHING RETURNING version
  ), landed AS (
    SELECT version FROM bumped UNION ALL SELECT version FROM created
  ), written AS (
    INSERT INTO settings (id, payload) SELECT 1, $1::jsonb FROM landed ON CONFLICT (id) DO UPDATE SET payload = excluded.payload RETURNING 1
  ), audited AS (
    INSERT INTO settings_audit (payload) SELECT $2::jsonb FROM landed RETURNING 1
  )
  SELECT (SELECT count(*) FROM written)::int AS written, (SELECT count(*) FROM audited)::int AS audited,
    (SELECT version FROM streams WHERE id = '${configStreamId}') AS version`

/**
 * Settings, every channel and the configuration version in one statement (one snapshot); only the
 * version while it is still `$1`, the version of the snapshot already decoded (every write of a
 * setting or a channel moves it, in the same statement).
 */
const configSql = `SELECT v.version, (v.version IS NOT DISTINCT FROM $1::integer) AS unchanged,
  CASE WHEN v.version IS NOT DISTINCT FROM $1::integer THEN NULL ELSE (SELECT payload FROM settings WHERE id = 1) END AS settings,
  CASE WHEN v.version IS NOT DISTINCT FROM $1::integer THEN NULL ELSE (SELECT COALESCE(jsonb_agg(payload ORDER BY id), '[]'::jsonb) FROM channels) END AS channels
  FROM (SELECT (SELECT version FROM streams WHERE id = '${configStreamId}') AS version) v`

/** A configuration write and the move of the configuration version, in one statement (atomic). */
const bumpConfig = (write: string): string =>
  `WITH written AS (${write} RETURNING 1)
   INSERT INTO streams AS st (id, version) SELECT '${configStreamId}', 1 FROM written LIMIT 1
   ON CONFLICT (id) DO UPDATE SET version = st.version + 1`

/**
 * The `ConfigStore` on PostgreSQL or PGlite: settings and a channel by point reads (`PointReads`,
 * batched with the engine's other reads), every write in one statement with the move of the configuration version.
 */
export const make = (sql: SqlClient.SqlClient, reads: PointReads): ConfigStoreService => {
  const { read } = queries(sql)
  const { lookup } = reads
  // The configuration is read on every routing pass and every live batch, and changes rarely: what was
  // decoded last is answered again (the same objects) while the stored version is the same, so its
  // Schema decoding is paid once per change, not per read (`bench/panel/results.md`, "queued dialogs
  // kept"), and the payloads are not even sent (issue 21's bench).
  let lastSettings: { readonly json: string; readonly settings: Config.Settings } | undefined
  let lastConfig: { readonly stored: number | null; readonly snapshot: ConfigSnapshot } | undefined
  const settingsOf = (payload: unknown) => {
    const json = JSON.stringify(payload)
    if (lastSettings?.json === json) return Effect.succeed(lastSettings.settings)
    return Effect.map(decodeSettings(payload, "1"), (settings) => {
      lastSettings = { json, settings }
      return settings
    })
  }
  return {
    getSettings: () => Effect.flatMap(lookup("settings"), Option.match({ onNone: () => Effect.succeed(defaults), onSome: (row) => settingsOf(row.payload) })),
    config: () =>
      Effect.gen(function* () {
        // The panel reads the configuration several times a page: while its version stands, only the version travels.
        const known = lastConfig
        const rows = yield* Effect.orDie(sql.unsafe<{ readonly version: number | null; readonly unchanged: boolean; readonly settings: unknown; readonly channels: unknown }>(
          configSql,
          [known === undefined ? -1 : known.stored]
        ))
        const row = rows[0]
        if (known !== undefined && row?.unchanged === true) return known.snapshot
        const settings = row === undefined || row.settings === null ? defaults : yield* settingsOf(row.settings)
        const channels = yield* Effect.forEach(Array.isArray(row?.channels) ? row.channels : [], (payload, index) => decodeChannel(payload, `#${index}`))
        const snapshot = { version: row?.version ?? 0, settings, channels } satisfies ConfigSnapshot
        // Keyed by the version as stored (none before the first write: -1 never matches a NULL, which `IS NOT DISTINCT` would).
        lastConfig = { stored: row?.version ?? null, snapshot }
        return snapshot
      }),
    saveSettings: (settings) =>
      Effect.asVoid(Effect.orDie(sql.unsafe(bumpConfig(`INSERT INTO settings (id, payload) VALUES (1, $1::jsonb) ON CONFLICT (id) DO UPDATE SET payload = excluded.payload`), [encodeSettings(settings)]))),
    changeSettings: (settings, change, expectedVersion) =>
      Effect.flatMap(
        Effect.orDie(sql.unsafe<{ readonly written: number; readonly version: number | null }>(changeSettingsSql, [encodeSettings(settings), encodeChange(change), expectedVersion])),
        (rows) =>
          rows[0]?.written === 1
            ? Effect.void
            : Effect.fail(new VersionConflict({ streamId: configStreamId, expectedVersion, actualVersion: rows[0]?.version ?? 0 }))
      ),
    settingsHistory: ({ limit, before }) =>
      Effect.gen(function* () {
        const rows = yield* Effect.orDie(sql.unsafe<{ readonly id: string | number; readonly payload: unknown }>(
          `SELECT id, payload FROM settings_audit ${before === undefined ? "" : "WHERE id < $2"} ORDER BY id DESC LIMIT $1`,
          before === undefined ? [Math.max(0, limit) + 1] : [Math.max(0, limit) + 1, before]
        ))
        const items = yield* Effect.forEach(rows.slice(0, Math.max(0, limit)), (row) =>
          Effect.map(Effect.orDie(decodeChange(row.payload)), (change): SettingsAudit.AuditEntry => ({ id: Number(row.id), change })))
        return { items, nextCursor: rows.length > items.length && items.length > 0 ? Option.some(String(items.at(-1)!.id)) : Option.none() }
      }),
    putChannel: (channel) =>
      Effect.asVoid(
        Effect.orDie(sql.unsafe(bumpConfig(`INSERT INTO channels (id, payload) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO UPDATE SET payload = excluded.payload`), [channel.id, encodeChannel(channel)]))
      ),
    getChannel: (id) => Effect.flatMap(lookup("channel", id), Option.match({ onNone: () => Effect.succeedNone, onSome: (row) => Effect.asSome(decodeChannel(row.payload, id)) })),
    listChannels: () =>
      Effect.flatMap(read(db.selectFrom("channels").select(["id", "payload"]).orderBy("id")), Effect.forEach((row) => decodeChannel(row.payload, row.id)))
  }
}
