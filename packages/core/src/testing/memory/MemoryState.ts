import type { Channel } from "../../channels/Channel.js"
import type { ClientState } from "../../clients/Client.js"
import type { DialogState } from "../../dialogs/Dialog.js"
import type { Message } from "../../messages/Message.js"
import type { OperatorState } from "../../operators/Operator.js"
import type { OutboxRow } from "../../ports/OutboxStore.js"
import type { PresenceRecord } from "../../ports/PresenceStore.js"
import type { StoredEvent, Versioned } from "../../ports/EventStore.js"
import type { Timer } from "../../ports/TimerStore.js"
import { defaults, type Settings } from "../../settings/Settings.js"
import type { AuditEntry } from "../../settings/SettingsAudit.js"
import type { Redacted } from "effect"
import type { ChannelId, ClientId, DialogId, MessageId, UserId } from "../../shared/Ids.js"

/** A stored timer with its current claim token and lease. */
export interface StoredTimer extends Timer {
  readonly token: string
  readonly leasedUntil: number
}

/** An outbox row with its claim token and lease. */
export interface StoredOutbox extends OutboxRow {
  readonly token: string
  readonly leasedUntil: number
}

/**
 * Everything the in-memory store holds, shared by its port fakes (one database, several ports).
 * Only the fakes write it, each synchronously, so every write is atomic with respect to other fibers.
 */
export interface MemoryState {
  readonly dialogs: Map<DialogId, Versioned<DialogState>>
  readonly clients: Map<ClientId, Versioned<ClientState>>
  readonly operators: Map<UserId, Versioned<OperatorState>>
  /** Client by `identityKey(channel, external id)`. */
  readonly identities: Map<string, ClientId>
  /** Every stream's version, the configuration's (`configStreamId`) included. */
  readonly versions: Map<string, number>
  readonly streams: Map<string, Array<StoredEvent>>
  readonly log: Array<StoredEvent>
  readonly presences: Map<UserId, PresenceRecord>
  /** The message projection: by dialog, by `seq`. */
  readonly messages: Map<DialogId, Map<number, Message>>
  readonly timers: Map<string, StoredTimer>
  readonly channels: Map<ChannelId, Channel>
  /** The outbox in insertion (commit) order. */
  readonly outbox: Map<MessageId, StoredOutbox>
  readonly secrets: Map<ChannelId, Readonly<Record<string, Redacted.Redacted<string>>>>
  settings: Settings
  /** The settings audit log, oldest first. */
  readonly audit: Array<AuditEntry>
  /** The last timer token handed out. */
  tokens: number
}

/** An empty store: default settings, no streams. */
export const make = (): MemoryState => ({
  dialogs: new Map(),
  clients: new Map(),
  operators: new Map(),
  identities: new Map(),
  versions: new Map(),
  streams: new Map(),
  log: [],
  presences: new Map(),
  messages: new Map(),
  timers: new Map(),
  channels: new Map(),
  outbox: new Map(),
  secrets: new Map(),
  settings: defaults,
  audit: [],
  tokens: 0
})

/**
 * A copy of `state` that shares nothing mutable with it: every map and array is new (a stream's
 * events, a dialog's messages too). What they hold (events, states, rows) is never changed in
 * place by the fakes, only replaced, so it is shared as is. Microseconds for a seeded company:
 * a test seeds once and gives each case a copy of its own.
 */
export const copy = (state: MemoryState): MemoryState => ({
  dialogs: new Map(state.dialogs),
  clients: new Map(state.clients),
  operators: new Map(state.operators),
  identities: new Map(state.identities),
  versions: new Map(state.versions),
  streams: new Map([...state.streams].map(([id, events]) => [id, [...events]])),
  log: [...state.log],
  presences: new Map(state.presences),
  messages: new Map([...state.messages].map(([id, bySeq]) => [id, new Map(bySeq)])),
  timers: new Map(state.timers),
  channels: new Map(state.channels),
  outbox: new Map(state.outbox),
  secrets: new Map(state.secrets),
  settings: state.settings,
  audit: [...state.audit],
  tokens: state.tokens
})

/** The key of a channel identity in `MemoryState.identities`. */
export const identityKey = (channelId: string, externalId: string): string => `${channelId}\u0000${externalId}`

/** A fresh timer token. */
export const nextToken = (state: MemoryState): string => `t${++state.tokens}`
