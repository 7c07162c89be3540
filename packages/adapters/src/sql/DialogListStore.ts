import { SqlClient } from "@effect/sql"
import {
  type DialogFilters,
  type DialogId,
  type DialogListStoreService,
  type DialogQuery,
  type DialogRow,
  type InvalidInput,
  type Page,
  TagId
} from "@switchboard/core"
import { type Dialog, Listing } from "@switchboard/core"
import { Clock, Duration, Effect, Option } from "effect"
import { type Expression, sql as k, type SqlBool } from "kysely"
import { folderFilter, folderScope } from "./ListFilters.js"
import { readSearchStatistics, type SearchStatistics, searchPlan, type TextMatch, toTsQuery } from "./ListPlanner.js"
import { db, decodeDialog, num, queries, versioned } from "./Tables.js"

/** Tuning of the dialog list's plans; the defaults suit a production database. */
export interface ListOptions {
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

/** The pinned tags of a client's stored tags (`[{ tagId, pinned }]`); anything else holds none. */
const pinnedTags = (stored: unknown): ReadonlyArray<TagId> =>
  Array.isArray(stored)
    ? stored.flatMap((tag: unknown) =>
      typeof tag === "object" && tag !== null && "pinned" in tag && tag.pinned === true && "tagId" in tag && typeof tag.tagId === "string" ? [TagId.make(tag.tagId)] : [])
    : []

/** The length of the buckets of `message_hours` (migration 14): an hour, in ms. */
const hourMs = 3_600_000

/**
 * The `DialogListStore` on PostgreSQL or PGlite. The folder and filter rules are core's
 * (`Listing`), as SQL conditions in `ListFilters`; this file chooses how each list is read (a
 * walk of a folder index, or a page cut from the set a probe found: `ListPlanner`).
 */
/** How many listed dialogs' decoded states a store keeps (a few pages of every folder of every user). */
const decodedCapacity = 5_000

export const make = (sql: SqlClient.SqlClient, options: ListOptions = {}): Effect.Effect<DialogListStoreService> => Effect.gen(function* () {
  const { read } = queries(sql)
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

  /**
   * The list's dialogs as last decoded, by id, with their stored version: a folder's first page is
   * read again and again (every opening of a dialog lists it beside), and its rows change rarely,
   * while decoding a row's whole state with its Schema was a fifth of the time a panel page took
   * (issue 21's bench). A row of a newer (or older) version is decoded afresh. Bounded: the least
   * recently listed go first.
   */
  const decoded = new Map<string, { readonly version: number; readonly state: Dialog.DialogState }>()
  const decodedState = (row: { readonly id: string; readonly version: number; readonly state: unknown }): Effect.Effect<Dialog.DialogState> => {
    const known = decoded.get(row.id)
    if (known !== undefined && known.version === row.version) {
      decoded.delete(row.id)
      decoded.set(row.id, known)
      return Effect.succeed(known.state)
    }
    return Effect.map(decodeDialog(row.state, row.id), (state) => {
      decoded.delete(row.id)
      decoded.set(row.id, { version: row.version, state })
      if (decoded.size > decodedCapacity) decoded.delete(decoded.keys().next().value!)
      return state
    })
  }

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
        if (!fromSet) return keys("d").reduce((ordered, key) => ordered.orderBy(key), base.select(["d.id", "d.version", "d.state", "c.display_name", clientTags("c")])).limit(query.limit + 1)
        // Cut from a set (a period's thousands of dialogs): the page's dialogs first, then their clients' names and tags, not
        // every dialog of the set joined to its client before the cut. A filter on the clients keeps its join inside.
        if (dated === undefined) {
          const dialogs = keys("d").reduce((ordered, key) => ordered.orderBy(key), base.select(["d.id", "d.version", "d.state", "d.client_id", "d.activity_key", "d.processing_group", "d.processing_key"]))
            .limit(query.limit + 1)
          const named = db.selectFrom(dialogs.as("p")).leftJoin("clients as c", "c.id", "p.client_id").select(["p.id", "p.version", "p.state", "c.display_name", clientTags("c")])
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
          .select(["p.id", "r.version", "r.state", "c.display_name", clientTags("c")])
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
      let rows: ReadonlyArray<{ readonly id: string; readonly version: number; readonly state: unknown; readonly display_name: string | null; readonly client_tags: unknown }>
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
            .select(["d.id", "d.version", "d.state", "c.display_name", clientTags("c"), "c.search as client_search", "d.activity_key", "d.processing_group", "d.processing_key"])
            .where(folderFilter(query, after, { _tag: "Elsewhere" }, tagged, dated))
          const windowOrdered = keys("d").reduce((ordered, key) => ordered.orderBy(key), window).limit(searchWindowPages * (query.limit + 1))
          const first = db.selectFrom(windowOrdered.as("w")).leftJoinLateral(messageHit(tsquery, "w.id"), (join) => join.onTrue())
            .select(["w.id", "w.version", "w.state", "w.display_name", "w.client_tags"])
            .where(k<SqlBool>`(w.client_search @@ to_tsquery('simple', ${tsquery}) OR mh.hit)`)
          const early = yield* read(keys("w").reduce((ordered, key) => ordered.orderBy(key), first).limit(query.limit + 1))
          // A full page from the window is the page: every later dialog sorts after all of these.
          rows = early.length > query.limit ? early : yield* page(probed ?? (yield* probeText(words, plan)))
        }
      }
      const items: Array<DialogRow> = []
      for (const row of rows.slice(0, query.limit)) {
        const state = yield* decodedState(row)
        items.push(Listing.toRow(state, query.viewer, row.display_name ?? "", pinnedTags(row.client_tags)))
      }
      const last = items[items.length - 1]
      return { items, nextCursor: rows.length > query.limit && last !== undefined ? Option.some(Listing.encodeCursor(Listing.sortKey(last, query.sort))) : Option.none() }
    }).pipe(Effect.withSpan("DialogListStore.listDialogs"))

  return {
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
    queuedVersions: (limit) =>
      Effect.map(
        read(
          db.selectFrom("dialogs")
            .select(["id", "version"])
            .where("status", "=", "queued")
            .where("deleted", "=", false)
            .orderBy(k`COALESCE(enqueued_at, 0)`)
            .orderBy("id")
            .limit(limit)
        ),
        (rows) => rows.map((row) => ({ id: row.id as DialogId, version: num(row.version) }))
      )
  }
})
