import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, inject } from "vitest"
import { Effect, Exit, Scope } from "effect"
import { PgEventBus, ScryptHasher, SqlStore } from "@switchboard/adapters"
import { startServer, type RunningServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"
import { chromiumArgs, chromiumPath, requireChromium } from "./chromium.js"

/**
 * The browser tier's fixture: a demo server on a free port (in-memory store, demo company
 * seeded), the run's shared Chromium, signed-in pages, and every page's errors collected.
 * (`useTwoServers`, below, is the same with two servers on one PostgreSQL database.)
 *
 * ```ts
 * import { describe, expect, it } from "vitest"
 * import { runsInChromium, useE2e } from "./support/e2e.js"
 *
 * describe.skipIf(!runsInChromium)("something in Chromium", () => {
 *   const e2e = useE2e({ apiToken: "e2e-api-token" })
 *   it("…", async () => {
 *     const page = await e2e.signIn(await e2e.newPage(), "anna")   // on /panel/dialogs
 *     await page.goto(`${e2e.url}/panel/account`)
 *     expect((await e2e.inbound("telegram", { from: "1", message: { text: "hi" } })).status).toBe(202)
 *     expect(e2e.errors).toEqual([])
 *   })
 * })
 * ```
 *
 * Call `useE2e` once, at the top of a `describe`: it registers the hooks that start the server
 * before the file's own `beforeAll` (which may then configure it through `e2e.server.runtime`)
 * and close everything after. The browser is launched once for the whole run by the e2e project's
 * global setup (`chromium.global.ts`); each file opens its own contexts in it, so files share no
 * cookies or storage. Run outside that project, a file launches a browser of its own.
 */
export interface E2e {
  /** The started server (its `runtime` reaches the engine and stores directly). */
  readonly server: RunningServer
  /** `http://localhost:PORT`: the origin the browser uses (cookies, CSP and Origin checks are on this name). */
  readonly url: string
  /** `http://127.0.0.1:PORT`: for Node-side `fetch` (a `localhost` lookup waits in libuv's thread pool behind password hashing). */
  readonly apiUrl: string
  /**
   * Uncaught page errors and console errors (CSP violations included) of every page the fixture
   * opened since the file began, or since a test emptied it (`beforeEach(() => { e2e.errors.length = 0 })`
   * makes them per test): `expect(e2e.errors).toEqual([])` says there were none.
   * Entries read `name: text url` for a page given a name, `text url` otherwise.
   */
  readonly errors: Array<string>
  /** A new browser context (its own cookies), closed after the file; every page opened in it is watched. */
  readonly newContext: (options?: PageOptions) => Promise<BrowserContext>
  /** A new page, in a new context unless `options.context` is given. */
  readonly newPage: (options?: PageOptions & { readonly context?: BrowserContext }) => Promise<Page>
  /** Signs `page` in as a demo user by the sign-in page's one-click button (its context's cookies cleared first); then at `path`. */
  readonly signIn: (page: Page, who: string, path?: string) => Promise<Page>
  /** POSTs a channel's inbound webhook with the API token (`/api/channels/CHANNEL/inbound`). */
  readonly inbound: (channel: string, payload: unknown) => Promise<Response>
}

/** A page's or context's options: Playwright's context options (default viewport 1280×800) and a name for its errors. */
export interface PageOptions extends BrowserContextOptions {
  /** Prefixes this page's entries in `errors` ("client: …"). */
  readonly name?: string
}

/** What the server starts with. */
export interface E2eOptions {
  /** The API's bearer token; `inbound` sends it. */
  readonly apiToken?: string
  /** Attachments in a temporary folder of this file's own, removed after it. */
  readonly files?: boolean
}

export { runsInChromium } from "./chromium.js"

/**
 * scrypt as in production but at cost 2^10: at the production cost (2^17) one hash is about 0.85 CPU s
 * here, so seeding the demo's users took ~4 CPU s per file and every sign-in ~0.85 more, and the
 * hashes filled libuv's thread pool that fetch's name lookups wait in. What a user sees is the same.
 */
const testHasher = ScryptHasher.layer({ ...ScryptHasher.owasp, cost: 2 ** 10 })

/** The browser side of a fixture: the run's Chromium, the file's contexts and their pages' errors. */
interface BrowserSide {
  readonly connect: () => Promise<void>
  readonly close: () => Promise<void>
  readonly errors: Array<string>
  readonly newContext: (options?: PageOptions) => Promise<BrowserContext>
  readonly newPage: (options?: PageOptions & { readonly context?: BrowserContext }) => Promise<Page>
}

const browserSide = (): BrowserSide => {
  let browser: Browser | undefined
  const contexts: Array<BrowserContext> = []
  const errors: Array<string> = []

  const watch = (page: Page, name: string | undefined) => {
    const prefix = name === undefined ? "" : `${name}: `
    page.on("pageerror", (error) => errors.push(`${prefix}${error.message}`))
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${prefix}${message.text()} ${message.location().url}`)
    })
  }

  const newContext = async ({ name, ...contextOptions }: PageOptions = {}) => {
    if (browser === undefined) throw new Error("e2e fixture: the browser connects in beforeAll")
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions })
    contexts.push(context)
    // Every CSP violation as a console error naming its directive and source, whatever Chromium logs itself.
    await context.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`))
    })
    context.on("page", (page) => watch(page, name))
    return context
  }

  return {
    connect: async () => {
      requireChromium()
      const endpoint = inject("chromiumEndpoint")
      browser = endpoint === undefined ? await chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] }) : await chromium.connect(endpoint)
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined)
      await browser?.close()
    },
    errors,
    newContext,
    newPage: async ({ context, ...pageOptions } = {}) => (context ?? (await newContext(pageOptions))).newPage()
  }
}

/** Signs `page` in on the server at `url` by the sign-in page's one-click button (its context's cookies cleared first); then at `path`. */
const signInAt = async (url: string, page: Page, who: string, path = "/panel/dialogs"): Promise<Page> => {
  await page.context().clearCookies()
  await page.goto(`${url}/login`)
  await page.getByTestId(`login-as-${who}`).click()
  await page.waitForURL(/\/panel\/dialogs/)
  if (path !== "/panel/dialogs") await page.goto(`${url}${path}`)
  return page
}

/** The fixture for the `describe` it is called in (see `E2e`). */
export const useE2e = (options: E2eOptions = {}): E2e => {
  let server: RunningServer | undefined
  let files: string | undefined
  const browser = browserSide()

  const started = (): RunningServer => {
    if (server === undefined) throw new Error("useE2e: the server starts in beforeAll; use the fixture inside a test or a later hook")
    return server
  }

  beforeAll(async () => {
    if (options.files === true) files = mkdtempSync(join(tmpdir(), "switchboard-e2e-files-"))
    const [running] = await Promise.all([
      startServer({
        port: 0,
        storage: memoryStorage,
        ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
        accounts: { hasher: testHasher },
        ...(files === undefined ? {} : { files: { directory: files } })
      }),
      browser.connect()
    ])
    server = running
  })

  afterAll(async () => {
    await browser.close()
    await server?.close()
    if (files !== undefined) rmSync(files, { recursive: true, force: true })
  })

  return {
    get server() {
      return started()
    },
    get url() {
      return started().url
    },
    get apiUrl() {
      return `http://127.0.0.1:${started().port}`
    },
    errors: browser.errors,
    newContext: browser.newContext,
    newPage: browser.newPage,
    signIn: (page, who, path) => signInAt(started().url, page, who, path),
    inbound: (channel, payload) =>
      fetch(`http://127.0.0.1:${started().port}/api/channels/${channel}/inbound`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(options.apiToken === undefined ? {} : { Authorization: `Bearer ${options.apiToken}` }) },
        body: JSON.stringify(payload)
      })
  }
}

/** One of `useTwoServers`' servers: the started server, the browser's origin for it, and sign-in there. */
export interface OneOfTwo {
  readonly server: RunningServer
  /** `http://localhost:PORT` (each server has a port of its own; use separate contexts per server, as cookies ignore ports). */
  readonly url: string
  /** Signs `page` in on this server as a demo user (as `E2e.signIn`). */
  readonly signIn: (page: Page, who: string, path?: string) => Promise<Page>
}

/** Two servers on one PostgreSQL database, and the run's Chromium (see `useTwoServers`). */
export interface TwoServers {
  /** The server started first: it migrated the fresh schema and seeded the demo company. */
  readonly a: OneOfTwo
  /** The second server: it found the schema migrated and seeded, as a server added to a running deployment does. */
  readonly b: OneOfTwo
  /** As `E2e.errors`, for pages of either server. */
  readonly errors: Array<string>
  readonly newContext: (options?: PageOptions) => Promise<BrowserContext>
  readonly newPage: (options?: PageOptions & { readonly context?: BrowserContext }) => Promise<Page>
}

/**
 * Two demo servers, each with its own runtime (engine, caches, scheduler, router and LISTEN/NOTIFY
 * connection), on one PostgreSQL database at `databaseUrl`, in a fresh schema of this file's own
 * (dropped after it), and the run's shared Chromium. A is started first and seeds the demo; B joins.
 * Use in a `describe.skipIf(!databaseUrl)`: with the URL given but the database unreachable, the
 * `beforeAll` fails, so the tests fail rather than skip.
 *
 * ```ts
 * const databaseUrl = process.env["DATABASE_URL"]
 * describe.skipIf(!runsInChromium || databaseUrl === undefined || databaseUrl === "")("…", () => {
 *   const two = useTwoServers(databaseUrl ?? "")
 *   it("…", async () => {
 *     const olha = await two.a.signIn(await two.newPage(), "olha")
 *     const anna = await two.b.signIn(await two.newPage(), "anna")
 *   })
 * })
 * ```
 */
export const useTwoServers = (databaseUrl: string): TwoServers => {
  const scope = Effect.runSync(Scope.make())
  const servers: Array<RunningServer> = []
  const browser = browserSide()

  const side = (index: number): OneOfTwo => {
    const started = (): RunningServer => {
      const server = servers[index]
      if (server === undefined) throw new Error("useTwoServers: the servers start in beforeAll; use the fixture inside a test or a later hook")
      return server
    }
    return {
      get server() {
        return started()
      },
      get url() {
        return started().url
      },
      signIn: (page, who, path) => signInAt(started().url, page, who, path)
    }
  }

  beforeAll(async () => {
    const [schema] = await Promise.all([Effect.runPromise(Scope.extend(SqlStore.scratchSchema(databaseUrl), scope)), browser.connect()])
    const storage = (name: string) => ({ layer: PgEventBus.storage({ url: databaseUrl, schema, maxConnections: 4 }), description: `PostgreSQL, schema ${schema} (${name})` })
    // One after the other: A migrates the schema and seeds the demo, B finds both done.
    for (const name of ["A", "B"]) servers.push(await startServer({ port: 0, storage: storage(name), accounts: { hasher: testHasher } }))
  })

  afterAll(async () => {
    await browser.close()
    for (const server of servers) await server.close()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  return { a: side(0), b: side(1), errors: browser.errors, newContext: browser.newContext, newPage: browser.newPage }
}
