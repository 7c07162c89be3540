import { Chunk, Duration, Effect, Fiber, Option, Stream } from "effect"
import { Hono } from "hono"
import { streamSSE, type SSEStreamingApi } from "hono/streaming"
import { type Access, type Dialog, DialogFold, DialogId, Engine, EventBus, MessageId, Store, type StoredEvent } from "@switchboard/core"
import { Contract, FolderCount, MessageAppend, MessageReplace, UnreadTotal } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { clientNameOf, directory, messageView } from "../Panel.js"
import { renderOnce, type RenderOnce } from "../RenderOnce.js"
import type { PanelRuntime } from "../Services.js"

/**
 * What the stream writes: what a batch of stored events changes for the user (the counters once,
 * the bubbles they add or change in the dialogs the user may see, the dialogs they touch) or a
 * heartbeat comment, or `ready` once subscribed.
 */
type Outgoing =
  | {
    readonly _tag: "Events"
    readonly id: number
    readonly counters: string
    readonly bubbles: ReadonlyArray<{ readonly dialogId: string; readonly html: string }>
    readonly dialogIds: ReadonlyArray<string>
  }
  | { readonly _tag: "Heartbeat" }
  | { readonly _tag: "Ready" }

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


/** The bubble an event adds or changes: an added message is in the event; a changed one is read back. */
const renderBubble = (actor: Access.UserActor, state: Dialog.DialogState, stored: StoredEvent, changed: { readonly id: string; readonly added: boolean }) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const event = stored.event
    const message = event._tag === "ClientMessageReceived" || event._tag === "StaffMessageSent"
      ? event.message
      : yield* Effect.map(
        engine.history(actor, { dialogId: state.id, beforeSeq: Number(changed.id.slice(changed.id.lastIndexOf(".m") + 2)) + 1, limit: 1 }),
        (page) => page.items.find((item) => item.id === MessageId.make(changed.id))
      )
    if (message === undefined) return undefined
    const view = messageView(message, yield* directory, yield* clientNameOf(state))
    return yield* toHtml(changed.added ? <MessageAppend message={view} /> : <MessageReplace message={view} />)
  })

/**
 * Render a batch of stored events for one user: the header and folder counters once, and each
 * message bubble an event adds or changes, in order (if the user may see the dialog). The events
 * one commit publishes, and whatever piled up while the last batch was written, arrive as one
 * batch, so a receive of three events costs one counters query per connection, not three.
 * A batch of messages in dialogs the user may not see, that moves none of them, changes nothing
 * for the user and sends nothing: an operator's conversation costs the other operators' panels no
 * query beyond asking whether they may see it.
 */
const render = (actor: Access.UserActor, batch: Chunk.Chunk<StoredEvent>, bubbles: RenderOnce<string | undefined>) =>
  Effect.gen(function* () {
    const events = Chunk.filter(batch, (stored) => stored.streamId.startsWith("dialog:"))
    const last = Chunk.last(events)
    if (Option.isNone(last)) return Chunk.empty<Outgoing>()
    const engine = yield* Engine
    // What this user may see of each dialog, asked once per batch. The list signal names only those
    // dialogs (others' ids and activity are not theirs to know); it is sent either way, as a change
    // the user cannot see may still move a row out of their list.
    const visible = new Map<string, Option.Option<Dialog.DialogState>>()
    for (const stored of events) {
      const dialogId = stored.streamId.slice("dialog:".length)
      if (!visible.has(dialogId)) visible.set(dialogId, yield* Effect.option(engine.dialog(actor, DialogId.make(dialogId))))
    }
    const dialogIds = [...visible].filter(([, state]) => Option.isSome(state)).map(([id]) => id)
    if (dialogIds.length === 0 && Chunk.every(events, (stored) => DialogFold.placeNeutral.has(stored.event._tag as Dialog.DialogEvent["_tag"]))) {
      return Chunk.empty<Outgoing>()
    }
    const counters = yield* engine.unread(actor)
    const badges = [
      yield* toHtml(<UnreadTotal total={counters.total} oob />),
      yield* toHtml(<FolderCount folder="new" unread={counters.new} oob />),
      yield* toHtml(<FolderCount folder="mine" unread={counters.mine} oob />)
    ]
    const parts: Array<{ readonly dialogId: string; readonly html: string }> = []
    for (const stored of events) {
      const dialogId = stored.streamId.slice("dialog:".length)
      const state = visible.get(dialogId) ?? Option.none()
      const changed = changedMessage(stored)
      if (Option.isNone(state) || Option.isNone(changed)) continue
      const bubble = yield* bubbles.get(
        stored.position,
        renderBubble(actor, state.value, stored, changed.value).pipe(
          Effect.orElseSucceed(() => undefined),
          Effect.catchAllDefect((defect) => Effect.as(Effect.logError("Live stream: a message bubble failed to render", defect), undefined))
        )
      )
      if (bubble !== undefined) parts.push({ dialogId, html: bubble })
    }
    return Chunk.of<Outgoing>({ _tag: "Events", id: last.value.position, counters: badges.join("\n"), bubbles: parts, dialogIds })
  })

/** How many stored events a reconnect reads per page. */
const replayPage = 500

/**
 * The user's live stream. It subscribes to the bus first and only then says `ready` and reads the
 * store for the events after `Last-Event-ID`, so nothing published in between is lost. The bus
 * delivers the store's events in position order without holes (`EventBus`), so the last position
 * sent is a complete resume point, and an event both replayed and received live is sent once.
 * Heartbeats every 15 s keep proxies from closing the connection.
 */
const live = (actor: Access.UserActor, after: number | undefined, bubbles: RenderOnce<string | undefined>, write: (item: Outgoing) => Promise<void>) =>
  Effect.scoped(Effect.gen(function* () {
    const store = yield* Store
    const bus = yield* EventBus
    const subscribed = yield* bus.subscribe
    yield* Effect.promise(() => write({ _tag: "Ready" }))
    // Every missed event, a page of the store at a time (one batch each), however long the panel was away;
    // then what the bus brings that is newer than everything sent.
    let sent = after ?? 0
    const replay = after === undefined
      ? Stream.empty
      : Stream.paginateChunkEffect(after, (from) =>
        Effect.map(store.readAll(from, replayPage), (page) => {
          const end = page.at(-1)
          return [Chunk.unsafeFromArray(page), page.length < replayPage || end === undefined ? Option.none() : Option.some(end.position)] as const
        }))
    const events = Stream.concat(replay, subscribed).pipe(
      Stream.mapChunks((batch) => {
        const fresh = Chunk.filter(batch, (stored) => stored.position > sent)
        sent = Chunk.last(fresh).pipe(Option.map((stored) => stored.position), Option.getOrElse(() => sent))
        return fresh
      }),
      Stream.mapChunksEffect((batch) => render(actor, batch, bubbles))
    )
    const heartbeats = Stream.map(Stream.tick(Duration.seconds(15)), (): Outgoing => ({ _tag: "Heartbeat" }))
    yield* Stream.runForEach(Stream.merge(events, heartbeats), (item) => Effect.promise(() => write(item)))
  }))

const send = (stream: SSEStreamingApi) => async (item: Outgoing) => {
  switch (item._tag) {
    case "Ready":
      await stream.writeSSE({ data: "", event: "ready", retry: 2000 })
      return
    case "Heartbeat":
      await stream.write(": heartbeat\n\n")
      return
    case "Events":
      await stream.writeSSE({ event: Contract.sse.panel, data: item.counters })
      for (const bubble of item.bubbles) await stream.writeSSE({ event: Contract.sse.dialog(bubble.dialogId), data: bubble.html })
      // The id goes on the batch's last part: a reconnect resumes after a fully written batch.
      await stream.writeSSE({ event: Contract.sse.dialogs, data: item.dialogIds.join(" "), id: String(item.id) })
  }
}

/** `GET /panel/events`: one SSE stream per signed-in user, pushing re-rendered fragments. */
export const eventRoutes = (runtime: PanelRuntime) => {
  // Message bubbles by the position of the event that added or changed the message: the same for every
  // user who may see the dialog, so the server renders each once, not once per connection (a render
  // reads the message and the operator directory).
  const bubbles = renderOnce<string | undefined>(2_000)
  return new Hono<PanelEnv>().get("/", (c) => {
    const actor = c.get("actor")
    const lastEventId = Number(c.req.header("Last-Event-ID"))
    const after = Number.isSafeInteger(lastEventId) && lastEventId > 0 ? lastEventId : undefined
    c.header("X-Accel-Buffering", "no")
    return streamSSE(c, async (stream) => {
      const fiber = runtime.runFork(live(actor, after, bubbles, send(stream)))
      stream.onAbort(() => {
        runtime.runFork(Fiber.interrupt(fiber))
      })
      await new Promise<void>((resolve) => fiber.addObserver(() => resolve()))
    })
  })
}
