import { randomBytes } from "node:crypto"
import type { AddressInfo } from "node:net"
import { serve, type ServerType } from "@hono/node-server"
import { Effect, Fiber, ManagedRuntime } from "effect"
import { Access, Engine, Routing, Scheduler, type SlaClock } from "@switchboard/core"
import { makeApp } from "./App.js"
import { demoSignIn, seedIfEmpty } from "./Demo.js"
import { type AccountOptions, type ChannelOptions, type FileOptions, type LogFormat, type PanelRuntime, servicesLayer } from "./Services.js"
import type { StorageChoice } from "./Storage.js"

/** Options of a running server. */
export interface StartOptions {
  /** 0 picks a free port. */
  readonly port: number
  readonly hostname?: string
  /** Where data lives (`chooseStorage`; tests pass `memoryStorage` from `@switchboard/server/testing`). */
  readonly storage: StorageChoice
  /** Signs the login form's CSRF cookie; a random one per start if absent (sessions live in the store and survive). */
  readonly secret?: string
  readonly apiToken?: string
  /** SLA calendar and policies to store at start (the demo seed stores its own on first start). */
  readonly sla?: SlaClock.SlaSettings
  /**
   * Demo mode (default true): seed the demo company and its users when the store is empty, and
   * print the demo password on the sign-in page. `false` is a production start: no users at all.
   */
  readonly seed?: boolean
  /** Log lines as JSON (default) or logfmt. */
  readonly logFormat?: LogFormat
  /** Largest request bodies in bytes: the JSON API (default 1 MiB), the panel's forms (256 KiB) and file uploads (101 MiB). */
  readonly bodyLimits?: { readonly api?: number | undefined; readonly forms?: number | undefined; readonly files?: number | undefined }
  /** Where attachments are kept (default: `switchboard-files` in the OS temporary folder). */
  readonly files?: FileOptions
  /** Reverse proxies trusted for `X-Forwarded-For`/`-Proto` (`TRUST_PROXY`); 0 trusts none. */
  readonly trustProxy?: number
  /** Session and throttle policy, password hasher. */
  readonly accounts?: AccountOptions
  /** The channel adapters (default: `defaultChannelAdapters()`) and the outbox. */
  readonly channels?: ChannelOptions
}

/** A started server: where it listens and how to stop it. */
export interface RunningServer {
  readonly url: string
  /** The server's runtime (the CLI asks it whether any user exists yet). */
  readonly runtime: PanelRuntime
  readonly port: number
  readonly storage: string
  /**
   * Stop accepting connections, end open SSE streams, stop the scheduler and router, and dispose the
   * runtime (closing the store).
   */
  readonly close: () => Promise<void>
}

/**
 * Build the one runtime, seed the demo on first start, run the scheduler, listen. `close` stops
 * accepting connections, ends open SSE streams and disposes the runtime (which ends the scheduler).
 */
export const startServer = async (options: StartOptions): Promise<RunningServer> => {
  const storage = options.storage
  const runtime = ManagedRuntime.make(servicesLayer(storage.layer, { accounts: options.accounts, logFormat: options.logFormat, files: options.files, channels: options.channels }))
  if (options.seed !== false) await runtime.runPromise(seedIfEmpty)
  // An SLA given at start (SWITCHBOARD_SLA) replaces the stored one and re-evaluates open dialogs.
  if (options.sla !== undefined) {
    const sla = options.sla
    await runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.configureSla(Access.system, sla)))
  }
  const scheduler = runtime.runFork(Effect.flatMap(Scheduler, (service) => service.run()))
  // Automatic distribution (OPS-04): passes on every queue-changing event plus a safety tick.
  const router = runtime.runFork(Effect.flatMap(Routing.Router, (service) => service.run))
  const app = makeApp({
    runtime,
    secret: options.secret ?? randomBytes(32).toString("hex"),
    apiToken: options.apiToken,
    trustProxy: options.trustProxy,
    bodyLimits: options.bodyLimits,
    demo: options.seed === false ? undefined : demoSignIn
  })
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, port: options.port, hostname: options.hostname ?? "127.0.0.1" }, () => resolve(started))
  })
  const address = server.address() as AddressInfo
  const host = options.hostname === undefined || options.hostname === "0.0.0.0" ? "localhost" : options.hostname
  return {
    url: `http://${host === "127.0.0.1" ? "localhost" : host}:${address.port}`,
    port: address.port,
    runtime,
    storage: storage.description,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ("closeAllConnections" in server) server.closeAllConnections()
      })
      await runtime.runPromise(Fiber.interrupt(scheduler))
      await runtime.runPromise(Fiber.interrupt(router))
      await runtime.dispose()
    }
  }
}
