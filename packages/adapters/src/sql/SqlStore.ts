import { SqlClient } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import {
  type ChannelId,
  type ClaimedTimer,
  type Commit,
  configStreamId,
  type ConfigSnapshot,
  type DeliveredMessage,
  type DialogFilters,
  type DialogQuery,
  type DialogRow,
  type FirstContact,
  type InboundAddress,
  type LoadEntry,
  MessageId,
  type Page,
  type PresenceRecord,
  Store,
  type StoredEvent,
  type StoreService,
  streamId,
  TagId,
  type InvalidInput,
  type Unseen,
  type UserId,
  type Versioned,
  VersionConflict
} from "@switchboard/core"
import { Channel as Channels, Client, Dialog, DialogFold, Listing, Message as Messages, Operator, Settings as Config } from "@switchboard/core"
import { Cause, Clock, Context, Data, Duration, Effect, Either, Exit, Layer, Option, ParseResult, Redacted, Schema } from "effect"
import {
  type ColumnType,
  type Compilable,
  DummyDriver,
  type Expression,
  type ExpressionBuilder,
  type GeneratedAlways,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql as k,
  type SqlBool
} from "kysely"
import { randomUUID } from "node:crypto"
import * as FastEncode from "./FastEncode.js"
import * as Migrations from "./Migrations.js"
import * as PgliteClient from "./PgliteClient.js"

const { Channel } = Channels
const { ClientEvent, ClientState } = Client
const { DialogEvent, DialogState } = Dialog
const { Message } = Messages
const { OperatorEvent, OperatorState } = Operator
const { defaults, Settings } = Config
type ClientState = Client.ClientState
type DialogState = Dialog.DialogState
type Message = Messages.Message

type Big = ColumnType<number | string, number, number>
type NullableBig = ColumnType<number | string | null, number | null, number | null>
type Json = ColumnType<unknown, string, string>

interface Tables {
  streams: { id: string; version: number }
  events: { position: GeneratedAlways<number | string>; stream_id: string; version: number; type: string; payload: Json }
  dialogs: {
    id: string
    version: number
    status: string
    deleted: boolean
    assignee_id: string | null
    bot_id: string | null
    channel_id: string
    client_id: string | null
    queue_id: string
    enqueued_at: NullableBig
    offer_operator_id: string | null
    last_activity_at: Big
    processing_rank: NullableBig
    last_writer: string | null
    client_message_count: number
    state: Json
    activity_key: GeneratedAlways<number | string>
    processing_group: GeneratedAlways<number>
    processing_key: GeneratedAlways<number | string>
    /** `state.reads` and `state.markedUnread`, NULL when empty (migration 13). */
    read_counts: GeneratedAlways<Record<string, number> | null>
    marked_unread: GeneratedAlways<ReadonlyArray<string> | null>
  }
  dialog_owners: { dialog_id: string; kind: "assigned" | "offered"; operator_id: string; channel_id: string; on_hold: boolean }
  clients: {
    id: string
    version: number
    display_name: string
    tag_ids: ColumnType<ReadonlyArray<string>, ReadonlyArray<string>, ReadonlyArray<string>>
    has_pinned_tag: boolean
    blocked: boolean
    state: Json
    search: GeneratedAlways<string>
  }
  client_identities: { channel_id: string; external_id: string; client_id: string }
  operators: { id: string; version: number; state: Json }
  messages: { dialog_id: string; seq: number; id: string; internal: boolean; deleted: boolean; text: string; payload: Json; search: GeneratedAlways<string>; created_at: GeneratedAlways<number | string | null> }
  settings: { id: number; payload: Json }
  channels: { id: string; payload: Json }
  timers: { key: string; kind: string; subject: string; due_at: Big; token: string; leased_until: Big }
  operator_presence: { operator_id: string; presence: string; last_heartbeat_at: Big }
}

/** Kysely as a pure query compiler: it never connects; `SqlClient` runs what it compiles. */
const db = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler()
  }
})

/**
 * A row that does not decode with the core Schemas: someone edited the database by hand, or a
 * migration is missing. The store stops with this defect instead of handing on corrupt state.
 */
export class MalformedRow extends Data.TaggedError("MalformedRow")<{
  readonly table: string
  readonly column: string
  readonly key: string
  readonly detail: string
}> {
  /** Names the table, column and row key of the malformed value, and what was wrong with it. */
  override get message(): string {
    return `Malformed row in ${this.table}.${this.column} (key ${this.key}): ${this.detail}`
  }
}

/** Every event a store holds, encoded with its tag. */
export const DomainEvent = Schema.Union(DialogEvent, ClientEvent, OperatorEvent)

const num = (value: unknown): number => (typeof value === "number" ? value : Number(value))

const decoder = <A, I>(schema: Schema.Schema<A, I>, table: string, column: string) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown, key: string): Effect.Effect<A> =>
    Either.match(decode(value), {
      onLeft: (error) => Effect.die(new MalformedRow({ table, column, key, detail: ParseResult.TreeFormatter.formatErrorSync(error) })),
      onRight: Effect.succeed
    })
}

const decodeDialog = decoder(DialogState, "dialogs", "state")
const decodeClient = decoder(ClientState, "clients", "state")
const decodeOperator = decoder(OperatorState, "operators", "state")
const decodeEvent = decoder(DomainEvent, "events", "payload")
const decodeMessage = decoder(Message, "messages", "payload")
const decodeSettings = decoder(Settings, "settings", "payload")
const decodeChannel = decoder(Channel, "channels", "payload")

const json = <A, I>(schema: Schema.Schema<A, I>) => {
  const encode = Schema.encodeSync(schema)
  return (value: A): string => JSON.stringify(encode(value))
}
const encodeSettings = json(Settings)
const encodeChannel = json(Channel)

/** SQLSTATEs that mean "another writer got there first": the command is retried like a stale version. */
const concurrencyCodes = new Set(["40001", "40P01", "23505"])
const sqlStateOf = (error: SqlError): string | undefined => {
  const cause: unknown = error.cause
  if (typeof cause === "object" && cause !== null && "code" in cause && typeof cause.code === "string") return cause.code
  return undefined
}

/** Client events known not to change identities; any other (new) event re-checks them. */
const identityNeutral = new Set(["ClientProfileUpdated", "ClientTagsSet", "ClientBlocked", "ClientUnblocked", "ClientDialogStarted", "ClientDialogDetached"])

/** The pinned tags of a client's stored tags (`[{ tagId, pinned }]`); anything else holds none. */
const pinnedTags = (stored: unknown): ReadonlyArray<TagId> =>
  Array.isArray(stored)
    ? stored.flatMap((tag: unknown) =>
      typeof tag === "object" && tag !== null && "pinned" in tag && tag.pinned === true && "tagId" in tag && typeof tag.tagId === "string" ? [TagId.make(tag.tagId)] : [])
    : []

/** The length of the buckets of `message_hours` (migration 14): an hour, in ms. */
const hourMs = 3_600_000

/** Words of a search box as a prefix tsquery: `parc lat` finds "my parcel is late". */
const toTsQuery = (words: ReadonlyArray<string>): string => words.map((word) => `${word}:*`).join(" & ")

/**
 * How common words are in the search columns, from PostgreSQL's own statistics (`pg_stats`, which
 * ANALYZE and autovacuum refresh): each column's most common lexemes with the share of rows that
 * hold them, and the tables' row counts. A lexeme not listed is rarer than every listed one. It
 * only chooses among search plans that return the same rows (see `listDialogs`).
 */
export interface SearchStatistics {
  readonly messages: { readonly rows: number; readonly lexemes: ReadonlyMap<string, number> }
  readonly clients: { readonly rows: number; readonly lexemes: ReadonlyMap<string, number> }
  readonly dialogs: number
}

/** The share of rows with a word starting with `prefix` (an estimate: the listed lexemes only). */
const prefixShare = (lexemes: ReadonlyMap<string, number>, prefix: string): number => {
  let share = 0
  for (const [lexeme, frequency] of lexemes) if (lexeme.startsWith(prefix)) share += frequency
  return Math.min(1, share)
}

/**
 * How `listDialogs` runs a search.
 * - `windowFirst`: look for a full page among the folder's first pages before probing the search
 *   indexes: when the words are expected in at least one dialog in five (`windowPages` × that
 *   share ≥ 2 pages of hits), or when there are no statistics. Otherwise the probe comes first: it
 *   is cheap for rare words and, when it does not overflow, the page comes from its matches.
 * - `messageWords`, `clientWords`: the words each probe asks its GIN index for, the rare ones
 *   (expected in at most `setLimit` rows) when there are any; the rows they find are then checked
 *   against every word. A prefix as common as "client" in "client 1007" would otherwise make the
 *   index collect every row holding it (15-25 ms for a million messages) to intersect with the rare one.
 */
export const searchPlan = (
  words: ReadonlyArray<string>,
  statistics: SearchStatistics | undefined,
  options: { readonly setLimit: number; readonly windowPages: number }
): { readonly windowFirst: boolean; readonly messageWords: ReadonlyArray<string>; readonly clientWords: ReadonlyArray<string> } => {
  if (statistics === undefined || statistics.dialogs <= 0) return { windowFirst: true, messageWords: words, clientWords: words }
  const shares = (column: SearchStatistics["messages"]) => words.map((word) => prefixShare(column.lexemes, word))
  const messageShares = shares(statistics.messages)
  const clientShares = shares(statistics.clients)
  const rare = (column: SearchStatistics["messages"], columnShares: ReadonlyArray<number>) => {
    const found = words.filter((_, i) => columnShares[i]! * column.rows <= options.setLimit)
    return found.length === 0 ? words : found
  }
  // A dialog's chance to be a hit: one of its messages holds every word, or its client's name does (words taken as independent).
  const product = (columnShares: ReadonlyArray<number>) => columnShares.reduce((all, share) => all * share, 1)
  const messagesPerDialog = statistics.messages.rows / statistics.dialogs
  const hitShare = Math.min(1, 1 - (1 - product(messageShares)) ** messagesPerDialog + (statistics.clients.rows * product(clientShares)) / statistics.dialogs)
  return {
    windowFirst: hitShare * options.windowPages >= 2,
    messageWords: rare(statistics.messages, messageShares),
    clientWords: rare(statistics.clients, clientShares)
  }
}

/** `SearchStatistics` from `pg_stats` and `pg_class`. */
const searchStatisticsSql = `SELECT c.relname AS name, c.reltuples AS rows, s.attname IS NOT NULL AS analyzed,
    to_json(s.most_common_elems::text::text[]) AS lexemes, to_json(s.most_common_elem_freqs) AS frequencies
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname AND s.attname = 'search'
  WHERE c.oid IN ('messages'::regclass, 'clients'::regclass, 'dialogs'::regclass)`

type StatisticsRow = { readonly name: string; readonly rows: number | string; readonly analyzed: boolean; readonly lexemes: unknown; readonly frequencies: unknown }

const toSearchStatistics = (rows: ReadonlyArray<StatisticsRow>): SearchStatistics | undefined => {
  const column = (name: string) => {
    const row = rows.find((candidate) => candidate.name === name)
    if (row === undefined || !row.analyzed || num(row.rows) <= 0) return undefined
    const lexemes = new Map<string, number>()
    const frequencies = Array.isArray(row.frequencies) ? row.frequencies : []
    if (Array.isArray(row.lexemes)) {
      row.lexemes.forEach((lexeme: unknown, i) => {
        const frequency: unknown = frequencies[i]
        if (typeof lexeme === "string" && typeof frequency === "number") lexemes.set(lexeme, frequency)
      })
    }
    return { rows: num(row.rows), lexemes }
  }
  const messages = column("messages")
  const clients = column("clients")
  const dialogs = num(rows.find((row) => row.name === "dialogs")?.rows ?? 0)
  return messages === undefined || clients === undefined || dialogs <= 0 ? undefined : { messages, clients, dialogs }
}

/**
 * What PostgreSQL's statistics say about the search columns (in the current `search_path`); none
 * until the tables have been analyzed, or when they cannot be read: the search then runs as it
 * would without them.
 */
export const readSearchStatistics: Effect.Effect<SearchStatistics | undefined, never, SqlClient.SqlClient> = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql.unsafe<StatisticsRow>(searchStatisticsSql).pipe(Effect.map(toSearchStatistics), Effect.orElseSucceed(() => undefined))
)

/**
 * How `listDialogs` applies a search: the dialogs and clients the probe found, a walk of the folder,
 * or not in this query (the caller matches the text around it).
 */
type TextMatch =
  | { readonly _tag: "Hits"; readonly dialogs: ReadonlyArray<string>; readonly clients: ReadonlyArray<string> }
  | { readonly _tag: "Walk"; readonly tsquery: string }
  | { readonly _tag: "Elsewhere" }

/** Conditions on a list's dialogs (`d`) and their clients (`c`). */
type ListBuilder = ExpressionBuilder<{ d: Tables["dialogs"]; c: Tables["clients"] }, "d" | "c">

/**
 * The dialogs of these clients, by `dialogs_client_status` (migration 12). The ids pass through a
 * subquery, which the planner takes for a short list whatever its length: shown 10,000 ids, it
 * would rather walk the folder in page order, hoping to fill a page early, and walk all of it when
 * the other filters match little. Here the caller has already chosen the clients' dialogs.
 */
const clientIn = (ids: ReadonlyArray<string>): Expression<SqlBool> =>
  ids.length === 0 ? k<SqlBool>`false` : k<SqlBool>`d.client_id = ANY (ARRAY(SELECT unnest(${k.val(ids)}::text[])) COLLATE "C")`

/** Every write of a commit in one statement: `switchboard_commit` (migrations 3, 4). */
const commitSql = `SELECT out_position, out_stream_id, out_version FROM switchboard_commit($1::jsonb)`

/**
 * A checked commit: a first contact's address (migration 6) or a client message's external id
 * (migration 11) is checked first, then the commit runs like every other.
 */
const checkedSql = `SELECT out_position, out_stream_id, out_version FROM switchboard_commit(switchboard_first_contact($1::jsonb))`

/** Several commits in one statement and transaction, each in its own subtransaction (migration 4). */
const commitGroupSql = `SELECT out_commit, out_position, out_stream_id, out_version, out_sqlstate, out_message, out_detail FROM switchboard_commit_group($1::jsonb)`

/** At most this many commits per group (each is a subtransaction; PostgreSQL caches 64 per backend). */
const groupLimit = 8

/**
 * Up to this many groups at once, each on its own connection. They queue on the append lock inside
 * the database, so the next group is already there when one commits, and the engine decides new
 * messages while a group runs (with 8 in flight: ~760/s with one unbounded group at a time, ~930/s
 * with 4 groups of up to 8).
 */
const groupsInFlight = 4

/** The SQLSTATE `switchboard_commit` raises on a stale version or a taken identity; DETAIL carries the conflict. */
const conflictCode = "SB409"

const ConflictDetail = Schema.parseJson(Schema.Struct({
  streamId: Schema.String,
  expectedVersion: Schema.Number,
  actualVersion: Schema.optional(Schema.Number)
}))
const decodeConflictDetail = Schema.decodeUnknownOption(ConflictDetail)

const conflictOf = (detail: unknown): VersionConflict =>
  Option.match(decodeConflictDetail(detail), {
    onNone: () => new VersionConflict({ streamId: `sqlstate:${conflictCode}`, expectedVersion: -1 }),
    onSome: (conflict) => new VersionConflict(conflict)
  })

/** The SQLSTATE `switchboard_first_contact` raises when a client is already reachable at the address; DETAIL carries them. */
const knownCode = "SB303"

/** A first contact found the address taken: DETAIL holds the client and their dialog there (migration 6). */
class AddressKnown {
  readonly _tag = "AddressKnown"
  constructor(readonly detail: unknown) {}
}

/** The SQLSTATE `switchboard_first_contact` raises when a client's message is stored already; DETAIL names it. */
const seenCode = "SB208"

/** A client's message was stored already: DETAIL holds its id (migration 11). */
class MessageSeen {
  readonly _tag = "MessageSeen"
  constructor(readonly detail: unknown) {}
}

/** What the check before a commit found (and so wrote nothing). */
type Checked = AddressKnown | MessageSeen

const SeenDetail = Schema.parseJson(Schema.Struct({ messageId: MessageId }))
const decodeSeen = Schema.decodeUnknown(SeenDetail)

/** DETAIL of SB303: the client at the address and their current dialog there, states still encoded. */
const KnownDetail = Schema.parseJson(Schema.Struct({
  client: Schema.Struct({ version: Schema.Number, state: Schema.Unknown }),
  dialog: Schema.NullOr(Schema.Struct({ version: Schema.Number, state: Schema.Unknown }))
}))
const decodeKnown = Schema.decodeUnknown(KnownDetail)

/** What a failed commit statement means for its caller: a conflict (retried like a stale version) or a defect. */
const failureOf = (exit: Exit.Exit<unknown, SqlError>): Exit.Exit<never, VersionConflict | Checked> => {
  if (Exit.isSuccess(exit)) return Exit.die(new Error("failureOf: not a failure"))
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return Exit.failCause(exit.cause as Cause.Cause<never>)
  const error = failure.value
  const code = sqlStateOf(error)
  const cause: unknown = error.cause
  const detail = typeof cause === "object" && cause !== null && "detail" in cause ? cause.detail : undefined
  if (code === conflictCode) return Exit.fail(conflictOf(detail))
  if (code === knownCode) return Exit.fail(new AddressKnown(detail))
  if (code === seenCode) return Exit.fail(new MessageSeen(detail))
  return code !== undefined && concurrencyCodes.has(code) ? Exit.fail(new VersionConflict({ streamId: `sqlstate:${code}`, expectedVersion: -1 })) : Exit.die(error)
}

/** The same for one commit of a group, from the error its subtransaction caught. */
const groupFailure = (row: { readonly out_sqlstate: string | null; readonly out_message: string | null; readonly out_detail: string | null }): Exit.Exit<never, VersionConflict | Checked> => {
  const code = row.out_sqlstate ?? ""
  if (code === conflictCode) return Exit.fail(conflictOf(row.out_detail))
  if (code === knownCode) return Exit.fail(new AddressKnown(row.out_detail))
  if (code === seenCode) return Exit.fail(new MessageSeen(row.out_detail))
  if (concurrencyCodes.has(code)) return Exit.fail(new VersionConflict({ streamId: `sqlstate:${code}`, expectedVersion: -1 }))
  return Exit.die(new SqlError({ cause: { code, message: row.out_message, detail: row.out_detail }, message: `switchboard_commit_group: ${row.out_message ?? code}` }))
}

type Row<T extends keyof Tables> = { [K in keyof Tables[T]]: Tables[T][K] extends ColumnType<infer S, infer _I, infer _U> ? S : Tables[T][K] }
type EncodedRow<T extends keyof Tables, Generated extends keyof Tables[T], JsonColumn extends keyof Tables[T]> =
  & Omit<Row<T>, Generated | JsonColumn>
  & { readonly [K in JsonColumn]: unknown }

/**
 * The argument of `switchboard_commit`: rows shaped like their tables (jsonb columns as JSON
 * values, not strings), streams sorted by id (a fixed lock order across writers), one change per
 * timer key, events in the order of `Commit.streams`.
 */
interface CommitBody {
  /** Writes (`next`: the new version) and checks (`next` null; `share`: lock the row), sorted by id. */
  readonly streams: Array<{ readonly id: string; readonly expected: number; readonly next: number | null; readonly share?: boolean }>
  readonly dialogs: Array<EncodedRow<"dialogs", "activity_key" | "processing_group" | "processing_key" | "read_counts" | "marked_unread", "state">>
  /** Dialogs whose owner rows are deleted before `owners` are inserted (they may have changed). */
  readonly owner_resets: Array<string>
  readonly owners: Array<Tables["dialog_owners"]>
  readonly clients: Array<EncodedRow<"clients", "search", "state">>
  readonly identities: Array<Tables["client_identities"]>
  readonly operators: Array<EncodedRow<"operators", never, "state">>
  readonly messages: Array<EncodedRow<"messages", "search" | "created_at", "payload">>
  readonly cancels: Array<string>
  readonly timers: Array<Omit<Row<"timers">, "leased_until">>
  readonly events: Array<{ readonly stream_id: string; readonly version: number; readonly type: string; readonly payload: unknown }>
  /** A first contact: commit only if no client is reachable at [channel, external id] (migration 6). */
  absent?: readonly [string, string]
  /** A client's message: commit only if no message of [dialog, external id] is stored (migration 11). */
  unseen?: readonly [string, string]
}

/** What a commit writes was built by the domain: encoded without a second validation pass (`FastEncode`). */
const encodeDialogValue = FastEncode.encoder(DialogState, Schema.encodeSync(DialogState))
const encodeClientValue = FastEncode.encoder(ClientState, Schema.encodeSync(ClientState))
const encodeOperatorValue = FastEncode.encoder(OperatorState, Schema.encodeSync(OperatorState))
const encodeEventValue = FastEncode.encoder(DomainEvent, Schema.encodeSync(DomainEvent))
const encodeMessageValue = FastEncode.encoder(Message, Schema.encodeSync(Message))

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A commit as the one argument of `switchboard_commit`, and its events by `streamId#version`. */
const commitBody = (batch: Commit): { readonly body: CommitBody; readonly events: Map<string, StoredEvent["event"]> } => {
  const body: CommitBody = {
    streams: [],
    dialogs: [],
    owner_resets: [],
    owners: [],
    clients: [],
    identities: [],
    operators: [],
    messages: [],
    cancels: [],
    timers: [],
    events: []
  }
  const events = new Map<string, StoredEvent["event"]>()
  type Entry = { readonly id: string; readonly write?: Commit["streams"][number]; readonly check?: number }
  const entries: Array<Entry> = batch.streams.map((write) => ({ id: streamId(write.kind, write.id), write }))
  for (const check of batch.checks ?? []) entries.push({ id: check.streamId, check: check.expectedVersion })
  // One lock order for every writer; a check of a stream the commit also writes comes first (it sees the version before the write).
  entries.sort((a, b) => byString(a.id, b.id) || (a.write === undefined ? -1 : 0) - (b.write === undefined ? -1 : 0))
  for (const { id, write, check } of entries) {
    if (write === undefined) {
      body.streams.push({ id, expected: check ?? 0, next: null, share: id !== configStreamId })
      continue
    }
    const next = write.expectedVersion + write.events.length
    body.streams.push({ id, expected: write.expectedVersion, next })
    switch (write.kind) {
      case "dialog":
        // A dialog written with place-neutral events only keeps its `dialog_owners` rows; any other event resets them.
        projectDialog(body, write.state, next, write.expectedVersion === 0 ? "new" : write.events.every((event) => DialogFold.placeNeutral.has(event._tag)) ? "same" : "reset")
        break
      case "client":
        projectClient(body, write.state, next, write.events.some((event) => !identityNeutral.has(event._tag)))
        break
      case "operator":
        body.operators.push({ id: write.id, version: next, state: encodeOperatorValue(write.state) })
        break
    }
  }
  // A message projected from an event of this commit reuses the event's encoding (no second Schema pass).
  const encodedMessages = new Map<Message, unknown>()
  for (const write of batch.streams) {
    const id = streamId(write.kind, write.id)
    write.events.forEach((event, index) => {
      const version = write.expectedVersion + index + 1
      const payload = encodeEventValue(event)
      if ((event._tag === "ClientMessageReceived" || event._tag === "StaffMessageSent") && typeof payload === "object" && payload !== null && "message" in payload) {
        encodedMessages.set(event.message, payload.message)
      }
      body.events.push({ stream_id: id, version, type: event._tag, payload })
      events.set(`${id}#${version}`, event)
    })
  }
  for (const message of batch.messages) {
    body.messages.push({
      dialog_id: message.dialogId,
      seq: message.seq,
      id: message.id,
      internal: message.internal,
      deleted: Option.isSome(message.deletedAt),
      text: message.text,
      payload: encodedMessages.has(message) ? encodedMessages.get(message) : encodeMessageValue(message)
    })
  }
  const last = new Map<string, Commit["timers"][number]>()
  for (const change of batch.timers) last.set(change._tag === "Set" ? change.timer.key : change.key, change)
  for (const key of [...last.keys()].sort(byString)) {
    const change = last.get(key)!
    if (change._tag === "Cancel") body.cancels.push(key)
    else body.timers.push({ key, kind: change.timer.kind, subject: change.timer.subject, due_at: change.timer.dueAt, token: randomUUID() })
  }
  return { body, events }
}

/**
 * A dialog's row and owners. `owners`: "new" (no owner rows yet), "same" (only owner-neutral
 * events: its owner rows are already right), "reset" (delete and re-insert them).
 */
const projectDialog = (body: CommitBody, state: DialogState, version: number, owners: "new" | "same" | "reset"): void => {
  body.dialogs.push({
    id: state.id,
    version,
    status: state.status,
    deleted: state.deleted,
    assignee_id: Option.getOrNull(state.assigneeId),
    bot_id: Option.getOrNull(state.botId),
    channel_id: state.channelId,
    client_id: Option.getOrNull(state.clientId),
    queue_id: state.queueId,
    enqueued_at: Option.getOrNull(state.enqueuedAt),
    offer_operator_id: Option.getOrNull(Option.map(state.offer, (offer) => offer.operatorId)),
    last_activity_at: state.lastActivityAt,
    processing_rank: Option.getOrNull(
      Listing.processingRank({ awaitingReplySince: state.awaitingReplySince, responseDueAt: Option.flatMap(state.sla, (sla) => sla.responseDueAt) })
    ),
    last_writer: Option.getOrNull(Option.map(state.lastMessage, (last) => last.author)),
    client_message_count: state.clientMessageCount,
    state: encodeDialogValue(state)
  })
  if (owners === "same") return
  if (owners === "reset") body.owner_resets.push(state.id)
  const assignee = Option.getOrUndefined(state.assigneeId)
  const assigned = !state.deleted && state.status === "active" && assignee !== undefined
  if (assigned) body.owners.push({ dialog_id: state.id, kind: "assigned", operator_id: assignee, channel_id: state.channelId, on_hold: state.onHold })
  const offered = Option.getOrUndefined(Option.map(state.offer, (offer) => offer.operatorId))
  if (!state.deleted && offered !== undefined && !(assigned && assignee === offered)) {
    body.owners.push({ dialog_id: state.id, kind: "offered", operator_id: offered, channel_id: state.channelId, on_hold: false })
  }
}

const projectClient = (body: CommitBody, state: ClientState, version: number, identitiesMayChange: boolean): void => {
  body.clients.push({
    id: state.id,
    version,
    display_name: state.profile.name ?? state.profile.username ?? "",
    tag_ids: state.tags.map((tag) => tag.tagId),
    has_pinned_tag: state.tags.some((tag) => tag.pinned),
    blocked: state.blocked,
    state: encodeClientValue(state)
  })
  if (!identitiesMayChange) return
  for (const identity of state.identities) body.identities.push({ channel_id: identity.channelId, external_id: identity.externalId, client_id: state.id })
}

/**
 * A point read of one row by key. Reads issued side by side (the engine reads settings, the
 * channel and the client's identity at once) go out as one call of `switchboard_lookup`: one
 * round trip instead of one per read.
 */
type LookupKind = "settings" | "channel" | "identity" | "client" | "dialog" | "operator" | "inboundClient" | "inboundDialog"

interface LookupRow {
  readonly version: number | null
  readonly payload: unknown
}

interface Lookup {
  readonly kind: LookupKind
  readonly key: string
  readonly key2: string
}

/** Point reads go through `switchboard_lookup` (migration 5): its queries are planned once per connection. */
const lookupSql = `SELECT i, version, payload FROM switchboard_lookup($1::jsonb)`

/** Settings, every channel and the configuration version in one statement (one snapshot). */
const configSql = `SELECT (SELECT version FROM streams WHERE id = '${configStreamId}') AS version,
  (SELECT payload FROM settings WHERE id = 1) AS settings,
  (SELECT COALESCE(jsonb_agg(payload ORDER BY id), '[]'::jsonb) FROM channels) AS channels`

/** A configuration write and the move of the configuration version, in one statement (atomic). */
const bumpConfig = (write: string): string =>
  `WITH written AS (${write} RETURNING 1)
   INSERT INTO streams AS st (id, version) SELECT '${configStreamId}', 1 FROM written LIMIT 1
   ON CONFLICT (id) DO UPDATE SET version = st.version + 1`

/** At most this many lookups per statement. */
const lookupBatch = 64

/** `make` with `Options`. */
export const makeWith = (options: Options = {}): Effect.Effect<StoreService, never, SqlClient.SqlClient> => Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const searchSetLimit = Math.max(0, Math.floor(options.searchSetLimit ?? 2000))
  /** The most rows (dialog-hours and messages) of a past period `listDialogs` reads to name its dialogs (100 times the search bound). */
  const periodSetLimit = searchSetLimit * 100
  /** The most clients a client-tag filter (or the tag counts) reads the dialogs of, instead of walking the folder. */
  const tagSetLimit = searchSetLimit * 10
  const searchWindowPages = Math.max(0, Math.floor(options.searchWindowPages ?? 10))
  /** Read again at most every minute: ANALYZE changes them seldom, and a stale figure only costs time. */
  const searchStatistics: Effect.Effect<SearchStatistics | undefined> = options.searchStatistics !== undefined
    ? Effect.succeed(options.searchStatistics === "none" ? undefined : options.searchStatistics)
    : yield* Effect.cachedWithTTL(Effect.provideService(readSearchStatistics, SqlClient.SqlClient, sql), Duration.minutes(1))

  const run = <R>(query: Compilable<R>): Effect.Effect<ReadonlyArray<R>, SqlError> => {
    const compiled = query.compile()
    return sql.unsafe<R & object>(compiled.sql, compiled.parameters)
  }
  const read = <R>(query: Compilable<R>): Effect.Effect<ReadonlyArray<R>> => Effect.orDie(run(query))

  /**
   * Lookups wait for the end of the current turn of the event loop, then go out together in one
   * statement (a small data loader): the engine's side-by-side reads of one command, and those of
   * commands in flight at the same time, share a round trip.
   */
  interface PendingLookups {
    readonly requests: ReadonlyArray<Lookup>
    readonly resume: (exit: Exit.Exit<ReadonlyArray<Option.Option<LookupRow>>>) => void
  }
  let pending: Array<PendingLookups> = []
  const flush = (): void => {
    // Batches of at most `lookupBatch` requests; one caller's requests are never split.
    let batch: Array<PendingLookups> = []
    let size = 0
    for (const entry of pending) {
      if (size > 0 && size + entry.requests.length > lookupBatch) {
        send(batch)
        batch = []
        size = 0
      }
      batch.push(entry)
      size += entry.requests.length
    }
    pending = []
    if (batch.length > 0) send(batch)
  }
  type LookupResult = ReadonlyArray<{ readonly i: number; readonly version: number | null; readonly payload: unknown }>
  const query = (requests: ReadonlyArray<Lookup>): Effect.Effect<LookupResult, SqlError> =>
    sql.unsafe<LookupResult[number]>(lookupSql, [JSON.stringify(requests.map((request) => [request.kind, request.key, request.key2]))])
  /** Row `i` of the result answers the i-th request (absent: nothing matched). */
  const answers = (rows: LookupResult, count: number): Array<Option.Option<LookupRow>> => {
    const out: Array<Option.Option<LookupRow>> = Array.from({ length: count }, () => Option.none())
    for (const row of rows) out[num(row.i)] = Option.some({ version: row.version, payload: row.payload })
    return out
  }
  const send = (batch: ReadonlyArray<PendingLookups>): void => {
    Effect.runCallback(query(batch.flatMap((entry) => entry.requests)), {
      onExit: (exit) => {
        if (Exit.isFailure(exit)) {
          for (const entry of batch) entry.resume(Exit.die(Cause.squash(exit.cause)))
          return
        }
        const all = answers(exit.value, batch.reduce((count, entry) => count + entry.requests.length, 0))
        let offset = 0
        for (const entry of batch) {
          entry.resume(Exit.succeed(all.slice(offset, offset + entry.requests.length)))
          offset += entry.requests.length
        }
      }
    })
  }
  /** Several point reads in one request: they go out in the same statement, answered in order. */
  const lookupAll = (requests: ReadonlyArray<Lookup>): Effect.Effect<ReadonlyArray<Option.Option<LookupRow>>> =>
    Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) =>
      // Inside a caller's transaction the read must see it (and, on PGlite, must not wait for its lock): no batching.
      Option.isSome(transaction)
        ? Effect.orDie(Effect.map(query(requests), (rows) => answers(rows, requests.length)))
        : Effect.async<ReadonlyArray<Option.Option<LookupRow>>>((resume) => {
            const entry: PendingLookups = { requests, resume }
            pending.push(entry)
            if (pending.length === 1) setImmediate(flush)
            return Effect.sync(() => {
              pending = pending.filter((other) => other !== entry)
            })
          }))
  const lookup = (kind: LookupKind, key = "", key2 = ""): Effect.Effect<Option.Option<LookupRow>> =>
    Effect.map(lookupAll([{ kind, key, key2 }]), (rows) => rows[0]!)
  const loadVersioned = <S>(kind: "client" | "dialog" | "operator", id: string, decode: (value: unknown, key: string) => Effect.Effect<S>) =>
    Effect.flatMap(lookup(kind, id), (row) =>
      Option.isNone(row)
        ? Effect.succeed(Option.none<Versioned<S>>())
        : Effect.asSome(versioned(decode)({ id, version: row.value.version ?? 0, state: row.value.payload })))

  /**
   * Group commit. A commit issued while fewer than `groupsInFlight` statements run goes out at
   * once, alone; commits issued while they all run wait, then go out together (at most
   * `groupLimit`) as one `switchboard_commit_group` statement (one transaction, one WAL flush), each
   * in its own subtransaction: one that conflicts fails alone, the others land with positions in
   * queue order. Every group takes the append lock first, so groups in flight commit one after the
   * other and cannot deadlock. Inside a caller's transaction a commit runs on it, alone.
   */
  type Appended = ReadonlyArray<{ readonly out_position: number | string; readonly out_stream_id: string; readonly out_version: number }>
  type GroupRow = Appended[number] & { readonly out_commit: number; readonly out_sqlstate: string | null; readonly out_message: string | null; readonly out_detail: string | null }
  interface Queued {
    readonly json: string
    /** Sent alone, a checked commit goes through `switchboard_first_contact` (a group checks every body). */
    readonly checked: boolean
    readonly resume: (exit: Exit.Exit<Appended, VersionConflict | Checked>) => void
  }
  let queue: Array<Queued> = []
  let running = 0
  /** One commit body in a statement of its own: a checked one through its check (migrations 6, 11). */
  const commitAlone = (json: string, checked: boolean): Effect.Effect<Appended, VersionConflict | Checked> =>
    Effect.catchAll(sql.unsafe<Appended[number]>(checked ? checkedSql : commitSql, [json]), (error) => failureOf(Exit.fail(error)))
  const sendNext = (): void => {
    if (running >= groupsInFlight || queue.length === 0) return
    const group = queue.slice(0, groupLimit)
    queue = queue.slice(groupLimit)
    running++
    const done = () => {
      running--
      sendNext()
    }
    if (group.length === 1) {
      const only = group[0]!
      Effect.runCallback(commitAlone(only.json, only.checked), {
        onExit: (exit) => {
          done()
          only.resume(exit)
        }
      })
      return
    }
    Effect.runCallback(sql.unsafe<GroupRow>(commitGroupSql, [`[${group.map((entry) => entry.json).join(",")}]`]), {
      onExit: (exit) => {
        done()
        if (Exit.isFailure(exit)) {
          const failure = failureOf(exit)
          for (const entry of group) entry.resume(failure)
          return
        }
        const rows: Array<Array<GroupRow>> = group.map(() => [])
        for (const row of exit.value) rows[num(row.out_commit)]?.push(row)
        group.forEach((entry, index) => {
          const own = rows[index]!
          const failed = own.find((row) => row.out_sqlstate !== null)
          entry.resume(failed === undefined ? Exit.succeed(own) : groupFailure(failed))
        })
      }
    })
  }
  /**
   * A commit that finds a statement slot free and nobody waiting runs on the caller's own fiber (no
   * fiber forked for it: ~0.05 ms of CPU less per receive); once sent it is not interrupted, like a
   * queued one. Otherwise it waits in the queue for a group.
   */
  const enqueue = (json: string, checked: boolean): Effect.Effect<Appended, VersionConflict | Checked> =>
    Effect.suspend(() => {
      if (running >= groupsInFlight || queue.length > 0) return queued(json, checked)
      running++
      return commitAlone(json, checked).pipe(
        Effect.ensuring(Effect.sync(() => {
          running--
          sendNext()
        })),
        Effect.uninterruptible
      )
    })
  const queued = (json: string, checked: boolean): Effect.Effect<Appended, VersionConflict | Checked> =>
    Effect.async<Appended, VersionConflict | Checked>((resume) => {
      const entry: Queued = { json, checked, resume }
      queue.push(entry)
      sendNext()
      return Effect.sync(() => {
        queue = queue.filter((other) => other !== entry)
      })
    })

  /** Send a commit body (checked first, if `check` says so): on the caller's transaction if there is one, else through the group queue. */
  const submit = (
    batch: Commit,
    check?: { readonly absent: InboundAddress } | { readonly unseen: DeliveredMessage }
  ): Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict | Checked> =>
    Effect.suspend(() => {
      const { body, events } = commitBody(batch)
      if (check !== undefined && "absent" in check) body.absent = [check.absent.channelId, check.absent.externalId]
      else if (check !== undefined) body.unseen = [check.unseen.dialogId, check.unseen.externalId]
      else if (body.streams.length === 0 && body.messages.length === 0 && body.cancels.length === 0 && body.timers.length === 0) return Effect.succeed([])
      const json = JSON.stringify(body)
      const appended = Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) =>
        Option.isSome(transaction)
          ? commitAlone(json, check !== undefined)
          : enqueue(json, check !== undefined))
      return Effect.map(appended, (rows) =>
        rows
          .map((row): StoredEvent => ({
            position: num(row.out_position),
            streamId: row.out_stream_id,
            version: row.out_version,
            event: events.get(`${row.out_stream_id}#${row.out_version}`)!
          }))
          .sort((a, b) => a.position - b.position))
    })

  const commit = (batch: Commit): Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict> =>
    // Only a checked commit can find what it checks.
    submit(batch).pipe(Effect.catchTags({ AddressKnown: Effect.die, MessageSeen: Effect.die }), Effect.withSpan("SqlStore.commit", { captureStackTrace: false }))

  const commitFirstContact = (address: InboundAddress, batch: Commit): Effect.Effect<FirstContact, VersionConflict> =>
    submit(batch, { absent: address }).pipe(
      Effect.map((events): FirstContact => ({ _tag: "Committed", events })),
      Effect.catchTag("MessageSeen", Effect.die),
      Effect.catchTag("AddressKnown", (known) =>
        Effect.gen(function* () {
          const key = `${address.channelId}:${address.externalId}`
          const found = yield* Effect.orDie(decodeKnown(known.detail))
          const client = yield* versioned(decodeClient)({ id: key, version: found.client.version, state: found.client.state })
          const dialog = found.dialog === null ? Option.none() : Option.some(yield* versioned(decodeDialog)({ id: key, version: found.dialog.version, state: found.dialog.state }))
          return { _tag: "Known", target: { client, dialog } } satisfies FirstContact
        })),
      Effect.withSpan("SqlStore.commitFirstContact", { captureStackTrace: false })
    )

  const commitUnseen = (message: DeliveredMessage, batch: Commit): Effect.Effect<Unseen, VersionConflict> =>
    submit(batch, { unseen: message }).pipe(
      Effect.map((events): Unseen => ({ _tag: "Committed", events })),
      Effect.catchTag("AddressKnown", Effect.die),
      Effect.catchTag("MessageSeen", (seen) => Effect.map(Effect.orDie(decodeSeen(seen.detail)), (found): Unseen => ({ _tag: "Seen", messageId: found.messageId }))),
      Effect.withSpan("SqlStore.commitUnseen", { captureStackTrace: false })
    )

  const toStored = (row: { position: number | string; stream_id: string; version: number; payload: unknown }) =>
    Effect.map(decodeEvent(row.payload, `${row.stream_id}#${row.version}`), (event): StoredEvent => ({ position: num(row.position), streamId: row.stream_id, version: row.version, event }))

  const versioned = <S>(decode: (value: unknown, key: string) => Effect.Effect<S>) => (row: { id: string; version: number; state: unknown }) =>
    Effect.map(decode(row.state, row.id), (state): Versioned<S> => ({ version: row.version, state }))

  /** The folder as the viewer sees it, after the cursor: what the folder indexes lead with, without the list's filters. */
  const folderScope = (query: DialogQuery, after: readonly [number, number, string] | undefined) => (eb: ListBuilder): Array<Expression<SqlBool>> => {
    const me = query.viewer.userId as string
    const mineOrAll = query.viewer.seesAll ? [] : [eb("d.assignee_id", "=", me)]
    const conditions: Array<Expression<SqlBool>> = [eb("d.deleted", "=", false)]
    switch (query.folder) {
      case "new":
        conditions.push(eb("d.status", "=", "queued"))
        break
      case "mine":
        conditions.push(eb("d.status", "=", "active"), eb("d.assignee_id", "=", me))
        break
      case "active":
        conditions.push(eb("d.status", "=", "active"), ...mineOrAll)
        break
      case "bot":
        conditions.push(eb("d.status", "=", "bot"))
        break
      case "archive":
        conditions.push(eb("d.status", "=", "closed"), ...mineOrAll)
        break
    }
    if (after !== undefined) {
      conditions.push(
        query.sort === "processingOrder"
          ? eb(eb.refTuple("d.processing_group", "d.processing_key", "d.id"), ">", eb.tuple(after[0], after[1], after[2]))
          : eb(eb.refTuple("d.activity_key", "d.id"), ">", eb.tuple(after[1], after[2]))
      )
    }
    return conditions
  }

  const folderFilter = (
    query: DialogQuery,
    after: readonly [number, number, string] | undefined,
    text: TextMatch | undefined,
    tagged: ReadonlyArray<string> | undefined,
    dated: ReadonlyArray<string> | undefined = undefined
  ) => (eb: ListBuilder): Expression<SqlBool> => {
    const conditions: Array<Expression<SqlBool>> = folderScope(query, after)(eb)
    const filters = query.filters
    if (filters !== undefined) {
      if (filters.operatorId !== undefined) conditions.push(eb("d.assignee_id", "=", filters.operatorId))
      if (filters.botId !== undefined) conditions.push(eb("d.status", "=", "bot"), eb("d.bot_id", "=", filters.botId))
      if (filters.channelIds !== undefined && filters.channelIds.length > 0) conditions.push(eb("d.channel_id", "in", [...filters.channelIds]))
      if (filters.status !== undefined) conditions.push(eb("d.status", "=", filters.status))
      if (filters.lastWriter === "client") conditions.push(eb("d.last_writer", "=", "Client"))
      if (filters.lastWriter === "staff") conditions.push(eb("d.last_writer", "<>", "Client"))
      const { from, to } = filters
      // A message in the period means activity at its time or later.
      // As `activity_key` (its negation), which the folder indexes hold: the bound ends a walk of them.
      if (from !== undefined) conditions.push(eb("d.activity_key", "<=", -from))
      if (from !== undefined || to !== undefined) {
        if (dated !== undefined) {
          // The dialogs written in the period (`probePeriod`).
          conditions.push(dated.length === 0 ? k<SqlBool>`false` : k<SqlBool>`d.id = ANY (${k.val(dated)}::text[])`)
        } else {
          // Up to now, or a long period: the folder is walked newest first, each dialog asked for a message in it.
          const since = from === undefined ? k.raw("") : k`AND pm.created_at >= ${from}`
          const until = to === undefined ? k.raw("") : k`AND pm.created_at < ${to}`
          conditions.push(k<SqlBool>`EXISTS (SELECT 1 FROM messages pm WHERE pm.dialog_id = d.id AND NOT pm.deleted AND (pm.payload->'author'->>'_tag') <> 'System' ${since} ${until})`)
        }
      }
      const tags = filters.clientTags
      if (tags !== undefined) {
        switch (tags._tag) {
          case "None":
            conditions.push(eb.or([eb("c.id", "is", null), k<SqlBool>`cardinality(c.tag_ids) = 0`]))
            break
          case "Pinned":
            conditions.push(eb("c.has_pinned_tag", "=", true))
            break
          case "AllOf":
            if (tags.tags.length > 0) conditions.push(k<SqlBool>`c.tag_ids @> ${k.val([...tags.tags])}::text[]`)
            // Few clients carry these tags: their dialogs by `dialogs_client_status`, not a walk of the folder.
            if (tagged !== undefined) conditions.push(clientIn(tagged))
            break
        }
      }
      if (text !== undefined) {
        switch (text._tag) {
          case "Hits": {
            const hits: Array<Expression<SqlBool>> = []
            if (text.dialogs.length > 0) hits.push(k<SqlBool>`d.id = ANY (${k.val(text.dialogs)}::text[])`)
            if (text.clients.length > 0) hits.push(k<SqlBool>`d.client_id = ANY (${k.val(text.clients)}::text[] COLLATE "C")`)
            conditions.push(hits.length === 0 ? k<SqlBool>`false` : eb.or(hits))
            break
          }
          case "Walk":
            // `mh`: the lateral probe of `listDialogs`, one message of this dialog that matches.
            conditions.push(eb.or([k<SqlBool>`c.search @@ to_tsquery('simple', ${text.tsquery})`, k<SqlBool>`mh.hit`]))
            break
          case "Elsewhere":
            break
        }
      } else if (filters.text !== undefined && filters.text.trim() !== "") {
        conditions.push(k<SqlBool>`false`)
      }
    }
    return eb.and(conditions)
  }

  /**
   * Full-text search, in up to three steps, each cheap where the one before is not:
   * 1. The first `searchWindowPages × (limit + 1)` dialogs of the folder, in page order, each asked for one
   *    matching message by primary key (`LATERAL ... LIMIT 1`). A common word fills the page here.
   * 2. Otherwise the probe fetches at most `searchSetLimit` + 1 matching messages and client names
   *    (GIN). When neither overflows, the page is cut from the dialogs they name (a rare word, an
   *    order number: a few index lookups).
   * 3. When either overflows, the whole folder is walked as in step 1.
   * Building the set of every dialog that mentions a common word first cost 150-400 ms with 1M
   * messages; walking the folder for a rare one, 100-400 ms. When the statistics expect the words in
   * few dialogs, step 2 comes first (`searchPlan`), and each probe asks its index for the rare words
   * only, checking every word on the rows they find.
   */
  const probeText = (words: ReadonlyArray<string>, plan: ReturnType<typeof searchPlan>): Effect.Effect<TextMatch> => {
    type Probe = { readonly messages: number | string; readonly clients: number | string; readonly dialog_ids: ReadonlyArray<string>; readonly client_ids: ReadonlyArray<string> }
    const tsquery = toTsQuery(words)
    // The index is asked for the rare words only; `ts_match_vq` (the function behind @@, which no index serves) checks every word.
    const matching = (asked: ReadonlyArray<string>) =>
      asked.length === words.length
        ? k`search @@ to_tsquery('simple', ${tsquery})`
        : k`search @@ to_tsquery('simple', ${toTsQuery(asked)}) AND ts_match_vq(search, to_tsquery('simple', ${tsquery}))`
    const probe = k<Probe>`
        WITH m AS (SELECT dialog_id FROM messages WHERE NOT deleted AND ${matching(plan.messageWords)} LIMIT ${searchSetLimit + 1}),
             c AS (SELECT id FROM clients WHERE ${matching(plan.clientWords)} LIMIT ${searchSetLimit + 1})
        SELECT (SELECT count(*) FROM m) AS messages, (SELECT count(*) FROM c) AS clients,
               ARRAY(SELECT DISTINCT dialog_id FROM m) AS dialog_ids, ARRAY(SELECT id FROM c) AS client_ids`
    return Effect.map(read({ compile: () => probe.compile(db) }), (rows): TextMatch => {
      const found = rows[0]
      return found === undefined || num(found.messages) > searchSetLimit || num(found.clients) > searchSetLimit
        ? { _tag: "Walk", tsquery }
        : { _tag: "Hits", dialogs: found.dialog_ids, clients: found.client_ids }
    })
  }

  /**
   * The clients that carry every tag of an `AllOf` filter, when there are at most `searchSetLimit`
   * of them (GIN on `clients.tag_ids`); else undefined (see `ofClients`).
   */
  const probeTags = (query: DialogQuery): Effect.Effect<ReadonlyArray<string> | undefined> => {
    const tags = allTags(query)
    if (tags === undefined) return Effect.succeed(undefined)
    const probe = db.selectFrom("clients").select("id").where(tags).limit(searchSetLimit + 1)
    return Effect.map(read(probe), (rows) => (rows.length > searchSetLimit ? undefined : rows.map((row) => row.id)))
  }

  /** The condition on a client of an `AllOf` tag filter, if the query has one. */
  const allTags = (query: DialogQuery): Expression<SqlBool> | undefined => {
    const tags = query.filters?.clientTags
    return tags?._tag !== "AllOf" || tags.tags.length === 0 ? undefined : k<SqlBool>`tag_ids @> ${k.val([...tags.tags])}::text[]`
  }

  /**
   * `rows` (a query on dialogs `d`) given `t.ids`, the array of what `ids` selects, and the array's
   * length: one statement. The planner takes such an array for a short list, so `d.x = ANY (t.ids)`
   * is looked up by index; shown a long list, it would rather walk the folder in page order, hoping
   * to fill a page early, and walks all of it when the other filters match little.
   */
  const overIds = <R extends object>(
    ids: Expression<unknown>,
    rows: Expression<R>,
    present: keyof R
  ): Effect.Effect<{ readonly length: number; readonly rows: ReadonlyArray<R> }> => {
    const query = k<R & { readonly ids_length: number | string | null }>`
      WITH t AS MATERIALIZED (SELECT ARRAY(${ids}) AS ids)
      SELECT cardinality(t.ids) AS ids_length, p.* FROM t LEFT JOIN LATERAL (${rows}) p ON true`
    return Effect.map(read({ compile: () => query.compile(db) }), (found) => ({
      length: num(found[0]?.ids_length ?? 0),
      rows: found.filter((row) => row[present] !== null)
    }))
  }

  /**
   * `rows` on the dialogs of the clients that meet `clients`, when at most `tagSetLimit` do; else
   * undefined. ~1 µs a client (`dialogs_client_status` settles the folder's status in the index),
   * where a tag whose clients have no dialog in the folder walks all of it (60 ms for 60,000).
   */
  const ofClients = <R extends object>(
    clients: Expression<SqlBool>,
    rows: (theirs: Expression<SqlBool>) => Expression<R>,
    present: keyof R
  ): Effect.Effect<ReadonlyArray<R> | undefined> =>
    Effect.map(
      overIds(
        db.selectFrom("clients").select("id").where(clients).limit(tagSetLimit + 1),
        rows(k<SqlBool>`cardinality(t.ids) <= ${tagSetLimit} AND d.client_id = ANY (t.ids)`),
        present
      ),
      (found) => (found.length > tagSetLimit ? undefined : found.rows)
    )

  /**
   * The dialogs a list's period (DLG-21) names, when it ends before now and they come from at most
   * `periodSetLimit` rows; else undefined, and the folder is walked. A period up to now (or to a
   * day not over yet) is best walked: its dialogs are the folder's newest, a page in a few ms. One
   * in the past is read from the hours its dialogs had messages in (`message_hours`, migration 14)
   * and, for its first and last part-hours, from the messages (`messages_written`): a week a month
   * back is ~10,000 dialog-hours, where a walk would first pass every dialog active after it
   * (~250 ms a month back).
   */
  const probePeriod = (query: DialogQuery): Effect.Effect<ReadonlyArray<string> | undefined> =>
    Effect.gen(function* () {
      const from = query.filters?.from
      const to = query.filters?.to
      if (to === undefined || to > (yield* Clock.currentTimeMillis)) return undefined
      type Probe = { readonly found: number | string | null; readonly dialog_ids: ReadonlyArray<string> | null }
      const written = (since: number | undefined, until: number) =>
        k`(SELECT dialog_id FROM messages WHERE NOT deleted AND (payload->'author'->>'_tag') <> 'System'
             ${since === undefined ? k.raw("") : k`AND created_at >= ${since}`} AND created_at < ${until} LIMIT ${periodSetLimit + 1})`
      // The whole hours inside the period, and the part-hours at its ends.
      const firstHour = from === undefined ? undefined : Math.ceil(from / hourMs)
      const endHour = Math.floor(to / hourMs)
      const parts = firstHour !== undefined && firstHour >= endHour
        ? [written(from, to)]
        : [
          ...(from !== undefined && from < firstHour! * hourMs ? [written(from, firstHour! * hourMs)] : []),
          k`(SELECT dialog_id FROM message_hours WHERE ${firstHour === undefined ? k.raw("true") : k`hour >= ${firstHour}`} AND hour < ${endHour}
               LIMIT ${periodSetLimit + 1})`,
          ...(endHour * hourMs < to ? [written(endHour * hourMs, to)] : [])
        ]
      // Counted and grouped in one pass: a CTE read twice (for the count, then for DISTINCT) spilled 100,000 ids to a
      // temporary file (work_mem 4 MB). One statement that also cuts the page, the ids never leaving the server, measured no faster.
      const probe = k<Probe>`
          SELECT sum(n) AS found, array_agg(dialog_id) AS dialog_ids FROM (
            SELECT dialog_id, count(*) AS n FROM (${k.join(parts, k` UNION ALL `)}) m GROUP BY dialog_id
          ) g`
      const found = (yield* read({ compile: () => probe.compile(db) }))[0]
      return found === undefined || num(found.found ?? 0) > periodSetLimit ? undefined : found.dialog_ids ?? []
    })

  /** A client's tags as its stored state holds them (`[{ tagId, pinned }]`), for the list's rows. */
  const clientTags = (alias: "c") => k<unknown>`${k.ref(`${alias}.state`)}->'tags'`.as("client_tags")

  /** One matching message of dialog `ref`, not deleted (the `mh` of a walk). */
  const messageHit = (tsquery: string, ref: "d.id" | "w.id") =>
    db.selectFrom("messages as m").select(k<boolean>`true`.as("hit"))
      .where("m.dialog_id", "=", k.ref<string>(ref)).where("m.deleted", "=", false).where(k<SqlBool>`m.search @@ to_tsquery('simple', ${tsquery})`)
      .limit(1).as("mh")

  const listDialogs = (query: DialogQuery): Effect.Effect<Page<DialogRow>, InvalidInput> =>
    Effect.gen(function* () {
      const after = yield* Listing.checkQuery(query)
      // The page order, by the folder indexes' columns, on the dialogs (`d`) or the search window (`w`).
      const keys = (alias: "d" | "w" | "p") =>
        (query.sort === "processingOrder" ? ["processing_group", "processing_key", "id"] : ["activity_key", "id"]).map((column) => k.ref(`${alias}.${column}`))
      const joined = db.selectFrom("dialogs as d").leftJoin("clients as c", "c.id", "d.client_id")
      /**
       * The dialogs alone, for a query of the order's columns whose conditions name no client column: PostgreSQL drops an
       * unused left join, but still counts `d.client_id` as needed and so never reads a folder index alone (15; an
       * index-only scan). Typed as `joined` so the same condition builders apply; only used where they name no `c` column.
       */
      const alone = db.selectFrom("dialogs as d") as unknown as typeof joined
      const tagged = yield* probeTags(query)
      const dated = yield* probePeriod(query)
      const pageOf = (text: TextMatch | undefined, narrowed?: Expression<SqlBool>) => {
        const base = (text?._tag === "Walk" ? joined.leftJoinLateral(messageHit(text.tsquery, "d.id"), (join) => join.onTrue()) : joined)
          .where(folderFilter(query, after, text, tagged, dated)).where(narrowed ?? k<SqlBool>`true`)
        const fromSet = narrowed !== undefined || tagged !== undefined || dated !== undefined || text?._tag === "Hits"
        if (!fromSet) return keys("d").reduce((ordered, key) => ordered.orderBy(key), base.select(["d.id", "d.state", "c.display_name", clientTags("c")])).limit(query.limit + 1)
        // Cut from a set (a period's thousands of dialogs): the page's dialogs first, then their clients' names and tags, not
        // every dialog of the set joined to its client before the cut. A filter on the clients keeps its join inside.
        if (dated === undefined) {
          const dialogs = keys("d").reduce((ordered, key) => ordered.orderBy(key), base.select(["d.id", "d.state", "d.client_id", "d.activity_key", "d.processing_group", "d.processing_key"]))
            .limit(query.limit + 1)
          const named = db.selectFrom(dialogs.as("p")).leftJoin("clients as c", "c.id", "p.client_id").select(["p.id", "p.state", "c.display_name", clientTags("c")])
          return keys("p").reduce((ordered, key) => ordered.orderBy(key), named)
        }
        // A period's dialogs (thousands, often active long after it): the page is cut by the order's columns alone, which the
        // folder indexes hold (an index-only scan, bounded by the period's start), and only its rows are read. The first key is
        // sorted as an expression, so the planner sorts the set instead of walking the folder newest first in the hope of
        // meeting the set soon: a month back, that walk read ~28,000 dialog rows to reach it (~15 ms).
        const [first, ...rest] = keys("d")
        // Only the order's columns, all of them in the folder index of that order.
        const columns: ReadonlyArray<"d.activity_key" | "d.processing_group" | "d.processing_key"> =
          query.sort === "processingOrder" ? ["d.processing_group", "d.processing_key"] : ["d.activity_key"]
        const clientFree = text === undefined && tagged === undefined && query.filters?.clientTags === undefined
        const sorted = (clientFree ? alone.where(folderFilter(query, after, undefined, undefined, dated)).where(narrowed ?? k<SqlBool>`true`) : base)
          .select(["d.id", ...columns])
        const cut = rest.reduce((ordered, key) => ordered.orderBy(key), sorted.orderBy(k`${first!} + 0`)).limit(query.limit + 1)
        const rows = db.selectFrom(cut.as("p")).innerJoin("dialogs as r", "r.id", "p.id").leftJoin("clients as c", "c.id", "r.client_id")
          .select(["p.id", "r.state", "c.display_name", clientTags("c")])
        return keys("p").reduce((ordered, key) => ordered.orderBy(key), rows)
      }
      const page = (text: TextMatch | undefined) => read(pageOf(text))
      /**
       * The page among the folder's first `searchWindowPages` pages only (filters applied to them),
       * when it is full there: every later dialog sorts after all of these.
       */
      const windowPage = Effect.suspend(() => {
        const size = searchWindowPages * (query.limit + 1)
        const first = keys("d").reduce((ordered, key) => ordered.orderBy(key), alone.select("d.id").where((eb) => eb.and(folderScope(query, after)(eb)))).limit(size)
        // The page when it is full there, or when the folder ends there (the window held all of it).
        return Effect.map(overIds(first, pageOf(undefined, k<SqlBool>`d.id = ANY (t.ids)`), "id"), (found) =>
          found.rows.length > query.limit || found.length < size ? found.rows : undefined)
      })
      const words = query.filters?.text === undefined ? [] : Listing.searchWords(query.filters.text)
      let rows: ReadonlyArray<{ readonly id: string; readonly state: unknown; readonly display_name: string | null; readonly client_tags: unknown }>
      if (words.length === 0) {
        // A tag on more than `searchSetLimit` clients: a page among the folder's first pages (a common tag), else from their
        // dialogs while they are at most `tagSetLimit`, else a walk.
        const tags = tagged === undefined && searchSetLimit > 0 ? allTags(query) : undefined
        rows = tags === undefined
          ? yield* page(undefined)
          : (searchWindowPages > 0 ? yield* windowPage : undefined) ?? (yield* ofClients(tags, (theirs) => pageOf(undefined, theirs), "id")) ?? (yield* page(undefined))
      } else {
        const tsquery = toTsQuery(words)
        const plan = searchPlan(words, yield* searchStatistics, { setLimit: searchSetLimit, windowPages: searchWindowPages })
        // Words expected in few dialogs (or no window): the probe first; its matches are the page unless it overflows.
        const probed = plan.windowFirst && searchWindowPages > 0 ? undefined : yield* probeText(words, plan)
        if (probed !== undefined && (probed._tag === "Hits" || searchWindowPages === 0)) rows = yield* page(probed)
        else {
          const window = joined
            .select(["d.id", "d.state", "c.display_name", clientTags("c"), "c.search as client_search", "d.activity_key", "d.processing_group", "d.processing_key"])
            .where(folderFilter(query, after, { _tag: "Elsewhere" }, tagged, dated))
          const windowOrdered = keys("d").reduce((ordered, key) => ordered.orderBy(key), window).limit(searchWindowPages * (query.limit + 1))
          const first = db.selectFrom(windowOrdered.as("w")).leftJoinLateral(messageHit(tsquery, "w.id"), (join) => join.onTrue())
            .select(["w.id", "w.state", "w.display_name", "w.client_tags"])
            .where(k<SqlBool>`(w.client_search @@ to_tsquery('simple', ${tsquery}) OR mh.hit)`)
          const early = yield* read(keys("w").reduce((ordered, key) => ordered.orderBy(key), first).limit(query.limit + 1))
          // A full page from the window is the page: every later dialog sorts after all of these.
          rows = early.length > query.limit ? early : yield* page(probed ?? (yield* probeText(words, plan)))
        }
      }
      const items: Array<DialogRow> = []
      for (const row of rows.slice(0, query.limit)) {
        const state = yield* decodeDialog(row.state, row.id)
        items.push(Listing.toRow(state, query.viewer, row.display_name ?? "", pinnedTags(row.client_tags)))
      }
      const last = items[items.length - 1]
      return { items, nextCursor: rows.length > query.limit && last !== undefined ? Option.some(Listing.encodeCursor(Listing.sortKey(last, query.sort))) : Option.none() }
    }).pipe(Effect.withSpan("SqlStore.listDialogs"))

  const store: StoreService = {
    loadDialog: (id) => loadVersioned("dialog", id, decodeDialog),
    loadClient: (id) => loadVersioned("client", id, decodeClient),
    loadOperator: (id) => loadVersioned("operator", id, decodeOperator),
    listOperators: () => Effect.flatMap(read(db.selectFrom("operators").select(["id", "version", "state"]).orderBy("id")), Effect.forEach(versioned(decodeOperator))),
    findInbound: (channelId, externalId) =>
      Effect.gen(function* () {
        const [client, dialog] = (yield* lookupAll([
          { kind: "inboundClient", key: channelId, key2: externalId },
          { kind: "inboundDialog", key: channelId, key2: externalId }
        ])) as [Option.Option<LookupRow>, Option.Option<LookupRow>]
        if (Option.isNone(client)) return Option.none()
        const found = yield* versioned(decodeClient)({ id: `${channelId}:${externalId}`, version: client.value.version ?? 0, state: client.value.payload })
        const current = Option.isNone(dialog)
          ? Option.none<Versioned<DialogState>>()
          : Option.some(yield* versioned(decodeDialog)({ id: `${channelId}:${externalId}`, version: dialog.value.version ?? 0, state: dialog.value.payload }))
        return Option.some({ client: found, dialog: current })
      }),
    findClient: (channelId, externalId) =>
      Effect.map(lookup("identity", channelId, externalId), Option.flatMap((row) => (typeof row.payload === "string" ? Option.some(row.payload as ClientState["id"]) : Option.none()))),
    commit,
    commitFirstContact,
    commitUnseen,
    readStream: (id) =>
      Effect.flatMap(read(db.selectFrom("events").select(["position", "stream_id", "version", "payload"]).where("stream_id", "=", id).orderBy("version")), Effect.forEach(toStored)),
    readAll: (after, limit) =>
      Effect.flatMap(
        read(db.selectFrom("events").select(["position", "stream_id", "version", "payload"]).where("position", ">", after).orderBy("position").limit(limit)),
        Effect.forEach(toStored)
      ),
    recordPresence: (operatorId, presence, at) =>
      Effect.asVoid(
        Effect.orDie(run(
          db.insertInto("operator_presence").values({ operator_id: operatorId, presence, last_heartbeat_at: at }).onConflict((oc) =>
            oc.column("operator_id").doUpdateSet({ presence: (eb) => eb.ref("excluded.presence"), last_heartbeat_at: (eb) => eb.ref("excluded.last_heartbeat_at") })
              .where("operator_presence.last_heartbeat_at", "<=", (eb) => eb.ref("excluded.last_heartbeat_at"))
          )
        ))
      ),
    presences: () =>
      Effect.map(
        read(db.selectFrom("operator_presence").select(["operator_id", "presence", "last_heartbeat_at"])),
        (rows) => new Map(rows.map((row) => [row.operator_id as UserId, { presence: row.presence as PresenceRecord["presence"], lastHeartbeatAt: num(row.last_heartbeat_at) }]))
      ),
    lastPosition: Effect.map(
      read(db.selectFrom("events").select((eb) => eb.fn.max("position").as("position"))),
      (rows) => Number(rows[0]?.position ?? 0)
    ),
    messages: (query) =>
      Effect.gen(function* () {
        const before = yield* Listing.checkMessageQuery(query)
        let q = db.selectFrom("messages").select(["dialog_id", "seq", "payload"]).where("dialog_id", "=", query.dialogId)
        if (!query.includeInternal) q = q.where("internal", "=", false)
        if (before !== undefined) q = q.where("seq", "<", before)
        if (query.beforeTime !== undefined) q = q.where("created_at", "<", query.beforeTime)
        const rows = yield* read(q.orderBy("seq", "desc").limit(query.limit + 1))
        const items = yield* Effect.forEach(rows.slice(0, query.limit), (row) => decodeMessage(row.payload, `${row.dialog_id}#${row.seq}`))
        const last = items[items.length - 1]
        return { items, nextCursor: rows.length > query.limit && last !== undefined ? Option.some(Listing.encodeHistoryCursor(last.seq)) : Option.none() }
      }),
    listDialogs,
    unread: (viewer) => {
      // Unread for the user: client messages past what they read, or marked unread by them. Each count on its own, so the
      // queue's is an index-only scan of `dialogs_queued_unread` (migration 13) and the user's own dialogs come by assignee.
      const unreadBy = k<SqlBool>`(client_message_count > COALESCE((read_counts ->> ${viewer.userId as string})::integer, 0)
        OR COALESCE(marked_unread @> to_jsonb(${viewer.userId as string}::text), false))`
      const count = (folder: Expression<SqlBool>) =>
        db.selectFrom("dialogs").select(k<number | string>`count(*)`.as("n")).where("deleted", "=", false).where(folder).where(unreadBy)
      return Effect.map(
        read(
          db.selectNoFrom([
            count(k<SqlBool>`status = 'queued'`).as("fresh"),
            count(k<SqlBool>`status = 'active' AND assignee_id = ${viewer.userId as string}`).as("mine")
          ])
        ),
        (rows) => {
          const fresh = num(rows[0]?.fresh ?? 0)
          const mine = num(rows[0]?.mine ?? 0)
          return { total: fresh + mine, new: fresh, mine }
        }
      )
    },
    tagCounts: (query) =>
      Effect.gen(function* () {
        const limit = yield* Listing.checkTagCountLimit(query.limit)
        // The list's query without its text: the same filters, the same probes.
        const { text: _text, ...filters } = (query.filters ?? {}) as DialogFilters
        const listed: DialogQuery = { viewer: query.viewer, folder: query.folder, filters, limit }
        const tagged = yield* probeTags(listed)
        const dated = yield* probePeriod(listed)
        const counts = (narrowed: Expression<SqlBool>) =>
          db.selectFrom(
            db.selectFrom("dialogs as d")
              .innerJoin("clients as c", "c.id", "d.client_id")
              .where(folderFilter(listed, undefined, undefined, tagged, dated))
              .where(narrowed)
              // Untagged clients add no row anyway; saying so lets the planner start from the tagged clients.
              .where(k<SqlBool>`cardinality(c.tag_ids) > 0`)
              .select(k<string>`unnest(c.tag_ids)`.as("tag_id"))
              .as("s")
          )
            .select(["s.tag_id", k<number | string>`count(*)`.as("dialogs")])
            .groupBy("s.tag_id")
            .orderBy(k`count(*)`, "desc")
            .orderBy("s.tag_id")
            .limit(limit)
        // Everyone's archive (it keeps growing, and holds nearly every client's dialogs) is counted from its tagged clients'
        // dialogs while they are not too many: grouping all of it reads every wide dialog row (~50 ms for 60,000). The other
        // folders, and one operator's archive, are small enough to group.
        const wide = query.viewer.seesAll && query.folder === "archive" && filters.operatorId === undefined && tagged === undefined && searchSetLimit > 0
        const rows = (wide ? yield* ofClients(allTags(listed) ?? k<SqlBool>`cardinality(tag_ids) > 0`, counts, "tag_id") : undefined) ?? (yield* read(counts(k<SqlBool>`true`)))
        return rows.map((row) => ({ tagId: TagId.make(row.tag_id), dialogs: num(row.dialogs) }))
      }),
    queued: (limit) =>
      Effect.flatMap(
        read(
          db.selectFrom("dialogs")
            .select(["id", "version", "state"])
            .where("status", "=", "queued")
            .where("deleted", "=", false)
            .orderBy(k`COALESCE(enqueued_at, 0)`)
            .orderBy("id")
            .limit(limit)
        ),
        Effect.forEach(versioned(decodeDialog))
      ),
    loadOf: (operatorId: UserId) =>
      Effect.map(
        read(db.selectFrom("dialog_owners").select(["dialog_id", "channel_id", "kind", "on_hold"]).where("operator_id", "=", operatorId).orderBy("dialog_id")),
        (rows) =>
          rows.map((row): LoadEntry => ({
            dialogId: row.dialog_id as LoadEntry["dialogId"],
            channelId: row.channel_id as ChannelId,
            kind: row.kind,
            onHold: row.on_hold
          }))
      ),
    loads: () =>
      Effect.map(read(db.selectFrom("dialog_owners").select(["operator_id", "dialog_id", "channel_id", "kind", "on_hold"]).orderBy("operator_id").orderBy("dialog_id")), (rows) => {
        const all = new Map<UserId, Array<LoadEntry>>()
        for (const row of rows) {
          const operatorId = row.operator_id as UserId
          const entry: LoadEntry = { dialogId: row.dialog_id as LoadEntry["dialogId"], channelId: row.channel_id as ChannelId, kind: row.kind, onHold: row.on_hold }
          all.set(operatorId, [...(all.get(operatorId) ?? []), entry])
        }
        return all
      }),
    getSettings: () => Effect.flatMap(lookup("settings"), Option.match({ onNone: () => Effect.succeed(defaults), onSome: (row) => decodeSettings(row.payload, "1") })),
    config: () =>
      Effect.gen(function* () {
        const rows = yield* Effect.orDie(sql.unsafe<{ readonly version: number | null; readonly settings: unknown; readonly channels: unknown }>(configSql))
        const row = rows[0]
        const settings = row === undefined || row.settings === null ? defaults : yield* decodeSettings(row.settings, "1")
        const channels = yield* Effect.forEach(Array.isArray(row?.channels) ? row.channels : [], (payload, index) => decodeChannel(payload, `#${index}`))
        return { version: row?.version ?? 0, settings, channels } satisfies ConfigSnapshot
      }),
    saveSettings: (settings) =>
      Effect.asVoid(Effect.orDie(sql.unsafe(bumpConfig(`INSERT INTO settings (id, payload) VALUES (1, $1::jsonb) ON CONFLICT (id) DO UPDATE SET payload = excluded.payload`), [encodeSettings(settings)]))),
    putChannel: (channel) =>
      Effect.asVoid(
        Effect.orDie(sql.unsafe(bumpConfig(`INSERT INTO channels (id, payload) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO UPDATE SET payload = excluded.payload`), [channel.id, encodeChannel(channel)]))
      ),
    getChannel: (id) => Effect.flatMap(lookup("channel", id), Option.match({ onNone: () => Effect.succeedNone, onSome: (row) => Effect.asSome(decodeChannel(row.payload, id)) })),
    listChannels: () =>
      Effect.flatMap(read(db.selectFrom("channels").select(["id", "payload"]).orderBy("id")), Effect.forEach((row) => decodeChannel(row.payload, row.id))),
    claimDue: (now, limit, leaseMs) =>
      Effect.map(
        read(
          db.updateTable("timers")
            .set({ token: k<string>`gen_random_uuid()::text`, leased_until: now + leaseMs })
            .where("key", "in", (eb) =>
              eb.selectFrom("timers")
                .select("key")
                .where("due_at", "<=", now)
                .where("leased_until", "<=", now)
                .orderBy("due_at")
                .orderBy("key")
                .limit(limit)
                .forUpdate()
                .skipLocked()
            )
            .returning(["key", "kind", "subject", "due_at", "token"])
        ),
        (rows) =>
          rows
            .map((row): ClaimedTimer => ({ key: row.key, kind: row.kind, subject: row.subject, dueAt: num(row.due_at), token: row.token }))
            .sort((a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      ),
    completeTimer: (timer) => Effect.asVoid(read(db.deleteFrom("timers").where("key", "=", timer.key).where("token", "=", timer.token))),
    nextDueAt: () =>
      Effect.map(read(db.selectFrom("timers").select((eb) => eb.fn.min("due_at").as("next"))), (rows) =>
        Option.map(Option.fromNullable(rows[0]?.next), num)
      )
  }
  return store
})

/** Tuning of `makeWith`; the defaults suit a production database. */
export interface Options {
  /**
   * A search whose words match at most this many messages and at most this many client names is
   * answered from the matches (see `listDialogs`); above it, by walking the folder. The same bound
   * applies to a client-tag filter: at most this many tagged clients are looked up by their
   * dialogs, and up to 10 times as many when a window of the folder's first pages holds no full
   * page (everyone's archive counts its tags from them too; 0: always a walk); and a past period
   * holding at most 100 times as many messages is answered from its messages. Default 2000.
   */
  readonly searchSetLimit?: number | undefined
  /** A search first looks for a full page among this many pages of the folder (0: never). Default 10. */
  readonly searchWindowPages?: number | undefined
  /**
   * How common search words are (see `searchPlan`): read from `pg_stats` by default; tests pass
   * figures (or "none") to force each plan.
   */
  readonly searchStatistics?: SearchStatistics | "none" | undefined
}

/**
 * The `Store` over PostgreSQL's dialect, on whatever `SqlClient` is provided (PostgreSQL through
 * `@effect/sql-pg`, or embedded PGlite). Expects the schema from `Migrations`.
 */
export const make: Effect.Effect<StoreService, never, SqlClient.SqlClient> = makeWith()

/** The store on a provided `SqlClient`; migrates the schema (in the current `search_path`) first. */
export const layer: Layer.Layer<Store, SqlError | Migrations.SchemaTooNew, SqlClient.SqlClient> = Layer.effect(
  Store,
  Effect.zipRight(Migrations.run(), make)
)

/** `layer` with `Options`. */
export const layerWith = (options: Options): Layer.Layer<Store, SqlError | Migrations.SchemaTooNew, SqlClient.SqlClient> =>
  Layer.effect(Store, Effect.zipRight(Migrations.run(), makeWith(options)))

/** The embedded default: PGlite in `dataDir`, or in memory when no folder is given. */
export const layerPglite = (options: PgliteClient.PgliteOptions = {}): Layer.Layer<Store, SqlError | Migrations.SchemaTooNew> =>
  layer.pipe(Layer.provide(PgliteClient.layer(options)))

/** Connection settings for PostgreSQL. */
export interface PgOptions {
  /** `postgres://user@host:5432/db` (`DATABASE_URL`). */
  readonly url: string | Redacted.Redacted
  /** Use this schema instead of the server's default `search_path`. */
  readonly schema?: string | undefined
  readonly maxConnections?: number | undefined
}

/** The URL with `search_path` set for every connection of the pool. */
export const urlWithSchema = (url: string | Redacted.Redacted, schema: string | undefined): Redacted.Redacted => {
  const raw = Redacted.isRedacted(url) ? Redacted.value(url) : url
  if (schema === undefined) return Redacted.make(raw)
  const parsed = new URL(raw)
  parsed.searchParams.set("options", `-c search_path=${schema}`)
  return Redacted.make(parsed.toString())
}

/** A `SqlClient` (and `PgClient`) pool on PostgreSQL. */
export const pgClientLayer = (options: PgOptions): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError> =>
  PgClient.layer({
    url: urlWithSchema(options.url, options.schema),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    applicationName: "switchboard"
  })

/** The store on PostgreSQL (`DATABASE_URL`), migrating the schema at build. */
export const layerPg = (options: PgOptions): Layer.Layer<Store, SqlError | Migrations.SchemaTooNew> =>
  layer.pipe(Layer.provide(pgClientLayer(options)))

/**
 * Create a fresh schema for the scope, drop it afterwards: tests and benchmarks get an empty,
 * isolated database on a shared server. Yields the schema's name.
 */
export const scratchSchema = (url: string | Redacted.Redacted) =>
  Effect.gen(function* () {
    const name = `sb_${randomUUID().replaceAll("-", "").slice(0, 16)}`
    const admin = yield* Layer.build(pgClientLayer({ url, maxConnections: 1 }))
    const sql = Context.get(admin, SqlClient.SqlClient)
    yield* Effect.acquireRelease(sql.unsafe(`CREATE SCHEMA ${name}`), () => Effect.ignore(sql.unsafe(`DROP SCHEMA ${name} CASCADE`)))
    return name
  })

/** The store on a fresh, private schema of a PostgreSQL server, dropped when the layer is released. */
export const layerPgScratch = (options: PgOptions): Layer.Layer<Store, SqlError | Migrations.SchemaTooNew> =>
  Layer.unwrapScoped(Effect.map(scratchSchema(options.url), (schema) => layerPg({ ...options, schema })))

/** The `@effect/sql` client module the store runs on, for callers outside this package (benchmarks, tools). */
export { SqlClient }
