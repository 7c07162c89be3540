import { Effect, Option } from "effect"
import { Access, Composer, ConfigStore, DialogPermissions, type DialogRow, Engine, type Folder, Listing, PersonalSettings, type Viewer } from "@switchboard/core"
import type { Contract, DialogListView, DialogRowView } from "@switchboard/ui-htmx"
import { type Directory, directory } from "./Directory.js"
import { filterOptions, listFilters } from "./Filters.js"
import { displayTime } from "./Time.js"

/** Rows per page of the dialog list; "Load more" asks for the next page by cursor. */
export const listPageSize = 50

/** The most rows a live refresh re-reads after "Load more" (beyond it, the refresh shows the first ones). */
export const listShownMax = 500

/** Which part of a folder's list to show: a search (DLG-19) and a keyset page. */
export interface ListRequest {
  readonly folder: Folder
  /** Search text, trimmed; empty = no search. */
  readonly q: string
  /** The page after this cursor; none = the first rows. */
  readonly cursor: string | undefined
  /** Rows shown so far: the first rows re-read this many (a live refresh), a next page counts on from it. */
  readonly shown: number | undefined
  /** The dialog open beside the list: its row is highlighted. */
  readonly selected: string | undefined
  /** The filters (DLG-21) as the URL had them, well-formed; `listFilters` checks them against the company. */
  readonly filters: Contract.ListFilters
}

/** The worst SLA status of an open dialog, as a list label (SLA-04). */
const slaLabel = (row: DialogRow): DialogRowView["sla"] => {
  if (row.status === "closed" || Option.isNone(row.sla)) return undefined
  const statuses = Object.values(row.sla.value.statuses)
  return statuses.includes("breached") ? "breached" : statuses.includes("warning") ? "warning" : undefined
}

/** A sort key as a row's data attribute: its two numbers (the id breaks ties). */
const sortAttribute = (key: readonly [number, number, string]) => `${key[0]} ${key[1]}`

/** The viewer a user is for the list's rules (`Listing`). */
export const viewerOf = (actor: Access.UserActor, settings: Access.PermissionSettings): Viewer => ({ userId: actor.id, seesAll: Access.can(actor, "dialogs.viewAll", settings) })

/** A list row's view model for `viewer`. */
export const rowView = (row: DialogRow, names: Directory, selected: string | undefined, viewer: Viewer): DialogRowView => ({
  id: row.dialogId,
  clientName: row.clientName,
  channelName: names.channelName(row.channelId),
  status: row.status,
  preview: row.preview,
  previewIsDraft: row.previewIsDraft,
  // A badge only where a counter counts it (New, the viewer's Mine).
  unread: Listing.countedFolder({ deleted: false, status: row.status, assigneeId: row.assigneeId }, viewer) === undefined ? 0 : row.unread,
  assigneeName: Option.match(row.assigneeId, { onNone: () => undefined, onSome: names.operatorName }),
  time: displayTime(row.lastActivityAt),
  timeIso: new Date(row.lastActivityAt).toISOString(),
  selected: row.dialogId === selected,
  sla: slaLabel(row),
  pinnedTags: row.clientPinnedTags.map(names.tag),
  folders: Listing.foldersOf({ deleted: false, status: row.status, assigneeId: row.assigneeId }, viewer),
  sortActivity: sortAttribute(Listing.sortKey(row, "lastActivity")),
  sortProcessing: sortAttribute(Listing.sortKey(row, "processingOrder")),
  channelId: row.channelId,
  assigneeId: Option.getOrUndefined(row.assigneeId)
})

/** A page of a folder's list for a user, as the panel shows it. */
export const listView = (actor: Access.UserActor, request: ListRequest) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const names = yield* directory
    const options = yield* filterOptions(actor, names)
    const filters = yield* listFilters(request.filters, options)
    const first = request.cursor === undefined
    const limit = first ? Math.min(Math.max(request.shown ?? 0, listPageSize), listShownMax) : listPageSize
    // The user's own choice of order and look (DLG-20, DLG-22); by default New in processing order
    // (most urgent reply first), the others by last activity.
    const look = (yield* (yield* Composer).personal(actor)).list
    const sort = PersonalSettings.sortFor(look, request.folder)
    const page = yield* engine.listDialogs(actor, {
      folder: request.folder,
      limit,
      sort,
      ...(request.q === "" && Object.keys(filters).length === 0 ? {} : { filters: { ...filters, ...(request.q === "" ? {} : { text: request.q }) } }),
      ...(request.cursor === undefined ? {} : { cursor: request.cursor })
    })
    const settings = yield* (yield* ConfigStore).getSettings()
    const viewer = viewerOf(actor, settings)
    const rows = page.items.map((row) => rowView(row, names, request.selected, viewer))
    return {
      folder: request.folder,
      q: request.q,
      filters: request.filters,
      filterOptions: options,
      rows,
      nextCursor: Option.getOrUndefined(page.nextCursor),
      shown: (first ? 0 : request.shown ?? 0) + rows.length,
      look: { view: look.view, sort: look.sort, sortBy: sort },
      canDelete: DialogPermissions.mayDelete(actor, settings)
    } satisfies DialogListView
  })
