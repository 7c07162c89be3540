import { events, ids, listQuery, routes, searchMaxLength, sse, testIds, type FolderId, type ListParams } from "./contract.js"
import { PanelShell } from "./components/Layout.js"
import type { DialogListView, DialogRowView, DialogView, PanelChrome } from "./views.js"
import { DialogPane, EmptyPane } from "./DialogPage.js"

/** The list a list view shows, as its URLs carry it. */
const paramsOf = (list: DialogListView): ListParams => ({ folder: list.folder, q: list.q })

/** One dialog in the list: client, channel, preview or draft, unread badge, time (DLG-09, DLG-11). */
export const DialogRow = (props: { readonly row: DialogRowView; readonly list: ListParams }) => {
  const row = props.row
  const href = routes.dialog(row.id, props.list)
  return (
    <li
      id={ids.row(row.id)}
      class={`row status-${row.status}${row.unread > 0 ? " unread" : ""}${row.selected ? " selected" : ""}`}
      data-testid={testIds.dialogRow}
      data-dialog-id={row.id}
      data-status={row.status}
    >
      <a
        href={href}
        hx-get={href}
        hx-target={`#${ids.dialogPane}`}
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <div class="row-top">
          <span class="client-name">{row.clientName}</span>
          <time datetime={row.timeIso}>{row.time}</time>
        </div>
        <div class="row-bottom">
          <span class="channel">{row.channelName}</span>
          <span class={row.previewIsDraft ? "preview draft" : "preview"}>
            {row.previewIsDraft ? <em>Draft: </em> : null}
            {row.preview}
          </span>
          {row.sla === undefined ? null : (
            <span class={`sla sla-${row.sla}`} data-testid="row-sla" data-sla={row.sla}>
              {row.sla === "breached" ? "SLA breached" : "SLA soon"}
            </span>
          )}
          {row.unread > 0 ? <span class="badge badge-alert" data-testid="row-unread">{row.unread}</span> : null}
        </div>
        {row.assigneeName === undefined ? null : <div class="assignee">{row.assigneeName}</div>}
      </a>
    </li>
  )
}

/** The search box at the top of the list (DLG-19): a plain GET form, enhanced to search as one types. */
export const DialogSearch = (props: { readonly folder: FolderId; readonly q: string }) => (
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
    <input type="hidden" name={listQuery.folder} value={props.folder} />
    <input
      type="search"
      name={listQuery.text}
      value={props.q}
      maxlength={searchMaxLength}
      placeholder="Search by client or message"
      aria-label="Search dialogs by client name or message text"
      autocomplete="off"
      data-testid={testIds.searchText}
    />
    <button type="submit">Search</button>
  </form>
)

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
        Load more
      </a>
    </li>
  )
}

/**
 * The rows under the search box. They re-fetch themselves, with the same folder and search, when
 * the SSE stream says dialogs changed or a dialog opens in the pane, re-reading as many rows as
 * "Load more" has shown and highlighting the open dialog's row. Every request here queues behind
 * a search in flight, and a new search cancels them.
 */
export const DialogResults = (props: { readonly list: DialogListView }) => {
  const list = props.list
  return (
    <div
      id={ids.dialogResults}
      class="results"
      data-testid={testIds.dialogResults}
      hx-get={routes.list(paramsOf(list))}
      hx-trigger={`sse:${sse.dialogs} delay:150ms, ${events.dialogOpened} from:body`}
      hx-include={`#${ids.dialogShown}, #${ids.dialogSelected}`}
      hx-swap="outerHTML"
      hx-sync={`#${ids.dialogSearch}:queue last`}
      hx-disinherit="hx-include hx-swap hx-sync"
    >
      <ShownRows shown={list.shown} />
      {list.rows.length > 0 ? null : list.q === "" ? (
        <p class="empty" data-testid={testIds.listEmpty}>No dialogs here.</p>
      ) : (
        <p class="empty" data-testid={testIds.listEmpty}>No dialogs match “{list.q}”.</p>
      )}
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

/** The dialog list of a folder: title, search box and rows. Folder links in the sidebar swap all of it. */
export const DialogList = (props: { readonly list: DialogListView }) => (
  <section id={ids.dialogList} class="list" data-testid={testIds.dialogList} data-folder={props.list.folder}>
    <h2>{props.list.title}</h2>
    <DialogSearch folder={props.list.folder} q={props.list.q} />
    <DialogResults list={props.list} />
  </section>
)

/** The panel page: folders, the folder's dialogs and, if one is open, the dialog. */
export const InboxPage = (props: { readonly chrome: PanelChrome; readonly list: DialogListView; readonly dialog: DialogView | undefined }) => (
  <PanelShell
    chrome={props.chrome}
    list={<DialogList list={props.list} />}
    pane={props.dialog === undefined ? <EmptyPane /> : <DialogPane dialog={props.dialog} csrfToken={props.chrome.csrfToken} />}
  />
)
