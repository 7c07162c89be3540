import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, inject } from "vitest"
import { ScryptHasher } from "@switchboard/adapters"
import { startServer, type RunningServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"
import { chromiumArgs, chromiumPath, requireChromium } from "./chromium.js"

/**
 * The browser tier's one fixture: a demo server on a free port (in-memory store, demo company
 * seeded), the run's shared Chromium, signed-in pages, and every page's errors collected.
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

/** The fixture for the `describe` it is called in (see `E2e`). */
export const useE2e = (options: E2eOptions = {}): E2e => {
  let server: RunningServer | undefined
  let browser: Browser | undefined
  let files: string | undefined
  const contexts: Array<BrowserContext> = []
  const errors: Array<string> = []

  const started = (): RunningServer => {
    if (server === undefined) throw new Error("useE2e: the server starts in beforeAll; use the fixture inside a test or a later hook")
    return server
  }

  beforeAll(async () => {
    requireChromium()
    if (options.files === true) files = mkdtempSync(join(tmpdir(), "switchboard-e2e-files-"))
    const endpoint = inject("chromiumEndpoint")
    const [running, connected] = await Promise.all([
      startServer({
        port: 0,
        storage: memoryStorage,
        ...(options.apiToken === undefined ? {} : { apiToken: options.apiToken }),
        accounts: { hasher: testHasher },
        ...(files === undefined ? {} : { files: { directory: files } })
      }),
      endpoint === undefined ? chromium.launch({ executablePath: chromiumPath, headless: true, args: [...chromiumArgs] }) : chromium.connect(endpoint)
    ])
    server = running
    browser = connected
  })

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined)
    await browser?.close()
    await server?.close()
    if (files !== undefined) rmSync(files, { recursive: true, force: true })
  })

  const watch = (page: Page, name: string | undefined) => {
    const prefix = name === undefined ? "" : `${name}: `
    page.on("pageerror", (error) => errors.push(`${prefix}${error.message}`))
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${prefix}${message.text()} ${message.location().url}`)
    })
  }

  const newContext = async ({ name, ...contextOptions }: PageOptions = {}) => {
    if (browser === undefined) throw new Error("useE2e: the browser connects in beforeAll")
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
    get server() {
      return started()
    },
    get url() {
      return started().url
    },
    get apiUrl() {
      return `http://127.0.0.1:${started().port}`
    },
    errors,
    newContext,
    newPage: async ({ context, ...pageOptions } = {}) => (context ?? (await newContext(pageOptions))).newPage(),
    signIn: async (page, who, path = "/panel/dialogs") => {
      await page.context().clearCookies()
      await page.goto(`${started().url}/login`)
      await page.getByTestId(`login-as-${who}`).click()
      await page.waitForURL(/\/panel\/dialogs/)
      if (path !== "/panel/dialogs") await page.goto(`${started().url}${path}`)
      return page
    },
    inbound: (channel, payload) =>
      fetch(`http://127.0.0.1:${started().port}/api/channels/${channel}/inbound`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(options.apiToken === undefined ? {} : { Authorization: `Bearer ${options.apiToken}` }) },
        body: JSON.stringify(payload)
      })
  }
}
