import { Context, Duration, Effect, Layer, Queue, Stream } from "effect"
import { Access, ConfigStore, type DomainEvent, EventBus, EventStore, Routing } from "@switchboard/core"
import { BoardContent, Contract, I18n, type Locale } from "@switchboard/ui-htmx"
import { audienceOf, boardView, readBoard } from "../panel/BoardView.js"
import type { Connection } from "./Connection.js"
import { LiveHub } from "./LiveHub.js"
import { Names } from "./Names.js"

/** The live supervisor board: which streams show it, and pushing it to them. */
export interface BoardFeedService {
  /**
   * A page of `actor` shows the board on its stream `streamId`: from now on the board is pushed to
   * it on every change, starting with the board as it is now. False when the stream is not one of
   * the user's open streams on this server, or the user may not watch the board.
   */
  readonly watch: (actor: Access.UserActor, streamId: string) => Effect.Effect<boolean>
  /** How many streams show the board now. */
  readonly watchers: Effect.Effect<number>
  /** How many times the board was read and pushed (tests wait on it instead of sleeping). */
  readonly pushes: Effect.Effect<number>
}

/** How often the board is pushed without a change, so times in status and waits move on. */
const tick = Duration.seconds(30)

/** Dialog events that change what the board shows: who holds a dialog, what waits in which queue, SLA breaches. */
const boardChanging: ReadonlySet<string> = new Set([
  "DialogOpened",
  "HandedToQueue",
  "DialogOffered",
  "OfferEnded",
  "DialogAssigned",
  "DialogRequeued",
  "ReturnedToBot",
  "HoldChanged",
  "DialogClosed",
  "DialogReopened",
  "DialogDeleted",
  "PriorityChanged",
  "SlaUpdated"
])

const changesBoard = (streamId: string, event: DomainEvent): boolean => streamId.startsWith("operator:") || (streamId.startsWith("dialog:") && boardChanging.has(event._tag))

const make = Effect.gen(function* () {
  const hub = yield* LiveHub
  const bus = yield* EventBus
  const services = yield* Effect.context<Routing.Router | ConfigStore | EventStore | Names>()
  const configStore = yield* ConfigStore
  const watching = new Set<Connection>()
  const wakeups = yield* Queue.sliding<void>(1)
  let pushes = 0

  /**
   * Read the board once and push it to `audience`: rendered once per set of controls
   * (`audienceOf`), so a hundred supervisors cost one read and one render. A user who may no
   * longer watch it (their role changed) stops getting it.
   */
  const push = (audience: ReadonlyArray<Connection>) =>
    Effect.gen(function* () {
      for (const connection of audience) if (connection.closed) watching.delete(connection)
      const open = audience.filter((connection) => !connection.closed)
      if (open.length === 0) return
      const data = yield* readBoard
      const rendered = new Map<string, string>()
      for (const connection of open) {
        if (!Access.can(connection.actor, "operators.supervise", data.settings)) {
          watching.delete(connection)
          continue
        }
        // One render per set of controls and locale (language and time zone: issue 22).
        const key = `${connection.locale.language} ${connection.locale.timeZone}|${audienceOf(connection.actor, data.settings)}`
        let html = rendered.get(key)
        if (html === undefined) {
          const locale = connection.locale
          html = yield* render(<BoardContent board={boardView(data, connection.actor, locale)} oob />, locale)
          rendered.set(key, html)
        }
        connection.push([{ _tag: "Event", event: Contract.admin.sse.board, data: html }])
      }
      pushes++
    }).pipe(
      Effect.provide(services),
      Effect.catchAllCause((cause) => Effect.logError("Supervisor board: a push failed", cause))
    )

  const subscribed = yield* bus.subscribe
  yield* Effect.forkScoped(Stream.runForEach(subscribed, (stored) =>
    watching.size > 0 && changesBoard(stored.streamId, stored.event) ? Queue.offer(wakeups, undefined) : Effect.void))
  // One push per wake-up: what arrives while a push reads and renders is coalesced into the next.
  yield* Effect.forkScoped(Effect.forever(Effect.gen(function* () {
    yield* Effect.raceFirst(Queue.take(wakeups), Effect.sleep(tick))
    if (watching.size > 0) yield* push([...watching])
  })))

  return {
    watch: (actor, streamId) =>
      Effect.gen(function* () {
        const settings = yield* configStore.getSettings()
        if (!Access.can(actor, "operators.supervise", settings)) return false
        const found = yield* hub.connection(actor.id, streamId)
        if (found._tag === "None") return false
        watching.add(found.value)
        yield* push([found.value])
        return true
      }),
    watchers: Effect.sync(() => [...watching].filter((connection) => !connection.closed).length),
    pushes: Effect.sync(() => pushes)
  } satisfies BoardFeedService
})

const render = (node: { toString(): string | Promise<string> }, locale: Locale): Effect.Effect<string> => {
  const rendered = I18n.withLocale(locale, () => node.toString())
  return typeof rendered === "string" ? Effect.succeed(rendered) : Effect.promise(async () => String(await rendered))
}

/** The server's live board (`BoardFeedService`), subscribed to the bus while the runtime lives. */
export class BoardFeed extends Context.Tag("@switchboard/server/BoardFeed")<BoardFeed, BoardFeedService>() {
  static readonly layer: Layer.Layer<BoardFeed, never, LiveHub | EventBus | Routing.Router | ConfigStore | EventStore | Names> = Layer.scoped(BoardFeed, make)
}
