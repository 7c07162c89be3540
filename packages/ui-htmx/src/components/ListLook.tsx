import { csrf, personal } from "../contract.js"
import { t } from "../i18n/index.js"
import type { ListLookView } from "../views.js"

/**
 * How the user's list looks (DLG-20, DLG-22), saved per user: a chat list or a table of the same
 * rows, in the folder's own order or by last activity or processing order for every folder.
 * Choosing posts at once (htmx, on change) and the page reloads in the new look.
 */
export const ListLookForm = (props: { readonly look: ListLookView | undefined; readonly csrfToken?: string | undefined }) =>
  props.look === undefined ? null : (
    <form method="post" action={personal.routes.listLook} hx-post={personal.routes.listLook} hx-trigger="change" hx-swap="none" class="list-look" data-testid={personal.testIds.listLook}>
      {props.csrfToken === undefined ? null : <input type="hidden" name={csrf.field} value={props.csrfToken} />}
      <label>
        {t("listLook.view")}{" "}
        <select name={personal.fields.view} data-testid={personal.testIds.listView}>
          <option value="list" selected={props.look.view === "list"}>{t("listLook.list")}</option>
          <option value="table" selected={props.look.view === "table"}>{t("listLook.table")}</option>
        </select>
      </label>{" "}
      <label>
        {t("listLook.sort")}{" "}
        <select name={personal.fields.sort} data-testid={personal.testIds.listSort}>
          <option value="auto" selected={props.look.sort === "auto"}>{t("listLook.auto")}</option>
          <option value="lastActivity" selected={props.look.sort === "lastActivity"}>{t("listLook.lastActivity")}</option>
          <option value="processingOrder" selected={props.look.sort === "processingOrder"}>{t("listLook.processingOrder")}</option>
        </select>
      </label>{" "}
      <button type="submit" class="link">{t("listLook.apply")}</button>
    </form>
  )

/** The table's column heads (DLG-22): the rows below are the list's own, laid out in these columns. */
export const TableHead = () => (
  <div class="table-head" data-testid={personal.testIds.tableHead} aria-hidden="true">
    <span>{t("listLook.client")}</span>
    <span>{t("listLook.channel")}</span>
    <span>{t("listLook.last")}</span>
    <span>{t("listLook.operator")}</span>
    <span>{t("listLook.time")}</span>
  </div>
)
