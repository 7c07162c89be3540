import type { SqlClient } from "@effect/sql"
import type { ClaimedTimer, TimerStoreService } from "@switchboard/core"
import { Effect, Option } from "effect"
import { sql as k } from "kysely"
import { db, num, queries } from "./Tables.js"

/**
 * The `TimerStore` on PostgreSQL or PGlite. A claim is one UPDATE of the due rows it locks with
 * SKIP LOCKED (a new token, a lease), so schedulers on several servers never claim one timer twice.
 */
export const make = (sql: SqlClient.SqlClient): TimerStoreService => {
  const { read } = queries(sql)
  return {
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
}
