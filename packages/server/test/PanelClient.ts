import { afterAll, beforeAll, expect } from "vitest"
import { Layer, ManagedRuntime } from "effect"
import { ScryptHasher, SqlAccountStore, SqlComposerStore, SqlStore, SqlWidgetSessionStore, StoreEventBus } from "@switchboard/adapters"
import { PgliteScratch } from "@switchboard/adapters/testing"
import { type AppOptions, makeApp } from "../src/App.js"
import { demoPassword, demoUsers, seedIfEmpty } from "../src/Demo.js"
import { type AccountOptions, type ChannelOptions, type FileOptions, servicesLayer, type Storage } from "../src/Services.js"
import type { LiveOptions } from "../src/live/LiveHub.js"
import type { ApiListsOptions } from "../src/panel/ApiLists.js"
import type { StorageChoice } from "../src/Storage.js"
import { copyState, emptyState, filesOver, layerOver, memoryStorage, type State } from "../src/testing.js"

/** A signed-in browser as the HTTP tests see it: its cookies and the page's CSRF token. */
export interface Session {
  readonly cookie: string
  readonly csrf: string
}

const origin = "http://localhost"

const cookiesOf = (response: Response) =>
  response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ")

/** Drive the panel of `app` over HTTP like a browser (and htmx) would. */
export const panelClient = (app: ReturnType<typeof makeApp>) => {
  /** Submit the sign-in form like a browser: GET the form, POST with its token and cookie. The answer as it came. */
  const submitSignIn = async (login: string, password: string, headers: Record<string, string> = {}): Promise<Response> => {
    const form = await app.request("/login", { headers })
    const loginCookie = cookiesOf(form)
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ""
    return app.request("/login", {
      method: "POST",
      headers: { Origin: origin, Cookie: loginCookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams({ _csrf: token, login, password })
    })
  }

  /** Sign in as a demo user (by id) with the demo password, or as anyone with a login and password. */
  const signIn = async (userId: string, password = demoPassword): Promise<Session> => {
    const login = demoUsers.find((user) => user.id === userId)?.login ?? userId
    const response = await submitSignIn(login, password)
    expect(response.status).toBe(303)
    const cookie = cookiesOf(response)
    const page = await app.request("/panel/dialogs?folder=new", { headers: { Cookie: cookie } })
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? ""
    return { cookie, csrf }
  }

  /** An htmx form POST with the session's CSRF token; a field given a list is sent once per value (checkboxes). */
  const post = (session: Session, path: string, fields: Record<string, string | ReadonlyArray<string>> = {}, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: "POST",
      headers: { Origin: origin, Cookie: session.cookie, "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams([["_csrf", session.csrf], ...Object.entries(fields).flatMap(([name, value]) => (typeof value === "string" ? [[name, value]] : value.map((item) => [name, item])))])
    })

  const get = (session: Session, path: string, htmx = false) =>
    app.request(path, { headers: { Cookie: session.cookie, ...(htmx ? { "HX-Request": "true" } : {}) } })

  /** An htmx GET that swaps into the element with id `target` (htmx sends it as `HX-Target`). */
  const swap = (session: Session, path: string, target: string, headers: Record<string, string> = {}) =>
    app.request(path, { headers: { Cookie: session.cookie, "HX-Request": "true", "HX-Target": target, ...headers } })

  const inbound = (channelId: string, body: unknown) =>
    app.request(`/api/channels/${channelId}/inbound`, { method: "POST", headers: { "Content-Type": "application/json", ...apiAuthorization }, body: JSON.stringify(body) })

  return { signIn, submitSignIn, post, get, swap, inbound }
}

/** The server-wide API token of the test apps (`panelApp`), accepted for every channel's inbound API. */
export const testApiToken = "test-api-token"

/** The header that carries `testApiToken`. */
export const apiAuthorization = { Authorization: `Bearer ${testApiToken}` } as const

/** The dialog ids of the list rows in a page or fragment, in order. */
export const rowIds = (html: string) => [...html.matchAll(/data-testid="dialog-row" data-dialog-id="([^"]+)"/g)].map((match) => match[1]!)

/** Undo the escaping JSX applies to text and attributes. */
export const unescapeHtml = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")

/** An attribute of the first opening tag that contains `marker`. */
export const attributeOf = (html: string, marker: string, attribute: string) => {
  const tag = [...html.matchAll(/<[a-z]+\s[^>]*>/g)].map((match) => match[0]).find((candidate) => candidate.includes(marker))
  const value = tag === undefined ? undefined : new RegExp(`\\s${attribute}="([^"]*)"`).exec(tag)?.[1]
  return value === undefined ? undefined : unescapeHtml(value)
}

/**
 * The stores the HTTP suites run on: in memory, and PGlite (a fresh schema on the test worker's
 * in-memory PGlite, dropped when the app's runtime is disposed).
 */
export const storages: ReadonlyArray<{ readonly name: string; readonly make: () => { readonly storage: StorageChoice; readonly cleanup: () => void } }> = [
  { name: "the in-memory store", make: () => ({ storage: memoryStorage, cleanup: () => undefined }) },
  {
    name: "PGlite",
    make: () => ({
      storage: {
        layer: StoreEventBus.layer.pipe(Layer.provideMerge(Layer.mergeAll(SqlStore.layer, SqlAccountStore.layer, SqlWidgetSessionStore.layer, SqlComposerStore.layer).pipe(Layer.provide(PgliteScratch.layer())))),
        description: "a scratch schema of in-memory PGlite"
      },
      cleanup: () => undefined
    })
  }
]

/** scrypt as in production but at N=2^10, so a test's sign-ins take a millisecond, not a third of a second. */
export const cheapHasher = ScryptHasher.layer({ ...ScryptHasher.owasp, cost: 2 ** 10 })

/** The panel app on a store and bus (the services of `start`), with its runtime and a signed-in HTTP client. */
export const panelApp = (
  storage: Layer.Layer<Storage, unknown>,
  options: {
    readonly accounts?: AccountOptions
    readonly app?: Partial<AppOptions>
    readonly files?: FileOptions
    readonly live?: LiveOptions
    readonly channels?: ChannelOptions
    readonly apiLists?: ApiListsOptions
  } = {}
) => {
  const runtime = ManagedRuntime.make(
    servicesLayer(storage, { accounts: { hasher: cheapHasher, ...options.accounts }, files: options.files, live: options.live, channels: options.channels, apiLists: options.apiLists })
  )
  const app = makeApp({ runtime, secret: "test-secret-test-secret-test-secret", apiToken: testApiToken, ...options.app })
  return { runtime, app, ...panelClient(app) }
}

/** The panel app over the in-memory `state` (`@switchboard/server/testing`): its stores and its attachments. */
export const panelOver = (state: State, files: FileOptions = { store: filesOver(state) }) => panelApp(layerOver(state), { files })

/**
 * The demo company seeded once for a test file, `setup` run on it once (sign-ins, ids a test
 * needs); each call then gives a server of its own over a copy of what was stored (`copyState`),
 * with what `setup` returned. Sessions signed in by `setup` are stored, so valid on every copy. A
 * test's writes stay in its copy: the next call starts from the company as seeded. A call may
 * keep the copy's attachments elsewhere (`files`: a folder of its own); the seeded company has none.
 */
export const seededCopies = <A>(setup: (server: ReturnType<typeof panelOver>) => Promise<A>) => {
  let seeded: Promise<{ readonly state: State; readonly value: A }> | undefined
  const seed = async () => {
    const state = emptyState()
    const server = panelOver(state)
    try {
      await server.runtime.runPromise(seedIfEmpty)
      return { state, value: await setup(server) }
    } finally {
      await server.runtime.dispose()
    }
  }
  return async (files?: FileOptions) => {
    const { state, value } = await (seeded ??= seed())
    const copy = copyState(state)
    return { server: panelOver(copy, files), value }
  }
}

/**
 * A seeded demo company of its own for the enclosing `describe` (seeded in `beforeAll`, disposed
 * after), with a signed-in session per demo user named: `sessions.anna` and so on, set once the
 * hooks ran. `plainPost` submits a form as a browser without JavaScript does (no HX-Request).
 */
export const seededPanel = <U extends string>(...users: ReadonlyArray<U>) => {
  const server = panelApp(memoryStorage.layer)
  const sessions = {} as Record<U, Session>
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    for (const user of users) sessions[user] = await server.signIn(user)
  })
  afterAll(() => server.runtime.dispose())
  const plainPost = (session: Session, path: string, fields: Record<string, string>) =>
    server.app.request(path, {
      method: "POST",
      headers: { Origin: origin, Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields })
    })
  return { server, sessions, plainPost }
}

/** One event of a live stream as a test reads it. */
export type SseEvent = { readonly event: string; readonly data: string; readonly id: string | undefined }

/** Read a live stream's events as they come: `until` reads on until `done` says so and returns all read so far. */
export const sseReader = (response: Response) => {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: Array<SseEvent> = []
  let buffer = ""
  return {
    until: async (done: (events: ReadonlyArray<SseEvent>) => boolean) => {
      while (!done(events)) {
        const chunk = await reader.read()
        if (chunk.done) break
        buffer += chunk.value
        const blocks = buffer.split("\n\n")
        buffer = blocks.pop() ?? ""
        for (const block of blocks) {
          const lines = block.split("\n")
          const field = (name: string) => lines.filter((line) => line.startsWith(`${name}: `)).map((line) => line.slice(name.length + 2))
          // A heartbeat is a comment: no event.
          if (lines.some((line) => line.startsWith("event: ") || line.startsWith("data: "))) {
            events.push({ event: field("event")[0] ?? "message", data: field("data").join("\n"), id: field("id")[0] })
          }
        }
      }
      return events
    },
    cancel: () => reader.cancel()
  }
}
