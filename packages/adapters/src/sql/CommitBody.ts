import {
  type Commit,
  configStreamId,
  type StoredEvent,
  streamId
} from "@switchboard/core"
import { Client, Dialog, DialogFold, Listing, Message as Messages, Operator } from "@switchboard/core"
import { Option, Schema } from "effect"
import { randomUUID } from "node:crypto"
import * as FastEncode from "./FastEncode.js"
import { DomainEvent, type EncodedRow, type Row, type Tables } from "./Tables.js"

const { ClientState } = Client
const { DialogState } = Dialog
const { Message } = Messages
const { OperatorState } = Operator
type ClientState = Client.ClientState
type DialogState = Dialog.DialogState
type Message = Messages.Message

/** Client events known not to change identities; any other (new) event re-checks them. */
const identityNeutral = new Set(["ClientProfileUpdated", "ClientTagsSet", "ClientBlocked", "ClientUnblocked", "ClientDialogStarted", "ClientDialogDetached"])

/**
 * The argument of `switchboard_commit`: rows shaped like their tables (jsonb columns as JSON
 * values, not strings), streams sorted by id (a fixed lock order across writers), one change per
 * timer key, events in the order of `Commit.streams`.
 */
export interface CommitBody {
  /** Writes (`next`: the new version) and checks (`next` null; `share`: lock the row), sorted by id. */
  readonly streams: Array<{ readonly id: string; readonly expected: number; readonly next: number | null; readonly share?: boolean }>
  readonly dialogs: Array<EncodedRow<"dialogs", "activity_key" | "processing_group" | "processing_key" | "read_counts" | "marked_unread", "state">>
  /** Dialogs whose owner rows are deleted before `owners` are inserted (they may have changed). */
  readonly owner_resets: Array<string>
  readonly owners: Array<Tables["dialog_owners"]>
  readonly clients: Array<EncodedRow<"clients", "search", "state">>
  readonly identities: Array<Tables["client_identities"]>
  /** Clients merged into another by this commit (CLI-01): their identity rows are deleted before `identities` are inserted (the survivor's now). */
  readonly released: Array<string>
  readonly operators: Array<EncodedRow<"operators", never, "state">>
  readonly messages: Array<EncodedRow<"messages", "search" | "created_at", "payload">>
  /** Outgoing messages queued for delivery (`Commit.outbox`). */
  readonly outbox: Array<{ readonly message_id: string; readonly dialog_id: string; readonly channel_id: string; readonly recipient: string; readonly message: unknown; readonly updated_at: number }>
  readonly cancels: Array<string>
  readonly timers: Array<Omit<Row<"timers">, "leased_until">>
  readonly events: Array<{ readonly stream_id: string; readonly version: number; readonly type: string; readonly payload: unknown }>
  /** A first contact: commit only if no client is reachable at [channel, external id] (`functions/switchboard_first_contact.sql`). */
  absent?: readonly [string, string]
  /** A client's message: commit only if no message of [dialog, external id] is stored (`functions/switchboard_first_contact.sql`). */
  unseen?: readonly [string, string]
}

/** What a commit writes was built by the domain: encoded without a second validation pass (`FastEncode`). */
const encodeDialogValue = FastEncode.encoder(DialogState, Schema.encodeSync(DialogState))
const encodeClientValue = FastEncode.encoder(ClientState, Schema.encodeSync(ClientState))
const encodeOperatorValue = FastEncode.encoder(OperatorState, Schema.encodeSync(OperatorState))
const encodeEventValue = FastEncode.encoder(DomainEvent, Schema.encodeSync(DomainEvent))
const encodeMessageValue = FastEncode.encoder(Message, Schema.encodeSync(Message))

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** A commit as the one argument of `switchboard_commit`, and its events by `streamId#version`. */
export const commitBody = (batch: Commit): { readonly body: CommitBody; readonly events: Map<string, StoredEvent["event"]> } => {
  const body: CommitBody = {
    streams: [],
    dialogs: [],
    owner_resets: [],
    owners: [],
    clients: [],
    identities: [],
    released: [],
    operators: [],
    messages: [],
    outbox: [],
    cancels: [],
    timers: [],
    events: []
  }
  const events = new Map<string, StoredEvent["event"]>()
  type Entry = { readonly id: string; readonly write?: Commit["streams"][number]; readonly check?: number }
  const entries: Array<Entry> = batch.streams.map((write) => ({ id: streamId(write.kind, write.id), write }))
  for (const check of batch.checks ?? []) entries.push({ id: check.streamId, check: check.expectedVersion })
  // One lock order for every writer; a check of a stream the commit also writes comes first (it sees the version before the write).
  entries.sort((a, b) => byString(a.id, b.id) || (a.write === undefined ? -1 : 0) - (b.write === undefined ? -1 : 0))
  for (const { id, write, check } of entries) {
    if (write === undefined) {
      body.streams.push({ id, expected: check ?? 0, next: null, share: id !== configStreamId })
      continue
    }
    const next = write.expectedVersion + write.events.length
    body.streams.push({ id, expected: write.expectedVersion, next })
    switch (write.kind) {
      case "dialog":
        // A dialog written with place-neutral events only keeps its `dialog_owners` rows; any other event resets them.
        projectDialog(body, write.state, next, write.expectedVersion === 0 ? "new" : write.events.every((event) => DialogFold.placeNeutral.has(event._tag)) ? "same" : "reset")
        break
      case "client":
        projectClient(body, write.state, next, write.events.some((event) => !identityNeutral.has(event._tag)))
        break
      case "operator":
        body.operators.push({ id: write.id, version: next, state: encodeOperatorValue(write.state) })
        break
    }
  }
  // A message projected from an event of this commit reuses the event's encoding (no second Schema pass).
  const encodedMessages = new Map<Message, unknown>()
  for (const write of batch.streams) {
    const id = streamId(write.kind, write.id)
    write.events.forEach((event, index) => {
      const version = write.expectedVersion + index + 1
      const payload = encodeEventValue(event)
      if ((event._tag === "ClientMessageReceived" || event._tag === "StaffMessageSent") && typeof payload === "object" && payload !== null && "message" in payload) {
        encodedMessages.set(event.message, payload.message)
      }
      body.events.push({ stream_id: id, version, type: event._tag, payload })
      events.set(`${id}#${version}`, event)
    })
  }
  for (const message of batch.messages) {
    body.messages.push({
      dialog_id: message.dialogId,
      seq: message.seq,
      id: message.id,
      internal: message.internal,
      deleted: Option.isSome(message.deletedAt),
      text: message.text,
      payload: encodedMessages.has(message) ? encodedMessages.get(message) : encodeMessageValue(message)
    })
  }
  for (const entry of batch.outbox ?? []) {
    const message = entry.message
    body.outbox.push({
      message_id: message.id,
      dialog_id: message.dialogId,
      channel_id: entry.channelId,
      recipient: entry.recipient,
      message: encodedMessages.has(message) ? encodedMessages.get(message) : encodeMessageValue(message),
      updated_at: message.createdAt
    })
  }
  const last = new Map<string, Commit["timers"][number]>()
  for (const change of batch.timers) last.set(change._tag === "Set" ? change.timer.key : change.key, change)
  for (const key of [...last.keys()].sort(byString)) {
    const change = last.get(key)!
    if (change._tag === "Cancel") body.cancels.push(key)
    else body.timers.push({ key, kind: change.timer.kind, subject: change.timer.subject, due_at: change.timer.dueAt, token: randomUUID() })
  }
  return { body, events }
}

/**
 * A dialog's row and owners. `owners`: "new" (no owner rows yet), "same" (only owner-neutral
 * events: its owner rows are already right), "reset" (delete and re-insert them).
 */
const projectDialog = (body: CommitBody, state: DialogState, version: number, owners: "new" | "same" | "reset"): void => {
  body.dialogs.push({
    id: state.id,
    version,
    status: state.status,
    deleted: state.deleted,
    assignee_id: Option.getOrNull(state.assigneeId),
    bot_id: Option.getOrNull(state.botId),
    channel_id: state.channelId,
    client_id: Option.getOrNull(state.clientId),
    queue_id: state.queueId,
    enqueued_at: Option.getOrNull(state.enqueuedAt),
    offer_operator_id: Option.getOrNull(Option.map(state.offer, (offer) => offer.operatorId)),
    last_activity_at: state.lastActivityAt,
    processing_rank: Option.getOrNull(
      Listing.processingRank({ awaitingReplySince: state.awaitingReplySince, responseDueAt: Option.flatMap(state.sla, (sla) => sla.responseDueAt) })
    ),
    last_writer: Option.getOrNull(Option.map(state.lastMessage, (last) => last.author)),
    client_message_count: state.clientMessageCount,
    state: encodeDialogValue(state)
  })
  if (owners === "same") return
  if (owners === "reset") body.owner_resets.push(state.id)
  const assignee = Option.getOrUndefined(state.assigneeId)
  const assigned = !state.deleted && state.status === "active" && assignee !== undefined
  if (assigned) body.owners.push({ dialog_id: state.id, kind: "assigned", operator_id: assignee, channel_id: state.channelId, on_hold: state.onHold })
  const offered = Option.getOrUndefined(Option.map(state.offer, (offer) => offer.operatorId))
  if (!state.deleted && offered !== undefined && !(assigned && assignee === offered)) {
    body.owners.push({ dialog_id: state.id, kind: "offered", operator_id: offered, channel_id: state.channelId, on_hold: false })
  }
}

const projectClient = (body: CommitBody, state: ClientState, version: number, identitiesMayChange: boolean): void => {
  body.clients.push({
    id: state.id,
    version,
    display_name: Listing.listedClientName(state),
    tag_ids: state.tags.map((tag) => tag.tagId),
    has_pinned_tag: state.tags.some((tag) => tag.pinned),
    blocked: state.blocked,
    state: encodeClientValue(state)
  })
  if (!identitiesMayChange) return
  if (state.mergedInto !== undefined) body.released.push(state.id)
  for (const identity of state.identities) body.identities.push({ channel_id: identity.channelId, external_id: identity.externalId, client_id: state.id })
}
