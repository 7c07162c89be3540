import { Clock, Context, Duration, Effect, Layer, Option, Schedule } from "effect"
import { type Access, ConfigStore, DialogId, DialogPermissions, EventStore } from "@switchboard/core"
import { Contract, I18n, type PresenceEntryView, PresenceUpdate } from "@switchboard/ui-htmx"
import { LiveHub } from "./LiveHub.js"

/** How long a page's "I have it open" lasts without the next one (the page repeats it every 20 s). */
export const viewingFor = Duration.seconds(45)
/** How long "typing" lasts after the last keystroke reported (the composer reports at most every 3 s). */
export const typingFor = Duration.seconds(6)
/** How often expired entries are swept and the pages that showed them told. */
const sweepEvery = Duration.seconds(5)

interface Entry {
  readonly name: string
  seenUntil: number
  typingUntil: number
}

/**
 * Who has a dialog open or is typing in it (collision, issue 21): pages report it, and the pages of
 * everyone else with that dialog open are pushed the new line at once through their live streams
 * (`LiveHub.focusedOn`). Entries expire without reports. This is one server's view: it is
 * ephemeral, not stored, so two servers behind a balancer each know their own users' pages.
 */
export interface DialogPresenceService {
  /** `actor` has `dialogId` open (and is typing in it when `typing`): answers who else is there now. */
  readonly here: (actor: Access.UserActor, dialogId: string, typing: boolean) => Effect.Effect<ReadonlyArray<PresenceEntryView>>
  /** Drop what has expired and tell the pages that showed it. */
  readonly sweep: Effect.Effect<void>
}

const make = Effect.gen(function* () {
  const hub = yield* LiveHub
  const eventStore = yield* EventStore
  const configStore = yield* ConfigStore
  const dialogs = new Map<string, Map<string, Entry>>()
  /** What each dialog's line showed when last pushed: a push only when it changes. */
  const shown = new Map<string, string>()

  const entriesOf = (dialogId: string, now: number): ReadonlyArray<PresenceEntryView> => {
    const here = dialogs.get(dialogId)
    if (here === undefined) return []
    const entries: Array<PresenceEntryView> = []
    for (const [userId, entry] of here) {
      if (entry.seenUntil <= now) here.delete(userId)
      else entries.push({ userId, name: entry.name, typing: entry.typingUntil > now })
    }
    if (here.size === 0) dialogs.delete(dialogId)
    return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** Push the dialog's line to the pages that show it when it changed, each without its own user, in the page's language. */
  const publish = (dialogId: string, now: number) =>
    Effect.gen(function* () {
      const entries = entriesOf(dialogId, now)
      const key = JSON.stringify(entries)
      if ((shown.get(dialogId) ?? "[]") === key) return
      if (entries.length === 0) shown.delete(dialogId)
      else shown.set(dialogId, key)
      const rendered = new Map<string, string>()
      const focused = yield* hub.focusedOn(dialogId)
      if (focused.length === 0) return
      // A page says which dialog it shows; only those who may see the dialog hear who is in it (core's canView).
      const found = yield* eventStore.loadDialog(DialogId.make(dialogId))
      if (Option.isNone(found)) return
      const settings = yield* configStore.getSettings()
      for (const connection of focused) {
        if (!DialogPermissions.canView(found.value.state, connection.actor, settings)) continue
        const userId = connection.actor.id
        const locale = connection.locale
        const key = `${locale.language} ${locale.timeZone}|${userId}`
        let html = rendered.get(key)
        if (html === undefined) {
          const node = <PresenceUpdate dialogId={dialogId} entries={entries.filter((entry) => entry.userId !== userId)} />
          html = yield* Effect.promise(async () => String(await I18n.withLocale(locale, () => node.toString())))
          rendered.set(key, html)
        }
        connection.push([{ _tag: "Event", event: Contract.sse.panel, data: html }])
      }
    })

  const here = (actor: Access.UserActor, dialogId: string, typing: boolean) =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      let users = dialogs.get(dialogId)
      if (users === undefined) dialogs.set(dialogId, (users = new Map()))
      const entry = users.get(actor.id) ?? { name: actor.name, seenUntil: 0, typingUntil: 0 }
      entry.seenUntil = now + Duration.toMillis(viewingFor)
      if (typing) entry.typingUntil = now + Duration.toMillis(typingFor)
      users.set(actor.id, entry)
      yield* publish(dialogId, now)
      return entriesOf(dialogId, now).filter((other) => other.userId !== actor.id)
    })

  const sweep = Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    for (const dialogId of new Set([...dialogs.keys(), ...shown.keys()])) yield* publish(dialogId, now)
  })

  yield* Effect.forkScoped(Effect.repeat(sweep, Schedule.spaced(sweepEvery)))
  return { here, sweep } satisfies DialogPresenceService
})

/** The presence registry's tag: see `DialogPresenceService`. One per server runtime. */
export class DialogPresence extends Context.Tag("@switchboard/server/DialogPresence")<DialogPresence, DialogPresenceService>() {
  static readonly layer: Layer.Layer<DialogPresence, never, LiveHub | EventStore | ConfigStore> = Layer.scoped(DialogPresence, make)
}
