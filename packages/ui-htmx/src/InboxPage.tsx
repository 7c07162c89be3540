import { activeFilters, csrf, events, filterQuery, ids, layout, listQuery, routes, searchMaxLength, tagMaxLength, testIds, type ListParams } from "./contract.js"
import { t } from "./i18n/index.js"
import { LocalTime } from "./components/LocalTime.js"
import { SaveFolderForm } from "./components/PersonalFolders.js"
import { ListLookForm, TableHead } from "./components/ListLook.js"
import { CountBadge, PanelShell } from "./components/Layout.js"
import { TagSwatch } from "./components/TagSwatch.js"
import type { DialogListView, DialogRowView, DialogView, PanelChrome, TagChoiceView } from "./views.js"
import { DialogPane, EmptyPane } from "./DialogPage.js"

/** The list a list view shows, as its URLs carry it. */
const paramsOf = (list: DialogListView): ListParams => ({ folder: list.folder, q: list.q, filters: list.filters })

/**
 * One dialog in the list: client, channel, preview or draft, unread badge, time (DLG-09, DLG-11).
 * Its data attributes place it when the live stream pushes it (`sse.row`): the folders it is in for
 * the viewer, its sort keys, status, channel and responsible operator. A pushed row is rendered
 * without a list (`list` undefined); the page points its link at its own list.
 */
export const DialogRow = (props: { readonly row: DialogRowView; readonly list: ListParams | undefined }) => {
  const row = props.row
  const href = routes.dialog(row.id, props.list)
  return (
    <li
      id={ids.row(row.id)}
      class={`row status-${row.status}${row.unread > 0 ? " unread" : ""}${row.selected ? " selected" : ""}`}
      data-testid={testIds.dialogRow}
      data-dialog-id={row.id}
      data-status={row.status}
      data-folders={row.folders.join(" ")}
      data-sort={row.sortActivity}
      data-sort-new={row.sortProcessing}
      data-channel={row.channelId}
      data-assignee={row.assigneeId ?? ""}
    >
      {/* Choosing rows for a bulk delete (DLG-12): the checkbox belongs to the list's delete form, shown only beside it (panel.css). */}
      <input type="checkbox" class="row-select" name={layout.fields.id} value={row.id} form={layout.ids.bulkForm} aria-label={t("phone.chooseRow", { name: row.clientName })} data-testid={layout.testIds.selectRow} />
      <a
        href={href}
        hx-get={href}
        hx-target={`#${ids.dialogPane}`}
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <div class="row-top">
          <span class="client-name">{row.clientName}</span>
          <LocalTime iso={row.timeIso} fallback={row.time} />
        </div>
        {row.pinnedTags.length === 0 ? null : (
          <div class="row-tags" data-testid={testIds.rowTags}>
            {row.pinnedTags.map((tag) => (
              <span class="row-tag" data-tag={tag.id}>
                <TagSwatch color={tag.color} />
                {tag.name}
              </span>
            ))}
          </div>
        )}
        <div class="row-bottom">
          <span class="channel">{row.channelName}</span>
          <span class={row.previewIsDraft ? "preview draft" : "preview"}>
            {row.previewIsDraft ? <em>{t("inbox.draft")} </em> : null}
            {row.preview}
          </span>
          {row.sla === undefined ? null : (
            <span class={`sla sla-${row.sla}`} data-testid="row-sla" data-sla={row.sla}>
              {row.sla === "breached" ? t("inbox.slaBreached") : t("inbox.slaSoon")}
            </span>
          )}
          {row.unread > 0 ? <span class="badge badge-alert" data-testid="row-unread">{row.unread}</span> : null}
        </div>
        {row.assigneeName === undefined ? null : <div class="assignee">{row.assigneeName}</div>}
      </a>
    </li>
  )
}

/**
 * The search box at the top of the list (DLG-19) and, folded under it, the filters (DLG-21): one
 * plain GET form, enhanced to search and filter as one types or picks.
 */
export const DialogSearch = (props: { readonly list: DialogListView }) => (
  <form
    id={ids.dialogSearch}
    class="search"
    role="search"
    method="get"
    action={routes.dialogs}
    hx-get={routes.dialogs}
    hx-trigger="submit, input changed delay:300ms"
    hx-target={`#${ids.dialogResults}`}
    hx-swap="outerHTML"
    hx-push-url="true"
    hx-sync="this:replace"
    hx-include={`#${ids.dialogSelected}`}
    data-testid={testIds.dialogSearch}
  >
    <input type="hidden" name={listQuery.folder} value={props.list.folder} />
    <div class="search-bar">
      <input
        type="search"
        name={listQuery.text}
        value={props.list.q}
        maxlength={searchMaxLength}
        placeholder={t("inbox.searchPlaceholder")}
        aria-label={t("inbox.searchLabel")}
        autocomplete="off"
        data-testid={testIds.searchText}
      />
      <button type="submit">{t("inbox.search")}</button>
    </div>
    <ListFilterFields list={props.list} />
  </form>
)

/** A link that shows another list in place of this one (htmx swaps the whole list and pushes its URL; it cancels a search in flight). */
const showsList = (href: string) =>
  ({
    href,
    "hx-get": href,
    "hx-target": `#${ids.dialogList}`,
    "hx-swap": "outerHTML",
    "hx-push-url": "true",
    "hx-sync": `#${ids.dialogSearch}:replace`
  }) as const

/**
 * The folder's client tags, most used first, each with its colour and number of dialogs (DLG-21).
 * A tag is a link to the list with it added to the filter (all chosen tags must hold) or, when it
 * is on, taken out; it swaps the whole list, so the filter field and these counts follow.
 */
export const TagChoices = (props: { readonly choices: ReadonlyArray<TagChoiceView>; readonly withoutTags?: boolean }) =>
  props.choices.length === 0 ? (
    <p class="muted hint" data-testid={testIds.tagChoices}>
      {props.withoutTags === true ? t("inbox.onlyUntagged") : t("inbox.noTags")}
    </p>
  ) : (
    <ul class="tag-choices-list" data-testid={testIds.tagChoices}>
      {props.choices.map((choice) => {
        const href = routes.list(choice.toggled)
        return (
          <li>
            <a
              class={choice.selected ? "tag-chip selected" : "tag-chip"}
              {...showsList(href)}
              aria-current={choice.selected ? "true" : undefined}
              title={choice.selected ? t("inbox.stopTagFilter", { tag: choice.name }) : t("inbox.onlyTagged", { tag: choice.name })}
              data-testid={testIds.tagChoice}
              data-tag={choice.id}
            >
              <TagSwatch color={choice.color} />
              <span class="tag-name">{choice.name}</span>
              <span class="tag-count" aria-label={t("units.dialogs", { count: choice.dialogs })}>{choice.dialogs}</span>
            </a>
          </li>
        )
      })}
    </ul>
  )

/** The number of filters on, on the filters' summary; `oob` updates it after a search or a filter. */
export const FilterCount = (props: { readonly count: number; readonly oob?: boolean }) => (
  <CountBadge id={ids.filterCount} testId={testIds.filterCount} title={t("inbox.filtersOn")} count={props.count} whenSome="badge badge-info" whenNone="badge hidden" oob={props.oob} />
)

/** A filter's choice list: a label, "any" (no filter) first, then the choices. */
const FilterSelect = (props: {
  readonly label: string
  readonly name: keyof typeof filterQuery
  readonly any: string
  readonly choices: ReadonlyArray<{ readonly id: string; readonly name: string }>
  readonly selected: string | undefined
}) => (
  <label>
    {props.label}
    <select name={filterQuery[props.name]} data-testid={testIds.filter(props.name)}>
      <option value="">{props.any}</option>
      {props.choices.map((choice) => (
        <option value={choice.id} selected={choice.id === props.selected}>{choice.name}</option>
      ))}
    </select>
  </label>
)

/**
 * The list's filters (DLG-21), folded away under the search box and open while any is on: channel,
 * who wrote last, client tags, a period with messages in it (a dialog opened from it starts its
 * history at the period's end) and (for supervisors) the operator.
 */
const ListFilterFields = (props: { readonly list: DialogListView }) => {
  const { filters, filterOptions: options } = props.list
  const count = activeFilters(filters)
  const cleared = routes.list({ folder: props.list.folder, q: props.list.q })
  return (
    <details class="filters" open={count > 0} data-testid={testIds.filters}>
      <summary>
        {t("inbox.filters")} <FilterCount count={count} />
      </summary>
      <div class="filter-fields">
        <FilterSelect label={t("inbox.channel")} name="channel" any={t("inbox.anyChannel")} choices={options.channels} selected={filters.channel} />
        <FilterSelect
          label={t("inbox.lastWriter")}
          name="writer"
          any={t("inbox.anyone")}
          choices={[{ id: "client", name: t("inbox.writerClient") }, { id: "staff", name: t("inbox.writerStaff") }]}
          selected={filters.writer}
        />
        <label>
          {t("inbox.clientTags")}
          <input type="text" name={filterQuery.tag} value={filters.tag ?? ""} maxlength={tagMaxLength} placeholder={t("inbox.tagsPlaceholder")} autocomplete="off" data-testid={testIds.filter("tag")} />
        </label>
        {/* The folder's tags with their counts: counted only when someone opens the filters (or they open with the page). */}
        <div
          id={ids.tagChoices}
          class="tag-choices"
          hx-get={routes.tagChoices({ folder: props.list.folder, q: props.list.q, filters })}
          hx-trigger={count > 0 ? "load" : "toggle from:closest details once"}
          hx-target="this"
          hx-swap="innerHTML"
          hx-push-url="false"
          hx-sync="this:drop"
          aria-live="polite"
        />
        <FilterSelect
          label={t("inbox.orClientsWith")}
          name="tags"
          any={t("inbox.anyTags")}
          choices={[{ id: "none", name: t("inbox.noTagsChoice") }, { id: "pinned", name: t("inbox.pinnedTag") }]}
          selected={filters.tags}
        />
        <label>
          {t("inbox.messagesFrom")}
          <input type="date" name={filterQuery.from} value={filters.from ?? ""} data-testid={testIds.filter("from")} />
        </label>
        <label>
          {t("inbox.to")}
          <input type="date" name={filterQuery.to} value={filters.to ?? ""} data-testid={testIds.filter("to")} />
        </label>
        <p class="muted hint">{t("inbox.daysIn", { timeZone: options.timeZone })}</p>
        {options.operators === undefined ? null : (
          <FilterSelect label={t("inbox.operator")} name="operator" any={t("inbox.anyOperator")} choices={options.operators} selected={filters.operator} />
        )}
        {options.bots.length === 0 ? null : <FilterSelect label={t("inbox.bot")} name="bot" any={t("inbox.anyBot")} choices={options.bots} selected={filters.bot} />}
        <div class="filter-actions">
          <button type="submit">{t("inbox.apply")}</button>
          <a {...showsList(cleared)} data-testid={testIds.clearFilters}>
            {t("inbox.clearFilters")}
          </a>
        </div>
      </div>
    </details>
  )
}

/** How many rows the list shows; `oob` updates it after a "Load more". */
const ShownRows = (props: { readonly shown: number; readonly oob?: boolean }) => (
  <input type="hidden" id={ids.dialogShown} name={listQuery.shown} value={String(props.shown)} hx-swap-oob={props.oob === true ? "true" : undefined} />
)

/** "Load more": a link to the next page that, with htmx, replaces itself with the next rows and a new "Load more". */
export const LoadMore = (props: { readonly list: DialogListView }) => {
  const cursor = props.list.nextCursor
  if (cursor === undefined) return null
  const next = routes.list(paramsOf(props.list), { cursor })
  return (
    <li id={ids.dialogMore} class="more">
      <a
        class="button"
        href={next}
        hx-get={next}
        hx-include={`#${ids.dialogShown}, #${ids.dialogSelected}`}
        hx-target={`#${ids.dialogMore}`}
        hx-swap="outerHTML"
        hx-sync={`#${ids.dialogSearch}:queue last`}
        data-testid={testIds.loadMore}
      >
        {t("inbox.loadMore")}
      </a>
    </li>
  )
}

/**
 * The rows under the search box. The live stream pushes rows (`sse.row`, `sse.rowRemove`), which
 * the page puts in place itself (panel.js); a list searched or limited to a period re-fetches
 * itself instead, as only the server knows whether a row matches it. Opening a dialog in the pane
 * re-reads the rows too (highlighting it, shown read), as many as "Load more" has shown. Every
 * request here queues behind a search in flight, and a new search cancels them.
 */
export const DialogResults = (props: { readonly list: DialogListView }) => {
  const list = props.list
  // Why the list is empty; also what panel.js shows when live updates take its last row away.
  const empty = list.q !== "" ? (activeFilters(list.filters) > 0 ? t("inbox.noMatchFiltered", { q: list.q }) : t("inbox.noMatch", { q: list.q })) : activeFilters(list.filters) > 0 ? t("inbox.noMatchFilters") : t("inbox.empty")
  return (
    <div
      id={ids.dialogResults}
      class="results"
      data-testid={testIds.dialogResults}
      hx-get={routes.list(paramsOf(list))}
      hx-trigger={`${events.listChanged} delay:150ms, ${events.dialogOpened} from:body`}
      hx-include={`#${ids.dialogShown}, #${ids.dialogSelected}`}
      hx-swap="outerHTML"
      hx-sync={`#${ids.dialogSearch}:queue last`}
      hx-disinherit="hx-include hx-swap hx-sync"
      data-view={list.look?.view}
      data-sort-by={list.look?.sortBy}
      data-empty={empty}
    >
      <ShownRows shown={list.shown} />
      {list.look?.view === "table" ? <TableHead /> : null}
      {list.rows.length > 0 ? null : <p class="empty" data-testid={testIds.listEmpty}>{empty}</p>}
      <ul>
        {list.rows.map((row) => (
          <DialogRow row={row} list={paramsOf(list)} />
        ))}
        <LoadMore list={list} />
      </ul>
    </div>
  )
}

/** A "Load more" answer: the next rows, the next "Load more" (if any), and the new row count out of band. */
export const DialogMore = (props: { readonly list: DialogListView }) => (
  <>
    {props.list.rows.map((row) => (
      <DialogRow row={row} list={paramsOf(props.list)} />
    ))}
    <LoadMore list={props.list} />
    <ShownRows shown={props.list.shown} oob />
  </>
)

/**
 * Select all and Delete for the rows chosen (DLG-12), for those who may delete dialogs. Every id is
 * checked by the core again before any is deleted; the answer sends the page back to the list.
 */
const BulkDelete = (props: { readonly list: DialogListView; readonly csrfToken: string | undefined }) => {
  const url = layout.routes.deleteMany(paramsOf(props.list))
  return (
    <form id={layout.ids.bulkForm} class="bulk" method="post" action={url} hx-post={url} hx-swap="none" hx-confirm={t("phone.confirmDeleteChosen")}>
      {props.csrfToken === undefined ? null : <input type="hidden" name={csrf.field} value={props.csrfToken} />}
      <label>
        <input type="checkbox" data-testid={layout.testIds.selectAll} data-select-all={layout.ids.bulkForm} /> {t("phone.selectAll")}
      </label>
      <button type="submit" class="danger" data-testid={layout.testIds.bulkDelete}>{t("phone.deleteChosen")}</button>
    </form>
  )
}

/** The dialog list of a folder: title, search box and rows. Folder links in the sidebar swap all of it. */
export const DialogList = (props: { readonly list: DialogListView; readonly csrfToken?: string | undefined }) => (
  <section id={ids.dialogList} class="list" data-testid={testIds.dialogList} data-folder={props.list.folder}>
    <h2 tabindex={-1}>{t(`folders.${props.list.folder}`)}</h2>
    <ListLookForm look={props.list.look} csrfToken={props.csrfToken} />
    <DialogSearch list={props.list} />
    <SaveFolderForm list={props.list} csrfToken={props.csrfToken} />
    {props.list.canDelete === true ? <BulkDelete list={props.list} csrfToken={props.csrfToken} /> : null}
    <DialogResults list={props.list} />
  </section>
)

/** The panel page: folders, the folder's dialogs and, if one is open, the dialog. */
export const InboxPage = (props: { readonly chrome: PanelChrome; readonly list: DialogListView; readonly dialog: DialogView | undefined }) => (
  <PanelShell
    chrome={props.chrome}
    list={<DialogList list={props.list} csrfToken={props.chrome.csrfToken} />}
    pane={props.dialog === undefined ? <EmptyPane /> : <DialogPane dialog={props.dialog} csrfToken={props.chrome.csrfToken} />}
  />
)
