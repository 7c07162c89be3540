import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { Versioned } from "@switchboard/core"
import { Channel as Channels, Client, Dialog, Message as Messages, Operator, Settings as Config } from "@switchboard/core"
import { Data, Effect, Either, ParseResult, Schema } from "effect"
import {
  type ColumnType,
  type Compilable,
  DummyDriver,
  type GeneratedAlways,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler
} from "kysely"

const { Channel } = Channels
const { ClientEvent, ClientState } = Client
const { DialogEvent, DialogState } = Dialog
const { Message } = Messages
const { OperatorEvent, OperatorState } = Operator
const { Settings } = Config

type Big = ColumnType<number | string, number, number>
type NullableBig = ColumnType<number | string | null, number | null, number | null>
type Json = ColumnType<unknown, string, string>

/** The store's tables as Kysely sees them (the schema of `Migrations`). */
export interface Tables {
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
export const db = new Kysely<Tables>({
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

/** A bigint column as a number (drivers hand them over as strings). */
export const num = (value: unknown): number => (typeof value === "number" ? value : Number(value))

const decoder = <A, I>(schema: Schema.Schema<A, I>, table: string, column: string) => {
  const decode = Schema.decodeUnknownEither(schema)
  return (value: unknown, key: string): Effect.Effect<A> =>
    Either.match(decode(value), {
      onLeft: (error) => Effect.die(new MalformedRow({ table, column, key, detail: ParseResult.TreeFormatter.formatErrorSync(error) })),
      onRight: Effect.succeed
    })
}

/** Decodes a dialog row's state. Every decoder of a stored JSON column makes a row that does not decode a `MalformedRow` defect. */
export const decodeDialog = decoder(DialogState, "dialogs", "state")
/** Decodes a client row's state. */
export const decodeClient = decoder(ClientState, "clients", "state")
/** Decodes an operator row's state. */
export const decodeOperator = decoder(OperatorState, "operators", "state")
/** Decodes an event's payload. */
export const decodeEvent = decoder(DomainEvent, "events", "payload")
/** Decodes a message row's payload. */
export const decodeMessage = decoder(Message, "messages", "payload")
/**
 * Decodes the settings row's payload; the same stored JSON decodes to the same value as last time,
 * without running the schema again. Every panel request reads the settings several times (the
 * session's language, the dialog's rules, its SLA, the composer), and decoding them took ~1.4 ms
 * each on the shared benchmark machine against ~0.01 ms to serialize the row's JSON to compare
 * (`bench/panel/actions.ts`, `actions-results.md`).
 */
export const decodeSettings = (() => {
  const decode = decoder(Settings, "settings", "payload")
  let last: { readonly text: string; readonly settings: Config.Settings } | undefined
  return (value: unknown, key: string): Effect.Effect<Config.Settings> => {
    const text = JSON.stringify(value)
    if (last !== undefined && last.text === text) return Effect.succeed(last.settings)
    return Effect.tap(decode(value, key), (settings) => Effect.sync(() => {
      last = { text, settings }
    }))
  }
})()
/** Decodes a channel row's payload. */
export const decodeChannel = decoder(Channel, "channels", "payload")

/** A row of a table as it is read. */
export type Row<T extends keyof Tables> = { [K in keyof Tables[T]]: Tables[T][K] extends ColumnType<infer S, infer _I, infer _U> ? S : Tables[T][K] }
/** A row as written through a jsonb argument: without its generated columns, JSON columns as values. */
export type EncodedRow<T extends keyof Tables, Generated extends keyof Tables[T], JsonColumn extends keyof Tables[T]> =
  & Omit<Row<T>, Generated | JsonColumn>
  & { readonly [K in JsonColumn]: unknown }

/** A stream row (`id`, `version`, `state`) as the state it holds, decoded. */
export const versioned = <S>(decode: (value: unknown, key: string) => Effect.Effect<S>) => (row: { id: string; version: number; state: unknown }) =>
  Effect.map(decode(row.state, row.id), (state): Versioned<S> => ({ version: row.version, state }))

/** Runs Kysely-compiled queries on a `SqlClient`: `run` keeps SQL errors, `read` makes them defects. */
export const queries = (sql: SqlClient.SqlClient) => {
  const run = <R>(query: Compilable<R>): Effect.Effect<ReadonlyArray<R>, SqlError> => {
    const compiled = query.compile()
    return sql.unsafe<R & object>(compiled.sql, compiled.parameters)
  }
  const read = <R>(query: Compilable<R>): Effect.Effect<ReadonlyArray<R>> => Effect.orDie(run(query))
  return { run, read } as const
}
