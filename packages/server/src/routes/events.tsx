import type { ServerResponse } from "node:http"
import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { DialogId, Issue, SessionKey } from "@switchboard/core"
import { Contract, t } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { type Connection, sseBytes, sseText } from "../live/Connection.js"
import { LiveHub, type LiveHubService } from "../live/LiveHub.js"
import { Pulse, type PulseService } from "../live/Pulse.js"
import { directory } from "../panel/Directory.js"
import { filterOptions, listFilters } from "../panel/Filters.js"
import { BadRequest, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { decodeLocation } from "./dialogs.js"

const encoder = new TextEncoder()

/** A store position written in decimal, if that is what `text` is. */
const position = (text: string): number | undefined => {
  if (!/^\d{1,16}$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** The focus POST's own fields; the list's come through `decodeLocation`. */
const FocusFields = Schema.Struct({
  [Contract.focusFields.stream]: Schema.String.pipe(Schema.pattern(/^[a-z0-9.]{1,40}$/, { message: () => "not a stream id" })),
  [Contract.focusFields.dialog]: Schema.optional(Schema.String.pipe(Schema.filter((id) => Schema.is(DialogId)(id), { message: () => "not a dialog id", ...Issue.issueAnnotation("pattern") }))),
  [Contract.focusFields.since]: Schema.optional(Schema.String.pipe(Schema.filter((text) => position(text) !== undefined, { message: () => "not a store position", ...Issue.issueAnnotation("pattern") })))
})

/**
 * `GET /panel/events`: one SSE stream per panel page, fed by the server's live hub (`LiveHub`):
 * `ready` with the stream's id; what the page missed after `Last-Event-ID` (or `after`), replayed
 * once and in order (or one `refresh` beyond the replay bound); the counters; then what the hub
 * queues. `POST /panel/events/focus`: the page tells which dialog it has open and which list it shows.
 */
export const eventRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>()
    .get("/", (c) => {
      const actor = c.get("actor")
      const locale = c.get("locale")
      // The browser's own reconnect sends the last id it saw; a page's first connection (and one htmx
      // opens anew after a failed one) names its position in the URL.
      const given = c.req.query(Contract.eventsQuery.after)
      const fromUrl = given === undefined ? undefined : position(given)
      if (given !== undefined && fromUrl === undefined) {
        return c.text(t("requests.badPosition", { parameter: Contract.eventsQuery.after }), 400)
      }
      const after = position(c.req.header("Last-Event-ID") ?? "") ?? fromUrl
      const key = SessionKey.make(c.get("session").key)
      c.header("X-Accel-Buffering", "no")
      c.header("Content-Type", "text/event-stream")
      c.header("Cache-Control", "no-cache")
      c.header("Connection", "keep-alive")
      let hub: LiveHubService | undefined
      let pulse: PulseService | undefined
      let connection: Connection | undefined
      // What the replay sent already comes once.
      let sent = -1
      let finished = false
      // The client went away: nothing more is written.
      let cancelled = false
      const finish = () => {
        // A client gone before the stream was registered: the opening finishes it once it is.
        if (finished || connection === undefined) return
        finished = true
        // Both need nothing from the runtime, which may be disposed by now.
        Effect.runSync(hub!.close(connection))
        Effect.runSync(pulse!.leave(connection))
      }
      const gone = () => {
        cancelled = true
        connection?.close()
        finish()
      }
      const failed = (error: unknown) => runtime.runPromise(Effect.logError("Live stream: the stream failed", error)).catch(() => undefined)
      /**
       * Open the stream: registered with the hub first (every batch from now on is queued for it while
       * the replay reads the store), then `ready`, what was missed and the counters, handed to `write`.
       * Answers false when the stream ends there (too far behind: one refresh).
       */
      const opening = async (write: (text: string) => void): Promise<boolean> => {
        const services = await runtime.runPromise(Effect.all([LiveHub, Pulse]))
        hub = services[0]
        pulse = services[1]
        const opened = await runtime.runPromise(hub.open(actor, locale))
        // Presence for routing, the session's recheck and heartbeat comments: the server's pulse, for all streams at once.
        await runtime.runPromise(pulse.join(opened, key))
        connection = opened
        if (cancelled) {
          finish()
          return false
        }
        write(`event: ${Contract.sse.ready}\ndata: ${opened.id}\nretry: 2000\n\n`)
        if (after !== undefined) {
          const replayed = await runtime.runPromise(hub.replay(opened, after, (items) => Effect.sync(() => write(sseText(items)))))
          if (replayed._tag === "TooFarBehind") {
            write(`event: ${Contract.sse.refresh}\ndata: \nid: ${replayed.end}\n\n`)
            return false
          }
          sent = replayed.through
        }
        write(sseText([await runtime.runPromise(hub.count(opened))]))
        return true
      }
      /** What the hub queued next, as the bytes to write (one batch's bytes are shared by every stream it went to whole); or the end. */
      const next = async (open: Connection): Promise<Uint8Array | "refresh" | "end"> => {
        for (;;) {
          const items = await open.take()
          if (open.overflowed) return "refresh"
          if ((items.length === 0 && open.closed) || cancelled) return "end"
          const bytes = sseBytes(items, sent)
          if (bytes.length > 0) return bytes
        }
      }
      const overflowed = `event: ${Contract.sse.refresh}\ndata: \n\n`
      // Served by Node (`@hono/node-server`): written straight to the response, as a bare `node:http`
      // broadcaster does. A web stream between the hub and the socket cost a few promises per stream
      // per batch: at 1,000 streams about a tenth of the server's work per new dialog.
      const outgoing = (c.env as { readonly outgoing?: ServerResponse } | undefined)?.outgoing
      if (outgoing !== undefined && typeof outgoing.writeHead === "function") {
        outgoing.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", Connection: "keep-alive", "X-Accel-Buffering": "no" })
        outgoing.on("close", gone)
        const write = (text: string) => void outgoing.write(text)
        void (async () => {
          try {
            if (await opening(write)) {
              for (;;) {
                const bytes = await next(connection!)
                if (bytes === "end") break
                if (bytes === "refresh") {
                  write(overflowed)
                  break
                }
                // A slow reader: its own queue fills meanwhile (past its bound it is told to refresh); nobody else waits.
                if (!outgoing.write(bytes)) await new Promise<void>((resolve) => {
                  const done = () => {
                    outgoing.off("drain", done)
                    outgoing.off("close", done)
                    resolve()
                  }
                  outgoing.on("drain", done)
                  outgoing.on("close", done)
                })
              }
            }
            if (!cancelled) outgoing.end()
            finish()
          } catch (error) {
            finish()
            if (cancelled) return
            outgoing.end()
            await failed(error)
          }
        })()
        // @hono/node-server writes nothing for a response marked as sent already.
        return new Response(null, { headers: { "x-hono-already-sent": "1" } })
      }
      // Elsewhere (`app.request`): one chunk per batch the hub queued, read by the response as the client takes it.
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          const end = () => {
            if (!cancelled) controller.close()
            finish()
          }
          try {
            if (connection === undefined) return (await opening((text) => controller.enqueue(encoder.encode(text)))) ? undefined : end()
            // Until something is written: a pull that writes nothing is not called again.
            const bytes = await next(connection)
            if (bytes === "end") return end()
            if (bytes === "refresh") {
              controller.enqueue(encoder.encode(overflowed))
              return end()
            }
            controller.enqueue(bytes)
          } catch (error) {
            finish()
            if (cancelled) return
            // The client may be gone, the runtime too (a server shutting down): then there is nobody to tell.
            try {
              controller.close()
            } catch {
              // closed already
            }
            await failed(error)
          }
        },
        cancel: gone
      }, { highWaterMark: 0 })
      return c.body(body)
    })
    // The page says what it shows: the open dialog (whose bubbles it then gets) and its list.
    .post("/focus", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const fields = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
      const program = Effect.gen(function* () {
        const own = yield* Effect.mapError(Schema.decodeUnknown(FocusFields)(fields), BadRequest.fromParseError)
        const list = yield* decodeLocation(fields)
        const filters = yield* listFilters(list.filters ?? {}, yield* filterOptions(actor, yield* directory))
        // Text and periods are the page's to re-read (their matching needs the messages); the rest the hub checks.
        const { text: _text, from: _from, to: _to, ...checked } = filters as typeof filters & { text?: string }
        const since = own.since === undefined ? undefined : position(own.since)
        const hub = yield* LiveHub
        // A stream that is not (or no longer) open for this user changes nothing: its page's next stream says its focus anew.
        yield* hub.focus(actor.id, own.stream, { dialogId: own.dialog, folder: list.folder, filters: Object.keys(checked).length === 0 ? undefined : checked, list }, since)
      })
      return respond(c, runtime, program, () => c.body(null, 204))
    })
