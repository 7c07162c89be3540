import { Effect, Option, Schema } from "effect"
import { Hono } from "hono"
import type { Context } from "hono"
import { Client, Composer as ComposerService, DialogId, Engine, EventStore, Folder, InvalidInput, Issue, Listing, QuickReply, StoredText, TagId, UserId } from "@switchboard/core"
import { Composer, Contract, DialogList, I18n, DialogMore, DialogPane, DialogResults, EmptyPane, FilterCount, HistoryPage, InboxPage, Sidebar, TagChoices } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { chrome } from "../panel/Chrome.js"
import { dialogView } from "../panel/DialogView.js"
import { checkFilters, tagChoicesView } from "../panel/Filters.js"
import { historyView } from "../panel/History.js"
import { listView, type ListRequest } from "../panel/ListView.js"
import { refusalText } from "../panel/Refusals.js"
import { BadRequest, isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

const { dialogQuery, filterQuery, listQuery, searchMaxLength, tagMaxLength } = Contract

/** Search text (DLG-19): trimmed, at most as long as the search box allows. */
const SearchText = Schema.Trim.pipe(
  Schema.maxLength(searchMaxLength, { message: () => `the search is longer than ${searchMaxLength} characters` }),
  StoredText.storable(searchMaxLength)
)

/**
 * A cursor as `Listing.encodeCursor` writes it: two integer sort keys and a dialog id. The stores
 * refuse anything else with `InvalidInput` (a 422, the answer for forms); as a query parameter it
 * is checked here and answered with a 400.
 */
const isListCursor = (cursor: string): boolean => {
  const key = Listing.decodeCursor(cursor)
  return key !== undefined && Schema.is(DialogId)(key[2]) && !/\p{Cc}/u.test(key[2])
}

const Cursor = Schema.String.pipe(Schema.filter(isListCursor, { message: () => "not a page of this list; load the list again", ...Issue.issueAnnotation("badCursor") }))

const Shown = Schema.NumberFromString.pipe(
  Schema.int(),
  Schema.between(0, 1_000_000),
  Schema.annotations({ message: () => "not a number of rows" })
)

/** An id to filter by (a channel, an operator, a bot): any id (the ids share one Schema rule), checked against the company's in `listFilters`. */
const FilterId = Schema.String.pipe(Schema.filter((id) => Schema.is(UserId)(id), { message: () => "not an id", ...Issue.issueAnnotation("pattern") }))

const FilterTag = Schema.Trim.pipe(
  Schema.maxLength(tagMaxLength, { message: () => `the tag is longer than ${tagMaxLength} characters` }),
  Schema.minLength(1, { message: () => "an empty tag" }),
  StoredText.storable(tagMaxLength)
)

/** One of a few words (a select's values); anything else is "expected a or b". */
const oneOf = <const Choices extends ReadonlyArray<string>>(...choices: Choices) =>
  Schema.String.pipe(
    Schema.filter((value): value is Choices[number] => choices.includes(value), { message: () => `expected ${choices.join(" or ")}`, ...Issue.issueAnnotation("notOneOf", { options: Issue.optionsParam(choices) }) })
  )

/** A day of the period, `YYYY-MM-DD` as a date input sends it; `listFilters` reads it as a real date. */
const Day = Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, { message: () => "not a date (YYYY-MM-DD)", ...Issue.issueAnnotation("notDate") }))

/** The list's filters (DLG-21). A form without JavaScript sends every field, so an empty one is no filter. */
const FilterParams = Schema.Struct({
  [filterQuery.channel]: Schema.optional(FilterId),
  [filterQuery.writer]: Schema.optional(oneOf("client", "staff")),
  [filterQuery.tag]: Schema.optional(FilterTag),
  [filterQuery.tags]: Schema.optional(oneOf("none", "pinned")),
  [filterQuery.from]: Schema.optional(Day),
  [filterQuery.to]: Schema.optional(Day),
  [filterQuery.operator]: Schema.optional(FilterId),
  [filterQuery.bot]: Schema.optional(FilterId)
})

const filterNames: ReadonlySet<string> = new Set(Object.values(filterQuery))

/** The filters of a decoded query. */
const filtersOf = (params: typeof FilterParams.Type): Contract.ListFilters => ({
  channel: params.channel,
  writer: params.writer,
  tag: params.tag,
  tags: params.tags,
  from: params.from,
  to: params.to,
  operator: params.operator,
  bot: params.bot
})

/** Which list: folder (default New), search and filters. List URLs, row links and dialog action URLs carry them. */
const LocationParams = Schema.Struct({
  [listQuery.folder]: Schema.optionalWith(Folder, { default: () => "new" as const }),
  [listQuery.text]: Schema.optionalWith(SearchText, { default: () => "" }),
  ...FilterParams.fields
})

/** Decode a query string; filter fields left empty count as absent. A malformed parameter is a 400 naming it. */
const decodeQuery = <A, I>(schema: Schema.Schema<A, I>) => (query: Record<string, string>) =>
  Effect.mapError(
    Schema.decodeUnknown(schema)(Object.fromEntries(Object.entries(query).filter(([name, value]) => value !== "" || !filterNames.has(name)))),
    BadRequest.fromParseError
  )

/** The open dialog whose row the list highlights: any dialog id (an unknown one highlights nothing). */
const Selected = Schema.String.pipe(Schema.filter((id) => Schema.is(DialogId)(id), { message: () => "not a dialog id", ...Issue.issueAnnotation("pattern") }))

/** The list's query string: which list, which page of it, the open dialog. Unknown parameters are ignored. */
const ListParams = Schema.Struct({
  ...LocationParams.fields,
  [listQuery.cursor]: Schema.optional(Cursor),
  [listQuery.shown]: Schema.optional(Shown),
  [listQuery.selected]: Schema.optional(Selected)
})

const decodeList = (query: Record<string, string>) =>
  Effect.map(
    decodeQuery(ListParams)(query),
    (params): ListRequest => ({ folder: params.folder, q: params.q, filters: filtersOf(params), cursor: params.cursor, shown: params.shown, selected: params.selected })
  )

/**
 * A page of a dialog's history: the cursor of the store's previous page. Anything else is a 400
 * (as a query parameter), not the store's 422 for a bad cursor.
 */
const Before = Schema.String.pipe(
  Schema.filter((value) => Listing.decodeHistoryCursor(value) !== undefined, {
    message: () => "not a page of this dialog's history; open the dialog again",
    ...Issue.issueAnnotation("badCursor")
  })
)

/** An open dialog's query string: the list beside it and, optionally, an earlier page of its history. */
const DialogParams = Schema.Struct({
  ...LocationParams.fields,
  [dialogQuery.before]: Schema.optional(Before),
  [dialogQuery.newest]: Schema.optional(Schema.Literal("1"))
})

const decodeDialogParams = (query: Record<string, string>) =>
  Effect.map(decodeQuery(DialogParams)(query), (params) => ({
    location: { folder: params.folder, q: params.q, filters: filtersOf(params) },
    before: params.before,
    newest: params.newest === "1"
  }))

/** The list beside an open dialog, or the one a dialog action returns to. */
export const decodeLocation = (query: Record<string, string>) =>
  Effect.map(decodeQuery(LocationParams)(query), (params): Contract.ListParams => ({ folder: params.folder, q: params.q, filters: filtersOf(params) }))

/** The dialog id in the URL; a bad one is a 422 naming `id`. */
export const decodeDialogId = (value: string) =>
  Effect.map(Effect.mapError(Schema.decodeUnknown(Schema.Struct({ id: DialogId }))({ id: value }), InvalidInput.fromParseError), ({ id }) => id)

const fragment = (c: Context) => {
  c.header("Vary", "HX-Request")
  return isHtmx(c)
}

/** The tags chosen in the client-tags form: ids, each a 400 naming it when it is none. */
const TagsForm = Schema.Struct({ tag: Schema.Array(TagId) })

/** The form actions that map one-to-one onto dialog commands. */
const simpleActions = { accept: "Accept", leave: "Leave", unread: "MarkUnread", reopen: "Reopen" } as const

/**
 * Panel routes under `/panel/dialogs`: the folder list, an open dialog, and the dialog actions.
 * Pages on navigation, fragments for htmx (same URL, `Vary: HX-Request`).
 */
export const dialogRoutes = (runtime: PanelRuntime) => {
  /**
   * After an action: for htmx the pane (or an empty pane if the dialog left our sight) beside the
   * list it came from; otherwise a redirect to the dialog in `redirectTo` (the list the action carried).
   */
  const afterAction = (c: Context<PanelEnv>, dialogId: string, list: Contract.ListParams, redirectTo: Contract.ListParams = list) => {
    if (!isHtmx(c)) return Promise.resolve(c.redirect(Contract.routes.dialog(dialogId, redirectTo), 303))
    c.header("Vary", "HX-Request")
    const actor = c.get("actor")
    const program = Effect.flatMap(decodeDialogId(dialogId), (id) => dialogView(actor, id, list)).pipe(Effect.option)
    return respond(c, runtime, program, (view) =>
      c.html(view._tag === "Some" ? <DialogPane dialog={view.value} csrfToken={c.get("session").csrfToken} /> : <EmptyPane />)
    )
  }

  return new Hono<PanelEnv>()
    .get("/", (c) => {
      const actor = c.get("actor")
      const csrfToken = c.get("session").csrfToken
      c.header("Vary", "HX-Request, HX-Target")
      // htmx asks for the part it swaps: a next page, the rows (a search, a live refresh) or the whole list (a folder link).
      const target = isHtmx(c) ? c.req.header("HX-Target") ?? Contract.ids.dialogList : undefined
      const rowsOnly = target === Contract.ids.dialogMore || target === Contract.ids.dialogResults
      const program = Effect.gen(function* () {
        const request = yield* decodeList(c.req.query())
        // A whole page's live stream starts where the store was before the page's data was read.
        const position = target === undefined ? yield* Effect.flatMap(EventStore, (store) => store.lastPosition) : 0
        // The list and the chrome side by side (their reads overlap); a refused list is the answer before anything of the chrome.
        const [list, frame] = yield* Effect.all([Effect.either(listView(actor, request)), rowsOnly ? Effect.succeed(undefined) : chrome(actor, request.folder, csrfToken, position)], { concurrency: "unbounded" })
        return { list: yield* list, chrome: frame }
      })
      return respond(c, runtime, program, ({ list, chrome }) => {
        if (target === Contract.ids.dialogMore) return c.html(<DialogMore list={list} />)
        if (chrome === undefined) {
          // A search or filter pushes its URL to history; the canonical one leaves empty fields out.
          if (c.req.header("HX-Trigger") === Contract.ids.dialogSearch) c.header("HX-Push-Url", Contract.routes.list({ folder: list.folder, q: list.q, filters: list.filters }))
          return c.html(
            <>
              <DialogResults list={list} />
              <FilterCount count={Contract.activeFilters(list.filters)} oob />
            </>
          )
        }
        return target === undefined
          ? c.html(<InboxPage chrome={chrome} list={list} dialog={undefined} />)
          : c.html(
              <>
                <DialogList list={list} csrfToken={chrome.csrfToken} />
                <Sidebar folders={chrome.folders} current={list.folder} oob personal={chrome.personalFolders} />
              </>
            )
      })
    })
    // The tag choices of a list's folder (DLG-21), when its filters open; registered before "/:id".
    .get("/tags", (c) => {
      c.header("Vary", "HX-Request")
      const actor = c.get("actor")
      const program = Effect.flatMap(decodeLocation(c.req.query()), (list) => Effect.map(tagChoicesView(actor, list), (choices) => ({ list, choices })))
      return respond(c, runtime, program, ({ list, choices }) => c.html(<TagChoices choices={choices} withoutTags={list.filters?.tags === "none"} />))
    })
    .get("/:id", (c) => {
      const actor = c.get("actor")
      const csrfToken = c.get("session").csrfToken
      const htmx = fragment(c)
      const program = Effect.gen(function* () {
        const id = yield* decodeDialogId(c.req.param("id"))
        // The page lists the folder beside the dialog as it was searched when the dialog was opened.
        const { location, before, newest } = yield* decodeDialogParams(c.req.query())
        // The pane's links carry the list's filters on: ones the list would refuse are refused here too.
        yield* checkFilters(actor, location.filters)
        // "Show earlier messages" with htmx: only the older bubbles (and the next link), put above the others.
        if (htmx && before !== undefined) return { _tag: "History", history: yield* historyView(actor, id, location, before) } as const
        // Where the page's live stream starts, and the pane's bubbles: read before the dialog.
        const position = yield* Effect.flatMap(EventStore, (store) => store.lastPosition)
        // Opening a dialog reads it (DLG-09), but a GET changes nothing: the pane posts to `/:id/read` once shown.
        const opened = Effect.map(dialogView(actor, id, location, before, { atPeriodEnd: !newest }), (view) => ({ ...view, markRead: before === undefined, position }))
        if (htmx) return { _tag: "Pane", dialog: yield* opened } as const
        // The page reads the dialog, its list and the chrome side by side (their statements overlap, the point reads
        // batch); the dialog's refusal (404, 403) comes first, then the list's, as when they were read one by one.
        const [dialog, list, frame] = yield* Effect.all(
          [Effect.either(opened), Effect.either(listView(actor, { ...location, cursor: undefined, shown: undefined, selected: id })), chrome(actor, location.folder, csrfToken, position)],
          { concurrency: "unbounded" }
        )
        return { _tag: "Page", dialog: yield* dialog, list: yield* list, chrome: frame } as const
      })
      return respond(c, runtime, program, (answer) => {
        switch (answer._tag) {
          case "History":
            return c.html(<HistoryPage history={answer.history} />)
          case "Pane":
            return c.html(<DialogPane dialog={answer.dialog} csrfToken={csrfToken} />)
          case "Page":
            return c.html(<InboxPage chrome={answer.chrome} list={answer.list} dialog={answer.dialog} />)
        }
      })
    })
    // The open pane marks its dialog read (DLG-09); then the list re-reads its rows: the open
    // dialog's row is highlighted (and read). Someone who may not see the dialog is refused.
    .post("/:id/read", (c) => {
      const actor = c.get("actor")
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const command = yield* engine.decodeCommand({ _tag: "MarkRead", dialogId: yield* decodeDialogId(c.req.param("id")) })
        yield* engine.execute(actor, command)
      })
      return respond(c, runtime, program, () => {
        c.header("HX-Trigger", Contract.events.dialogOpened)
        return c.body(null, 204)
      })
    })
    // A text the composer must fix (empty, over the channel's limit) comes back in the composer with
    // the reason (422), the text kept; other refusals go to the notice area.
    .post("/:id/messages", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const dialogId = c.req.param("id")
      const text = typeof form.text === "string" ? form.text : ""
      const internal = form.internal === "true"
      const htmx = isHtmx(c)
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const location = yield* decodeLocation(c.req.query())
        // The user's signature goes under replies to the client (MSG-11), counted in the channel's limit.
        const { signature } = yield* Effect.flatMap(ComposerService, (composer) => composer.preferences(actor))
        const command = yield* engine.decodeCommand({ _tag: "SendMessage", dialogId, input: { text: QuickReply.withSignature(text, signature, internal) }, internal })
        const refused = yield* engine.execute(actor, command).pipe(
          Effect.as(undefined),
          Effect.catchIf((error) => htmx && error._tag === "DialogRejected" && (error.reason === "Empty" || error.reason === "TooLong"), (error) => Effect.succeed(error))
        )
        if (refused === undefined) yield* Effect.ignore(Effect.flatMap(engine.decodeCommand({ _tag: "SaveDraft", dialogId, text: "" }), (clear) => engine.execute(actor, clear)))
        return { view: yield* dialogView(actor, DialogId.make(dialogId), location), refused }
      })
      return respond(c, runtime, program, ({ view, refused }) => {
        c.header("Vary", "HX-Request")
        const csrfToken = c.get("session").csrfToken
        if (refused !== undefined) return c.html(<Composer dialog={view} csrfToken={csrfToken} text={text} error={refusalText(refused) ?? refused.message} />, 422)
        return htmx ? c.html(<Composer dialog={view} csrfToken={csrfToken} text="" />) : c.redirect(Contract.routes.dialog(dialogId, view.list), 303)
      })
    })
    .post("/:id/draft", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const command = yield* engine.decodeCommand({ _tag: "SaveDraft", dialogId: c.req.param("id"), text: typeof form.text === "string" ? form.text : "" })
        yield* engine.execute(actor, command)
      })
      return respond(c, runtime, program, () => c.body(null, 204))
    })
    // The client's tags (DLG-21, CLI-01), set through a dialog the user may see (the core checks
    // that, and that the tags are the catalog's or the client's own); a pinned box counts only for
    // a chosen tag.
    .post("/:id/client-tags", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody({ all: true })
      const dialogId = c.req.param("id")
      const values = (value: unknown): ReadonlyArray<string> => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string" && item !== "")
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const location = yield* decodeLocation(c.req.query())
        const state = yield* engine.dialog(actor, yield* decodeDialogId(dialogId))
        if (Option.isNone(state.clientId)) return yield* Effect.fail(new BadRequest({ parameter: "tag", message: I18n.catalogs.en.requests.clientLeft, problem: "clientLeft" }))
        const pinned = new Set(values(form.pinned))
        const { tag: chosen } = yield* Effect.mapError(Schema.decodeUnknown(TagsForm)({ tag: [...new Set(values(form.tag))] }), BadRequest.fromParseError)
        const tags = chosen.map((tag) => Client.ClientTag.make({ tagId: tag, pinned: pinned.has(tag) }))
        yield* engine.client(actor, new Client.SetClientTags({ clientId: state.clientId.value, tags, via: state.id })).pipe(
          Effect.catchIf(
            (error): error is Client.ClientRejected => error._tag === "ClientRejected" && (error.reason === "UnknownTag" || error.reason === "DuplicateTag"),
            (rejected) => Effect.fail(new BadRequest({ parameter: "tag", message: rejected.message, problem: rejected.reason === "UnknownTag" ? "unknownTag" : "duplicateTag" }))
          )
        )
        return location
      })
      return respond(c, runtime, program, (location) => afterAction(c, dialogId, location))
    })
    // Not forced: with "any more questions?" on (DLG-15) the client is asked first and their "No" closes.
    .post("/:id/close", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const dialogId = c.req.param("id")
      const reasonId = typeof form.reasonId === "string" && form.reasonId !== "" ? form.reasonId : undefined
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const location = yield* decodeLocation(c.req.query())
        const command = yield* engine.decodeCommand({ _tag: "Close", dialogId, ...(reasonId === undefined ? {} : { reasonId }) })
        yield* engine.execute(actor, command)
        return location
      })
      return respond(c, runtime, program, (location) => afterAction(c, dialogId, location))
    })
    .post("/:id/:action{accept|leave|unread|reopen}", async (c) => {
      const actor = c.get("actor")
      const dialogId = c.req.param("id")
      const action = c.req.param("action")
      const tag = action === "accept" || action === "leave" || action === "reopen" ? simpleActions[action] : simpleActions.unread
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const location = yield* decodeLocation(c.req.query())
        yield* engine.execute(actor, yield* engine.decodeCommand({ _tag: tag, dialogId }))
        return location
      })
      // An accepted dialog is in Mine: without JavaScript the answer opens it there (a new folder, so no search).
      return respond(c, runtime, program, (location) => afterAction(c, dialogId, location, action === "accept" || action === "reopen" ? { folder: "mine" } : location))
    })
}
