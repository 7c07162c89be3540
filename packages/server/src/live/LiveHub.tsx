import { Chunk, Clock, Context, Effect, Layer, Option, Stream, SubscriptionRef } from "effect"
import {
  Access,
  type Channel,
  type Client,
  ClientId,
  Composer,
  ConfigStore,
  type Dialog,
  DialogFold,
  DialogId,
  DialogListStore,
  DialogPermissions,
  EventBus,
  EventStore,
  HistoryStore,
  Listing,
  type Message,
  Operator,
  type StoredEvent,
  UserId,
  type Viewer
} from "@switchboard/core"
import { ComposeArea, composeKind, type CountersView, DialogHead, DialogHeadGone, DialogRow, FolderCount, MessageAppend, MessageReplace, UnreadTotal } from "@switchboard/ui-htmx"
import { Contract, I18n, type Locale } from "@switchboard/ui-htmx"
import { composerView } from "../panel/ComposerView.js"
import { composeView, headView } from "../panel/DialogView.js"
import type { Directory } from "../panel/Directory.js"
import { messageView, nameOf } from "../panel/History.js"
import { rowView, viewerOf } from "../panel/ListView.js"
import { Connection, type Focus, type Outgoing } from "./Connection.js"
import { Names } from "./Names.js"
import { notificationOf } from "./Notify.js"

/** The hub's bounds. */
export interface LiveOptions {
  /** How many items a connection's queue holds before its client is told to refresh (a slow reader); 1,000 by default. */
  readonly queueBound?: number | undefined
  /** The most store events a reconnect replays; a client further behind gets one `refresh`. 5,000 by default. */
  readonly replayBound?: number | undefined
}

export const defaultLiveOptions = { queueBound: 1_000, replayBound: 5_000 } as const

/** How many store events a replay reads (and renders as one batch) at a time. */
const replayPage = 500

/** How many recent bubbles the hub keeps for pages that say they opened a dialog just after one was pushed. */
const recentBubbles = 500

/** How many dialog states the hub remembers between batches (what a dialog was, to tell who saw it). */
const stateCapacity = 20_000

/**
 * The live updates of one server: ONE subscription to the event bus, and for each batch of the
 * store's events the audiences worked out once (who may see each touched dialog, before and after;
 * whose focus is on it; whose counters move), the data read once (each dialog and its client, a
 * changed message), each fragment rendered once per distinct content, and the results queued on
 * the connections of the users allowed to see them (core's `DialogPermissions.canView` decides).
 * Nothing here waits for a client: a slow one overflows its own queue (`Connection`).
 */
export interface LiveHubService {
  /** Register a connection of `actor`: batches from now on are queued on it. */
  /** Open a stream for `actor`; what it is sent is rendered in `locale` (the default: English in the server's zone). */
  readonly open: (actor: Access.UserActor, locale?: Locale) => Effect.Effect<Connection>
  readonly close: (connection: Connection) => Effect.Effect<void>
  /**
   * What `connection` missed after `after`, page after page of the store, each rendered for it as one
   * batch, handed to `write` in order; `refresh` instead when it is more than `replayBound` behind.
   * Answers the last position replayed.
   */
  readonly replay: (
    connection: Connection,
    after: number,
    write: (items: ReadonlyArray<Outgoing>) => Effect.Effect<void>
  ) => Effect.Effect<{ readonly _tag: "Replayed"; readonly through: number } | { readonly _tag: "TooFarBehind"; readonly end: number }>
  /** Count the connection's unread counters afresh and answer them as the `panel` event. */
  readonly count: (connection: Connection) => Effect.Effect<Outgoing>
  /**
   * A page says what it shows. Its stream must be one of the user's on this server (else false).
   * Bubbles of the focused dialog pushed after `since` (the pane's read position) go out again.
   */
  readonly focus: (userId: string, streamId: string, focus: Focus, since: number | undefined) => Effect.Effect<boolean>
  /** The user's open connection with this stream id, if any: for screens with live parts of their own (the supervisor board). */
  readonly connection: (userId: string, streamId: string) => Effect.Effect<Option.Option<Connection>>
  /** The open connections whose page shows this dialog (collision: `DialogPresence` pushes to them). */
  readonly focusedOn: (dialogId: string) => Effect.Effect<ReadonlyArray<Connection>>
  /** The connections open now (for tests and metrics). */
  readonly connections: Effect.Effect<number>
  /** Completes once the hub has handled every batch up to `position` (tests wait on it instead of sleeping). */
  readonly settled: (position: number) => Effect.Effect<void>
}


/** A fragment rendered in `locale`: its `t()` calls and times are the user's (issue 22). */
const html = (node: { toString(): string | Promise<string> }, locale: Locale): Effect.Effect<string> => {
  const rendered = I18n.withLocale(locale, () => node.toString())
  return typeof rendered === "string" ? Effect.succeed(rendered) : Effect.promise(async () => String(await rendered))
}

/** What makes two locales render alike: language and time zone. */
const localeKeys = new WeakMap<Locale, string>()
const localeKey = (locale: Locale): string => {
  let key = localeKeys.get(locale)
  if (key === undefined) localeKeys.set(locale, (key = `${locale.language} ${locale.timeZone}`))
  return key
}

/** What decides what a dialog that does not name a user looks like to them: their role and permissions (`Access.can`). */
const actorClasses = new WeakMap<Access.UserActor, string>()
const actorClass = (actor: Access.UserActor): string => {
  let key = actorClasses.get(actor)
  if (key === undefined) actorClasses.set(actor, (key = `${actor.role}|${actor.customRole ?? ""}|${[...actor.permissions].sort().join(",")}`))
  return key
}

/**
 * The users a dialog's state names: its assignee, the operator offered it, and those with a read
 * mark, a draft or an unread mark of their own. Whether the dialog is visible to a user, its
 * folders, unread count, draft, counters and notification depend on who they are only through
 * these (`DialogPermissions.canView`, `Listing`); to everyone else it looks the same for the
 * same role, permissions and locale.
 */
const namedUsers = (states: ReadonlyArray<Option.Option<Dialog.DialogState>>): ReadonlySet<string> => {
  const named = new Set<string>()
  for (const found of states) {
    if (Option.isNone(found)) continue
    const state = found.value
    if (Option.isSome(state.assigneeId)) named.add(state.assigneeId.value)
    if (Option.isSome(state.offer)) named.add(state.offer.value.operatorId)
    for (const userId of Object.keys(state.reads)) named.add(userId)
    for (const userId of Object.keys(state.drafts)) named.add(userId)
    for (const userId of state.markedUnread) named.add(userId)
  }
  return named
}

const event = (name: string, data: string): Outgoing => ({ _tag: "Event", event: name, data })

/** Client events that change what the client's dialog rows show (their name, their pinned tags). */
const rowChanging: ReadonlySet<string> = new Set(["ClientProfileUpdated", "ClientTagsSet"])

/** The message a dialog event adds or changes, if any. */
const changedMessage = (stored: StoredEvent): { readonly message: Message.Message | undefined; readonly id: string } | undefined => {
  const e = stored.event
  switch (e._tag) {
    case "ClientMessageReceived":
    case "StaffMessageSent":
      return { message: e.message, id: e.message.id }
    case "MessageEdited":
    case "MessageDeleted":
    case "DeliveryUpdated":
      return { message: undefined, id: e.messageId }
    default:
      return undefined
  }
}

/** One touched dialog of a batch: its events (in order) and the position of the first thing that touched it. */
interface Touched {
  readonly first: number
  readonly events: Array<StoredEvent>
}

/** What the hub reads and renders for one batch, and queues per connection. */
type Batch = Map<Connection, Array<Outgoing>>

const countersOf = (summary: CountersView): string => `${summary.total}/${summary.new}/${summary.mine}`

const make = (options: LiveOptions) => Effect.gen(function* () {
  const queueBound = options.queueBound ?? defaultLiveOptions.queueBound
  const replayBound = options.replayBound ?? defaultLiveOptions.replayBound
  const eventStore = yield* EventStore
  const configStore = yield* ConfigStore
  const historyStore = yield* HistoryStore
  const names = yield* Names
  const bus = yield* EventBus
  const listStore = yield* DialogListStore
  const composer = yield* Composer

  const connections = new Set<Connection>()
  /** What each dialog was when the hub last looked (its state after the last batch that touched it). */
  const states = new Map<string, Option.Option<Dialog.DialogState>>()
  const remember = (id: string, state: Option.Option<Dialog.DialogState>) => {
    states.delete(id)
    states.set(id, state)
    if (states.size > stateCapacity) states.delete(states.keys().next().value!)
  }
  /** Bubbles by the position of their event and the locale: rendered once per server and language, for live and replayed streams alike. */
  const bubbles = new Map<string, { readonly dialogId: string; readonly html: string } | undefined>()
  /** Recent bubbles, each in the locales of the streams open when it was rendered (`localeKey`). */
  const recent: Array<{ readonly position: number; readonly dialogId: string; readonly html: ReadonlyMap<string, string> }> = []
  /** `recent` holds every bubble after this position (bubbles before the hub started, or dropped from it, are not). */
  let recentFrom = yield* eventStore.lastPosition
  let nextId = 0

  /** A dialog as it was at `position` (folded from its stream), none if it did not exist then. */
  const stateAt = (current: Dialog.DialogState, position: number) =>
    Effect.map(eventStore.readStream(`dialog:${current.id}`), (events) => {
      const upTo = events.filter((stored) => stored.position <= position).map((stored) => stored.event as Dialog.DialogEvent)
      return upTo.length === 0 ? Option.none<Dialog.DialogState>() : Option.some(DialogFold.fold(DialogFold.initial(current.id, current.channelId, current.queueId), upTo))
    })

  /** The bubble an event adds or changes: an added message is in the event; a changed one is read back once. */
  const bubbleOf = (stored: StoredEvent, dialogId: string, names: Directory, clientName: string, locale: Locale) =>
    Effect.gen(function* () {
      const cacheKey = `${stored.position}|${localeKey(locale)}`
      if (bubbles.has(cacheKey)) return bubbles.get(cacheKey)
      const changed = changedMessage(stored)
      if (changed === undefined) return undefined
      let message = changed.message
      if (message === undefined) {
        const seq = DialogFold.seqOfMessage(dialogId, changed.id)
        if (seq === undefined) return undefined
        const page = yield* Effect.orElseSucceed(historyStore.messages({ dialogId: DialogId.make(dialogId), beforeSeq: seq + 1, limit: 1, includeInternal: true }), () => undefined)
        message = page?.items.find((item) => item.id === changed.id)
      }
      if (message === undefined) return undefined
      const view = messageView(message, names, clientName)
      const rendered = { dialogId, html: yield* html(changed.message === undefined ? <MessageReplace message={view} /> : <MessageAppend message={view} />, locale) }
      bubbles.set(cacheKey, rendered)
      if (bubbles.size > 2_000) bubbles.delete(bubbles.keys().next().value!)
      return rendered
    })

  /**
   * Render one batch for `audience`: `before` tells what a dialog was before the batch touched it
   * (for the live stream the hub's memory, for a replay the stream at the replay's start).
   */
  const render = (
    batch: ReadonlyArray<StoredEvent>,
    audience: ReadonlyArray<Connection>,
    before: (current: Option.Option<Dialog.DialogState>, id: string, touched: Touched) => Effect.Effect<Option.Option<Dialog.DialogState>>,
    live: boolean
  ) =>
    Effect.gen(function* () {
      const out: Batch = new Map()
      const last = batch.at(-1)
      if (last === undefined || audience.length === 0) return out
      // Every item of the batch carries its position, and each is ONE object whoever receives it: its
      // wire frame is formatted once (`Connection.sseText`), not once per stream.
      const at = last.position
      const shared = (name: string, data: string): Outgoing => ({ _tag: "Event", event: name, data, position: at })
      const queue = (connection: Connection, item: Outgoing) => {
        const items = out.get(connection)
        if (items === undefined) out.set(connection, [item])
        else items.push(item)
      }
      // Operators first: a changed role or permission decides what the rest of the batch shows them.
      const operatorIds = new Set(batch.filter((stored) => stored.streamId.startsWith("operator:")).map((stored) => stored.streamId.slice("operator:".length)))
      for (const id of operatorIds) {
        const state = live ? yield* names.operatorChanged(UserId.make(id)) : Option.none()
        if (Option.isNone(state)) continue
        for (const connection of audience) {
          if (connection.actor.id !== id) continue
          if (!state.value.active) connection.close()
          else connection.actor = Operator.actorOf(state.value)
        }
      }
      const touched = new Map<string, Touched>()
      const touch = (id: string, position: number, stored: StoredEvent | undefined) => {
        let entry = touched.get(id)
        if (entry === undefined) touched.set(id, (entry = { first: position, events: [] }))
        if (stored !== undefined) entry.events.push(stored)
      }
      for (const stored of batch) {
        if (stored.streamId.startsWith("dialog:")) touch(stored.streamId.slice("dialog:".length), stored.position, stored)
        else if (stored.streamId.startsWith("client:") && rowChanging.has(stored.event._tag)) {
          const client = yield* eventStore.loadClient(ClientId.make(stored.streamId.slice("client:".length)))
          if (Option.isSome(client)) for (const dialogId of Object.values(client.value.state.dialogs)) touch(dialogId, stored.position, undefined)
        }
      }
      if (touched.size === 0) return out
      // Settings and the name directory from one read of the configuration.
      const { settings, directory } = yield* names.current
      const viewers = new Map<Access.UserActor, Viewer>()
      const viewerFor = (actor: Access.UserActor): Viewer => {
        let viewer = viewers.get(actor)
        if (viewer === undefined) viewers.set(actor, (viewer = viewerOf(actor, settings)))
        return viewer
      }
      /** The audience's distinct locales: each fragment is rendered once per locale. */
      const locales = new Map<string, Locale>(audience.map((connection) => [localeKey(connection.locale), connection.locale]))
      const now = yield* Clock.currentTimeMillis
      /** The open dialogs' heads of this batch, each distinct one rendered once. */
      const heads = new Map<string, Outgoing>()
      /** The notifications of this batch (NTF-01/02), each distinct one serialised once. */
      const notes = new Map<string, Outgoing>()
      const countersMoved = new Set<Connection>()
      type Folder = "new" | "mine" | undefined
      /** A dialog moved between the unread folders for this connection: counted now, or kept for when its count is read. */
      const moveCounters = (connection: Connection, first: number, was: Folder, is: Folder) => {
        if (was === is) return
        if (connection.counters === undefined) {
          connection.counting!.push({ first, was, is })
          return
        }
        const counters = { ...connection.counters }
        if (was !== undefined) counters[was]--
        if (is !== undefined) counters[is]++
        connection.counters = { new: counters.new, mine: counters.mine, total: counters.new + counters.mine }
        countersMoved.add(connection)
      }
      for (const [id, entry] of touched) {
        const current = Option.map(yield* eventStore.loadDialog(DialogId.make(id)), (found) => found.state)
        const previous = yield* before(current, id, entry)
        if (live) remember(id, current)
        const client: Option.Option<Client.ClientState> = Option.isSome(current) && Option.isSome(current.value.clientId)
          ? Option.map(yield* eventStore.loadClient(current.value.clientId.value), (found) => found.state)
          : Option.none()
        // The bubbles name the client as the open pane does; the row as the list does.
        const clientName = Option.match(current, { onNone: () => "", onSome: (state) => nameOf(state, client) })
        const listedName = Listing.listedClientName(Option.getOrUndefined(client))
        const pinned = Option.match(client, { onNone: () => [], onSome: (found) => found.tags.filter((tag) => tag.pinned).map((tag) => tag.tagId) })
        const clientOf = (clientId: string) => (Option.isSome(client) && client.value.id === clientId ? client.value : undefined)
        // The bubbles of this dialog's events, rendered once per locale whoever receives them.
        const dialogBubbles = new Map<string, Array<Outgoing>>()
        if (Option.isSome(current)) {
          for (const stored of entry.events) {
            const byLocale = new Map<string, string>()
            for (const [key, locale] of locales) {
              const bubble = yield* bubbleOf(stored, id, directory, clientName, locale)
              if (bubble === undefined) continue
              byLocale.set(key, bubble.html)
              const list = dialogBubbles.get(key) ?? []
              list.push(shared(Contract.sse.dialog(id), bubble.html))
              dialogBubbles.set(key, list)
            }
            if (live && byLocale.size > 0) {
              recent.push({ position: stored.position, dialogId: id, html: byLocale })
              if (recent.length > recentBubbles) recentFrom = recent.shift()!.position
            }
          }
        }
        // The row per distinct content: folders, unread and draft are the viewer's; the rest is the dialog's.
        const rows = new Map<string, Outgoing>()
        /** The dialog's channel, read once for the heads of the pages showing it (their controls depend on it). */
        let channel: Option.Option<Channel.Channel> | undefined
        const gone = new Map<string, Outgoing>()
        let removal: Outgoing | undefined
        const removed = () => (removal ??= shared(Contract.sse.rowRemove, id))
        const named = namedUsers([current, previous])
        /**
         * What the dialog is to each class of users it does not name (same role, permissions and
         * locale), worked out once: at 1,000 operators with New open, nearly everyone is in one
         * class, and the per-user work was most of the hub's.
         */
        const classes = new Map<string, Map<string, { readonly seesNow: boolean; readonly sawBefore: boolean; readonly was: "new" | "mine" | undefined; readonly is: "new" | "mine" | undefined; readonly note: Outgoing | undefined; readonly row: Outgoing | undefined }>>()
        for (const connection of audience) {
          const actor = connection.actor
          if (connection.focus.dialogId !== id && connection.focus.filters === undefined && !named.has(actor.id)) {
            const lk = localeKey(connection.locale)
            let byLocale = classes.get(actorClass(actor))
            if (byLocale === undefined) classes.set(actorClass(actor), (byLocale = new Map()))
            let outcome = byLocale.get(lk)
            if (outcome === undefined) {
              const viewer = viewerFor(actor)
              const seesNow = Option.isSome(current) && DialogPermissions.canView(current.value, actor, settings)
              const sawBefore = Option.isSome(previous) && DialogPermissions.canView(previous.value, actor, settings)
              let note: Outgoing | undefined
              let row: Outgoing | undefined
              if (seesNow && Option.isSome(current)) {
                const state = current.value
                const found = live ? notificationOf(entry.events, previous, state, viewer, listedName) : undefined
                if (found !== undefined) {
                  const key = JSON.stringify(found)
                  note = notes.get(key)
                  if (note === undefined) notes.set(key, (note = shared(Contract.personal.sse.notify, key)))
                }
                const key = `${lk}|${Listing.foldersOf(state, viewer).join(" ")}|${DialogFold.unreadFor(state, viewer.userId)}|`
                row = rows.get(key)
                if (row === undefined) {
                  const view = rowView(Listing.toRow(state, viewer, listedName, pinned), directory, undefined, viewer)
                  row = shared(Contract.sse.row, yield* html(<DialogRow row={view} list={undefined} />, connection.locale))
                  rows.set(key, row)
                }
              }
              outcome = {
                seesNow,
                sawBefore,
                was: Option.isSome(previous) ? Listing.unreadFolder(previous.value, viewer) : undefined,
                is: Option.isSome(current) ? Listing.unreadFolder(current.value, viewer) : undefined,
                note,
                row
              }
              byLocale.set(lk, outcome)
            }
            // The same steps as for a user the dialog names, below, on the class's outcome.
            if (connection.counters !== undefined ? entry.first > connection.countedAt : live && connection.counting !== undefined) {
              moveCounters(connection, entry.first, outcome.was, outcome.is)
            }
            if (!outcome.seesNow || outcome.row === undefined) {
              if (outcome.sawBefore) queue(connection, removed())
              continue
            }
            if (live && entry.first > connection.countedAt && outcome.note !== undefined) queue(connection, outcome.note)
            queue(connection, outcome.row)
            continue
          }
          const viewer = viewerFor(actor)
          const locale = connection.locale
          const lk = localeKey(locale)
          const seesNow = Option.isSome(current) && DialogPermissions.canView(current.value, actor, settings)
          const sawBefore = Option.isSome(previous) && DialogPermissions.canView(previous.value, actor, settings)
          if (connection.counters !== undefined ? entry.first > connection.countedAt : live && connection.counting !== undefined) {
            moveCounters(
              connection,
              entry.first,
              Option.isSome(previous) ? Listing.unreadFolder(previous.value, viewer) : undefined,
              Option.isSome(current) ? Listing.unreadFolder(current.value, viewer) : undefined
            )
          }
          // The open dialog's head, and its compose area when that changes, for the pages showing it.
          if (connection.focus.dialogId === id && (seesNow || sawBefore)) {
            let head: Outgoing
            if (seesNow && Option.isSome(current)) {
              const list = connection.focus.list ?? { folder: connection.focus.folder ?? "new" }
              if (channel === undefined) channel = yield* configStore.getChannel(current.value.channelId)
              const view = headView({ actor, state: current.value, client, clientName, channel: Option.getOrUndefined(channel), settings, names: directory, list, now })
              const composeNow = composeView(actor, current.value, settings, list)
              const composeChanged = Option.isSome(previous) && composeKind(composeView(actor, previous.value, settings, list)) !== composeKind(composeNow)
              // A composer that comes back has the user's send key, signature and the channel's limit, as the page's has.
              const compose = composeChanged && composeKind(composeNow) === "write"
                ? { ...composeNow, composer: yield* composerView(actor, current.value).pipe(Effect.provideService(Composer, composer), Effect.provideService(ConfigStore, configStore)) }
                : composeNow
              const key = JSON.stringify([lk, view, composeChanged ? compose : undefined])
              const known = heads.get(key)
              head = known ?? shared(Contract.sse.dialogHead(id), yield* html(<><DialogHead dialog={view} oob />{composeChanged ? <ComposeArea dialog={compose} oob /> : null}</>, locale))
              if (known === undefined) heads.set(key, head)
            } else {
              const known = gone.get(lk)
              head = known ?? shared(Contract.sse.dialogHead(id), yield* html(<DialogHeadGone />, locale))
              if (known === undefined) gone.set(lk, head)
            }
            if (head._tag === "Event" && head.data !== connection.headSent) {
              connection.headSent = head.data
              queue(connection, head)
            }
          }
          if (!seesNow || Option.isNone(current)) {
            if (sawBefore) queue(connection, removed())
            continue
          }
          const state = current.value
          // What to notify about (NTF-01/02): each distinct notification serialised once per batch.
          if (live && entry.first > connection.countedAt) {
            const note = notificationOf(entry.events, previous, state, viewer, listedName)
            if (note !== undefined) {
              const key = JSON.stringify(note)
              let item = notes.get(key)
              if (item === undefined) notes.set(key, (item = shared(Contract.personal.sse.notify, key)))
              queue(connection, item)
            }
          }
          if (connection.focus.dialogId === id) for (const bubble of dialogBubbles.get(lk) ?? []) queue(connection, bubble)
          const filters = connection.focus.filters
          if (filters !== undefined && !Listing.matchesFilters(state, filters, clientOf)) {
            queue(connection, removed())
            continue
          }
          const folders = Listing.foldersOf(state, viewer)
          const draft = state.drafts[viewer.userId]
          const key = `${lk}|${folders.join(" ")}|${DialogFold.unreadFor(state, viewer.userId)}|${draft === undefined ? "" : `d${draft}`}`
          let row = rows.get(key)
          if (row === undefined) {
            const view = rowView(Listing.toRow(state, viewer, listedName, pinned), directory, undefined, viewer)
            row = shared(Contract.sse.row, yield* html(<DialogRow row={view} list={undefined} />, locale))
            rows.set(key, row)
          }
          queue(connection, row)
        }
      }
      // The counters last; each distinct set rendered once.
      const rendered = new Map<string, Outgoing>()
      for (const connection of countersMoved) {
        const counters = connection.counters!
        const key = `${localeKey(connection.locale)}|${countersOf(counters)}`
        let fragment = rendered.get(key)
        if (fragment === undefined) rendered.set(key, (fragment = shared(Contract.sse.panel, yield* countersHtml(counters, connection.locale))))
        queue(connection, fragment)
      }
      return out
    })

  const live = (batch: Chunk.Chunk<StoredEvent>) =>
    Effect.gen(function* () {
      const events = Chunk.toReadonlyArray(batch)
      if (connections.size === 0) {
        // Nobody to tell: forget what dialogs were (a later batch reads it back), keep the operator names current.
        states.clear()
        const last = events.at(-1)
        if (last !== undefined) recentFrom = last.position
        for (const stored of events) if (stored.streamId.startsWith("operator:")) yield* names.operatorChanged(UserId.make(stored.streamId.slice("operator:".length)))
        return
      }
      const out = yield* render(events, [...connections], (current, id, touched) => {
        const known = states.get(id)
        if (known !== undefined) return Effect.succeed(known)
        if (touched.events[0]?.version === 1 || Option.isNone(current)) return Effect.succeed(Option.none())
        return stateAt(current.value, touched.first - 1)
      }, true)
      // Streams that get the same items get the same batch (one array): its bytes are encoded once (`sseBytes`).
      const ids = new Map<Outgoing, number>()
      const batches = new Map<string, ReadonlyArray<Outgoing>>()
      for (const [connection, items] of out) {
        let key = ""
        for (const item of items) {
          let id = ids.get(item)
          if (id === undefined) ids.set(item, (id = ids.size))
          key += `${id},`
        }
        let batch = batches.get(key)
        if (batch === undefined) batches.set(key, (batch = items))
        connection.push(batch)
      }
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.zipRight(
          Effect.logError("Live updates: a batch failed to render; every panel is told to refresh", cause),
          Effect.sync(() => {
            for (const connection of connections) connection.push([event(Contract.sse.refresh, "")])
          })
        ))
    )

  const handled = yield* SubscriptionRef.make(0)
  const subscribed = yield* bus.subscribe
  yield* Effect.forkScoped(Stream.runForEach(Stream.mapChunks(subscribed, Chunk.of), (batch) =>
    Effect.zipRight(live(batch), Option.match(Chunk.last(batch), { onNone: () => Effect.void, onSome: (last) => SubscriptionRef.set(handled, last.position) }))))

  /**
   * The counters as of one store position: the position read before and after the count must agree
   * (else the count may hold an event past the position, which the hub would then add again), and
   * what batches moved while counting is kept past that position. A few tries, then the last.
   */
  const count = (connection: Connection) =>
    Effect.gen(function* () {
      connection.counters = undefined
      connection.counting = []
      const settings = yield* configStore.getSettings()
      const viewer = viewerOf(connection.actor, settings)
      let at = yield* eventStore.lastPosition
      let summary = yield* listStore.unread(viewer)
      for (let tries = 1; tries < 5; tries++) {
        const after = yield* eventStore.lastPosition
        if (after === at) break
        at = after
        summary = yield* listStore.unread(viewer)
      }
      const counters = { ...summary }
      for (const moved of connection.counting) {
        if (moved.first <= at) continue
        if (moved.was !== undefined) counters[moved.was]--
        if (moved.is !== undefined) counters[moved.is]++
      }
      connection.counting = undefined
      connection.counters = { new: counters.new, mine: counters.mine, total: counters.new + counters.mine }
      connection.countedAt = at
      return event(Contract.sse.panel, yield* countersHtml(connection.counters, connection.locale))
    })

  return {
    open: (actor, locale) =>
      Effect.sync(() => {
        const connection = new Connection(`s${(nextId++).toString(36)}.${Math.random().toString(36).slice(2, 10)}`, actor, queueBound)
        if (locale !== undefined) connection.locale = locale
        connections.add(connection)
        return connection
      }),
    close: (connection) =>
      Effect.sync(() => {
        connection.close()
        connections.delete(connection)
      }),
    replay: (connection, after, write) =>
      Effect.gen(function* () {
        const end = yield* eventStore.lastPosition
        if (end - after > replayBound) return { _tag: "TooFarBehind", end } as const
        // What each dialog was when the client left: who saw it then decides who hears it left their sight.
        const then = new Map<string, Option.Option<Dialog.DialogState>>()
        let cursor = Math.min(after, end)
        for (;;) {
          const page = yield* eventStore.readAll(cursor, replayPage)
          if (page.length === 0) break
          // A later page finds a dialog as this one left it.
          const out = yield* render(page, [connection], (current, id) => {
            const known = then.get(id)
            then.set(id, current)
            if (known !== undefined) return Effect.succeed(known)
            return Option.isNone(current) ? Effect.succeed(Option.none()) : stateAt(current.value, after)
          }, false)
          yield* write(out.get(connection) ?? [])
          cursor = page.at(-1)!.position
          if (page.length < replayPage) break
        }
        return { _tag: "Replayed", through: cursor } as const
      }),
    count,
    focus: (userId, streamId, focus, since) =>
      Effect.gen(function* () {
        const connection = [...connections].find((candidate) => candidate.id === streamId && candidate.actor.id === userId)
        if (connection === undefined) return false
        if (connection.focus.dialogId !== focus.dialogId) connection.headSent = undefined
        connection.focus = focus
        const dialogId = focus.dialogId
        if (dialogId === undefined || since === undefined) return true
        const found = yield* eventStore.loadDialog(DialogId.make(dialogId))
        const settings = yield* configStore.getSettings()
        if (Option.isNone(found) || !DialogPermissions.canView(found.value.state, connection.actor, settings)) return true
        const state = found.value.state
        // The recent bubbles when they reach back far enough (a pane opened just now), else the dialog's own stream (a long absence).
        const lk = localeKey(connection.locale)
        const recentMissed = recent.filter((bubble) => bubble.dialogId === dialogId && bubble.position > since)
        // Recent bubbles serve only when rendered in this page's locale (a stream in a new locale reads the dialog's stream).
        const missed = since >= recentFrom && recentMissed.every((bubble) => bubble.html.has(lk))
          ? recentMissed.map((bubble) => bubble.html.get(lk)!)
          : yield* Effect.gen(function* () {
            const events = (yield* eventStore.readStream(`dialog:${dialogId}`)).filter((stored) => stored.position > since)
            if (events.length === 0) return []
            const client = Option.isSome(state.clientId) ? Option.map(yield* eventStore.loadClient(state.clientId.value), (entry) => entry.state) : Option.none()
            const directory = yield* names.directory
            const rendered: Array<string> = []
            for (const stored of events) {
              const bubble = yield* bubbleOf(stored, dialogId, directory, nameOf(state, client), connection.locale)
              if (bubble !== undefined) rendered.push(bubble.html)
            }
            return rendered
          })
        connection.push(missed.map((bubble) => event(Contract.sse.dialog(dialogId), bubble)))
        return true
      }),
    connection: (userId, streamId) =>
      Effect.sync(() => Option.fromNullable([...connections].find((candidate) => candidate.id === streamId && candidate.actor.id === userId && !candidate.closed))),
    focusedOn: (dialogId) => Effect.sync(() => [...connections].filter((connection) => !connection.closed && connection.focus.dialogId === dialogId)),
    connections: Effect.sync(() => connections.size),
    settled: (position) => Stream.runDrain(Stream.take(Stream.filter(handled.changes, (through) => through >= position), 1))
  } satisfies LiveHubService
})

/** The header and folder counters, as out-of-band swaps. */
const countersHtml = (counters: CountersView, locale: Locale) =>
  Effect.map(
    Effect.all([
      html(<UnreadTotal total={counters.total} oob />, locale),
      html(<FolderCount folder="new" unread={counters.new} oob />, locale),
      html(<FolderCount folder="mine" unread={counters.mine} oob />, locale)
    ]),
    (parts) => parts.join("\n")
  )

/** The hub's tag: see `LiveHubService`. One per server runtime, subscribed while the runtime lives. */
export class LiveHub extends Context.Tag("@switchboard/server/LiveHub")<LiveHub, LiveHubService>() {
  static readonly layer = (options: LiveOptions = {}): Layer.Layer<LiveHub, never, EventStore | ConfigStore | HistoryStore | DialogListStore | EventBus | Names | Composer> =>
    Layer.scoped(LiveHub, make(options))
}
