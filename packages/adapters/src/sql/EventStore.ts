import {
  type Client,
  type Commit,
  type DeliveredMessage,
  type Dialog,
  type EventStoreService,
  type FirstContact,
  type InboundAddress,
  type StoredEvent,
  type Unseen,
  type Versioned,
  type VersionConflict
} from "@switchboard/core"
import { Effect, Option } from "effect"
import { commitBody } from "./CommitBody.js"
import type { GroupCommit } from "./GroupCommit.js"
import type { LookupRow, PointReads } from "./PointReads.js"
import { type Checked, decodeKnown, decodeSeen } from "./SqlErrors.js"
import { db, decodeClient, decodeDialog, decodeEvent, decodeOperator, num, queries, versioned } from "./Tables.js"
import type { SqlClient } from "@effect/sql"

/**
 * The `EventStore` on PostgreSQL or PGlite: point reads batched through `PointReads`, commits
 * encoded as one `switchboard_commit` argument (`CommitBody`) and sent through `GroupCommit`.
 */
export const make = (sql: SqlClient.SqlClient, reads: PointReads, group: GroupCommit): EventStoreService => {
  const { read } = queries(sql)
  const { lookup, lookupAll } = reads
  const loadVersioned = <S>(kind: "client" | "dialog" | "operator", id: string, decode: (value: unknown, key: string) => Effect.Effect<S>) =>
    Effect.flatMap(lookup(kind, id), (row) =>
      Option.isNone(row)
        ? Effect.succeed(Option.none<Versioned<S>>())
        : Effect.asSome(versioned(decode)({ id, version: row.value.version ?? 0, state: row.value.payload })))

  /** Send a commit body (checked first, if `check` says so): on the caller's transaction if there is one, else through the group queue. */
  const submit = (
    batch: Commit,
    check?: { readonly absent: InboundAddress } | { readonly unseen: DeliveredMessage }
  ): Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict | Checked> =>
    Effect.suspend(() => {
      const { body, events } = commitBody(batch)
      if (check !== undefined && "absent" in check) body.absent = [check.absent.channelId, check.absent.externalId]
      else if (check !== undefined) body.unseen = [check.unseen.dialogId, check.unseen.externalId]
      else if (body.streams.length === 0 && body.messages.length === 0 && body.outbox.length === 0 && body.cancels.length === 0 && body.timers.length === 0) return Effect.succeed([])
      const json = JSON.stringify(body)
      return Effect.map(group.submit(json, check !== undefined), (rows) =>
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
    submit(batch).pipe(Effect.catchTags({ AddressKnown: Effect.die, MessageSeen: Effect.die }), Effect.withSpan("EventStore.commit", { captureStackTrace: false }))

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
      Effect.withSpan("EventStore.commitFirstContact", { captureStackTrace: false })
    )

  const commitUnseen = (message: DeliveredMessage, batch: Commit): Effect.Effect<Unseen, VersionConflict> =>
    submit(batch, { unseen: message }).pipe(
      Effect.map((events): Unseen => ({ _tag: "Committed", events })),
      Effect.catchTag("AddressKnown", Effect.die),
      Effect.catchTag("MessageSeen", (seen) => Effect.map(Effect.orDie(decodeSeen(seen.detail)), (found): Unseen => ({ _tag: "Seen", messageId: found.messageId }))),
      Effect.withSpan("EventStore.commitUnseen", { captureStackTrace: false })
    )

  const toStored = (row: { position: number | string; stream_id: string; version: number; payload: unknown }) =>
    Effect.map(decodeEvent(row.payload, `${row.stream_id}#${row.version}`), (event): StoredEvent => ({ position: num(row.position), streamId: row.stream_id, version: row.version, event }))

  return {
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
          ? Option.none<Versioned<Dialog.DialogState>>()
          : Option.some(yield* versioned(decodeDialog)({ id: `${channelId}:${externalId}`, version: dialog.value.version ?? 0, state: dialog.value.payload }))
        return Option.some({ client: found, dialog: current })
      }),
    findClient: (channelId, externalId) =>
      Effect.map(lookup("identity", channelId, externalId), Option.flatMap((row) => (typeof row.payload === "string" ? Option.some(row.payload as Client.ClientState["id"]) : Option.none()))),
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
    lastPosition: Effect.map(
      read(db.selectFrom("events").select((eb) => eb.fn.max("position").as("position"))),
      (rows) => Number(rows[0]?.position ?? 0)
    )
  }
}
