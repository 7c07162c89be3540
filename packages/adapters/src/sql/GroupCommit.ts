import { SqlClient } from "@effect/sql"
import type { VersionConflict } from "@switchboard/core"
import { Deferred, Effect, Exit, Option, Ref } from "effect"
import { type Checked, failureOf, groupFailure } from "./SqlErrors.js"
import { num } from "./Tables.js"

/** Every write of a commit in one statement: `switchboard_commit` (`functions/switchboard_commit.sql`). */
const commitSql = `SELECT out_position, out_stream_id, out_version FROM switchboard_commit($1::jsonb)`

/**
 * A checked commit: a first contact's address or a client message's external id is checked first
 * (`functions/switchboard_first_contact.sql`), then the commit runs like every other.
 */
const checkedSql = `SELECT out_position, out_stream_id, out_version FROM switchboard_commit(switchboard_first_contact($1::jsonb))`

/** Several commits in one statement and transaction, each in its own subtransaction (`functions/switchboard_commit_group.sql`). */
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

/** The rows a commit statement returns: one per appended event. */
export type Appended = ReadonlyArray<{ readonly out_position: number | string; readonly out_stream_id: string; readonly out_version: number }>
type GroupRow = Appended[number] & { readonly out_commit: number; readonly out_sqlstate: string | null; readonly out_message: string | null; readonly out_detail: string | null }

/** A commit body waiting for a group. */
interface Queued {
  readonly json: string
  /** Sent alone, a checked commit goes through `switchboard_first_contact` (a group checks every body). */
  readonly checked: boolean
  readonly done: Deferred.Deferred<Appended, VersionConflict | Checked>
}

/**
 * Group commit. A commit issued while fewer than `groupsInFlight` statements run goes out at once,
 * alone, on the caller's own fiber; commits issued while they all run wait, then go out together
 * (at most `groupLimit`) as one `switchboard_commit_group` statement (one transaction, one WAL
 * flush), each in its own subtransaction: one that conflicts fails alone, the others land with
 * positions in queue order. Every group takes the append lock first, so groups in flight commit
 * one after the other and cannot deadlock. Inside a caller's transaction a commit runs on it, alone.
 */
export interface GroupCommit {
  /** Send one commit body (JSON of `CommitBody`); `checked`: it carries `absent` or `unseen`. */
  readonly submit: (json: string, checked: boolean) => Effect.Effect<Appended, VersionConflict | Checked>
}

/** A `GroupCommit` on a `SqlClient`. */
export const make = (sql: SqlClient.SqlClient): Effect.Effect<GroupCommit> =>
  Effect.map(Ref.make<{ readonly running: number; readonly queue: ReadonlyArray<Queued> }>({ running: 0, queue: [] }), (state) => {
    /** One commit body in a statement of its own: a checked one through its check. */
    const commitAlone = (json: string, checked: boolean): Effect.Effect<Appended, VersionConflict | Checked> =>
      Effect.catchAll(sql.unsafe<Appended[number]>(checked ? checkedSql : commitSql, [json]), (error) => failureOf(Exit.fail(error)))

    const commitGroup = (group: ReadonlyArray<Queued>): Effect.Effect<void> =>
      Effect.flatMap(Effect.exit(sql.unsafe<GroupRow>(commitGroupSql, [`[${group.map((entry) => entry.json).join(",")}]`])), (exit) => {
        if (Exit.isFailure(exit)) {
          const failure = failureOf(exit)
          return Effect.forEach(group, (entry) => Deferred.done(entry.done, failure), { discard: true })
        }
        const rows: Array<Array<GroupRow>> = group.map(() => [])
        for (const row of exit.value) rows[num(row.out_commit)]?.push(row)
        return Effect.forEach(group, (entry, index) => {
          const own = rows[index]!
          const failed = own.find((row) => row.out_sqlstate !== null)
          return Deferred.done(entry.done, failed === undefined ? Exit.succeed(own) : groupFailure(failed))
        }, { discard: true })
      })

    /** A statement slot was freed: the next group (if any is waiting) takes it, on a fiber of its own. */
    const release: Effect.Effect<void> = Effect.flatMap(
      Ref.modify(state, ({ running, queue }) =>
        queue.length === 0
          ? [Option.none(), { running: running - 1, queue }]
          : [Option.some(queue.slice(0, groupLimit)), { running, queue: queue.slice(groupLimit) }]),
      Option.match({
        onNone: () => Effect.void,
        onSome: (group) => Effect.asVoid(Effect.forkDaemon(sendGroup(group)))
      })
    )

    const sendGroup = (group: ReadonlyArray<Queued>): Effect.Effect<void> =>
      (group.length === 1
        ? Effect.flatMap(Effect.exit(commitAlone(group[0]!.json, group[0]!.checked)), (exit) => Deferred.done(group[0]!.done, exit))
        : commitGroup(group)
      ).pipe(Effect.ensuring(release), Effect.asVoid)

    const submit = (json: string, checked: boolean): Effect.Effect<Appended, VersionConflict | Checked> =>
      Effect.flatMap(Deferred.make<Appended, VersionConflict | Checked>(), (done) => {
        const entry: Queued = { json, checked, done }
        return Effect.flatMap(
          Ref.modify(state, ({ running, queue }) =>
            running < groupsInFlight && queue.length === 0
              ? [true, { running: running + 1, queue }]
              : [false, { running, queue: [...queue, entry] }]),
          (alone) =>
            alone
              // A slot free and nobody waiting: sent on the caller's own fiber (no fiber forked for it); once sent it is not interrupted.
              ? commitAlone(json, checked).pipe(Effect.ensuring(release), Effect.uninterruptible)
              // Interrupted while it waits: it leaves the queue unsent.
              : Deferred.await(done).pipe(Effect.onInterrupt(() => Ref.update(state, (current) => ({ ...current, queue: current.queue.filter((other) => other !== entry) }))))
        )
      })

    return {
      submit: (json, checked) =>
        Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) =>
          Option.isSome(transaction) ? commitAlone(json, checked) : submit(json, checked))
    }
  })
