import { Chunk, Duration, Effect, Fiber, Option, Queue, Schedule, Stream } from "effect"
import { Hono } from "hono"
import { streamSSE, type SSEStreamingApi } from "hono/streaming"
import { type Access, Accounts, ClientId, ConfigStore, type Dialog, DialogFold, DialogId, Engine, EventBus, EventStore, MessageId, Routing, SessionKey, type StoredEvent } from "@switchboard/core"
import { Contract, FolderCount, MessageAppend, MessageReplace, UnreadTotal } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { directory } from "../panel/Directory.js"
import { clientNameOf, messageView } from "../panel/History.js"
import { renderOnce, type RenderOnce } from "../RenderOnce.js"
import type { PanelRuntime } from "../Services.js"

/**
 * What the stream writes: what a batch of stored events changes for the user (the bubbles they add
 * or change in the dialogs the user may see, the dialogs they touch), the header and folder
 * counters, a heartbeat comment, or `ready` once subscribed.
 */
type Outgoing =
  | {
    readonly _tag: "Events"
    readonly id: number
    readonly bubbles: ReadonlyArray<{ readonly dialogId: string; readonly html: string }>
    readonly dialogIds: ReadonlyArray<string>
  }
  | { readonly _tag: "Counters"; readonly html: string }
  | { readonly _tag: "Heartbeat" }
  | { readonly _tag: "Ready" }

/** A batch rendered: what to send, and whether the user's counters may have moved. */
interface Rendered {
  readonly out: Option.Option<Outgoing>
  readonly countersMayMove: boolean
}

const nothing: Rendered = { out: Option.none(), countersMayMove: false }

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

/** Client events that change what the client's dialog rows show (their name, their pinned tags). */
const rowChanging: ReadonlySet<string> = new Set(["ClientProfileUpdated", "ClientTagsSet"])

/**
 * Render a batch of stored events for one user: each message bubble an event adds or changes, in
 * order (if the user may see the dialog), and the list signal, which also names the dialogs of a
 * client whose name or tags changed (their rows show them). The events one commit publishes, and
 * whatever piled up while the last batch was written, arrive as one batch. A batch of messages in
 * dialogs the user may not see, that moves none of them, changes nothing for the user and sends
 * nothing: an operator's conversation costs the other operators' panels no query beyond asking
 * whether they may see it. The counters are not rendered here (see `countersEvery`).
 */
const render = (actor: Access.UserActor, batch: Chunk.Chunk<StoredEvent>, bubbles: RenderOnce<string | undefined>) =>
  Effect.gen(function* () {
    const events = Chunk.filter(batch, (stored) => stored.streamId.startsWith("dialog:"))
    // A client's new name or tags show in the rows of their dialogs.
    const clientChanges = Chunk.filter(batch, (stored) => stored.streamId.startsWith("client:") && rowChanging.has(stored.event._tag))
    const last = Chunk.last(Chunk.filter(batch, (stored) => stored.streamId.startsWith("dialog:") || (stored.streamId.startsWith("client:") && rowChanging.has(stored.event._tag))))
    if (Option.isNone(last)) return nothing
    const engine = yield* Engine
    // What this user may see of each dialog, asked once per batch. The list signal names only those
    // dialogs (others' ids and activity are not theirs to know); it is sent either way, as a change
    // the user cannot see may still move a row out of their list.
    const visible = new Map<string, Option.Option<Dialog.DialogState>>()
    const see = (dialogId: string) =>
      visible.has(dialogId) ? Effect.void : Effect.map(Effect.option(engine.dialog(actor, DialogId.make(dialogId))), (state) => void visible.set(dialogId, state))
    for (const stored of events) yield* see(stored.streamId.slice("dialog:".length))
    for (const stored of clientChanges) {
      const client = yield* (yield* EventStore).loadClient(ClientId.make(stored.streamId.slice("client:".length)))
      for (const dialogId of Option.match(client, { onNone: () => [], onSome: ({ state }) => Object.values(state.dialogs) })) yield* see(dialogId)
    }
    const dialogIds = [...visible].filter(([, state]) => Option.isSome(state)).map(([id]) => id)
    if (dialogIds.length === 0 && Chunk.every(events, (stored) => DialogFold.placeNeutral.has(stored.event._tag as Dialog.DialogEvent["_tag"]))) {
      return nothing
    }
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
    return { out: Option.some<Outgoing>({ _tag: "Events", id: last.value.position, bubbles: parts, dialogIds }), countersMayMove: true }
  })

/** The header and folder counters, as out-of-band swaps. */
const counters = (actor: Access.UserActor) =>
  Effect.gen(function* () {
    const unread = yield* (yield* Engine).unread(actor)
    const badges = [
      yield* toHtml(<UnreadTotal total={unread.total} oob />),
      yield* toHtml(<FolderCount folder="new" unread={unread.new} oob />),
      yield* toHtml(<FolderCount folder="mine" unread={unread.mine} oob />)
    ]
    return { _tag: "Counters", html: badges.join("\n") } satisfies Outgoing
  })

/**
 * How often at most a connection recounts its unread dialogs. The count is the costliest query of a
 * live update (it looks at every queued dialog), and every connected panel asks it for itself: per
 * batch, 50 panels during a busy minute would ask it thousands of times. So the first batch that may
 * move the counters recounts at once, and later ones at most once per this interval, the last of a
 * burst always included (the counters end up right).
 */
export const countersEvery = Duration.seconds(1)

/** How many stored events a reconnect reads per page. */
const replayPage = 500

/**
 * The user's live stream. It subscribes to the bus first and only then says `ready` and reads the
 * store for the events after `Last-Event-ID`, so nothing published in between is lost. The bus
 * delivers the store's events in position order without holes (`EventBus`), so the last position
 * sent is a complete resume point, and an event both replayed and received live is sent once.
 * The counters go out on their own, at once and then at most every `countersEvery`. Heartbeats
 * every 15 s keep proxies from closing the connection.
 */
const live = (
  actor: Access.UserActor,
  after: number | undefined,
  bubbles: RenderOnce<string | undefined>,
  write: (item: Outgoing) => Promise<void>,
  /** Whether the stream's session still holds: a sign-out, deactivation or expiry ends the stream within a heartbeat. */
  stillSignedIn: Effect.Effect<boolean, never, Accounts.Accounts>
) =>
  Effect.scoped(Effect.gen(function* () {
    const eventStore = yield* EventStore
    const bus = yield* EventBus
    const subscribed = yield* bus.subscribe
    const recount = yield* Queue.sliding<void>(1)
    yield* Effect.promise(() => write({ _tag: "Ready" }))
    // Every missed event, a page of the store at a time (one batch each), however long the panel was away;
    // then what the bus brings that is newer than everything sent. A position past the store's end (a
    // panel left open while its server's database was replaced) replays nothing and holds nothing back.
    const end = after === undefined ? 0 : yield* eventStore.lastPosition
    const from = after === undefined ? undefined : Math.min(after, end)
    let sent = from ?? 0
    const replay = from === undefined
      ? Stream.empty
      : Stream.paginateChunkEffect(from, (cursor) =>
        Effect.map(eventStore.readAll(cursor, replayPage), (page) => {
          const end = page.at(-1)
          return [Chunk.unsafeFromArray(page), page.length < replayPage || end === undefined ? Option.none() : Option.some(end.position)] as const
        }))
    const events = Stream.concat(replay, subscribed).pipe(
      Stream.mapChunks((batch) => {
        const fresh = Chunk.filter(batch, (stored) => stored.position > sent)
        sent = Chunk.last(fresh).pipe(Option.map((stored) => stored.position), Option.getOrElse(() => sent))
        return fresh
      }),
      Stream.mapChunksEffect((batch) =>
        Effect.map(
          Effect.tap(render(actor, batch, bubbles), (rendered) => (rendered.countersMayMove ? Queue.offer(recount, undefined) : Effect.void)),
          (rendered) => Option.match(rendered.out, { onNone: () => Chunk.empty<Outgoing>(), onSome: Chunk.of })
        ))
    )
    // Recounts: a sliding queue of one, so every request made while one is counted or waited out
    // comes down to one more count.
    const recounts = Stream.fromQueue(recount).pipe(
      Stream.mapEffect(() => counters(actor)),
      Stream.flatMap((item) => Stream.concat(Stream.succeed<Outgoing>(item), Stream.drain(Stream.fromEffect(Effect.sleep(countersEvery)))))
    )
    // While the stream is open its user is present for routing (on every server: presence is stored),
    // heartbeating three times per presence TTL so one late beat does not drop them.
    const router = yield* Routing.Router
    const ttl = (yield* (yield* ConfigStore).getSettings()).routing.presenceTtlSec
    yield* router.heartbeat(actor.id).pipe(
      Effect.catchAllCause((cause) => Effect.logWarning("Live stream: a presence heartbeat failed", cause)),
      Effect.repeat(Schedule.spaced(Duration.millis(Math.max(1000, (ttl * 1000) / 3)))),
      Effect.forkScoped
    )
    const heartbeats = Stream.map(Stream.tick(Duration.seconds(15)), (): Outgoing => ({ _tag: "Heartbeat" }))
    const { recheckEvery } = (yield* Accounts.Accounts).policy
    const signedOut = Effect.repeat(stillSignedIn, { schedule: Schedule.spaced(recheckEvery), while: (signedIn) => signedIn })
    yield* Stream.runForEach(Stream.mergeAll([events, recounts, heartbeats], { concurrency: 3 }).pipe(Stream.interruptWhen(signedOut)), (item) => Effect.promise(() => write(item)))
  }))

const send = (stream: SSEStreamingApi) => async (item: Outgoing) => {
  switch (item._tag) {
    case "Ready":
      await stream.writeSSE({ data: "", event: "ready", retry: 2000 })
      return
    case "Heartbeat":
      await stream.write(": heartbeat\n\n")
      return
    case "Counters":
      await stream.writeSSE({ event: Contract.sse.panel, data: item.html })
      return
    case "Events":
      for (const bubble of item.bubbles) await stream.writeSSE({ event: Contract.sse.dialog(bubble.dialogId), data: bubble.html })
      // The id goes on the batch's last part: a reconnect resumes after a fully written batch.
      await stream.writeSSE({ event: Contract.sse.dialogs, data: item.dialogIds.join(" "), id: String(item.id) })
  }
}

/** A store position written in decimal, if that is what `text` is. */
const position = (text: string): number | undefined => {
  if (!/^\d{1,16}$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** `GET /panel/events`: one SSE stream per signed-in user, pushing re-rendered fragments. */
export const eventRoutes = (runtime: PanelRuntime) => {
  // Message bubbles by the position of the event that added or changed the message: the same for every
  // user who may see the dialog, so the server renders each once, not once per connection (a render
  // reads the message and the operator directory).
  const bubbles = renderOnce<string | undefined>(2_000)
  return new Hono<PanelEnv>().get("/", (c) => {
    const actor = c.get("actor")
    // The browser's own reconnect sends the last id it saw; a page's first connection (and one htmx
    // opens anew after a failed one) names its position in the URL.
    const given = c.req.query(Contract.eventsQuery.after)
    const fromUrl = given === undefined ? undefined : position(given)
    if (given !== undefined && fromUrl === undefined) {
      return c.text(`Bad request: ${Contract.eventsQuery.after} must be a store position (a whole number from 0), not ${JSON.stringify(given.slice(0, 40))}`, 400)
    }
    const after = position(c.req.header("Last-Event-ID") ?? "") ?? fromUrl
    c.header("X-Accel-Buffering", "no")
    return streamSSE(c, async (stream) => {
      const key = SessionKey.make(c.get("session").key)
      const fiber = runtime.runFork(live(actor, after, bubbles, send(stream), Effect.flatMap(Accounts.Accounts, (accounts) => accounts.stillSignedIn(key))))
      stream.onAbort(() => {
        runtime.runFork(Fiber.interrupt(fiber))
      })
      await new Promise<void>((resolve) => fiber.addObserver(() => resolve()))
    })
  })
}
