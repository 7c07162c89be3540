import { Option } from "effect"
import type { Channel } from "../channels/Channel.js"
import type { ClientState } from "../clients/Client.js"
import type { DialogState } from "../dialogs/Dialog.js"
import type { Commit, ConfigSnapshot, InboundTarget, StreamCheck, Versioned } from "../ports/Store.js"
import { configStreamId, streamId } from "../ports/Store.js"
import type { ChannelId, ClientId, DialogId } from "../shared/Ids.js"

/** The configuration as the engine uses it: channels by id. */
export interface Config extends ConfigSnapshot {
  readonly channelsById: ReadonlyMap<string, Channel>
}

export const configOf = (snapshot: ConfigSnapshot): Config => ({
  ...snapshot,
  channelsById: new Map(snapshot.channels.map((channel) => [channel.id as string, channel]))
})

/**
 * The aggregates this engine wrote or read last, so the next message of a conversation needs no
 * read at all. Nothing in it is trusted blindly: every commit built on it carries the versions it
 * relied on (expected versions for the streams it writes, `Commit.checks` for the client and the
 * configuration it only read), so a stale entry costs one `VersionConflict`, after which the
 * entries that commit touched are dropped and the retry reads fresh state. Bounded: the least
 * recently used entries go first.
 */
export class StateCache {
  private config: Config | undefined
  private readonly dialogs = new Map<DialogId, Versioned<DialogState>>()
  private readonly clients = new Map<ClientId, Versioned<ClientState>>()
  private readonly identities = new Map<string, ClientId>()

  constructor(private readonly capacity: number) {}

  getConfig(): Config | undefined {
    return this.config
  }

  setConfig(snapshot: ConfigSnapshot): Config {
    this.config = configOf(snapshot)
    return this.config
  }

  dropConfig(): void {
    this.config = undefined
  }

  /** The client reachable at `externalId` in a channel, if this engine has seen them recently. */
  clientAt(channelId: ChannelId, externalId: string): Versioned<ClientState> | undefined {
    const id = this.identities.get(identityKey(channelId, externalId))
    return id === undefined ? undefined : touch(this.clients, id)
  }

  dialog(id: DialogId): Versioned<DialogState> | undefined {
    return touch(this.dialogs, id)
  }

  rememberDialog(found: Versioned<DialogState>): void {
    // A read that raced a newer commit must not replace what that commit wrote.
    if ((this.dialogs.get(found.state.id)?.version ?? -1) > found.version) return
    remember(this.dialogs, found.state.id, found, this.capacity)
  }

  rememberClient(found: Versioned<ClientState>): void {
    if ((this.clients.get(found.state.id)?.version ?? -1) > found.version) return
    remember(this.clients, found.state.id, found, this.capacity)
    for (const identity of found.state.identities) remember(this.identities, identityKey(identity.channelId, identity.externalId), found.state.id, this.capacity)
  }

  /** The client at an inbound address and their current dialog, as a read (or a first contact) found them. */
  rememberTarget(found: InboundTarget): void {
    this.rememberClient(found.client)
    if (Option.isSome(found.dialog)) this.rememberDialog(found.dialog.value)
  }

  /** After a successful commit: the written streams at their new versions. */
  committed(commit: Commit): void {
    for (const write of commit.streams) {
      const version = write.expectedVersion + write.events.length
      if (write.kind === "dialog") this.rememberDialog({ version, state: write.state })
      else if (write.kind === "client") this.rememberClient({ version, state: write.state })
    }
  }

  /** After a conflict: forget everything the commit relied on, so the retry reads it fresh. */
  conflicted(commit: Commit): void {
    for (const write of commit.streams) this.forget(streamId(write.kind, write.id))
    for (const check of commit.checks ?? []) this.forget(check.streamId)
  }

  private forget(stream: string): void {
    if (stream === configStreamId) this.config = undefined
    else if (stream.startsWith("dialog:")) this.dialogs.delete(stream.slice("dialog:".length) as DialogId)
    else if (stream.startsWith("client:")) this.clients.delete(stream.slice("client:".length) as ClientId)
  }
}

/** The checks for a commit that relied on `config` and, without writing it, on `client`. */
export const checksFor = (config: Config, client: Versioned<ClientState> | undefined): ReadonlyArray<StreamCheck> =>
  client === undefined
    ? [{ streamId: configStreamId, expectedVersion: config.version }]
    : [{ streamId: configStreamId, expectedVersion: config.version }, { streamId: streamId("client", client.state.id), expectedVersion: client.version }]

const identityKey = (channelId: string, externalId: string) => `${channelId}\u0000${externalId}`

const touch = <K, V>(map: Map<K, V>, key: K): V | undefined => {
  const value = map.get(key)
  if (value !== undefined) {
    map.delete(key)
    map.set(key, value)
  }
  return value
}

const remember = <K, V>(map: Map<K, V>, key: K, value: V, capacity: number): void => {
  map.delete(key)
  map.set(key, value)
  if (map.size > capacity) map.delete(map.keys().next().value as K)
}
