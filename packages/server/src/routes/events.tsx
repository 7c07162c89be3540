import { Effect, Schema } from "effect"
import { Hono } from "hono"
import { streamSSE, type SSEStreamingApi } from "hono/streaming"
import { DialogId, SessionKey } from "@switchboard/core"
import { Contract } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import type { Connection, Outgoing } from "../live/Connection.js"
import { LiveHub } from "../live/LiveHub.js"
import { Pulse } from "../live/Pulse.js"
import { directory } from "../panel/Directory.js"
import { filterOptions, listFilters } from "../panel/Filters.js"
import { BadRequest, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { decodeLocation } from "./dialogs.js"

const write = (stream: SSEStreamingApi) => async (item: Outgoing) => {
  if (item._tag === "Heartbeat") await stream.write(": heartbeat\n\n")
  else await stream.writeSSE({ event: item.event, data: item.data, ...(item.id === undefined ? {} : { id: String(item.id) }) })
}

/** A store position written in decimal, if that is what `text` is. */
const position = (text: string): number | undefined => {
  if (!/^\d{1,16}$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** The focus POST's own fields; the list's come through `decodeLocation`. */
const FocusFields = Schema.Struct({
  [Contract.focusFields.stream]: Schema.String.pipe(Schema.pattern(/^[a-z0-9.]{1,40}$/, { message: () => "not a stream id" })),
  [Contract.focusFields.dialog]: Schema.optional(Schema.String.pipe(Schema.filter((id) => Schema.is(DialogId)(id), { message: () => "not a dialog id" }))),
  [Contract.focusFields.since]: Schema.optional(Schema.String.pipe(Schema.filter((text) => position(text) !== undefined, { message: () => "not a store position" })))
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
      // The browser's own reconnect sends the last id it saw; a page's first connection (and one htmx
      // opens anew after a failed one) names its position in the URL.
      const given = c.req.query(Contract.eventsQuery.after)
      const fromUrl = given === undefined ? undefined : position(given)
      if (given !== undefined && fromUrl === undefined) {
        return c.text(`Bad request: ${Contract.eventsQuery.after} must be a store position (a whole number from 0), not ${JSON.stringify(given.slice(0, 40))}`, 400)
      }
      const after = position(c.req.header("Last-Event-ID") ?? "") ?? fromUrl
      const key = SessionKey.make(c.get("session").key)
      c.header("X-Accel-Buffering", "no")
      return streamSSE(c, async (stream) => {
        const [hub, pulse] = await runtime.runPromise(Effect.all([LiveHub, Pulse]))
        // Registered first, so that every batch from now on is queued for it while the replay reads the store.
        const connection = await runtime.runPromise(hub.open(actor))
        stream.onAbort(() => connection.close())
        const send = write(stream)
        // Presence for routing, the session's recheck and heartbeat comments: the server's pulse, for all streams at once.
        await runtime.runPromise(pulse.join(connection, key))
        try {
          await stream.writeSSE({ event: Contract.sse.ready, data: connection.id, retry: 2000 })
          let sent = 0
          if (after !== undefined) {
            const replayed = await runtime.runPromise(hub.replay(connection, after, (items) => Effect.promise(async () => {
              for (const item of items) await send(item)
            })))
            if (replayed._tag === "TooFarBehind") {
              await stream.writeSSE({ event: Contract.sse.refresh, data: "", id: String(replayed.end) })
              return
            }
            sent = replayed.through
          }
          await send(await runtime.runPromise(hub.count(connection)))
          while (!connection.closed) {
            const items = await connection.take()
            if (connection.overflowed) {
              await stream.writeSSE({ event: Contract.sse.refresh, data: "" })
              return
            }
            // What the replay sent already comes once.
            for (const item of items) if (item._tag === "Heartbeat" || item.position === undefined || item.position > sent) await send(item)
          }
        } catch (error) {
          // The runtime may be gone already (a server shutting down): then there is nobody to tell.
          await runtime.runPromise(Effect.logError("Live stream: the stream failed", error)).catch(() => undefined)
        } finally {
          // Both need nothing from the runtime, which may be disposed by now.
          Effect.runSync(hub.close(connection))
          Effect.runSync(pulse.leave(connection))
        }
      })
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
        yield* hub.focus(actor.id, own.stream, { dialogId: own.dialog, folder: list.folder, filters: Object.keys(checked).length === 0 ? undefined : checked }, since)
      })
      return respond(c, runtime, program, () => c.body(null, 204))
    })
