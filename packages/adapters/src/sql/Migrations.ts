import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Schema } from "effect"
import { readFileSync } from "node:fs"

/** One schema change. Statements run in order, in one transaction with the version bump. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: ReadonlyArray<string>
}

/** The SQL functions of the store, each with its current body in `functions/<name>.sql`. */
export const sqlFunctions = ["switchboard_commit", "switchboard_commit_group", "switchboard_first_contact", "switchboard_lookup", "switchboard_message_hours"] as const

/**
 * The current body of a SQL function (`CREATE OR REPLACE FUNCTION ...`), read from
 * `functions/<name>.sql` beside this module: a build must copy `functions/` with it.
 */
export const sqlFunction = (name: (typeof sqlFunctions)[number]): string => readFileSync(new URL(`./functions/${name}.sql`, import.meta.url), "utf8")

/**
 * The schema, oldest first. Never edit a released migration: add the next one.
 *
 * SQL functions: each body is written once, in its file `functions/<name>.sql`. To change a
 * function, edit its file and add a migration that loads it again (`sqlFunction(name)`). The
 * migrations that first made a function (3, 4, 5, 6, 11, 14) wrote the body of their day inline
 * until 2026-12-06 (see git history); they now load today's file. That changes nothing that was
 * migrated: a database that ran them keeps its state (a migration never runs twice) and gets today's
 * body from 18, 20 and 26 as before; a new one has today's body from the start, and every later
 * migration that loads a file replaces it with the same. The signatures never changed, and
 * PL/pgSQL resolves tables at the first call, not at `CREATE`, so a body naming a later table loads.
 * The comment at each such step says what that migration introduced.
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
  },
  {
    version: 3,
    name: "one-statement commit",
    statements: [
      // `SqlStore.commit` in one round trip: the whole batch as one jsonb argument (built and
      // documented in SqlStore), every write in one call, atomic as the statement's own
      // transaction. A stale expected version or an identity another client has raises SQLSTATE
      // SB409 with DETAIL {"streamId", "expectedVersion", "actualVersion"}; the store maps it to
      // VersionConflict. Rows arrive already shaped as table rows (jsonb_populate_recordset).
      sqlFunction("switchboard_commit")
    ]
  },
  {
    version: 4,
    name: "commit checks, configuration version, group commit",
    statements: [
      // `switchboard_commit` again (same signature), now with checks and cheaper:
      // - `streams` holds writes (`next` = the new version) and checks (`next` NULL: a stream the
      //   decision read but does not write), together, sorted by id (one lock order). A checked
      //   stream is taken FOR SHARE, so a commit that writes it waits for this one and the two can
      //   never each rely on what the other changes (no write skew); an absent one gets a version-0
      //   row to lock (a concurrent creator waits, then finds it at 0). A check with `share` false
      //   (the configuration, checked by nearly every commit) is a plain read: no lock on a hot row.
      // - The append lock is taken first, before any row lock: commits with events run one at a
      //   time, so neither single commits nor groups of them (whose row locks follow no global
      //   order) can deadlock, and positions stay in commit order.
      // - `owner_resets` lists the dialogs whose owners may have changed: only they are deleted and
      //   re-inserted (a message to a dialog nobody owns touches no owner row).
      sqlFunction("switchboard_commit"),
      // Group commit: commits that were waiting while another statement ran, in one transaction
      // (one round trip, one WAL flush). Each runs in its own subtransaction: one that fails
      // (a stale version: SB409) is rolled back alone and reported in its rows' out_sqlstate,
      // out_message and out_detail; the others land, in order (out_commit: the index in the array).
      sqlFunction("switchboard_commit_group")
    ]
  },
  {
    version: 5,
    name: "point reads through a function (plans cached per connection)",
    statements: [
      // The store's point reads (settings, channel, client, dialog, operator, an inbound message's
      // client and dialog), any number in one call: `lookups` is a JSON array of [kind, key, key2];
      // row `i` answers the i-th (absent when nothing matches). A UNION ALL built per call was planned
      // on every call (~0.5 ms on PostgreSQL, more on PGlite); the function's queries are planned once
      // per connection.
      sqlFunction("switchboard_lookup")
    ]
  },
  {
    version: 6,
    name: "first contact in one round trip",
    statements: [
      // A new client's first message needs no read before it: the engine decides it as a first
      // contact and sends the commit with `absent` = [channel, external id]. This check runs first;
      // if a client is already reachable there, it raises SQLSTATE SB303 with DETAIL
      // {"client": {version, state}, "dialog": {version, state} | null} (what `switchboard_lookup`'s
      // inboundClient/inboundDialog answer) and nothing is written; the engine decides again for
      // that client. Without `absent` it only hands the batch on. A client created at the same
      // address after this check is still caught by the identity check of `switchboard_commit`.
      sqlFunction("switchboard_first_contact"),
      // The group commit of migration 4, with the first-contact check before each commit.
      sqlFunction("switchboard_commit_group")
    ]
  },
  {
    version: 7,
    name: "drop the unused index of dialogs by client",
    statements: [
      // No query looks dialogs up by client (a client's current dialogs are in the client's state),
      // and every message updates its dialog's row outside HOT (last activity is indexed), so this
      // index only cost one more index entry per message.
      `DROP INDEX IF EXISTS dialogs_client`
    ]
  },
  {
    version: 8,
    name: "dialogs by client, for search by client name",
    statements: [
      // A search for a rarely used name (`SqlStore.listDialogs`) finds the clients by their GIN
      // index, then their dialogs here, instead of walking the folder past every dialog.
      `CREATE INDEX IF NOT EXISTS dialogs_client ON dialogs (client_id)`
    ]
  },
  {
    version: 9,
    name: "operator presence shared by every server",
    statements: [
      // ROUTING.md A1: the panel's heartbeat (or an explicit presence) per operator. Every server's
      // router reads it, so an operator connected to one server is present for all of them.
      `CREATE TABLE IF NOT EXISTS operator_presence (
        operator_id text COLLATE "C" PRIMARY KEY,
        presence text NOT NULL CHECK (presence IN ('online', 'away', 'offline')),
        last_heartbeat_at bigint NOT NULL
      )`
    ]
  },
  {
    version: 10,
    name: "when each message was written, for the list's period filter",
    statements: [
      // DLG-21's period: dialogs with a message created within it. The column is read from the
      // message itself, so no writer has to set it; the index lets a short period find its
      // dialogs from its messages (`SqlStore.listDialogs`), and an open dialog jump to a date.
      `ALTER TABLE messages ADD COLUMN IF NOT EXISTS created_at bigint GENERATED ALWAYS AS (((payload->>'createdAt')::numeric)::bigint) STORED`,
      // Only correspondence counts: not system notices, not deleted messages.
      `CREATE INDEX IF NOT EXISTS messages_written ON messages (created_at, dialog_id) WHERE NOT deleted AND (payload->'author'->>'_tag') <> 'System'`
    ]
  },
  {
    version: 11,
    name: "a client's message redelivered to a long dialog is stored once",
    statements: [
      // A dialog remembers its latest 100 external ids; a message it cannot vouch for is committed
      // with `unseen` = [dialog, external id], checked here through this index first.
      `CREATE INDEX IF NOT EXISTS messages_external ON messages (dialog_id, (payload->>'externalId')) WHERE payload->>'externalId' IS NOT NULL`,
      // The check before a commit (migration 6's, same signature): a first contact's address
      // (`absent`, SB303) or a client message's external id (`unseen`): if a message of the dialog
      // carries it, raise SQLSTATE SB208 with DETAIL {"messageId": id} and write nothing. The
      // stream version check of the commit keeps two servers from both storing it.
      sqlFunction("switchboard_first_contact")
    ]
  },
  {
    version: 12,
    name: "clients' dialogs by folder; client indexes without pending lists",
    statements: [
      // A tag or name filter that names a few thousand clients reads their dialogs here
      // (`SqlStore.listDialogs`, `tagCounts`): the status settles the folder in the index, so a
      // client with no dialog in it costs no read of the (wide) dialog row. Ids compare with the "C"
      // collation like `clients.id`, so a join on the client can use it too. It replaces
      // `dialogs_client` (migration 8): the same number of index entries per dialog write.
      `CREATE INDEX IF NOT EXISTS dialogs_client_status ON dialogs (client_id COLLATE "C", status) WHERE NOT deleted`,
      `DROP INDEX IF EXISTS dialogs_client`,
      // A GIN index with a pending list makes every search read the whole list (up to 4 MB, ~5 ms)
      // and makes the planner scan the table instead. Clients are written seldom (a first contact,
      // a new name or tags), so their indexes take entries at once.
      `ALTER INDEX clients_search SET (fastupdate = off)`,
      `ALTER INDEX clients_tags SET (fastupdate = off)`,
      `SELECT gin_clean_pending_list('clients_search'::regclass)`,
      `SELECT gin_clean_pending_list('clients_tags'::regclass)`
    ]
  },
  {
    version: 13,
    name: "unread counters from the queue index",
    statements: [
      // A user's unread counters (DLG-09) look at every queued dialog: whether the user has read its
      // client messages, or marked it unread. Read from the dialog state, that visited every queued
      // dialog's (wide, scattered) row: ~16 ms for 10,000 queued dialogs, for each connected panel.
      // Kept beside the state (empty ones as NULL) and included in the queue's index, the count is an
      // index-only scan (~2 ms). Adding stored columns rewrites the table once (~1.6 s per 100,000
      // dialogs, during which the dialogs are locked); every later write fills them from `state`.
      `ALTER TABLE dialogs
         ADD COLUMN IF NOT EXISTS read_counts jsonb GENERATED ALWAYS AS (NULLIF(state -> 'reads', '{}'::jsonb)) STORED,
         ADD COLUMN IF NOT EXISTS marked_unread jsonb GENERATED ALWAYS AS (NULLIF(state -> 'markedUnread', '[]'::jsonb)) STORED`,
      // The same key as before (routing's order of the queue), so a write updates as many index entries.
      `CREATE INDEX IF NOT EXISTS dialogs_queued_unread ON dialogs ((COALESCE(enqueued_at, 0)), id)
         INCLUDE (client_message_count, read_counts, marked_unread) WHERE status = 'queued' AND NOT deleted`,
      `DROP INDEX IF EXISTS dialogs_queued`
    ]
  },
  {
    version: 14,
    name: "the hours each dialog was written in, for the list's period filter",
    statements: [
      // DLG-21's period names the dialogs with a message written in it. Read from the messages
      // (`messages_written`), a busy week is ~100,000 index entries to read and group (~35 ms for
      // 10,000 dialogs). A conversation's messages come close together, so the hours a dialog had
      // messages in are several times fewer: a period reads its whole hours here and only its
      // first and last part-hours from the messages. The same messages count as for
      // `messages_written`: not system notices, not deleted ones.
      `CREATE TABLE IF NOT EXISTS message_hours (
        hour integer NOT NULL,
        dialog_id text COLLATE "C" NOT NULL,
        PRIMARY KEY (hour, dialog_id)
      )`,
      // Kept by the database itself, for every writer of messages: a message that starts to count
      // adds its hour; one that stops (deleted) takes it away unless another message of the dialog
      // still counts in that hour. AFTER triggers see the statement's rows, generated columns
      // included.
      sqlFunction("switchboard_message_hours"),
      `DROP TRIGGER IF EXISTS message_hours_insert ON messages`,
      `CREATE TRIGGER message_hours_insert AFTER INSERT ON messages FOR EACH ROW
         WHEN (NOT NEW.deleted AND (NEW.payload->'author'->>'_tag') <> 'System')
         EXECUTE FUNCTION switchboard_message_hours()`,
      `DROP TRIGGER IF EXISTS message_hours_update ON messages`,
      `CREATE TRIGGER message_hours_update AFTER UPDATE ON messages FOR EACH ROW
         WHEN (OLD.deleted IS DISTINCT FROM NEW.deleted OR OLD.created_at IS DISTINCT FROM NEW.created_at
               OR (OLD.payload->'author'->>'_tag') IS DISTINCT FROM (NEW.payload->'author'->>'_tag'))
         EXECUTE FUNCTION switchboard_message_hours()`,
      `INSERT INTO message_hours (hour, dialog_id)
         SELECT DISTINCT (created_at / 3600000)::integer, dialog_id FROM messages
         WHERE NOT deleted AND (payload->'author'->>'_tag') <> 'System'
         ON CONFLICT DO NOTHING`
    ]
  },
  {
    version: 15,
    name: "accounts, server-side sessions, sign-in failure counters",
    statements: [
      // Logins arrive trimmed and lower-cased (core's `Login`), so a plain unique index makes them
      // unique case-insensitively; the password hash is the hasher's opaque string.
      `CREATE TABLE accounts (
        user_id text PRIMARY KEY,
        login text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        active boolean NOT NULL,
        created_at bigint NOT NULL,
        password_changed_at bigint NOT NULL
      )`,
      // `key` is a hash of the cookie's random id: a read of this table yields no usable cookie.
      `CREATE TABLE account_sessions (
        key text PRIMARY KEY,
        user_id text NOT NULL REFERENCES accounts (user_id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        device text NOT NULL,
        created_at bigint NOT NULL,
        last_seen_at bigint NOT NULL,
        idle_expires_at bigint NOT NULL,
        expires_at bigint NOT NULL
      )`,
      `CREATE INDEX account_sessions_user ON account_sessions (user_id)`,
      `CREATE INDEX account_sessions_expiry ON account_sessions (idle_expires_at)`,
      // One row per throttled key ("login:…" or "address:…"), shared by every server.
      `CREATE TABLE sign_in_failures (
        key text PRIMARY KEY,
        window_start bigint NOT NULL,
        failures integer NOT NULL
      )`,
      `CREATE INDEX sign_in_failures_window ON sign_in_failures (window_start)`
    ]
  },
  {
    version: 18,
    name: "SQL functions from their files (functions/*.sql)",
    // The bodies of that day (the commit of migration 4, the group of 6, the lookup of 5, the check
    // of 11, the trigger function of 14) moved from inline strings into one file each.
    statements: sqlFunctions.map(sqlFunction)
  },
  {
    version: 19,
    name: "channels: the outbox and channel secrets",
    statements: [
      // One row per outgoing message (MSG-02), written by the commit that records the message.
      // `seq` orders a dialog's rows (one in flight per dialog); `token` and `leased_until` are
      // the claim of the worker sending it (OutboxStore).
      `CREATE TABLE outbox (
        message_id text COLLATE "C" PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        dialog_id text COLLATE "C" NOT NULL,
        channel_id text NOT NULL,
        recipient text NOT NULL,
        message jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        provider_message_id text,
        token text NOT NULL DEFAULT '',
        leased_until bigint NOT NULL DEFAULT 0,
        updated_at bigint NOT NULL
      )`,
      `CREATE INDEX outbox_pending ON outbox (seq) WHERE status = 'pending'`,
      `CREATE INDEX outbox_dialog_pending ON outbox (dialog_id, seq) WHERE status = 'pending'`,
      `CREATE INDEX outbox_channel ON outbox (channel_id, seq)`,
      `CREATE INDEX outbox_provider ON outbox (channel_id, provider_message_id) WHERE provider_message_id IS NOT NULL`,
      // What only needs verifying is stored hashed by its issuer (ChannelCredentials); the rest as is.
      `CREATE TABLE channel_secrets (
        channel_id text NOT NULL,
        name text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (channel_id, name)
      )`
    ]
  },
  {
    version: 20,
    name: "switchboard_commit queues outgoing messages in the outbox",
    statements: [sqlFunction("switchboard_commit")]
  },
  {
    version: 22,
    name: "web widget sessions and widget channel settings",
    statements: [
      // `key` is a hash of the widget's random token: a read of this table yields no usable token.
      `CREATE TABLE widget_sessions (
        key text COLLATE "C" PRIMARY KEY,
        channel_id text NOT NULL,
        visitor_id text NOT NULL,
        payload jsonb NOT NULL,
        created_at bigint NOT NULL,
        last_seen_at bigint NOT NULL
      )`,
      `CREATE INDEX widget_sessions_last_seen ON widget_sessions (last_seen_at)`,
      `CREATE TABLE widget_settings (
        channel_id text COLLATE "C" PRIMARY KEY,
        payload jsonb NOT NULL
      )`
    ]
  },
  {
    version: 23,
    name: "quick replies and composer preferences",
    statements: [
      // PRD-01: a company reply has no owner; a user lists the company's and their own.
      `CREATE TABLE quick_replies (
        id text COLLATE "C" PRIMARY KEY,
        owner_id text COLLATE "C",
        category text NOT NULL,
        title text NOT NULL,
        payload jsonb NOT NULL
      )`,
      `CREATE INDEX quick_replies_owner ON quick_replies (owner_id)`,
      // MSG-08 and MSG-11: the send key and the signature, one row per user who saved them.
      `CREATE TABLE composer_preferences (
        user_id text COLLATE "C" PRIMARY KEY,
        send_key text NOT NULL CHECK (send_key IN ('ctrlEnter', 'enter')),
        signature text NOT NULL
      )`
    ]
  },
  {
    version: 24,
    name: "the settings audit log",
    statements: [
      // One row per change of the company settings, written in the statement that writes the settings (`ConfigStore.changeSettings`).
      `CREATE TABLE settings_audit (
        id bigserial PRIMARY KEY,
        payload jsonb NOT NULL
      )`
    ]
  },
  {
    version: 25,
    name: "personal settings",
    statements: [
      // NTF-01/02, OPS-07: a user's own switches (notifications), the encoded Schema value, one row per user who saved them.
      `CREATE TABLE personal_settings (
        user_id text COLLATE "C" PRIMARY KEY,
        payload jsonb NOT NULL
      )`
    ]
  },
  {
    version: 26,
    name: "switchboard_commit moves a merged client's identities to the survivor",
    statements: [sqlFunction("switchboard_commit")]
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
  /** Says which version the database is at, which this build knows, and what to do. */
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
