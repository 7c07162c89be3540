import { Effect, Option } from "effect"
import type { Message } from "../../messages/Message.js"
import {
  type Commit,
  type EventStoreService,
  type FirstContact,
  type InboundTarget,
  type StoredEvent,
  streamId,
  type Unseen
} from "../../ports/EventStore.js"
import { VersionConflict } from "../../shared/Errors.js"
import type { ChannelId } from "../../shared/Ids.js"
import { identityKey, type MemoryState, nextToken } from "./MemoryState.js"

/**
 * The in-memory `EventStore` over a shared `MemoryState`: the reference behaviour of commits.
 * A commit checks everything before it writes anything, synchronously, so it lands whole or not at all.
 */
export const make = (state: MemoryState): EventStoreService => {
  const findInbound = (channelId: ChannelId, externalId: string): Option.Option<InboundTarget> =>
    Option.flatMap(Option.fromNullable(state.identities.get(identityKey(channelId, externalId))), (clientId) =>
      Option.map(Option.fromNullable(state.clients.get(clientId)), (client) => ({
        client,
        dialog: Option.flatMap(Option.fromNullable(client.state.dialogs[channelId]), (dialogId) => Option.fromNullable(state.dialogs.get(dialogId)))
      }))
    )

  /** The first conflict the commit would meet, if any. */
  const conflictOf = (batch: Commit): VersionConflict | undefined => {
    for (const check of batch.checks ?? []) {
      const actual = state.versions.get(check.streamId) ?? 0
      if (actual !== check.expectedVersion) return new VersionConflict({ streamId: check.streamId, expectedVersion: check.expectedVersion, actualVersion: actual })
    }
    for (const write of batch.streams) {
      const id = streamId(write.kind, write.id)
      const actual = state.versions.get(id) ?? 0
      if (actual !== write.expectedVersion) return new VersionConflict({ streamId: id, expectedVersion: write.expectedVersion, actualVersion: actual })
      if (write.kind !== "client") continue
      for (const event of write.events) {
        if (event._tag !== "ClientCreated") continue
        const owner = state.identities.get(identityKey(event.identity.channelId, event.identity.externalId))
        if (owner !== undefined && owner !== write.id) {
          return new VersionConflict({ streamId: `identity:${event.identity.channelId}:${event.identity.externalId}`, expectedVersion: 0 })
        }
      }
    }
    return undefined
  }

  const write = (batch: Commit): ReadonlyArray<StoredEvent> => {
    const stored: Array<StoredEvent> = []
    for (const write of batch.streams) {
      const id = streamId(write.kind, write.id)
      let version = write.expectedVersion
      const stream = state.streams.get(id) ?? []
      for (const event of write.events) {
        const entry: StoredEvent = { position: state.log.length + 1, streamId: id, version: ++version, event }
        state.log.push(entry)
        stream.push(entry)
        stored.push(entry)
      }
      state.streams.set(id, stream)
      state.versions.set(id, version)
      switch (write.kind) {
        case "dialog":
          state.dialogs.set(write.id, { version, state: write.state })
          break
        case "client":
          state.clients.set(write.id, { version, state: write.state })
          for (const identity of write.state.identities) state.identities.set(identityKey(identity.channelId, identity.externalId), write.id)
          break
        case "operator":
          state.operators.set(write.id, { version, state: write.state })
          break
      }
    }
    for (const message of batch.messages) {
      const byDialog = state.messages.get(message.dialogId) ?? new Map<number, Message>()
      byDialog.set(message.seq, message)
      state.messages.set(message.dialogId, byDialog)
    }
    for (const entry of batch.outbox ?? []) {
      if (state.outbox.has(entry.message.id)) continue
      state.outbox.set(entry.message.id, {
        ...entry,
        status: "pending",
        attempts: 0,
        lastError: Option.none(),
        providerMessageId: Option.none(),
        updatedAt: entry.message.createdAt,
        token: "",
        leasedUntil: 0
      })
    }
    for (const change of batch.timers) {
      if (change._tag === "Cancel") state.timers.delete(change.key)
      else state.timers.set(change.timer.key, { ...change.timer, token: nextToken(state), leasedUntil: 0 })
    }
    return stored
  }

  const commit = (batch: Commit): Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict> =>
    Effect.suspend(() => {
      const conflict = conflictOf(batch)
      return conflict === undefined ? Effect.succeed(write(batch)) : Effect.fail(conflict)
    })

  return {
    loadDialog: (id) => Effect.sync(() => Option.fromNullable(state.dialogs.get(id))),
    loadClient: (id) => Effect.sync(() => Option.fromNullable(state.clients.get(id))),
    loadOperator: (id) => Effect.sync(() => Option.fromNullable(state.operators.get(id))),
    listOperators: () => Effect.sync(() => [...state.operators.values()]),
    findClient: (channelId, externalId) => Effect.sync(() => Option.fromNullable(state.identities.get(identityKey(channelId, externalId)))),
    findInbound: (channelId, externalId) => Effect.sync(() => findInbound(channelId, externalId)),
    commit,
    commitFirstContact: (address, batch) =>
      Effect.suspend((): Effect.Effect<FirstContact, VersionConflict> => {
        const known = findInbound(address.channelId, address.externalId)
        return Option.isSome(known)
          ? Effect.succeed({ _tag: "Known", target: known.value })
          : Effect.map(commit(batch), (events) => ({ _tag: "Committed", events }))
      }),
    commitUnseen: (delivered, batch) =>
      Effect.suspend((): Effect.Effect<Unseen, VersionConflict> => {
        const seen = [...(state.messages.get(delivered.dialogId)?.values() ?? [])].find((message) => Option.contains(message.externalId, delivered.externalId))
        return seen !== undefined
          ? Effect.succeed({ _tag: "Seen", messageId: seen.id })
          : Effect.map(commit(batch), (events) => ({ _tag: "Committed", events }))
      }),
    readStream: (id) => Effect.sync(() => [...(state.streams.get(id) ?? [])]),
    readAll: (after, limit) => Effect.sync(() => state.log.slice(after, after + limit)),
    lastPosition: Effect.sync(() => state.log.length)
  }
}
