import type { DialogQuery } from "@switchboard/core"
import { type Expression, type ExpressionBuilder, sql as k, type SqlBool } from "kysely"
import type { TextMatch } from "./ListPlanner.js"
import type { Tables } from "./Tables.js"

/** Conditions on a list's dialogs (`d`) and their clients (`c`). */
export type ListBuilder = ExpressionBuilder<{ d: Tables["dialogs"]; c: Tables["clients"] }, "d" | "c">

/**
 * The dialogs of these clients, by `dialogs_client_status` (migration 12). The ids pass through a
 * subquery, which the planner takes for a short list whatever its length: shown 10,000 ids, it
 * would rather walk the folder in page order, hoping to fill a page early, and walk all of it when
 * the other filters match little. Here the caller has already chosen the clients' dialogs.
 */
export const clientIn = (ids: ReadonlyArray<string>): Expression<SqlBool> =>
  ids.length === 0 ? k<SqlBool>`false` : k<SqlBool>`d.client_id = ANY (ARRAY(SELECT unnest(${k.val(ids)}::text[])) COLLATE "C")`

/** The folder as the viewer sees it, after the cursor: what the folder indexes lead with, without the list's filters. */
export const folderScope = (query: DialogQuery, after: readonly [number, number, string] | undefined) => (eb: ListBuilder): Array<Expression<SqlBool>> => {
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

/** Every condition of a list query on its dialogs and clients: the folder, the filters, and how the text search and the probes (`DialogListStore`) narrowed it. */
export const folderFilter = (
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
