import type { SqlClient } from "@effect/sql"
import { type HistoryStoreService, Listing } from "@switchboard/core"
import { Effect, Option } from "effect"
import { db, decodeMessage, queries } from "./Tables.js"

/** The `HistoryStore` on PostgreSQL or PGlite: a dialog's messages by `seq`, from the `messages` projection. */
export const make = (sql: SqlClient.SqlClient): HistoryStoreService => {
  const { read } = queries(sql)
  return {
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
      })
  }
}
