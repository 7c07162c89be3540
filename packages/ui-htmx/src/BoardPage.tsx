import { admin, csrf, routes } from "./contract.js"
import { t, tId } from "./i18n/index.js"
import { AdminShell } from "./components/AdminShell.js"
import type { BoardOperatorView, BoardView, StatusChoiceView } from "./adminViews.js"
import type { PanelChrome } from "./views.js"

/** The CSRF field of a board form: in the page as rendered (it works without JavaScript); pushed boards rely on htmx's header. */
const CsrfField = (props: { readonly token: string | undefined }) => (props.token === undefined ? null : <input type="hidden" name={csrf.field} value={props.token} />)

const OperatorControls = (props: { readonly operator: BoardOperatorView; readonly statuses: ReadonlyArray<StatusChoiceView>; readonly csrfToken: string | undefined }) => (
  <div class="board-controls">
    {props.operator.canSetStatus ? (
      <form method="post" action={admin.routes.operatorStatus(props.operator.id)} hx-post={admin.routes.operatorStatus(props.operator.id)} hx-swap="none" class="inline">
        <CsrfField token={props.csrfToken} />
        <select name={admin.fields.status} aria-label={t("board.statusOf", { name: props.operator.name })} data-testid={admin.testIds.operatorStatus}>
          {props.statuses.map((status) => (
            <option value={status.id} selected={status.id === props.operator.statusId}>{tId("statuses", status.id, status.name)}</option>
          ))}
        </select>
        <button type="submit" data-testid={admin.testIds.setStatus}>{t("board.set")}</button>
      </form>
    ) : null}
    {props.operator.canRedistribute && props.operator.dialogs.some((dialog) => dialog.state === "assigned" || dialog.state === "on_hold") ? (
      <form method="post" action={admin.routes.redistribute(props.operator.id)} hx-post={admin.routes.redistribute(props.operator.id)} hx-swap="none" class="inline">
        <CsrfField token={props.csrfToken} />
        <button type="submit" data-testid={admin.testIds.redistribute}>{t("board.redistribute")}</button>
      </form>
    ) : null}
  </div>
)

/**
 * The board's content: operators (status, time in status, load against capacity, active dialogs,
 * the controls the viewer may use) and queues (length, longest wait, SLA breaches). `oob` renders
 * it for the live stream's out-of-band swap, which carries no CSRF token: one rendering serves
 * every viewer with the same controls.
 */
export const BoardContent = (props: { readonly board: BoardView; readonly csrfToken?: string | undefined; readonly oob?: boolean }) => (
  <div id={admin.ids.board} class="board" data-testid={admin.testIds.board} hx-swap-oob={props.oob === true ? "true" : undefined}>
    <p class="muted">{t("board.asOf")} <span data-testid="board-as-of">{props.board.asOf}</span></p>
    <h2>{t("board.operators")}</h2>
    <table class="board-table">
      <thead>
        <tr><th>{t("board.operator")}</th><th>{t("board.status")}</th><th>{t("board.inStatus")}</th><th>{t("board.load")}</th><th>{t("board.activeDialogs")}</th><th></th></tr>
      </thead>
      <tbody>
        {props.board.operators.map((operator) => (
          <tr data-testid={admin.testIds.boardOperator} data-operator-id={operator.id} data-status={operator.statusId} class={operator.absent ? "absent" : undefined}>
            <td class="operator-name">{operator.name}</td>
            <td><span class={`status-dot status-${operator.statusId.toLowerCase().replace(/[^a-z0-9-]/g, "")}`}></span><span data-testid="board-status">{tId("statuses", operator.statusId, operator.statusName)}</span></td>
            <td>{operator.sinceIso === "" ? "" : <time datetime={operator.sinceIso}>{operator.inStatus}</time>}</td>
            <td>
              {operator.load.map((entry) => (
                <span class={entry.load > entry.capacity ? "load over" : "load"} data-testid="board-load" data-channel={entry.channel}>
                  {entry.channel} {entry.load}/{entry.capacity}
                </span>
              ))}
            </td>
            <td>
              <span data-testid="board-dialog-count">{operator.dialogs.length}</span>
              {operator.dialogs.length === 0 ? null : (
                <ul class="board-dialogs">
                  {operator.dialogs.map((dialog) => (
                    <li data-testid="board-dialog" data-dialog-id={dialog.id}>
                      <a href={dialog.href}>{dialog.channel}</a> <small class="muted">{tId("dialogStates", dialog.state, dialog.state)}{dialog.overCapacity ? `, ${t("board.overCapacity")}` : ""}</small>
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td><OperatorControls operator={operator} statuses={props.board.statuses} csrfToken={props.csrfToken} /></td>
          </tr>
        ))}
      </tbody>
    </table>
    <h2>{t("board.queues")}</h2>
    <table class="board-table">
      <thead>
        <tr><th>{t("board.queue")}</th><th>{t("board.waiting")}</th><th>{t("board.longestWait")}</th><th>{t("board.slaBreaches")}</th></tr>
      </thead>
      <tbody>
        {props.board.queues.map((queue) => (
          <tr data-testid={admin.testIds.boardQueue} data-queue-id={queue.id}>
            <td>{queue.id}</td>
            <td data-testid="queue-length">{queue.length}</td>
            <td>{queue.longestWait}</td>
            <td data-testid="queue-breaches" class={queue.slaBreaches > 0 ? "sla-breached-count" : undefined}>{queue.slaBreaches}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

/**
 * The supervisor board page (OPS-02, DLG-22). Its live stream brings the board again whenever an
 * operator or a queue changes (`admin.sse.board`), once the page has named its stream
 * (`admin.routes.boardWatch`, by board.js).
 */
export const BoardPage = (props: { readonly chrome: PanelChrome; readonly board: BoardView }) => (
  <AdminShell chrome={props.chrome} title={t("board.title")}>
    <div sse-swap={admin.sse.board} hx-swap="none"></div>
    <h1>{t("board.title")}</h1>
    <BoardContent board={props.board} csrfToken={props.chrome.csrfToken} />
    <script src={routes.asset("board.js")} defer></script>
  </AdminShell>
)
