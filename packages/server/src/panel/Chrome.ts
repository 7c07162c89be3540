import { Effect, Option } from "effect"
import { Access, Composer, ConfigStore, Engine, EventStore, Operator, type Folder, type PersonalSettings } from "@switchboard/core"
import type { CountersView, FolderView, PanelChrome, PersonalFolderView, StatusSwitchView } from "@switchboard/ui-htmx"
import { navLinks } from "./BoardView.js"

/** The folders a user sees: "All active" only for those who see every dialog (DLG-02). */
export const foldersFor = (actor: Access.UserActor, counters: CountersView, seesAll: boolean): ReadonlyArray<FolderView> =>
  (["new", "mine", "active", "bot", "archive"] as const)
    .filter((folder) => folder !== "active" || seesAll)
    .map((folder) => ({
      id: folder,
      ...(folder === "new" ? { unread: counters.new } : folder === "mine" ? { unread: counters.mine } : {})
    }))

/** A personal folder as the sidebar links it: the list its saved query names. */
export const personalFolderView = (folder: PersonalSettings.PersonalFolder): PersonalFolderView => ({ id: folder.id, name: folder.name, href: `/panel/dialogs?${folder.query}` })

/** What the chrome takes from the user's own settings: their notification switches and folders. */
const personalOf = (settings: PersonalSettings.PersonalSettings) => ({
  notifications: settings.notifications,
  personalFolders: settings.folders.map(personalFolderView)
})

/** The header's status switch: the company's statuses (OPS-02) and the one in force. */
export const statusSwitchView = (current: string, statuses: ReadonlyArray<Operator.OperatorStatus>): StatusSwitchView => ({
  current,
  statuses: statuses.map((status) => ({ id: status.id, name: status.name, receivesDialogs: status.receivesDialogs }))
})

/**
 * Header, sidebar and counters for a page. `position`: the store's position read before the page's
 * data (`EventStore.lastPosition`), where the page's live stream starts.
 */
export const chrome = (actor: Access.UserActor, folder: Folder, csrfToken: string, position: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const eventStore = yield* EventStore
    const configStore = yield* ConfigStore
    const composer = yield* Composer
    // Side by side: the point reads go in one batch, and the counters' query runs meanwhile.
    const { settings, counters, operator, personal } = yield* Effect.all({
      settings: configStore.getSettings(),
      counters: engine.unread(actor),
      operator: eventStore.loadOperator(actor.id),
      personal: composer.personal(actor)
    }, { concurrency: "unbounded" })
    const status = Option.match(operator, { onNone: () => "offline", onSome: ({ state }) => state.statusId })
    const seesAll = Access.can(actor, "dialogs.viewAll", settings)
    // The own status switch (OPS-02) for a registered operator whom the core lets set it.
    const statusSwitch: StatusSwitchView | undefined = Option.isSome(operator) && Operator.maySetStatusOf(actor, actor.id, settings)
      ? statusSwitchView(status, settings.operatorStatuses)
      : undefined
    return {
      user: { id: actor.id, name: actor.name, role: actor.role, status, statusSwitch },
      counters,
      folders: foldersFor(actor, counters, seesAll),
      folder,
      csrfToken,
      position,
      links: navLinks(actor, settings),
      ...personalOf(personal)
    } satisfies PanelChrome
  })
