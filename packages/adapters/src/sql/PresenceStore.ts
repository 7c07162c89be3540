import type { SqlClient } from "@effect/sql"
import type { ChannelId, LoadEntry, PresenceEntry, PresenceRecord, PresenceStoreService, UserId } from "@switchboard/core"
import { Effect } from "effect"
import { db, num, queries } from "./Tables.js"

/**
 * The `PresenceStore` on PostgreSQL or PGlite: presence in `operator_presence` (the newest record
 * wins in the upsert itself), load from `dialog_owners`, which every commit keeps from the dialogs' state.
 */
export const make = (sql: SqlClient.SqlClient): PresenceStoreService => {
  const { read, run } = queries(sql)
  /** One upsert of every record (at most one per operator: the newest), the newest record winning against the stored one. */
  const record = (records: ReadonlyArray<PresenceEntry>) => {
    const newest = new Map<string, PresenceEntry>()
    for (const entry of records) {
      const known = newest.get(entry.operatorId)
      if (known === undefined || known.at <= entry.at) newest.set(entry.operatorId, entry)
    }
    if (newest.size === 0) return Effect.void
    return Effect.asVoid(
      Effect.orDie(run(
        db.insertInto("operator_presence").values([...newest.values()].map((entry) => ({ operator_id: entry.operatorId, presence: entry.presence, last_heartbeat_at: entry.at }))).onConflict((oc) =>
          oc.column("operator_id").doUpdateSet({ presence: (eb) => eb.ref("excluded.presence"), last_heartbeat_at: (eb) => eb.ref("excluded.last_heartbeat_at") })
            .where("operator_presence.last_heartbeat_at", "<=", (eb) => eb.ref("excluded.last_heartbeat_at"))
        )
      ))
    )
  }
  return {
    recordPresence: (operatorId, presence, at) => record([{ operatorId, presence, at }]),
    recordPresences: record,
    presences: () =>
      Effect.map(
        read(db.selectFrom("operator_presence").select(["operator_id", "presence", "last_heartbeat_at"])),
        (rows) => new Map(rows.map((row) => [row.operator_id as UserId, { presence: row.presence as PresenceRecord["presence"], lastHeartbeatAt: num(row.last_heartbeat_at) }]))
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
    loads: (scope) => {
      const query = db.selectFrom("dialog_owners").select(["operator_id", "dialog_id", "channel_id", "kind", "on_hold"])
      const operators = [...new Set(scope?.operators ?? [])]
      // A scope reads its operators' rows (by `dialog_owners_operator`) and the offers (by `dialog_owners_one_offer`), not the whole table.
      const some = scope === undefined
        ? query
        : query.where((eb) => operators.length === 0 ? eb("kind", "=", "offered") : eb.or([eb("operator_id", "in", operators), eb("kind", "=", "offered")]))
      return Effect.map(read(some.orderBy("operator_id").orderBy("dialog_id")), (rows) => {
        const all = new Map<UserId, Array<LoadEntry>>()
        for (const row of rows) {
          const operatorId = row.operator_id as UserId
          const entry: LoadEntry = { dialogId: row.dialog_id as LoadEntry["dialogId"], channelId: row.channel_id as ChannelId, kind: row.kind, onHold: row.on_hold }
          // Appended in place: copying the operator's list per row was quadratic in their dialogs.
          const entries = all.get(operatorId)
          if (entries === undefined) all.set(operatorId, [entry])
          else entries.push(entry)
        }
        return all
      })
    }
  }
}
