import { ids, routes, sse, testIds, type FolderId } from "./contract.js"
import { PanelShell } from "./components/Layout.js"
import type { DialogRowView, DialogView, PanelChrome } from "./views.js"
import { DialogPane, EmptyPane } from "./DialogPage.js"

/** One dialog in the list: client, channel, preview or draft, unread badge, time (DLG-09, DLG-11). */
export const DialogRow = (props: { readonly row: DialogRowView; readonly folder: FolderId }) => {
  const row = props.row
  return (
    <li
      id={ids.row(row.id)}
      class={`row status-${row.status}${row.unread > 0 ? " unread" : ""}${row.selected ? " selected" : ""}`}
      data-testid={testIds.dialogRow}
      data-dialog-id={row.id}
      data-status={row.status}
    >
      <a
        href={routes.dialog(row.id, props.folder)}
        hx-get={routes.dialog(row.id, props.folder)}
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

/**
 * The dialog list of a folder. It re-fetches itself when the SSE stream says dialogs changed,
 * so rows move between folders without a reload.
 */
export const DialogList = (props: { readonly folder: FolderId; readonly title: string; readonly rows: ReadonlyArray<DialogRowView> }) => (
  <section
    id={ids.dialogList}
    class="list"
    data-testid={testIds.dialogList}
    data-folder={props.folder}
    hx-get={routes.folder(props.folder)}
    hx-trigger={`sse:${sse.dialogs} delay:150ms`}
    hx-swap="outerHTML"
  >
    <h2>{props.title}</h2>
    {props.rows.length === 0 ? <p class="empty">No dialogs here.</p> : null}
    <ul>
      {props.rows.map((row) => (
        <DialogRow row={row} folder={props.folder} />
      ))}
    </ul>
  </section>
)

/** The panel page: folders, the folder's dialogs and, if one is open, the dialog. */
export const InboxPage = (props: {
  readonly chrome: PanelChrome
  readonly title: string
  readonly rows: ReadonlyArray<DialogRowView>
  readonly dialog: DialogView | undefined
}) => (
  <PanelShell
    chrome={props.chrome}
    list={<DialogList folder={props.chrome.folder} title={props.title} rows={props.rows} />}
    pane={props.dialog === undefined ? <EmptyPane /> : <DialogPane dialog={props.dialog} csrfToken={props.chrome.csrfToken} />}
  />
)
