import { Context, type Effect, type Option } from "effect"
import type { Channel } from "../channels/Channel.js"
import type { Settings } from "../settings/Settings.js"
import type { AuditEntry, SettingsChanged } from "../settings/SettingsAudit.js"
import type { VersionConflict } from "../shared/Errors.js"
import type { ChannelId } from "../shared/Ids.js"
import type { Page } from "./Page.js"

/** A page of the settings audit log: `limit` entries, newest first, older than the entry `before` (an `AuditEntry.id`) when given. */
export interface AuditQuery {
  readonly limit: number
  readonly before?: number | undefined
}

/** The stream whose version moves with every `saveSettings` and `putChannel` (a commit checks it: `Commit.checks`). */
export const configStreamId = "config"

/** The company settings and the channels, with the version of `configStreamId` they were read at. */
export interface ConfigSnapshot {
  readonly version: number
  readonly settings: Settings
  readonly channels: ReadonlyArray<Channel>
}

/**
 * The company's configuration: settings and channels. Invariant: every change moves the version of
 * `configStreamId`, so a decision made on a `config()` snapshot can be committed with a check of
 * that version and never lands on configuration it did not see.
 */
export interface ConfigStoreService {
  /** The settings; the defaults until any are saved. */
  readonly getSettings: () => Effect.Effect<Settings>
  /** Settings and channels in one consistent read, with the configuration version (see `Commit.checks`). */
  readonly config: () => Effect.Effect<ConfigSnapshot>
  /** Replace the settings; moves the configuration version. */
  readonly saveSettings: (settings: Settings) => Effect.Effect<void>
  /**
   * Replace the settings and record the change in the audit log, in one atomic write, only while the
   * configuration is still at `expectedVersion` (a `config()` read): otherwise `VersionConflict`
   * and nothing is written. Moves the configuration version.
   */
  readonly changeSettings: (settings: Settings, change: SettingsChanged, expectedVersion: number) => Effect.Effect<void, VersionConflict>
  /** The settings audit log, newest first; `nextCursor` is the `before` of the next page. */
  readonly settingsHistory: (query: AuditQuery) => Effect.Effect<Page<AuditEntry>>
  /** Add or replace a channel; moves the configuration version. */
  readonly putChannel: (channel: Channel) => Effect.Effect<void>
  readonly getChannel: (id: ChannelId) => Effect.Effect<Option.Option<Channel>>
  /** Every channel. */
  readonly listChannels: () => Effect.Effect<ReadonlyArray<Channel>>
}

/** The configuration port: see `ConfigStoreService`. Adapters: `MemoryStore` (core/testing), `SqlStore` (adapters). */
export class ConfigStore extends Context.Tag("@switchboard/core/ConfigStore")<ConfigStore, ConfigStoreService>() {}
