import { Effect, Option } from "effect"
import type { ClientState } from "../clients/Client.js"
import type { ClientId, TagId } from "../shared/Ids.js"
import type { DialogFilters, DialogQuery, DialogRow, Folder, MessageQuery, Page, Viewer } from "../ports/Store.js"
import { InvalidInput } from "../shared/Errors.js"
import type { Message } from "../messages/Message.js"
import type { DialogState } from "./Dialog.js"
import { unreadFor } from "./evolve.js"

/**
 * The dialog list's rules in one place (DLG-02, DLG-20, DLG-21): which folder a dialog is in for
 * a viewer, what the filters mean, and the sort keys. Stores implement them in their own query
 * language; the in-memory store uses these functions directly and the contract suite pins both.
 */
export const inFolder = (dialog: Pick<DialogState, "deleted" | "status" | "assigneeId">, viewer: Viewer, folder: Folder): boolean => {
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

/** The name a client goes by in the dialog list (and its search): their profile's name, else their username, else none. */
export const listedClientName = (client: Pick<ClientState, "profile"> | undefined): string => client?.profile.name ?? client?.profile.username ?? ""

/** Every folder the dialog is in for a viewer (DLG-02), in the sidebar's order. */
export const foldersOf = (dialog: Pick<DialogState, "deleted" | "status" | "assigneeId">, viewer: Viewer): ReadonlyArray<Folder> =>
  (["new", "mine", "active", "bot", "archive"] as const).filter((folder) => inFolder(dialog, viewer, folder))

/**
 * The unread counter (DLG-09) a dialog adds one to for a viewer: New for a queued dialog with
 * client messages past what they read (or marked unread by them), Mine for their own active one;
 * none otherwise. `DialogListStore.unread` counts these.
 */
export const unreadFolder = (dialog: DialogState, viewer: Viewer): "new" | "mine" | undefined =>
  unreadFor(dialog, viewer.userId) === 0 ? undefined : countedFolder(dialog, viewer)

/**
 * The unread counter a dialog's unread messages would go to for a viewer: New while it waits,
 * Mine while it is theirs, none elsewhere (another's active dialog, a bot's, a closed one). A
 * list row shows its unread badge only when there is one, so every badge is in a counter and the
 * counters, the header total and the tab title tell the same number (DLG-09).
 */
export const countedFolder = (dialog: Pick<DialogState, "deleted" | "status" | "assigneeId">, viewer: Viewer): "new" | "mine" | undefined =>
  inFolder(dialog, viewer, "new") ? "new" : inFolder(dialog, viewer, "mine") ? "mine" : undefined

/**
 * Whether a dialog passes the list's filters (DLG-21): operator, bot, channels, client tags, topics,
 * tags, period and text; `clientOf` looks up the dialog's client for the tag filter.
 */
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
  // The period needs the dialog's messages: see `correspondedWithin`.
  if (filters.from !== undefined && dialog.lastActivityAt < filters.from) return false
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

/**
 * The dialog list's row for one viewer: their unread count and draft, the last message, SLA labels and
 * the client's pinned tags.
 */
export const toRow = (dialog: DialogState, viewer: Viewer, clientName: string, clientPinnedTags: ReadonlyArray<TagId> = []): DialogRow => {
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
    clientPinnedTags,
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

/**
 * Orders two list sort keys (group, rank, dialog id) ascending; the id breaks ties, so the order is
 * total and cursors are stable.
 */
export const compareKeys = (a: readonly [number, number, string], b: readonly [number, number, string]): number =>
  a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0)

/** Cursors are the last row's sort key: stable under inserts, unlike offsets. */
export const encodeCursor = (key: readonly [number, number, string]): string => `${key[0]}~${key[1]}~${key[2]}`

/**
 * The sort key a cursor of `encodeCursor` holds, or undefined if it is not one: two whole numbers
 * (instants and ranks are whole milliseconds) and a dialog id without NUL characters.
 */
export const decodeCursor = (cursor: string): readonly [number, number, string] | undefined => {
  const [a, b, ...rest] = cursor.split("~")
  if (a === undefined || b === undefined || !/^-?\d{1,16}$/.test(a) || !/^-?\d{1,16}$/.test(b)) return undefined
  const group = Number(a)
  const value = Number(b)
  const id = rest.join("~")
  if (!Number.isSafeInteger(group) || !Number.isSafeInteger(value) || rest.length === 0 || id === "" || id.length > 200 || id.includes("\u0000")) return undefined
  return [group, value, id]
}

/** The most rows one page may ask for (dialog lists and message history). */
export const maxPageSize = 1000

const pageSize = (limit: number): Effect.Effect<number, InvalidInput> =>
  Number.isSafeInteger(limit) && limit >= 1 && limit <= maxPageSize
    ? Effect.succeed(limit)
    : Effect.fail(InvalidInput.of("limit", "outOfRange", `expected a whole number from 1 to ${maxPageSize}, got ${limit}`, { min: 1, max: maxPageSize }))

/**
 * A dialog list query's page size and the sort key after which its page starts (none: the first
 * page). Every store checks a query with this first, so a garbled cursor is an `InvalidInput`
 * error, never the first page again (a pager would loop) nor a database error.
 */
export const checkQuery = (query: DialogQuery): Effect.Effect<readonly [number, number, string] | undefined, InvalidInput> =>
  Effect.flatMap(pageSize(query.limit), () => {
    if (query.cursor === undefined) return Effect.succeed(undefined)
    const after = decodeCursor(query.cursor)
    return after === undefined
      ? Effect.fail(InvalidInput.of("cursor", "badCursor", "not a page of this list; load the list again"))
      : Effect.succeed(after)
  })

/**
 * DLG-21's period: whether a dialog had correspondence within [from, to), a message of the client,
 * staff or a bot (internal notes too; not a system notice, not a deleted message) created then. No
 * bound is no limit on that side.
 */
export const correspondedWithin = (messages: Iterable<Message>, from: number | undefined, to: number | undefined): boolean => {
  if (from === undefined && to === undefined) return true
  for (const message of messages) {
    if (Option.isSome(message.deletedAt) || message.author._tag === "System") continue
    if ((from === undefined || message.createdAt >= from) && (to === undefined || message.createdAt < to)) return true
  }
  return false
}

/** The most tags `DialogListStore.tagCounts` may be asked for. */
export const maxTagCounts = 500

/** The number of tags a `DialogListStore.tagCounts` query asks for, checked like a page size. */
export const checkTagCountLimit = (limit: number): Effect.Effect<number, InvalidInput> =>
  Number.isSafeInteger(limit) && limit >= 1 && limit <= maxTagCounts
    ? Effect.succeed(limit)
    : Effect.fail(InvalidInput.of("limit", "outOfRange", `expected a whole number from 1 to ${maxTagCounts}, got ${limit}`, { min: 1, max: maxTagCounts }))

/** Tag counts in the order `DialogListStore.tagCounts` gives them: most used first, then by id. */
export const tagCountOrder = (a: { readonly tagId: string; readonly dialogs: number }, b: { readonly tagId: string; readonly dialogs: number }): number =>
  b.dialogs - a.dialogs || (a.tagId < b.tagId ? -1 : a.tagId > b.tagId ? 1 : 0)

/** A history page's cursor: the number of the oldest message of the page before it. */
export const encodeHistoryCursor = (seq: number): string => String(seq)

/** The message number a cursor of `encodeHistoryCursor` holds, or undefined if it is not one. */
export const decodeHistoryCursor = (cursor: string): number | undefined =>
  /^[1-9]\d{0,15}$/.test(cursor) && Number.isSafeInteger(Number(cursor)) ? Number(cursor) : undefined

/**
 * A history query's page size, and the message number its page ends before (none: the newest
 * page), from `cursor` or `beforeSeq`; checked like `checkQuery`.
 */
export const checkMessageQuery = (query: MessageQuery): Effect.Effect<number | undefined, InvalidInput> =>
  Effect.flatMap(pageSize(query.limit), () => {
    if (query.cursor !== undefined && query.beforeSeq !== undefined) {
      return Effect.fail(InvalidInput.of("cursor", "unexpected", "give a cursor or beforeSeq, not both"))
    }
    if (query.beforeTime !== undefined) {
      if (query.cursor !== undefined || query.beforeSeq !== undefined) {
        return Effect.fail(InvalidInput.of("beforeTime", "unexpected", "not with a cursor or beforeSeq"))
      }
      if (!Number.isSafeInteger(query.beforeTime) || query.beforeTime < 0) {
        return Effect.fail(InvalidInput.of("beforeTime", "outOfRange", `expected an instant (milliseconds since 1970), got ${query.beforeTime}`, { min: 0 }))
      }
    }
    if (query.cursor !== undefined) {
      const before = decodeHistoryCursor(query.cursor)
      return before !== undefined
        ? Effect.succeed(before)
        : Effect.fail(InvalidInput.of("cursor", "badCursor", "not a page of this history; load it again"))
    }
    return query.beforeSeq === undefined || (Number.isSafeInteger(query.beforeSeq) && query.beforeSeq >= 1)
      ? Effect.succeed(query.beforeSeq)
      : Effect.fail(InvalidInput.of("beforeSeq", "outOfRange", `expected a message number of 1 or more, got ${query.beforeSeq}`, { min: 1 }))
  })

/**
 * The words of a search box (DLG-19): runs of letters and digits, lower-cased. A dialog matches
 * when every word is the start of a word of one of its messages (not deleted) or of the client's
 * name: `parc lat` finds "my parcel is late". A search with no words matches nothing.
 */
export const searchWords = (text: string): ReadonlyArray<string> => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []

/** Whether one text (a message, a client's name) holds every word of a search as a word prefix. */
export const textMatches = (words: ReadonlyArray<string>, text: string): boolean => {
  if (words.length === 0) return false
  const candidates = searchWords(text)
  return words.every((word) => candidates.some((candidate) => candidate.startsWith(word)))
}

/** Sort rows and cut one keyset page. */
export const paginate = (rows: ReadonlyArray<DialogRow>, query: DialogQuery, after: readonly [number, number, string] | undefined): Page<DialogRow> => {
  const keyed = rows.map((row) => ({ row, key: sortKey(row, query.sort) })).sort((a, b) => compareKeys(a.key, b.key))
  const rest = after === undefined ? keyed : keyed.filter((entry) => compareKeys(entry.key, after) > 0)
  const page = rest.slice(0, query.limit)
  const last = page[page.length - 1]
  return {
    items: page.map((entry) => entry.row),
    nextCursor: rest.length > query.limit && last !== undefined ? Option.some(encodeCursor(last.key)) : Option.none()
  }
}
