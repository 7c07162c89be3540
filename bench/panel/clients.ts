/**
 * Operators' panels as plain HTTP clients (node:http, no browser): each loads its page, opens the
 * SSE stream the page names (`sse-connect`) and does what the page does with what arrives. The
 * protocol is detected per stream: a stream that ever pushes a list row (`data-testid="dialog-row"`)
 * applies rows in place; one that does not re-GETs its list after each `dialogs` signal, as
 * `hx-trigger="sse:dialogs delay:150ms"` with `hx-sync="queue last"` does (one request in flight,
 * one more queued). A server that names the stream in its `ready` event is told what the page shows
 * (`POST /panel/events/focus`: the list's folder and filters, the open dialog), as panel.js does.
 */
import http from "node:http"
import { createParser } from "eventsource-parser"
import { Tracker } from "./tracker.js"

/** One operator's session and what their screen shows. */
export interface Panel {
  readonly index: number
  /** The page to load first: a folder, or a dialog open in its folder. */
  readonly page: string
  readonly cookie: string
}

/** Shared between list GETs of all panels (each stream has its own socket). */
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })

/**
 * GET a path, answering the body (status checked). A kept-alive socket the server has just closed
 * (its idle timeout) resets the request: that one is sent again on a new socket, as browsers do.
 */
export const get = (base: string, path: string, headers: Record<string, string>): Promise<string> =>
  getOnce(base, path, headers).catch((error: unknown) => {
    if ((error as { code?: string }).code === "ECONNRESET") return getOnce(base, path, headers)
    throw error
  })

const getOnce = (base: string, path: string, headers: Record<string, string>): Promise<string> =>
  new Promise((resolve, reject) => {
    const request = http.get(new URL(path, base), { agent, headers }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8")
        if (response.statusCode !== 200) reject(new Error(`GET ${path}: ${response.statusCode} ${body.slice(0, 200)}`))
        else resolve(body)
      })
      response.on("error", reject)
    })
    request.on("error", reject)
  })

/** POST a form with the page's CSRF header (the focus the page tells the server). */
const postForm = (base: string, path: string, headers: Record<string, string>, form: URLSearchParams): Promise<number> =>
  new Promise((resolve, reject) => {
    const request = http.request(new URL(path, base), { method: "POST", agent, headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" } }, (response) => {
      response.resume()
      response.on("end", () => resolve(response.statusCode ?? 0))
    })
    request.on("error", reject)
    request.end(form.toString())
  })

const unescape = (value: string) => value.replaceAll("&amp;", "&").replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&lt;", "<").replaceAll("&gt;", ">")

/** An attribute of the first tag with `id="..."`, if any. */
const attributeOf = (html: string, id: string, attribute: string): string | undefined => {
  const tag = new RegExp(`<[a-z]+\\b[^>]*\\bid="${id}"[^>]*>`).exec(html)?.[0]
  const value = tag === undefined ? undefined : new RegExp(`\\b${attribute}="([^"]*)"`).exec(tag)?.[1]
  return value === undefined ? undefined : unescape(value)
}

const rowTag = /<li\b[^>]*data-testid="dialog-row"[^>]*>/g
const dialogIdAttribute = /\bdata-dialog-id="([^"]+)"/

/** The dialog ids of the list rows in a piece of HTML. */
export const rowIds = (html: string): Array<string> =>
  [...html.matchAll(rowTag)].map((match) => dialogIdAttribute.exec(match[0])?.[1]).filter((id): id is string => id !== undefined)

const tokens = /bench-msg-\d+/g

/** A connected panel: close it at the end. */
export interface Connected {
  readonly close: () => void
}

/**
 * Load the panel's page, open its stream, and report to `tracker` when an event first names a
 * dialog or message ("reached") and when the screen has it ("shown": a pushed row or bubble, or a
 * list re-read issued after the signal).
 */
export const connect = async (base: string, panel: Panel, tracker: Tracker): Promise<Connected> => {
  const headers = { Cookie: panel.cookie }
  const page = await get(base, panel.page, headers)
  const found = /sse-connect="([^"]+)"/.exec(page)?.[1]
  if (found === undefined) throw new Error(`No sse-connect on ${panel.page}`)
  const stream = unescape(found)
  const listUrl = attributeOf(page, "dialog-results", "hx-get")
  let shown = rowIds(page).length
  const csrf = /"X-CSRF-Token":"([^"]+)"/.exec(unescape(/<body\b[^>]*\bhx-headers="([^"]*)"/.exec(page)?.[1] ?? ""))?.[1] ?? ""
  const focus = new URLSearchParams()
  for (const [name, value] of new URL(listUrl ?? "/", base).searchParams) if (!["cursor", "shown", "selected"].includes(name)) focus.set(name, value)
  const selected = /<input\b[^>]*\bid="dialog-selected"[^>]*>/.exec(page)?.[0]
  const openDialog = selected === undefined || /\bdisabled\b/.test(selected) ? undefined : /\bvalue="([^"]*)"/.exec(selected)?.[1]
  if (openDialog !== undefined) {
    focus.set("dialog", unescape(openDialog))
    const since = attributeOf(page, "dialog-pane", "data-position")
    if (since !== undefined) focus.set("since", since)
  }
  let pushes = false
  // The list's re-read: ids signalled and not yet covered by a GET issued after the signal.
  const waiting = new Set<string>()
  let timer: NodeJS.Timeout | undefined
  let inFlight = false
  let queued = false
  const reread = () => {
    if (listUrl === undefined) return
    if (inFlight) {
      queued = true
      return
    }
    inFlight = true
    const covered = [...waiting]
    waiting.clear()
    tracker.listGets++
    const url = new URL(listUrl, base)
    url.searchParams.set("shown", String(Math.max(shown, 1)))
    get(base, url.pathname + url.search, { ...headers, "HX-Request": "true", "HX-Target": "dialog-results", "HX-Trigger": "dialog-results" })
      .then((html) => {
        shown = rowIds(html).length
        for (const id of covered) tracker.shown(id, panel.index)
      })
      .catch((error: unknown) => tracker.failure(String(error)))
      .finally(() => {
        inFlight = false
        if (queued) {
          queued = false
          reread()
        }
      })
  }
  let opened: () => void = () => undefined
  const open = new Promise<void>((resolve) => (opened = resolve))
  const parser = createParser({
    onEvent: (event) => {
      if (event.event === "ready" && event.data !== "") {
        focus.set("stream", event.data)
        postForm(base, "/panel/events/focus", { ...headers, "X-CSRF-Token": csrf }, focus)
          .then((status) => (status < 300 ? undefined : tracker.failure(`focus of panel ${panel.index}: ${status}`)))
          .catch((error: unknown) => tracker.failure(String(error)))
          .finally(opened)
        return
      }
      if (event.event === "refresh") tracker.refreshes++
      opened()
      const data = event.data
      const rows = rowIds(data)
      if (rows.length > 0) pushes = true
      tracker.pushedRows += rows.length
      for (const id of rows) {
        tracker.reached(id, panel.index)
        tracker.shown(id, panel.index)
      }
      for (const token of data.match(tokens) ?? []) {
        tracker.reached(token, panel.index)
        tracker.shown(token, panel.index)
      }
      tracker.bytes += data.length
      tracker.events++
      if (event.event === "dialogs") {
        for (const id of data.split(" ")) {
          if (id === "") continue
          tracker.reached(id, panel.index)
          if (!pushes) waiting.add(id)
        }
        if (!pushes) {
          clearTimeout(timer)
          timer = setTimeout(reread, 150)
        }
      }
    }
  })
  const request = http.get(new URL(stream, base), { agent: false, headers: { ...headers, Accept: "text/event-stream" } }, (response) => {
    if (response.statusCode !== 200) tracker.failure(`stream of panel ${panel.index}: ${response.statusCode}`)
    response.setEncoding("utf8")
    response.on("data", (chunk: string) => parser.feed(chunk))
    response.on("error", () => undefined)
  })
  request.on("error", (error) => tracker.failure(`stream of panel ${panel.index}: ${error.message}`))
  // Subscribed once the stream says anything (the server says `ready` first); a stream that says nothing for 5 s is counted as open.
  await Promise.race([open, new Promise((resolve) => setTimeout(resolve, 5000).unref())])
  return {
    close: () => {
      clearTimeout(timer)
      request.destroy()
    }
  }
}
