import { Option } from "effect"
import type { ClientState } from "../clients/Client.js"
import type { ClientId } from "../shared/Ids.js"
import type { DialogFilters, DialogQuery, DialogRow, Folder, Page, Viewer } from "../ports/Store.js"
import type { DialogState } from "./Dialog.js"
import { unreadFor } from "./evolve.js"

/**
 * The dialog list's rules in one place (DLG-02, DLG-20, DLG-21): which folder a dialog is in for
 * a viewer, what the filters mean, and the sort keys. Stores implement them in their own query
 * language; the in-memory store uses these functions directly and the contract suite pins both.
 */
export const inFolder = (dialog: DialogState, viewer: Viewer, folder: Folder): boolean => {
  if (dialog.deleted) return false
  switch (folder) {
    case "new":
      return dialog.status === "queued"
    case "mine":
      return dialog.status === "active" && Option.contains(dialog.assigneeId, viewer.userId)
    case "active":
      return dialog.status === "active" && (viewer.seesAll || Option.contains(dialog.assigneeId, viewer.userId))
    case "bot":
      return dialog.status === "bot"
    case "archive":
      return dialog.status === "closed" && (viewer.seesAll || Option.contains(dialog.assigneeId, viewer.userId))
  }
}

export const matchesFilters = (
  dialog: DialogState,
  filters: DialogFilters | undefined,
  clientOf: (id: ClientId) => ClientState | undefined
): boolean => {
  if (filters === undefined) return true
  if (filters.operatorId !== undefined && !Option.contains(dialog.assigneeId, filters.operatorId)) return false
  if (filters.botId !== undefined && !(dialog.status === "bot" && Option.contains(dialog.botId, filters.botId))) return false
  if (filters.channelIds !== undefined && filters.channelIds.length > 0 && !filters.channelIds.includes(dialog.channelId)) return false
  if (filters.status !== undefined && dialog.status !== filters.status) return false
  if (filters.lastWriter !== undefined) {
    const author = Option.map(dialog.lastMessage, (last) => last.author)
    const writer = Option.getOrUndefined(author)
    if (writer === undefined) return false
    if ((writer === "Client") !== (filters.lastWriter === "client")) return false
  }
  if (filters.from !== undefined && dialog.lastActivityAt < filters.from) return false
  if (filters.to !== undefined && dialog.lastActivityAt >= filters.to) return false
  if (filters.clientTags !== undefined) {
    const client = Option.getOrUndefined(Option.map(dialog.clientId, clientOf))
    const tags = client?.tags ?? []
    switch (filters.clientTags._tag) {
      case "None":
        if (tags.length > 0) return false
        break
      case "Pinned":
        if (!tags.some((tag) => tag.pinned)) return false
        break
      case "AllOf": {
        const have = new Set(tags.map((tag) => tag.tagId))
        if (!filters.clientTags.tags.every((tag) => have.has(tag))) return false
        break
      }
    }
  }
  return true
}

export const toRow = (dialog: DialogState, viewer: Viewer, clientName: string): DialogRow => {
  const draft = dialog.drafts[viewer.userId]
  return {
    dialogId: dialog.id,
    clientId: dialog.clientId,
    clientName,
    channelId: dialog.channelId,
    status: dialog.status,
    assigneeId: dialog.assigneeId,
    preview: draft ?? Option.match(dialog.lastMessage, { onNone: () => "", onSome: (last) => last.text }),
    previewIsDraft: draft !== undefined,
    lastWriter: Option.map(dialog.lastMessage, (last) => last.author),
    lastActivityAt: dialog.lastActivityAt,
    awaitingReplySince: dialog.awaitingReplySince,
    responseDueAt: Option.flatMap(dialog.sla, (sla) => sla.responseDueAt),
    sla: dialog.sla,
    unread: unreadFor(dialog, viewer.userId),
    tags: dialog.tags,
    topics: dialog.topics,
    priority: dialog.priority
  }
}

/**
 * The sort key of a row as a tuple compared left to right, smaller first.
 * Last activity: newest first. Processing order: unanswered first by the first unanswered client
 * message (oldest first), then answered ones by last activity (newest first).
 */
export const sortKey = (row: DialogRow, sort: DialogQuery["sort"]): readonly [number, number, string] =>
  sort === "processingOrder"
    ? Option.match(processingRank(row), {
        onNone: () => [1, -row.lastActivityAt, row.dialogId] as const,
        onSome: (rank) => [0, rank, row.dialogId] as const
      })
    : ([0, -row.lastActivityAt, row.dialogId] as const)

/**
 * Processing order's rank for an unanswered dialog: the SLA due instant of the pending reply when
 * an SLA policy sets one, else when the wait started. `None` = answered (sorted after, by activity).
 */
export const processingRank = (dialog: { readonly awaitingReplySince: Option.Option<number>; readonly responseDueAt: Option.Option<number> }): Option.Option<number> =>
  Option.isNone(dialog.awaitingReplySince) ? Option.none() : Option.orElse(dialog.responseDueAt, () => dialog.awaitingReplySince)

export const compareKeys = (a: readonly [number, number, string], b: readonly [number, number, string]): number =>
  a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)

/** Cursors are the last row's sort key: stable under inserts, unlike offsets. */
export const encodeCursor = (key: readonly [number, number, string]): string => `${key[0]}~${key[1]}~${key[2]}`

export const decodeCursor = (cursor: string): readonly [number, number, string] | undefined => {
  const [a, b, ...rest] = cursor.split("~")
  const group = Number(a)
  const value = Number(b)
  if (!Number.isFinite(group) || !Number.isFinite(value) || rest.length === 0) return undefined
  return [group, value, rest.join("~")]
}

/** Sort rows and cut one keyset page. */
export const paginate = (rows: ReadonlyArray<DialogRow>, query: DialogQuery): Page<DialogRow> => {
  const keyed = rows.map((row) => ({ row, key: sortKey(row, query.sort) })).sort((a, b) => compareKeys(a.key, b.key))
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
  const rest = after === undefined ? keyed : keyed.filter((entry) => compareKeys(entry.key, after) > 0)
  const page = rest.slice(0, query.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((entry) => entry.row),
    nextCursor: rest.length > query.limit && last !== undefined ? Option.some(encodeCursor(last.key)) : Option.none()
  }
}
