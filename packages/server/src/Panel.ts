import { Clock, DateTime, Effect, Option, Schema } from "effect"
import { Access, BotId, ChannelId, type Client, type Dialog, type DialogFilters, Engine, type Folder, type Message, type Operator, type Settings, Sla, SlaClock, Store, TagId, type DialogRow, UserId, type DialogId } from "@switchboard/core"
import type { Contract, CountersView, DialogListView, DialogRowView, DialogView, FilterOptionsView, FolderView, HistoryView, MessageView, PanelChrome, TagChoiceView, TagView, ClientTagView } from "@switchboard/ui-htmx"
import { BadRequest } from "./respond.js"

/** Close reasons offered in the panel (DLG-06). The core has no catalog store yet, so the server owns the list. */
export const closeReasons = [
  { id: "resolved", name: "Resolved" },
  { id: "no-answer", name: "Client stopped answering" },
  { id: "spam", name: "Spam" }
] as const

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

const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" })
const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" })

/** "14:05" today, "3 Mar" before. */
export const displayTime = (at: number, now: number = Date.now()): string =>
  new Date(at).toDateString() === new Date(now).toDateString() ? timeFormat.format(at) : dateFormat.format(at)

/** A deadline always with its time: "14:05" today, "22 Nov 00:05" on another day (10 minutes after 23:55 is tomorrow). */
export const displayDue = (at: number, now: number = Date.now()): string =>
  new Date(at).toDateString() === new Date(now).toDateString() ? timeFormat.format(at) : `${dateFormat.format(at)} ${timeFormat.format(at)}`

/** Names the panel shows: operators by id, channels by id. */
export interface Directory {
  readonly operatorName: (id: string) => string
  readonly channelName: (id: string) => string
  readonly operator: (id: string) => Operator.OperatorState | undefined
  readonly operators: ReadonlyArray<Operator.OperatorState>
  readonly channels: ReadonlyArray<{ readonly id: string; readonly name: string }>
  /** The bots the channels hand dialogs to (there is no bot registry: a channel names its bot). */
  readonly bots: ReadonlyArray<{ readonly id: string; readonly name: string }>
  /** A client tag's name and colour from the company's catalog (its id and grey when the catalog lacks it). */
  readonly tag: (id: string) => TagView
}

/** The colour of a tag the company's catalog does not list. */
const unlistedTagColor = "#9aa3ae"

/** How the panel names a bot (no registry holds bot names yet). */
export const botName = (botId: string) => `Bot ${botId}`

/** Load the directory of names (operators, channels, bots). */
export const directory = Effect.gen(function* () {
  const store = yield* Store
  const operators = yield* store.listOperators()
  // Channels and the tag catalog in one read.
  const { channels, settings } = yield* store.config()
  const catalog = new Map(settings.tags.map((tag) => [tag.id as string, tag]))
  const byId = new Map(operators.map((entry) => [entry.state.id as string, entry.state]))
  const channelNames = new Map(channels.map((channel) => [channel.id as string, channel.name]))
  return {
    operatorName: (id: string) => byId.get(id)?.name ?? id,
    channelName: (id: string) => channelNames.get(id) ?? id,
    operator: (id: string) => byId.get(id),
    operators: operators.map((entry) => entry.state),
    channels: channels.map((channel) => ({ id: channel.id, name: channel.name })),
    bots: [...new Set(channels.flatMap((channel) => (channel.botId === undefined ? [] : [channel.botId as string])))].sort().map((id) => ({ id, name: botName(id) })),
    tag: (id: string) => ({ id, name: catalog.get(id)?.name ?? id, color: catalog.get(id)?.color ?? unlistedTagColor })
  } satisfies Directory
})

/** The signed-in user as an engine actor, if they exist and are active. */
export const actorOf = (userId: string) =>
  Effect.gen(function* () {
    const store = yield* Store
    // Not an id at all (a NUL, a 10 MB string): no such user, without asking the store.
    if (!Schema.is(UserId)(userId)) return Option.none()
    const found = yield* store.loadOperator(userId)
    return Option.flatMap(found, ({ state }) =>
      state.active ? Option.some(new Access.UserActor({ id: state.id, name: state.name, role: state.role, permissions: state.permissions })) : Option.none()
    )
  })

/**
 * Header, sidebar and counters for a page. `position`: the store's position read before the page's
 * data (`Store.lastPosition`), where the page's live stream starts.
 */
export const chrome = (actor: Access.UserActor, folder: Folder, csrfToken: string, position: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const store = yield* Store
    const settings = yield* store.getSettings()
    const counters = yield* engine.unread(actor)
    const operator = yield* store.loadOperator(actor.id)
    const status = Option.match(operator, { onNone: () => "offline", onSome: ({ state }) => state.statusId })
    const seesAll = Access.can(actor, "dialogs.viewAll", settings)
    return {
      user: { id: actor.id, name: actor.name, role: actor.role, status },
      counters,
      folders: foldersFor(actor, counters, seesAll),
      folder,
      csrfToken,
      position
    } satisfies PanelChrome
  })

/** A list row's view model. */
export const rowView = (row: DialogRow, names: Directory, selected: string | undefined): DialogRowView => ({
  id: row.dialogId,
  clientName: row.clientName,
  channelName: names.channelName(row.channelId),
  status: row.status,
  preview: row.preview,
  previewIsDraft: row.previewIsDraft,
  unread: row.unread,
  assigneeName: Option.match(row.assigneeId, { onNone: () => undefined, onSome: names.operatorName }),
  time: displayTime(row.lastActivityAt),
  timeIso: new Date(row.lastActivityAt).toISOString(),
  selected: row.dialogId === selected,
  sla: slaLabel(row),
  pinnedTags: row.clientPinnedTags.map(names.tag)
})

/** The worst SLA status of an open dialog, as a list label (SLA-04). */
const slaLabel = (row: DialogRow): DialogRowView["sla"] => {
  if (row.status === "closed" || Option.isNone(row.sla)) return undefined
  const statuses = Object.values(row.sla.value.statuses)
  return statuses.includes("breached") ? "breached" : statuses.includes("warning") ? "warning" : undefined
}

const metricLabels: Record<Sla.Metric, string> = { firstResponse: "First response", nextResponse: "Next response", timeToClose: "Time to close" }

/** The open dialog's SLA metrics (SLA-05), evaluated now on the company's calendar and policy. */
export const slaView = (settings: Settings.Settings, state: Dialog.DialogState, now: number): Pick<DialogView, "slaPolicy" | "sla"> =>
  Option.match(SlaClock.fromSettings(settings), {
    onNone: () => ({ slaPolicy: undefined, sla: [] }),
    onSome: (compiled) => {
      const evaluation = SlaClock.evaluateDialog(compiled, state, now)
      const sla = Sla.Metric.literals.flatMap((metric) =>
        Option.match(evaluation[metric], {
          onNone: () => [],
          onSome: (measurement) => [{
            label: metricLabels[metric],
            status: measurement.status,
            targetMinutes: measurement.target,
            elapsedMinutes: Math.floor(measurement.elapsed),
            remainingMinutes: Math.ceil(measurement.remaining),
            due: Option.match(measurement.due, { onNone: () => undefined, onSome: (due) => displayDue(DateTime.toEpochMillis(due)) })
          }]
        })
      )
      return { slaPolicy: evaluation.policy, sla }
    }
  })

/** A message bubble's view model. */
export const messageView = (message: Message.Message, names: Directory, clientName: string): MessageView => {
  const author = message.author
  return {
    id: message.id,
    dialogId: message.dialogId,
    author: author._tag === "Client" ? "client" : author._tag === "Operator" ? "operator" : author._tag === "Bot" ? "bot" : "system",
    authorName: author._tag === "Client" ? clientName : author._tag === "Operator" ? names.operatorName(author.userId) : author._tag === "Bot" ? botName(author.botId) : "System",
    text: message.text,
    internal: message.internal,
    time: displayTime(message.createdAt),
    timeIso: new Date(message.createdAt).toISOString(),
    delivery: Option.match(message.delivery, { onNone: () => undefined, onSome: (delivery) => ({ status: delivery.status, reason: delivery.reason }) }),
    edited: Option.isSome(message.editedAt),
    deleted: Option.isSome(message.deletedAt),
    rejected: message.rejected
  }
}

/** The client's display name for a dialog. */
export const clientNameOf = (state: Dialog.DialogState) => Effect.map(clientOf(state), (client) => nameOf(state, client))

/** A dialog's client, if it still has one. */
const clientOf = (state: Dialog.DialogState): Effect.Effect<Option.Option<Client.ClientState>, never, Store> =>
  Option.match(state.clientId, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (clientId) => Effect.map(Effect.flatMap(Store, (store) => store.loadClient(clientId)), Option.map((found) => found.state))
  })

/** The name a dialog's client goes by in the panel. */
const nameOf = (state: Dialog.DialogState, client: Option.Option<Client.ClientState>): string =>
  Option.isNone(state.clientId)
    ? "Detached client"
    : Option.match(client, {
      onNone: () => "Unknown client",
      onSome: (found) => found.profile.name ?? found.profile.username ?? found.identities[0]?.externalId ?? found.id
    })

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

/** The time zone the server reads the period's days in, and shows the list's times in. */
export const serverTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * The instant a day starts in the server's time zone (`YYYY-MM-DD`, years 1970-9999), `offset`
 * days later; none if it is not a real date. DST-safe: local midnight, not 24-hour steps.
 */
export const startOfDay = (day: string, offset = 0): number | undefined => {
  const match = dayPattern.exec(day)
  if (match === null) return undefined
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const start = new Date(year, month - 1, date)
  if (year < 1970 || start.getFullYear() !== year || start.getMonth() !== month - 1 || start.getDate() !== date) return undefined
  return Math.max(0, new Date(year, month - 1, date + offset).getTime())
}

/** What the filter form offers this user: the company's channels and, to those who see every operator's dialogs, its operators. */
const filterOptions = (actor: Access.UserActor, names: Directory) =>
  Effect.gen(function* () {
    const settings = yield* (yield* Store).getSettings()
    return {
      channels: names.channels,
      operators: Access.can(actor, "dialogs.viewAll", settings) ? names.operators.map((operator) => ({ id: operator.id, name: operator.name })) : undefined,
      bots: names.bots,
      timeZone: serverTimeZone()
    } satisfies FilterOptionsView
  })

/** The tags of the tag filter: separated by commas or spaces, each once (all must hold: DLG-21's AND). */
const tagsOf = (text: string): ReadonlyArray<TagId> => [...new Set(text.split(/[\s,]+/).filter((tag) => tag !== ""))].map((tag) => TagId.make(tag))

/**
 * The store's filters for the list's (DLG-21): a channel or an operator the company does not have,
 * an operator filter from someone who sees only their own dialogs, a tag together with "no tags"
 * or "pinned", or a period that ends before it starts is a 400 naming the parameter.
 */
export const listFilters = (filters: Contract.ListFilters, options: FilterOptionsView) =>
  Effect.gen(function* () {
    const bad = (parameter: string, reason: string) => Effect.fail(new BadRequest({ parameter, message: `${parameter}: ${reason}` }))
    if (filters.channel !== undefined && !options.channels.some((channel) => channel.id === filters.channel)) return yield* bad("channel", "no such channel")
    if (filters.operator !== undefined) {
      if (options.operators === undefined) return yield* bad("operator", "you see only your own dialogs")
      if (!options.operators.some((operator) => operator.id === filters.operator)) return yield* bad("operator", "no such operator")
    }
    if (filters.bot !== undefined && !options.bots.some((bot) => bot.id === filters.bot)) return yield* bad("bot", "no channel hands dialogs to such a bot")
    if (filters.tag !== undefined && filters.tags !== undefined) return yield* bad("tags", `choose a tag or "${filters.tags}", not both`)
    const from = filters.from === undefined ? undefined : startOfDay(filters.from)
    const to = filters.to === undefined ? undefined : startOfDay(filters.to, 1)
    if (filters.from !== undefined && from === undefined) return yield* bad("from", "not a date (YYYY-MM-DD)")
    if (filters.to !== undefined && to === undefined) return yield* bad("to", "not a date (YYYY-MM-DD)")
    if (from !== undefined && to !== undefined && to <= from) return yield* bad("to", "the period ends before it starts")
    return {
      ...(filters.channel === undefined ? {} : { channelIds: [ChannelId.make(filters.channel)] }),
      ...(filters.operator === undefined ? {} : { operatorId: UserId.make(filters.operator) }),
      ...(filters.bot === undefined ? {} : { botId: BotId.make(filters.bot) }),
      ...(filters.writer === undefined ? {} : { lastWriter: filters.writer }),
      ...(filters.tag !== undefined
        ? { clientTags: { _tag: "AllOf", tags: tagsOf(filters.tag) } as const }
        : filters.tags === "none"
          ? { clientTags: { _tag: "None" } as const }
          : filters.tags === "pinned"
            ? { clientTags: { _tag: "Pinned" } as const }
            : {}),
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to })
    } satisfies DialogFilters
  })

/** How many of a folder's tags the filter offers (the most used). */
export const tagChoicesShown = 20

/**
 * The tag choices under a list's tag filter (DLG-21): the tags of the filter first, then the most
 * used client tags of the list as the user sees it with its filters on (not its search text), each
 * with the number of dialogs choosing it would leave, in the company catalog's names and colours.
 */
export const tagChoicesView = (actor: Access.UserActor, list: Contract.ListParams) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const names = yield* directory
    const filters = list.filters ?? {}
    // Counted over the list as filtered (not its search text): each count is what choosing the tag leaves.
    const narrowed = yield* listFilters(filters, yield* filterOptions(actor, names))
    const counts = yield* Effect.orDie(engine.tagCounts(actor, { folder: list.folder, filters: narrowed, limit: tagChoicesShown }))
    const chosen = filters.tag === undefined ? [] : tagsOf(filters.tag)
    // Chosen tags come first (in the filter's order), then the rest, most used first.
    const rows = [
      ...chosen.map((tagId) => ({ tagId, dialogs: counts.find((count) => count.tagId === tagId)?.dialogs ?? 0 })),
      ...counts.filter((count) => !chosen.includes(count.tagId))
    ]
    return rows.map(({ tagId, dialogs }): TagChoiceView => {
      const selected = chosen.includes(tagId)
      const tags = selected ? chosen.filter((id) => id !== tagId) : [...chosen, tagId]
      return {
        ...names.tag(tagId),
        dialogs,
        selected,
        // A tag replaces "no tags" / "a pinned tag", which cannot go with it.
        toggled: { folder: list.folder, q: list.q, filters: { ...filters, tags: undefined, tag: tags.length === 0 ? undefined : tags.join(",") } }
      }
    })
  })

/** Check a list's filters for a user (as `listView` would), without reading the list: a 400 if it could not apply them. */
export const checkFilters = (actor: Access.UserActor, filters: Contract.ListFilters) =>
  Effect.asVoid(Effect.flatMap(Effect.flatMap(directory, (names) => filterOptions(actor, names)), (options) => listFilters(filters, options)))

/** A page of a folder's list for a user, as the panel shows it. */
export const listView = (actor: Access.UserActor, request: ListRequest) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const names = yield* directory
    const options = yield* filterOptions(actor, names)
    const filters = yield* listFilters(request.filters, options)
    const first = request.cursor === undefined
    const limit = first ? Math.min(Math.max(request.shown ?? 0, listPageSize), listShownMax) : listPageSize
    const page = yield* engine.listDialogs(actor, {
      folder: request.folder,
      limit,
      // New dialogs in processing order (most urgent reply first, DLG-20); the others by last activity.
      sort: request.folder === "new" ? "processingOrder" : "lastActivity",
      ...(request.q === "" && Object.keys(filters).length === 0 ? {} : { filters: { ...filters, ...(request.q === "" ? {} : { text: request.q }) } }),
      ...(request.cursor === undefined ? {} : { cursor: request.cursor })
    })
    const rows = page.items.map((row) => rowView(row, names, request.selected))
    return {
      folder: request.folder,
      title: folderTitle(request.folder),
      q: request.q,
      filters: request.filters,
      filterOptions: options,
      rows,
      nextCursor: Option.getOrUndefined(page.nextCursor),
      shown: (first ? 0 : request.shown ?? 0) + rows.length
    } satisfies DialogListView
  })

/** Messages per page of an open dialog's history; "Show earlier messages" asks for the page before. */
export const historyPageSize = 50

/**
 * A page of a dialog's history as the panel shows it: oldest first, and the cursor of the page
 * before it. `before` is the history cursor of the page after it; none = the newest page.
 */
const historyPage = (actor: Access.UserActor, state: Dialog.DialogState, before: string | undefined, beforeTime?: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const names = yield* directory
    const client = yield* clientOf(state)
    const clientName = nameOf(state, client)
    const page = yield* engine.history(actor, {
      dialogId: state.id,
      limit: historyPageSize,
      ...(before === undefined ? {} : { cursor: before }),
      ...(beforeTime === undefined ? {} : { beforeTime })
    })
    return {
      clientName,
      names,
      client,
      messages: [...page.items].reverse().map((message) => messageView(message, names, clientName)),
      /** The number of the page's newest message (`messageSeq` of the dialog when the page is its newest). */
      newestSeq: page.items[0]?.seq,
      earlier: Option.getOrUndefined(page.nextCursor)
    }
  })

/** An earlier page of an open dialog's history (MSG-07), for "Show earlier messages". */
export const historyView = (actor: Access.UserActor, dialogId: DialogId, list: Contract.ListParams, before: string) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const state = yield* engine.dialog(actor, dialogId)
    const page = yield* historyPage(actor, state, before)
    return { dialogId: state.id, list, messages: page.messages, earlier: page.earlier } satisfies HistoryView
  })

/** The catalog's tags, then any other tag the client carries, each as the client has it. */
const clientTagsView = (settings: Settings.Settings, names: Directory, carried: ReadonlyArray<Client.ClientTag>): ReadonlyArray<ClientTagView> => {
  const has = new Map(carried.map((tag) => [tag.tagId as string, tag]))
  const catalog = settings.tags.map((tag) => tag.id as string)
  return [...catalog, ...[...has.keys()].filter((id) => !catalog.includes(id))].map((id) => ({ ...names.tag(id), on: has.has(id), pinned: has.get(id)?.pinned ?? false }))
}

/**
 * The open dialog for a user: state, a history page (the newest, or the one before `before`),
 * what they may do; `list` is the list beside it.
 */
export const dialogView = (
  actor: Access.UserActor,
  dialogId: DialogId,
  list: Contract.ListParams,
  before?: string,
  /** Open the history at the end of the list's period, if it has one (opening a dialog from the list). */
  options: { readonly atPeriodEnd?: boolean } = {}
) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const store = yield* Store
    const settings = yield* store.getSettings()
    const state = yield* engine.dialog(actor, dialogId)
    // Opened from a list of a period (DLG-21), the history starts at the period's end, unless nothing came after it.
    const periodEnd = options.atPeriodEnd === true && before === undefined && list.filters?.to !== undefined ? startOfDay(list.filters.to, 1) : undefined
    const jumped = periodEnd === undefined || periodEnd > state.lastActivityAt ? undefined : yield* historyPage(actor, state, undefined, periodEnd)
    const atPeriodEnd = jumped !== undefined && jumped.messages.length > 0
    const { names, client, clientName, messages, earlier, newestSeq } = atPeriodEnd ? jumped : yield* historyPage(actor, state, before)
    const mine = Option.exists(state.assigneeId, (id) => id === actor.id)
    const intervene = Access.can(actor, "dialogs.intervene", settings)
    return {
      id: state.id,
      // The history page read the client already.
      clientTags: Option.match(client, { onNone: () => undefined, onSome: (found) => clientTagsView(settings, names, found.tags) }),
      clientName,
      channelName: names.channelName(state.channelId),
      status: state.status,
      assigneeName: Option.match(state.assigneeId, { onNone: () => undefined, onSome: names.operatorName }),
      messages,
      earlier,
      // A page at a period's end takes no live messages while later ones exist; it links to the newest.
      latest: before === undefined && (!atPeriodEnd || newestSeq === undefined || newestSeq >= state.messageSeq),
      canAccept: state.status === "queued" || state.status === "bot",
      canLeave: state.status === "active" && mine,
      canClose: state.status !== "closed" && (mine || intervene),
      canWrite: mine || state.status === "closed" || (state.status === "active" && intervene),
      draft: state.drafts[actor.id] ?? "",
      closeReasons,
      list,
      ...slaView(settings, state, yield* Clock.currentTimeMillis)
    } satisfies DialogView
  })
