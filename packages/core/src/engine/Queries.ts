import { Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import { can } from "../access/Access.js"
import { canView } from "../dialogs/decide.js"
import type { DialogQuery, MessageQuery, Page, TagCountQuery } from "../ports/Store.js"
import type { Settings } from "../settings/Settings.js"
import { NotFound } from "../shared/Errors.js"
import type { ClientId, DialogId } from "../shared/Ids.js"
import { reachesClient } from "./ClientCommands.js"
import { currentClient, type EnginePorts, loadClient, loadDialog } from "./EnginePorts.js"

/** What an actor may read: the dialog list, counters, tag counts, one dialog and its history, each as the actor sees it. */
export const makeQueries = ({ eventStore, listStore, historyStore, configStore }: EnginePorts) => {
  const viewerOf = (actor: Actor, settings: Settings) =>
    actor._tag === "User" ? Option.some({ userId: actor.id, seesAll: can(actor, "dialogs.viewAll", settings) }) : Option.none()

  /** The dialog list for a user: a folder, filters, sort, a keyset page. */
  const listDialogs = (actor: Actor, query: Omit<DialogQuery, "viewer">) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      const viewer = viewerOf(actor, settings)
      if (Option.isNone(viewer)) return { items: [], nextCursor: Option.none() } as Page<never>
      return yield* listStore.listDialogs({ ...query, viewer: viewer.value })
    })

  /** A dialog's history page, newest first, if the actor may see the dialog; notes for staff only. */
  const history = (actor: Actor, query: Omit<MessageQuery, "includeInternal">) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      const dialog = yield* loadDialog(eventStore, query.dialogId)
      if (!canView(dialog.state, actor, settings)) return yield* Effect.fail(new NotFound({ entity: "dialog", id: query.dialogId }))
      return yield* historyStore.messages({ ...query, includeInternal: actor._tag !== "Bot" })
    })

  /**
   * The client tags of a folder as the actor sees it, with their dialog counts, most used first
   * (DLG-21's tag filter); none for an actor who sees no dialogs.
   */
  const tagCounts = (actor: Actor, query: Omit<TagCountQuery, "viewer">) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      const viewer = viewerOf(actor, settings)
      return Option.isNone(viewer) ? [] : yield* listStore.tagCounts({ ...query, viewer: viewer.value })
    })

  /** Header and folder unread counters for a user (DLG-09). */
  const unread = (actor: Actor) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      const viewer = viewerOf(actor, settings)
      return Option.isNone(viewer) ? { total: 0, new: 0, mine: 0 } : yield* listStore.unread(viewer.value)
    })

  /** A dialog's state, if the actor may see it. */
  const dialog = (actor: Actor, id: DialogId) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      const found = yield* loadDialog(eventStore, id)
      if (!canView(found.state, actor, settings)) return yield* Effect.fail(new NotFound({ entity: "dialog", id }))
      return found.state
    })

  /**
   * A client's state for their card (CLI-01), if the actor reaches them (a dialog of theirs the
   * actor may see, or every dialog); else `NotFound`, so client ids cannot be probed. A merged
   * client is returned as stored (`mergedInto` names where they went) to whoever reaches the
   * client they were merged into (following a chain of merges).
   */
  const client = (actor: Actor, id: ClientId) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      const found = yield* loadClient(eventStore, id)
      const reached = found.state.mergedInto === undefined ? Option.some(found) : yield* currentClient(eventStore, found.state.mergedInto)
      if (Option.isNone(reached) || !(yield* reachesClient(eventStore, actor, reached.value.state, undefined, settings))) {
        return yield* Effect.fail(new NotFound({ entity: "client", id }))
      }
      return found.state
    })

  return { listDialogs, history, tagCounts, unread, dialog, client } as const
}
