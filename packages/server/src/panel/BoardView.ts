import { Clock, Effect, Option } from "effect"
import { I18n, type Locale } from "@switchboard/ui-htmx"
import { Access, ConfigStore, Operator, Routing, type Settings } from "@switchboard/core"
import { Contract, type BoardView, type NavLinkView } from "@switchboard/ui-htmx"
import { type Directory, directory } from "./Directory.js"

/** The board as read once, for every viewer: the router's view of operators and queues, names, settings, the time. */
export interface BoardData {
  readonly view: Routing.SupervisorView
  readonly names: Directory
  readonly settings: Settings.Settings
  readonly now: number
}

/** Read the board from the store (the router's own snapshot: the board and the router never disagree). */
export const readBoard = Effect.gen(function* () {
  const router = yield* Routing.Router
  const view = yield* router.board()
  const settings = yield* (yield* ConfigStore).getSettings()
  return { view, names: yield* directory, settings, now: yield* Clock.currentTimeMillis } satisfies BoardData
})

/** "45 s", "12 min", "3 h 5 min", "2 d 4 h" in the locale's language ("12 хв", "3 год 5 хв"). */
export const duration = (ms: number, locale: Locale = I18n.defaultLocale): string => {
  const unit = (value: number, name: "second" | "minute" | "hour" | "day") => locale.number(value, { style: "unit", unit: name, unitDisplay: "short" })
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return unit(seconds, "second")
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return unit(minutes, "minute")
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${unit(hours, "hour")} ${unit(minutes % 60, "minute")}`
  return `${unit(Math.floor(hours / 24), "day")} ${unit(hours % 24, "hour")}`
}

/**
 * What sets one viewer's board apart from another's: only the controls, which core's rules give
 * (`Operator.maySetStatusOf`, `Operator.mayRedistribute`). Viewers with the same key get the same HTML.
 */
export const audienceOf = (actor: Access.UserActor, settings: Settings.Settings): string =>
  Operator.mayRedistribute(actor, settings) ? "all" : `self:${actor.id}`

/** The board as `actor` sees it: the same data for every supervisor, with the controls core allows them. */
export const boardView = ({ view, names, settings, now }: BoardData, actor: Access.UserActor, locale: Locale = I18n.defaultLocale): BoardView => {
  const statusName = new Map(settings.operatorStatuses.map((status) => [status.id, status.name]))
  return {
    asOf: `${locale.time(now)}:${String(Math.floor(now / 1000) % 60).padStart(2, "0")}`,
    statuses: settings.operatorStatuses.map((status) => ({ id: status.id, name: status.name })),
    operators: view.operators.map((row) => {
      const state = names.operator(row.operatorId)
      const since = state?.statusSince ?? 0
      return {
        id: row.operatorId,
        name: names.operatorName(row.operatorId),
        statusId: row.statusId,
        statusName: statusName.get(row.statusId) ?? row.statusId,
        inStatus: since === 0 ? "" : duration(now - since, locale),
        sinceIso: since === 0 ? "" : new Date(since).toISOString(),
        absent: row.absent,
        load: row.load.map((entry) => ({ channel: entry.channel, load: entry.load, capacity: entry.capacity })),
        dialogs: row.activeDialogs.map((dialog) => ({
          id: dialog.dialogId,
          href: Contract.routes.dialog(dialog.dialogId, { folder: "active" }),
          channel: dialog.channel,
          state: dialog.state,
          overCapacity: dialog.overCapacity
        })),
        canSetStatus: Operator.maySetStatusOf(actor, row.operatorId, settings),
        canRedistribute: Operator.mayRedistribute(actor, settings)
      }
    }),
    queues: view.queues.map((queue) => ({
      id: queue.queueId,
      length: queue.length,
      longestWait: Option.match(queue.oldestWaitMs, { onNone: () => "", onSome: (ms) => duration(ms, locale) }),
      slaBreaches: queue.slaBreaches
    }))
  }
}

/** The screens beside the dialogs that `actor` may use, for the header (core's permissions decide). */
export const navLinks = (actor: Access.UserActor, settings: Access.PermissionSettings): ReadonlyArray<NavLinkView> => [
  ...(Access.can(actor, "operators.supervise", settings) ? [{ screen: "board" as const, href: Contract.admin.routes.board }] : []),
  ...(Access.can(actor, "settings.manage", settings)
    ? [{ screen: "settings" as const, href: Contract.admin.routes.settings }, { screen: "audit" as const, href: Contract.admin.routes.audit }]
    : []),
  ...(Access.can(actor, "settings.manage", settings) ? [{ screen: "sla" as const, href: Contract.admin.routes.sla }] : []),
  ...(Access.can(actor, "users.manage", settings) ? [{ screen: "users" as const, href: Contract.admin.routes.users }] : [])
]
