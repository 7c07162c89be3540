import { Effect } from "effect"
import { Access, BotId, ChannelId, ConfigStore, type DialogFilters, Engine, TagId, UserId } from "@switchboard/core"
import { Contract, type FilterOptionsView, t, type TagChoiceView } from "@switchboard/ui-htmx"
import { BadRequest } from "../respond.js"
import { type Directory, directory } from "./Directory.js"
import { serverTimeZone, startOfDay } from "./Time.js"

/** What the filter form offers this user: the company's channels and, to those who see every operator's dialogs, its operators. */
export const filterOptions = (actor: Access.UserActor, names: Directory) =>
  Effect.gen(function* () {
    const settings = yield* (yield* ConfigStore).getSettings()
    return {
      channels: names.channels,
      operators: Access.can(actor, "dialogs.viewAll", settings) ? names.operators.map((operator) => ({ id: operator.id, name: operator.name })) : undefined,
      bots: names.bots,
      timeZone: serverTimeZone()
    } satisfies FilterOptionsView
  })

/**
 * The label of a list filter's query parameter, as the filter form shows it, in the request's
 * language (a 400 names the filter as the user knows it); `undefined` for a parameter the form
 * does not label (the search, the period's days, a cursor).
 */
export const listParameterLabel = (parameter: string): string | undefined => {
  switch (parameter) {
    case Contract.filterQuery.channel:
      return t("inbox.channel")
    case Contract.filterQuery.writer:
      return t("inbox.lastWriter")
    case Contract.filterQuery.tag:
    case Contract.filterQuery.tags:
      return t("inbox.clientTags")
    case Contract.filterQuery.operator:
      return t("inbox.operator")
    case Contract.filterQuery.bot:
      return t("inbox.bot")
    default:
      return undefined
  }
}

/** The tags of the tag filter: separated by commas or spaces, each once (all must hold: DLG-21's AND). */
const tagsOf = (text: string): ReadonlyArray<TagId> => [...new Set(text.split(/[\s,]+/).filter((tag) => tag !== ""))].map((tag) => TagId.make(tag))

/**
 * The store's filters for the list's (DLG-21): a channel or an operator the company does not have,
 * an operator filter from someone who sees only their own dialogs, a tag together with "no tags"
 * or "pinned", or a period that ends before it starts is a 400 naming the parameter.
 */
export const listFilters = (filters: Contract.ListFilters, options: FilterOptionsView) =>
  Effect.gen(function* () {
    // The English is for the logs; the answer words it in the request's language (`requestText`).
    const bad = (parameter: string, filter: NonNullable<BadRequest["filter"]>, reason: string) =>
      Effect.fail(new BadRequest({ parameter, message: `${parameter}: ${reason}`, filter, ...(filter === "tagAndTags" ? { tags: filters.tags } : {}) }))
    if (filters.channel !== undefined && !options.channels.some((channel) => channel.id === filters.channel)) return yield* bad("channel", "noSuchChannel", "no such channel")
    if (filters.operator !== undefined) {
      if (options.operators === undefined) return yield* bad("operator", "ownDialogsOnly", "you see only your own dialogs")
      if (!options.operators.some((operator) => operator.id === filters.operator)) return yield* bad("operator", "noSuchOperator", "no such operator")
    }
    if (filters.bot !== undefined && !options.bots.some((bot) => bot.id === filters.bot)) return yield* bad("bot", "noSuchBot", "no channel hands dialogs to such a bot")
    if (filters.tag !== undefined && filters.tags !== undefined) return yield* bad("tags", "tagAndTags", `choose a tag or "${filters.tags}", not both`)
    const from = filters.from === undefined ? undefined : startOfDay(filters.from)
    const to = filters.to === undefined ? undefined : startOfDay(filters.to, 1)
    if (filters.from !== undefined && from === undefined) return yield* bad("from", "notADay", "not a real date (YYYY-MM-DD)")
    if (filters.to !== undefined && to === undefined) return yield* bad("to", "notADay", "not a real date (YYYY-MM-DD)")
    if (from !== undefined && to !== undefined && to <= from) return yield* bad("to", "periodReversed", "the period ends before it starts")
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
