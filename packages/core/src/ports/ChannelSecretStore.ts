import { Context, type Effect, type Redacted } from "effect"
import type { ChannelId } from "../shared/Ids.js"

/**
 * Each channel's credentials by name (CHN-01): its signing secret, a bot token, the hash of its
 * inbound API token. Values are opaque here: what needs only verification is stored as a hash by
 * whoever issues it (`ChannelCredentials` in the server); what must be used (a signing key, a bot
 * token) is stored as is. Values are `Redacted`, so they never reach a log.
 */
export interface ChannelSecretStoreService {
  /** Replace the channel's secrets with `secrets` (all of them at once). */
  readonly putSecrets: (channelId: ChannelId, secrets: Readonly<Record<string, Redacted.Redacted<string>>>) => Effect.Effect<void>
  /** The channel's secrets; empty when it has none. */
  readonly getSecrets: (channelId: ChannelId) => Effect.Effect<Readonly<Record<string, Redacted.Redacted<string>>>>
}

/** The channel secret port: see `ChannelSecretStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class ChannelSecretStore extends Context.Tag("@switchboard/core/ChannelSecretStore")<ChannelSecretStore, ChannelSecretStoreService>() {}
