import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { num } from "./Tables.js"

/** Words of a search box as a prefix tsquery: `parc lat` finds "my parcel is late". */
export const toTsQuery = (words: ReadonlyArray<string>): string => words.map((word) => `${word}:*`).join(" & ")

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
export type TextMatch =
  | { readonly _tag: "Hits"; readonly dialogs: ReadonlyArray<string>; readonly clients: ReadonlyArray<string> }
  | { readonly _tag: "Walk"; readonly tsquery: string }
  | { readonly _tag: "Elsewhere" }
