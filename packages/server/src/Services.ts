import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Layer, Logger, type ManagedRuntime } from "effect"
import { CustomChannel, FileTypeDetector, HmacIdentityVerifier, LocalFileStore, RandomIds, RandomSessionTokens, ScryptHasher, TelegramAdapter, WidgetAdapter } from "@switchboard/adapters"
import { Accounts, type AccountStore, Attachments, Composer, type ComposerStore, ChannelAdapter, Engine, type EventBus, type FileStore, Inbound, Outbox, type PasswordHasher, Routing, Scheduler, SlaClock, type StorePorts, Widget, type WidgetSessionStore } from "@switchboard/core"
import { Schema } from "effect"
import { ChannelCredentials } from "./ChannelCredentials.js"
import { LiveHub, type LiveOptions } from "./live/LiveHub.js"
import { Names } from "./live/Names.js"
import { Pulse } from "./live/Pulse.js"
import { BoardFeed } from "./live/BoardFeed.js"
import { DialogPresence } from "./live/DialogPresence.js"
import { ApiLists, type ApiListsOptions } from "./panel/ApiLists.js"

/** What the server's routes need from the runtime. */
export type PanelServices =
  | Engine
  | StorePorts
  | EventBus
  | Scheduler
  | Routing.Router
  | Routing.RoutingSettings
  | Accounts.Accounts
  | AccountStore
  | Attachments
  | Composer
  | ComposerStore
  | Names
  | LiveHub
  | Pulse
  | BoardFeed
  | DialogPresence
  | Widget.Widget
  | WidgetSessionStore
  | ChannelAdapter.ChannelAdapters
  | Inbound.ChannelInbound
  | Outbox.OutboxWorker
  | ChannelCredentials
  | ApiLists

/** The storage a server runs on: the event store, the account store, the widget sessions, the composer's store and the event bus. */
export type Storage = StorePorts | AccountStore | WidgetSessionStore | ComposerStore | EventBus

/** How accounts behave: the session and throttle policy, and the password hasher (scrypt at OWASP's cost by default). */
export interface AccountOptions {
  readonly policy?: Accounts.AccountsPolicy | undefined
  readonly hasher?: Layer.Layer<PasswordHasher> | undefined
}

/**
 * Where attachments' bytes live: the local disk in `directory` (`SWITCHBOARD_FILES_DIR`; by default
 * `switchboard-files` in the OS temporary folder), or any `FileStore` layer (an S3-compatible one).
 */
export interface FileOptions {
  readonly directory?: string | undefined
  readonly store?: Layer.Layer<FileStore, unknown> | undefined
}

/** The default files folder when none is configured: fine for a demo, not for data that must last. */
export const defaultFilesDirectory = join(tmpdir(), "switchboard-files")

/** The `FileStore` of `FileOptions`; a folder that cannot be created stops the start with the reason. */
const fileStoreLayer = (options: FileOptions = {}): Layer.Layer<FileStore> =>
  Layer.orDie(options.store ?? LocalFileStore.layer({ directory: options.directory ?? defaultFilesDirectory }))

/** The one runtime the server runs every program on (STYLE.md: built once at start-up). */
export type PanelRuntime = ManagedRuntime.ManagedRuntime<PanelServices, unknown>

/**
 * The demo company's SLA: around the clock, first reply within 10 minutes, next replies within 15,
 * closed within 8 hours. The demo seed stores it in the company settings; `SWITCHBOARD_SLA=path/to/sla.json`
 * (see `SlaClock.SlaSettings`) replaces it at start.
 */
export const demoSla: SlaClock.SlaSettings = Schema.decodeUnknownSync(SlaClock.SlaSettings)({
  policies: {
    policies: [{ name: "Urgent", priorities: ["urgent"], targets: { firstResponse: 3, nextResponse: 5, timeToClose: 120 } }],
    fallback: { name: "Standard", targets: { firstResponse: 10, nextResponse: 15, timeToClose: 480 } }
  }
})

/**
 * How the server writes its logs: one JSON object per line (default) or logfmt (`LOG_FORMAT`).
 * Either way every value is quoted and escaped, so user input in a message or an annotation (a
 * request path, a message text) cannot start a new line or forge a field. Effect's default
 * logger quotes only double quotes; it is not used.
 */
export type LogFormat = "json" | "logfmt"

/** The logger layer of a `LogFormat`. */
export const structuredLogs = (format: LogFormat): Layer.Layer<never> => (format === "json" ? Logger.json : Logger.logFmt)

/**
 * What a server's runtime is built with beside its storage. Each concern adds its own field here
 * (channel adapters, the file store...), so the composition root stays one call.
 */
export interface ServicesOptions {
  readonly accounts?: AccountOptions | undefined
  /** How logs are written (default `json`). */
  readonly logFormat?: LogFormat | undefined
  /** Where attachments are stored (default: the local disk, `FileOptions`). */
  readonly files?: FileOptions | undefined
  /** The channel adapters this server runs, and its outbox. */
  readonly channels?: ChannelOptions | undefined
  /** The live hub's bounds (`LiveOptions`: a slow client's queue, a reconnect's replay). */
  readonly live?: LiveOptions | undefined
  /** How the client card fetches the options of its lists from an API (`ApiListsOptions`: timeout, cache, size cap). */
  readonly apiLists?: ApiListsOptions | undefined
}

/**
 * The channels of a server: the adapters it runs (one per channel kind; a message for a kind no
 * adapter serves stays queued), the outbox policy, and whether this server's runtime runs the
 * outbox worker (default yes; every server of a cluster may, claims keep them apart).
 */
export interface ChannelOptions {
  /** Default: `defaultChannelAdapters()`. */
  readonly adapters?: ReadonlyArray<ChannelAdapter.ChannelAdapter> | undefined
  readonly outbox?: Partial<Outbox.OutboxPolicy> | undefined
  readonly runOutbox?: boolean | undefined
}

/**
 * The channel adapters a server runs unless told otherwise: the composition root's list, one per
 * channel kind (each channel work adds its adapter here). `telegram.apiRoot` points Telegram at
 * another Bot API (`SWITCHBOARD_TELEGRAM_API_ROOT`: a local Bot API server, or the sandbox's fake).
 */
export const defaultChannelAdapters = (telegram: TelegramAdapter.TelegramOptions = {}): ReadonlyArray<ChannelAdapter.ChannelAdapter> => [
  WidgetAdapter.adapter,
  CustomChannel.make(),
  TelegramAdapter.make(telegram)
]

/** Run the outbox worker for as long as the runtime lives. */
const outboxRunning = Layer.scopedDiscard(Effect.flatMap(Outbox.OutboxWorker, (worker) => Effect.forkScoped(worker.run)))

/**
 * The engine, its scheduler and router, real ids, the channel adapters and the outbox worker over a
 * given store and event bus, logging in `options.logFormat`.
 * Operators are present for routing while a panel of theirs is connected (the server's `Pulse`
 * beats for all its live streams at once; ROUTING.md A1), on whichever server: presence lives in the store.
 */
export const servicesLayer = <E>(storage: Layer.Layer<Storage, E>, options: ServicesOptions = {}): Layer.Layer<PanelServices, E> => {
  const accounts = options.accounts ?? {}
  const channels = options.channels ?? {}
  const adapters = Layer.succeed(ChannelAdapter.ChannelAdapters, new Map((channels.adapters ?? defaultChannelAdapters()).map((adapter) => [adapter.kind, adapter])))
  return Layer.mergeAll(channels.runOutbox === false ? Layer.empty : outboxRunning, Pulse.layer, BoardFeed.layer, DialogPresence.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(
      Scheduler.Default,
      Routing.Router.Default,
      Accounts.Accounts.Default,
      Attachments.Default,
      Composer.Default,
      // The hub renders a composer that comes back to an open dialog with the user's own settings.
      LiveHub.layer(options.live).pipe(Layer.provide(Composer.Default)),
      // A visitor's files are checked and kept through Attachments too.
      Widget.Widget.Default.pipe(Layer.provide(Attachments.Default)),
      Outbox.OutboxWorker.Default,
      // Inbound files are checked and kept through Attachments (the same layer as the sibling's: built once).
      Inbound.ChannelInbound.Default.pipe(Layer.provide(Attachments.Default)),
      ChannelCredentials.Default,
      ApiLists.layer(options.apiLists)
    )),
    Layer.provideMerge(Names.layer),
    Layer.provideMerge(Layer.merge(Engine.Default, Routing.RoutingSettings.layer({ presence: "heartbeat" }))),
    Layer.provide(Layer.mergeAll(
      accounts.hasher ?? ScryptHasher.layer(),
      RandomSessionTokens.layer,
      HmacIdentityVerifier.layer,
      Layer.succeed(Accounts.AccountsConfig, accounts.policy ?? Accounts.defaultPolicy),
      fileStoreLayer(options.files),
      FileTypeDetector.layer
    )),
    Layer.provideMerge(Layer.mergeAll(storage, RandomIds.layer, adapters, Outbox.OutboxSettings.layer(channels.outbox), structuredLogs(options.logFormat ?? "json")))
  )
}
