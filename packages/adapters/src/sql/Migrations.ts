import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"

/** One schema change. Statements run in order, in one transaction with the version bump. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/**
 * The schema, oldest first. Never edit a released migration: add the next one.
 *
 * Instants are `bigint` epoch milliseconds (the domain's `Instant`); ids compare with the "C"
 * collation so keyset cursors order exactly like the in-memory store (JavaScript string order).
 */
export const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    name: "event log, projections, timers",
    statements: [
      `CREATE TABLE streams (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 0)
      )`,
      `CREATE TABLE events (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id text COLLATE "C" NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        type text NOT NULL,
        payload jsonb NOT NULL,
        UNIQUE (stream_id, version)
      )`,
      `CREATE TABLE dialogs (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL,
        status text NOT NULL CHECK (status IN ('bot', 'queued', 'active', 'closed')),
        deleted boolean NOT NULL,
        assignee_id text,
        bot_id text,
        channel_id text NOT NULL,
        client_id text,
        queue_id text NOT NULL,
        enqueued_at bigint,
        offer_operator_id text,
        last_activity_at bigint NOT NULL,
        awaiting_reply_since bigint,
        last_writer text,
        client_message_count integer NOT NULL,
        state jsonb NOT NULL,
        activity_key bigint GENERATED ALWAYS AS (-last_activity_at) STORED,
        processing_group smallint GENERATED ALWAYS AS (CASE WHEN awaiting_reply_since IS NULL THEN 1 ELSE 0 END) STORED,
        processing_key bigint GENERATED ALWAYS AS (COALESCE(awaiting_reply_since, -last_activity_at)) STORED
      )`,
      `CREATE INDEX dialogs_folder_activity ON dialogs (status, activity_key, id) WHERE NOT deleted`,
      `CREATE INDEX dialogs_folder_processing ON dialogs (status, processing_group, processing_key, id) WHERE NOT deleted`,
      `CREATE INDEX dialogs_assignee_activity ON dialogs (assignee_id, status, activity_key, id) WHERE NOT deleted`,
      `CREATE INDEX dialogs_assignee_processing ON dialogs (assignee_id, status, processing_group, processing_key, id) WHERE NOT deleted`,
      `CREATE INDEX dialogs_queued ON dialogs ((COALESCE(enqueued_at, 0)), id) WHERE status = 'queued' AND NOT deleted`,
      `CREATE INDEX dialogs_client ON dialogs (client_id)`,
      `CREATE TABLE dialog_owners (
        dialog_id text COLLATE "C" NOT NULL REFERENCES dialogs (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('assigned', 'offered')),
        operator_id text NOT NULL,
        channel_id text NOT NULL,
        on_hold boolean NOT NULL
      )`,
      // ROUTING INV-3: a dialog never has two active owners, nor two pending offers.
      `CREATE UNIQUE INDEX dialog_owners_one_assignee ON dialog_owners (dialog_id) WHERE kind = 'assigned'`,
      `CREATE UNIQUE INDEX dialog_owners_one_offer ON dialog_owners (dialog_id) WHERE kind = 'offered'`,
      `CREATE INDEX dialog_owners_operator ON dialog_owners (operator_id)`,
      `CREATE TABLE clients (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL,
        display_name text NOT NULL,
        tag_ids text[] NOT NULL,
        has_pinned_tag boolean NOT NULL,
        blocked boolean NOT NULL,
        state jsonb NOT NULL,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', display_name)) STORED
      )`,
      `CREATE INDEX clients_search ON clients USING GIN (search)`,
      `CREATE INDEX clients_tags ON clients USING GIN (tag_ids)`,
      `CREATE TABLE client_identities (
        channel_id text NOT NULL,
        external_id text NOT NULL,
        client_id text NOT NULL,
        PRIMARY KEY (channel_id, external_id)
      )`,
      `CREATE INDEX client_identities_client ON client_identities (client_id)`,
      `CREATE TABLE operators (
        id text COLLATE "C" PRIMARY KEY,
        version integer NOT NULL,
        state jsonb NOT NULL
      )`,
      `CREATE TABLE messages (
        dialog_id text COLLATE "C" NOT NULL,
        seq integer NOT NULL CHECK (seq > 0),
        id text NOT NULL,
        internal boolean NOT NULL,
        deleted boolean NOT NULL,
        text text NOT NULL,
        payload jsonb NOT NULL,
        search tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
        PRIMARY KEY (dialog_id, seq)
      )`,
      `CREATE INDEX messages_search ON messages USING GIN (search)`,
      `CREATE TABLE settings (
        id smallint PRIMARY KEY CHECK (id = 1),
        payload jsonb NOT NULL
      )`,
      `CREATE TABLE channels (
        id text COLLATE "C" PRIMARY KEY,
        payload jsonb NOT NULL
      )`,
      `CREATE TABLE timers (
        key text COLLATE "C" PRIMARY KEY,
        kind text NOT NULL,
        subject text NOT NULL,
        due_at bigint NOT NULL,
        token text NOT NULL,
        leased_until bigint NOT NULL DEFAULT 0
      )`,
      `CREATE INDEX timers_due ON timers (due_at, key)`
    ]
  },
  {
    version: 2,
    name: "processing order by SLA due instant",
    statements: [
      // The processing-order rank of an unanswered dialog is now its SLA reply due instant when a
      // policy sets one (Listing.processingRank), else when the wait started; NULL = answered.
      `ALTER TABLE dialogs RENAME COLUMN awaiting_reply_since TO processing_rank`
    ]
  }
]

/** The newest schema version this code knows. */
export const latestVersion: number = migrations.reduce((max, migration) => Math.max(max, migration.version), 0)

/**
 * The database was migrated by newer code than this. Running would risk writing rows the newer
 * schema does not expect, so start-up stops here.
 */
export class SchemaTooNew extends Schema.TaggedError<SchemaTooNew>()("SchemaTooNew", {
  databaseVersion: Schema.Number,
  knownVersion: Schema.Number
}) {
  override get message(): string {
    return `The database schema is at version ${this.databaseVersion}, but this Switchboard knows versions up to ${this.knownVersion}. Upgrade Switchboard (or point it at another database); refusing to start.`
  }
}

/** What a run did. */
export interface Outcome {
  readonly from: number
  readonly to: number
  readonly applied: ReadonlyArray<number>
}

/** Any constant works; it only has to be the same for every Switchboard process. */
const migrationLock = 7_301_226_001

/**
 * Bring the schema in the current `search_path` up to date. Safe to run twice and from several
 * processes at once: the whole run holds a transaction-scoped advisory lock, so a second process
 * waits, then finds nothing left to do.
 */
export const run = (list: ReadonlyArray<Migration> = migrations): Effect.Effect<Outcome, SchemaTooNew | SqlError, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const known = list.reduce((max, migration) => Math.max(max, migration.version), 0)
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql.unsafe(`SELECT pg_advisory_xact_lock(${migrationLock})`)
        yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS switchboard_migrations (
          version integer PRIMARY KEY,
          name text NOT NULL,
          applied_at timestamptz NOT NULL DEFAULT now()
        )`)
        const rows = yield* sql.unsafe<{ readonly version: number | null }>(`SELECT max(version) AS version FROM switchboard_migrations`)
        const from = rows[0]?.version ?? 0
        if (from > known) return yield* Effect.fail(new SchemaTooNew({ databaseVersion: from, knownVersion: known }))
        const applied: Array<number> = []
        for (const migration of [...list].sort((a, b) => a.version - b.version)) {
          if (migration.version <= from) continue
          for (const statement of migration.statements) yield* sql.unsafe(statement)
          yield* sql.unsafe(`INSERT INTO switchboard_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name])
          applied.push(migration.version)
        }
        return { from, to: Math.max(from, ...applied), applied }
      })
    )
  }).pipe(Effect.withSpan("Migrations.run"))
