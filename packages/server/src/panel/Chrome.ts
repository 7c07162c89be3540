import { Effect, Option } from "effect"
import { Access, ConfigStore, Engine, EventStore, type Folder } from "@switchboard/core"
import type { CountersView, FolderView, PanelChrome } from "@switchboard/ui-htmx"
import { navLinks } from "./BoardView.js"

const folderLabels: Record<Folder, string> = { new: "New", mine: "Mine", active: "All active", bot: "With bots", archive: "Archive" }

/** The folders a user sees: "All active" only for those who see every dialog (DLG-02). */
export const foldersFor = (actor: Access.UserActor, counters: CountersView, seesAll: boolean): ReadonlyArray<FolderView> =>
  (["new", "mine", "active", "bot", "archive"] as const)
    .filter((folder) => folder !== "active" || seesAll)
    .map((folder) => ({
      id: folder,
      label: folderLabels[folder],
      ...(folder === "new" ? { unread: counters.new } : folder === "mine" ? { unread: counters.mine } : {})
    }))

/** Folder title for headings. */
export const folderTitle = (folder: Folder): string => folderLabels[folder]

/**
 * Header, sidebar and counters for a page. `position`: the store's position read before the page's
 * data (`EventStore.lastPosition`), where the page's live stream starts.
 */
export const chrome = (actor: Access.UserActor, folder: Folder, csrfToken: string, position: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const eventStore = yield* EventStore
    const configStore = yield* ConfigStore
    const settings = yield* configStore.getSettings()
    const counters = yield* engine.unread(actor)
    const operator = yield* eventStore.loadOperator(actor.id)
    const status = Option.match(operator, { onNone: () => "offline", onSome: ({ state }) => state.statusId })
    const seesAll = Access.can(actor, "dialogs.viewAll", settings)
    return {
      user: { id: actor.id, name: actor.name, role: actor.role, status },
      counters,
      folders: foldersFor(actor, counters, seesAll),
      folder,
      csrfToken,
      position,
      links: navLinks(actor, settings)
    } satisfies PanelChrome
  })
