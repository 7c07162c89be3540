import type { SqlClient } from "@effect/sql"
import { ChannelId, type ChannelSecretStoreService, type ClaimedOutbox, DialogId, Message as Messages, MessageId, type OutboxRow, type OutboxStatus, type OutboxStoreService } from "@switchboard/core"
import { Effect, Option, Redacted, Schema } from "effect"
import { num } from "./Tables.js"

const decodeMessage = Schema.decodeUnknownSync(Messages.Message)

interface Row {
  readonly message_id: string
  readonly channel_id: string
  readonly recipient: string
  readonly message: unknown
  readonly attempts: number
  readonly token: string
  readonly last_error?: string | null
}

interface LogRow extends Row {
  readonly status: string
  readonly last_error: string | null
  readonly provider_message_id: string | null
  readonly updated_at: number | string
}

/** jsonb arrives parsed from PostgreSQL, as text from some drivers. */
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

const claimed = (row: Row): ClaimedOutbox => ({
  message: decodeMessage(json(row.message)),
  channelId: ChannelId.make(row.channel_id),
  recipient: row.recipient,
  token: row.token,
  attempts: row.attempts,
  lastError: row.last_error ?? undefined
})

/**
 * The `OutboxStore` on PostgreSQL or PGlite (rows are written by `switchboard_commit`). A claim is
 * one UPDATE of the rows it locks with SKIP LOCKED (a new token, a lease), taking a dialog's
 * oldest pending row only, so workers on several servers never claim one row twice and a dialog's
 * replies go out in order.
 */
export const make = (sql: SqlClient.SqlClient): OutboxStoreService & ChannelSecretStoreService => {
  /** The columns are whole milliseconds (bigint); a clock may hand over a fraction (TestClock after a jittered sleep). */
  const ms = Math.floor
  const run = <R extends object>(text: string, params: ReadonlyArray<unknown>) => Effect.orDie(sql.unsafe<R>(text, params as Array<unknown>))
  return {
    claimOutbox: (now, limit, leaseMs) =>
      Effect.map(
        run<Row & { readonly seq: number | string }>(
          `UPDATE outbox o SET token = gen_random_uuid()::text, leased_until = $1
           WHERE o.message_id IN (
             SELECT p.message_id FROM outbox p
             WHERE p.status = 'pending' AND p.leased_until <= $2
               AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.dialog_id = p.dialog_id AND e.status = 'pending' AND e.seq < p.seq)
             ORDER BY p.seq LIMIT $3
             FOR UPDATE SKIP LOCKED
           ) AND o.status = 'pending' AND o.leased_until <= $2
           RETURNING o.message_id, o.seq, o.channel_id, o.recipient, o.message, o.attempts, o.last_error, o.token`,
          [ms(now + leaseMs), ms(now), limit]
        ),
        (rows) => [...rows].sort((a, b) => num(a.seq) - num(b.seq)).map(claimed)
      ),
    outboxAttemptFailed: (claim, reason, at, leaseUntil) =>
      Effect.map(
        run(
          `UPDATE outbox SET attempts = attempts + 1, last_error = $1, updated_at = $2, leased_until = $3
           WHERE message_id = $4 AND token = $5 AND status = 'pending' RETURNING 1 AS held`,
          [reason, ms(at), ms(leaseUntil), claim.message.id, claim.token]
        ),
        (rows) => rows.length > 0
      ),
    settleOutbox: (claim, outcome, at) =>
      Effect.map(
        run(
          `UPDATE outbox SET attempts = attempts + $1, status = $2, last_error = COALESCE($3, last_error),
             provider_message_id = $4, updated_at = $5, leased_until = 0
           WHERE message_id = $6 AND token = $7 AND status = 'pending' RETURNING 1 AS held`,
          outcome._tag === "Sent"
            ? [1, "sent", null, outcome.providerMessageId, ms(at), claim.message.id, claim.token]
            : [0, "failed", outcome.reason, null, ms(at), claim.message.id, claim.token]
        ),
        (rows) => rows.length > 0
      ),
    findSent: (channelId, providerMessageId) =>
      Effect.map(
        run<{ readonly message_id: string; readonly dialog_id: string }>(
          `SELECT message_id, dialog_id FROM outbox WHERE channel_id = $1 AND provider_message_id = $2 LIMIT 1`,
          [channelId, providerMessageId]
        ),
        (rows) => Option.map(Option.fromNullable(rows[0]), (row) => ({ messageId: MessageId.make(row.message_id), dialogId: DialogId.make(row.dialog_id) }))
      ),
    deliveryLog: (channelId, limit) =>
      Effect.map(
        run<LogRow>(
          `SELECT message_id, channel_id, recipient, message, attempts, token, status, last_error, provider_message_id, updated_at
           FROM outbox WHERE channel_id = $1 ORDER BY seq DESC LIMIT $2`,
          [channelId, limit]
        ),
        (rows) =>
          rows.map((row): OutboxRow => ({
            message: decodeMessage(json(row.message)),
            channelId: ChannelId.make(row.channel_id),
            recipient: row.recipient,
            status: row.status as OutboxStatus,
            attempts: row.attempts,
            lastError: Option.fromNullable(row.last_error),
            providerMessageId: Option.fromNullable(row.provider_message_id),
            updatedAt: num(row.updated_at)
          }))
      ),
    putSecrets: (channelId, secrets) =>
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql.unsafe(`DELETE FROM channel_secrets WHERE channel_id = $1`, [channelId])
          for (const [name, value] of Object.entries(secrets)) {
            yield* sql.unsafe(`INSERT INTO channel_secrets (channel_id, name, value) VALUES ($1, $2, $3)`, [channelId, name, Redacted.value(value)])
          }
        })
      ).pipe(Effect.orDie),
    getSecrets: (channelId) =>
      Effect.map(
        run<{ readonly name: string; readonly value: string }>(`SELECT name, value FROM channel_secrets WHERE channel_id = $1`, [channelId]),
        (rows) => Object.fromEntries(rows.map((row) => [row.name, Redacted.make(row.value)]))
      )
  }
}
