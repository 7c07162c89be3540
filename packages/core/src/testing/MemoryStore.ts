import { Effect, Layer, Option } from "effect"
import type { Channel } from "../channels/Channel.js"
import type { ClientState } from "../clients/Client.js"
import type { DialogState } from "../dialogs/Dialog.js"
import { unreadFor } from "../dialogs/evolve.js"
import type { Message } from "../messages/Message.js"
import type { OperatorState } from "../operators/Operator.js"
import { defaults, type Settings } from "../settings/Settings.js"
import { VersionConflict } from "../shared/Errors.js"
import type { ChannelId, ClientId, DialogId, TagId, UserId } from "../shared/Ids.js"
import * as Queries from "../dialogs/Listing.js"
import {
  type ClaimedTimer,
  type Commit,
  configStreamId,
  type DialogRow,
  type FirstContact,
  type Unseen,
  type InboundTarget,
  type LoadEntry,
  type Page,
  type PresenceRecord,
  Store,
  type StoredEvent,
  type StoreService,
  streamId,
  type Timer,
  type Versioned
} from "../ports/Store.js"

/**
 * The in-memory `Store`: the reference behaviour every adapter's contract run is compared to.
 * Commits are synchronous, so they are atomic with respect to other fibers.
 */
export const make = (): StoreService => {
  const dialogs = new Map<DialogId, Versioned<DialogState>>()
  const clients = new Map<ClientId, Versioned<ClientState>>()
  const operators = new Map<UserId, Versioned<OperatorState>>()
  const identities = new Map<string, ClientId>()
  const versions = new Map<string, number>()
  const streams = new Map<string, Array<StoredEvent>>()
  const log: Array<StoredEvent> = []
  const presences = new Map<UserId, PresenceRecord>()
  const messages = new Map<DialogId, Map<number, Message>>()
  const timers = new Map<string, Timer & { token: string; leasedUntil: number }>()
  const channels = new Map<ChannelId, Channel>()
  let settings: Settings = defaults
  let tokens = 0

  const bumpConfig = () => versions.set(configStreamId, (versions.get(configStreamId) ?? 0) + 1)

  const identityKey = (channelId: string, externalId: string) => `${channelId}\u0000${externalId}`

  const findInbound = (channelId: ChannelId, externalId: string): Option.Option<InboundTarget> =>
    Option.flatMap(Option.fromNullable(identities.get(identityKey(channelId, externalId))), (clientId) =>
      Option.map(Option.fromNullable(clients.get(clientId)), (client) => ({
        client,
        dialog: Option.flatMap(Option.fromNullable(client.state.dialogs[channelId]), (dialogId) => Option.fromNullable(dialogs.get(dialogId)))
      }))
    )

  const commit = (batch: Commit): Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict> =>
    Effect.suspend(() => {
      for (const check of batch.checks ?? []) {
        const actual = versions.get(check.streamId) ?? 0
        if (actual !== check.expectedVersion) {
          return Effect.fail(new VersionConflict({ streamId: check.streamId, expectedVersion: check.expectedVersion, actualVersion: actual }))
        }
      }
      for (const write of batch.streams) {
        const id = streamId(write.kind, write.id)
        const actual = versions.get(id) ?? 0
        if (actual !== write.expectedVersion) {
          return Effect.fail(new VersionConflict({ streamId: id, expectedVersion: write.expectedVersion, actualVersion: actual }))
        }
        if (write.kind === "client") {
          for (const event of write.events) {
            if (event._tag !== "ClientCreated") continue
            const owner = identities.get(identityKey(event.identity.channelId, event.identity.externalId))
            if (owner !== undefined && owner !== write.id) {
              return Effect.fail(new VersionConflict({ streamId: `identity:${event.identity.channelId}:${event.identity.externalId}`, expectedVersion: 0 }))
            }
          }
        }
      }
      const stored: Array<StoredEvent> = []
      for (const write of batch.streams) {
        const id = streamId(write.kind, write.id)
        let version = write.expectedVersion
        const stream = streams.get(id) ?? []
        for (const event of write.events) {
          const entry: StoredEvent = { position: log.length + 1, streamId: id, version: ++version, event }
          log.push(entry)
          stream.push(entry)
          stored.push(entry)
        }
        streams.set(id, stream)
        versions.set(id, version)
        switch (write.kind) {
          case "dialog":
            dialogs.set(write.id, { version, state: write.state })
            break
          case "client":
            clients.set(write.id, { version, state: write.state })
            for (const identity of write.state.identities) identities.set(identityKey(identity.channelId, identity.externalId), write.id)
            break
          case "operator":
            operators.set(write.id, { version, state: write.state })
            break
        }
      }
      for (const message of batch.messages) {
        const byDialog = messages.get(message.dialogId) ?? new Map<number, Message>()
        byDialog.set(message.seq, message)
        messages.set(message.dialogId, byDialog)
      }
      for (const change of batch.timers) {
        if (change._tag === "Cancel") timers.delete(change.key)
        else timers.set(change.timer.key, { ...change.timer, token: `t${++tokens}`, leasedUntil: 0 })
      }
      return Effect.succeed(stored)
    })

  const clientName = (dialog: DialogState): string =>
    Option.match(dialog.clientId, {
      onNone: () => "",
      onSome: (id) => clients.get(id)?.state.profile.name ?? clients.get(id)?.state.profile.username ?? ""
    })

  const pinnedTagsOf = (dialog: DialogState): ReadonlyArray<TagId> =>
    Option.match(dialog.clientId, {
      onNone: () => [],
      onSome: (id) => (clients.get(id)?.state.tags ?? []).filter((tag) => tag.pinned).map((tag) => tag.tagId)
    })

  /** DLG-19 as the SQL store applies it: every word a word prefix in one message (not deleted) or in the client's name. */
  const matchesText = (dialog: DialogState, words: ReadonlyArray<string>): boolean => {
    if (Queries.textMatches(words, clientName(dialog))) return true
    for (const message of messages.get(dialog.id)?.values() ?? []) {
      if (Option.isNone(message.deletedAt) && Queries.textMatches(words, message.text)) return true
    }
    return false
  }

  const store: StoreService = {
    loadDialog: (id) => Effect.sync(() => Option.fromNullable(dialogs.get(id))),
    loadClient: (id) => Effect.sync(() => Option.fromNullable(clients.get(id))),
    loadOperator: (id) => Effect.sync(() => Option.fromNullable(operators.get(id))),
    listOperators: () => Effect.sync(() => [...operators.values()]),
    findClient: (channelId, externalId) => Effect.sync(() => Option.fromNullable(identities.get(identityKey(channelId, externalId)))),
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
        const seen = [...(messages.get(delivered.dialogId)?.values() ?? [])].find((message) => Option.contains(message.externalId, delivered.externalId))
        return seen !== undefined
          ? Effect.succeed({ _tag: "Seen", messageId: seen.id })
          : Effect.map(commit(batch), (events) => ({ _tag: "Committed", events }))
      }),
    readStream: (id) => Effect.sync(() => [...(streams.get(id) ?? [])]),
    readAll: (after, limit) => Effect.sync(() => log.slice(after, after + limit)),
    lastPosition: Effect.sync(() => log.length),
    recordPresence: (operatorId, presence, at) =>
      Effect.sync(() => {
        const known = presences.get(operatorId)
        if (known === undefined || known.lastHeartbeatAt <= at) presences.set(operatorId, { presence, lastHeartbeatAt: at })
      }),
    presences: () => Effect.sync(() => new Map(presences)),
    messages: (query) =>
      Effect.map(Queries.checkMessageQuery(query), (before): Page<Message> => {
        const all = [...(messages.get(query.dialogId)?.values() ?? [])]
          .filter((message) => (query.includeInternal || !message.internal) && (before === undefined || message.seq < before))
          .filter((message) => query.beforeTime === undefined || message.createdAt < query.beforeTime)
          .sort((a, b) => b.seq - a.seq)
        const items = all.slice(0, query.limit)
        const last = items[items.length - 1]
        return { items, nextCursor: all.length > query.limit && last !== undefined ? Option.some(Queries.encodeHistoryCursor(last.seq)) : Option.none() }
      }),
    listDialogs: (query) =>
      Effect.map(Queries.checkQuery(query), (after): Page<DialogRow> => {
        const text = query.filters?.text
        const words = text === undefined || text.trim() === "" ? undefined : Queries.searchWords(text)
        const rows = [...dialogs.values()]
          .map((entry) => entry.state)
          .filter((dialog) => Queries.inFolder(dialog, query.viewer, query.folder))
          .filter((dialog) => Queries.matchesFilters(dialog, query.filters, (id) => clients.get(id)?.state))
          .filter((dialog) => Queries.correspondedWithin(messages.get(dialog.id)?.values() ?? [], query.filters?.from, query.filters?.to))
          .filter((dialog) => words === undefined || matchesText(dialog, words))
          .map((dialog) => Queries.toRow(dialog, query.viewer, clientName(dialog), pinnedTagsOf(dialog)))
        return Queries.paginate(rows, query, after)
      }),
    unread: (viewer) =>
      Effect.sync(() => {
        let fresh = 0
        let mine = 0
        for (const { state } of dialogs.values()) {
          if (unreadFor(state, viewer.userId) === 0) continue
          if (Queries.inFolder(state, viewer, "new")) fresh++
          else if (Queries.inFolder(state, viewer, "mine")) mine++
        }
        return { total: fresh + mine, new: fresh, mine }
      }),
    tagCounts: (query) =>
      Effect.map(Queries.checkTagCountLimit(query.limit), (limit) => {
        const counts = new Map<TagId, number>()
        for (const { state } of dialogs.values()) {
          if (Option.isNone(state.clientId) || !Queries.inFolder(state, query.viewer, query.folder)) continue
          if (!Queries.matchesFilters(state, query.filters, (id) => clients.get(id)?.state)) continue
          if (!Queries.correspondedWithin(messages.get(state.id)?.values() ?? [], query.filters?.from, query.filters?.to)) continue
          for (const tag of clients.get(state.clientId.value)?.state.tags ?? []) counts.set(tag.tagId, (counts.get(tag.tagId) ?? 0) + 1)
        }
        return [...counts].map(([tagId, dialogs]) => ({ tagId, dialogs })).sort(Queries.tagCountOrder).slice(0, limit)
      }),
    queued: (limit) =>
      Effect.sync(() =>
        [...dialogs.values()]
          .filter((entry) => entry.state.status === "queued" && !entry.state.deleted)
          .sort((a, b) => Option.getOrElse(a.state.enqueuedAt, () => 0) - Option.getOrElse(b.state.enqueuedAt, () => 0))
          .slice(0, limit)
      ),
    loadOf: (operatorId) =>
      Effect.sync(() => {
        const load: Array<LoadEntry> = []
        for (const { state } of dialogs.values()) {
          if (state.deleted) continue
          if (state.status === "active" && Option.contains(state.assigneeId, operatorId)) {
            load.push({ dialogId: state.id, channelId: state.channelId, kind: "assigned", onHold: state.onHold })
          } else if (Option.exists(state.offer, (offer) => offer.operatorId === operatorId)) {
            load.push({ dialogId: state.id, channelId: state.channelId, kind: "offered", onHold: false })
          }
        }
        return load
      }),
    loads: () =>
      Effect.sync(() => {
        const all = new Map<UserId, Array<LoadEntry>>()
        const add = (operatorId: UserId, entry: LoadEntry) => all.set(operatorId, [...(all.get(operatorId) ?? []), entry])
        for (const { state } of dialogs.values()) {
          if (state.deleted) continue
          if (state.status === "active" && Option.isSome(state.assigneeId)) {
            add(state.assigneeId.value, { dialogId: state.id, channelId: state.channelId, kind: "assigned", onHold: state.onHold })
          } else if (Option.isSome(state.offer)) {
            add(state.offer.value.operatorId, { dialogId: state.id, channelId: state.channelId, kind: "offered", onHold: false })
          }
        }
        return all
      }),
    getSettings: () => Effect.sync(() => settings),
    config: () => Effect.sync(() => ({ version: versions.get(configStreamId) ?? 0, settings, channels: [...channels.values()] })),
    saveSettings: (next) =>
      Effect.sync(() => {
        settings = next
        bumpConfig()
      }),
    putChannel: (channel) =>
      Effect.sync(() => {
        channels.set(channel.id, channel)
        bumpConfig()
      }),
    getChannel: (id) => Effect.sync(() => Option.fromNullable(channels.get(id))),
    listChannels: () => Effect.sync(() => [...channels.values()]),
    claimDue: (now, limit, leaseMs) =>
      Effect.sync(() => {
        const claimed: Array<ClaimedTimer> = []
        const due = [...timers.values()].filter((timer) => timer.dueAt <= now && timer.leasedUntil <= now).sort((a, b) => a.dueAt - b.dueAt)
        for (const timer of due.slice(0, limit)) {
          const token = `t${++tokens}`
          timers.set(timer.key, { ...timer, token, leasedUntil: now + leaseMs })
          claimed.push({ key: timer.key, kind: timer.kind, subject: timer.subject, dueAt: timer.dueAt, token })
        }
        return claimed
      }),
    completeTimer: (timer) =>
      Effect.sync(() => {
        if (timers.get(timer.key)?.token === timer.token) timers.delete(timer.key)
      }),
    nextDueAt: () =>
      Effect.sync(() => {
        let next: number | undefined
        for (const timer of timers.values()) next = next === undefined ? timer.dueAt : Math.min(next, timer.dueAt)
        return Option.fromNullable(next)
      })
  }
  return store
}

/** A fresh in-memory store per layer build. */
export const layer: Layer.Layer<Store> = Layer.sync(Store, make)
