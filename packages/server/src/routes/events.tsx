import { Duration, Effect, Fiber, Option, Stream } from "effect"
import { Hono } from "hono"
import { streamSSE, type SSEStreamingApi } from "hono/streaming"
import { type Access, DialogId, Engine, EventBus, MessageId, Store, type StoredEvent } from "@switchboard/core"
import { Contract, FolderCount, MessageAppend, MessageReplace, UnreadTotal } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { clientNameOf, directory, messageView } from "../Panel.js"
import type { PanelRuntime } from "../Services.js"

/**
 * What the stream writes: a rendered event (the counters, and the bubble it adds or changes if the
 * user may see it) or a heartbeat comment.
 */
type Outgoing =
  | { readonly _tag: "Event"; readonly id: number; readonly counters: string; readonly bubble: string | undefined; readonly dialogId: string }
  | { readonly _tag: "Heartbeat" }

const toHtml = (node: { toString(): string | Promise<string> }) => Effect.promise(async () => String(await node.toString()))

/** The message a dialog event adds or changes, if any. */
const changedMessage = (stored: StoredEvent): Option.Option<{ readonly id: string; readonly added: boolean }> => {
  const event = stored.event
  switch (event._tag) {
    case "ClientMessageReceived":
    case "StaffMessageSent":
      return Option.some({ id: event.message.id, added: true })
    case "MessageEdited":
    case "MessageDeleted":
    case "DeliveryUpdated":
      return Option.some({ id: event.messageId, added: false })
    default:
      return Option.none()
  }
}

/**
 * Render one stored event for one user: the header and folder counters, and the message bubble
 * it adds or changes (if the user may see the dialog). Rendered once per event and user.
 */
const render = (actor: Access.UserActor, stored: StoredEvent) =>
  Effect.gen(function* () {
    if (!stored.streamId.startsWith("dialog:")) return Option.none<Outgoing>()
    const engine = yield* Engine
    const dialogId = DialogId.make(stored.streamId.slice("dialog:".length))
    const counters = yield* engine.unread(actor)
    const badges = [
      yield* toHtml(<UnreadTotal total={counters.total} oob />),
      yield* toHtml(<FolderCount folder="new" unread={counters.new} oob />),
      yield* toHtml(<FolderCount folder="mine" unread={counters.mine} oob />)
    ]
    const bubble = yield* Option.match(changedMessage(stored), {
      onNone: () => Effect.succeed(undefined),
      onSome: (changed) =>
        Effect.gen(function* () {
          const seq = Number(changed.id.slice(changed.id.lastIndexOf(".m") + 2))
          const state = yield* engine.dialog(actor, dialogId)
          const page = yield* engine.history(actor, { dialogId, beforeSeq: seq + 1, limit: 1 })
          const message = page.items.find((item) => item.id === MessageId.make(changed.id))
          if (message === undefined) return undefined
          const view = messageView(message, yield* directory, yield* clientNameOf(state))
          return yield* toHtml(changed.added ? <MessageAppend message={view} /> : <MessageReplace message={view} />)
        }).pipe(Effect.catchTag("NotFound", () => Effect.succeed(undefined)))
    })
    return Option.some<Outgoing>({ _tag: "Event", id: stored.position, counters: badges.join("\n"), bubble, dialogId })
  })

/**
 * The user's live stream: events after `Last-Event-ID` are replayed from the store, then live
 * ones follow from the bus; heartbeats every 15 s keep proxies from closing the connection.
 */
const live = (actor: Access.UserActor, after: number | undefined, write: (item: Outgoing) => Promise<void>) =>
  Effect.gen(function* () {
    const store = yield* Store
    const bus = yield* EventBus
    let last = after ?? 0
    const replay = after === undefined ? Stream.empty : Stream.fromIterableEffect(store.readAll(after, 1000))
    const events = Stream.concat(replay, bus.subscribe).pipe(
      Stream.filter((stored) => after === undefined || stored.position > last),
      Stream.tap((stored) => Effect.sync(() => void (last = Math.max(last, stored.position)))),
      Stream.mapEffect((stored) => render(actor, stored)),
      Stream.filterMap((item) => item)
    )
    const heartbeats = Stream.map(Stream.tick(Duration.seconds(15)), (): Outgoing => ({ _tag: "Heartbeat" }))
    yield* Stream.runForEach(Stream.merge(events, heartbeats), (item) => Effect.promise(() => write(item)))
  })

const send = (stream: SSEStreamingApi) => async (item: Outgoing) => {
  if (item._tag === "Heartbeat") {
    await stream.write(": heartbeat\n\n")
    return
  }
  await stream.writeSSE({ event: Contract.sse.panel, data: item.counters })
  if (item.bubble !== undefined) await stream.writeSSE({ event: Contract.sse.dialog(item.dialogId), data: item.bubble })
  // The id goes on the event's last part: a reconnect resumes after a fully written event.
  await stream.writeSSE({ event: Contract.sse.dialogs, data: item.dialogId, id: String(item.id) })
}

/** `GET /panel/events`: one SSE stream per signed-in user, pushing re-rendered fragments. */
export const eventRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>().get("/", (c) => {
    const actor = c.get("actor")
    const lastEventId = Number(c.req.header("Last-Event-ID"))
    const after = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : undefined
    c.header("X-Accel-Buffering", "no")
    return streamSSE(c, async (stream) => {
      await stream.writeSSE({ data: "", event: "ready", retry: 2000 })
      const fiber = runtime.runFork(live(actor, after, send(stream)))
      stream.onAbort(() => {
        runtime.runFork(Fiber.interrupt(fiber))
      })
      await new Promise<void>((resolve) => fiber.addObserver(() => resolve()))
    })
  })
