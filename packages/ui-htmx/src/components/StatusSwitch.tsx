import { csrf, personal } from "../contract.js"
import { t, tId } from "../i18n/index.js"
import type { StatusSwitchView } from "../views.js"

/**
 * The header's own status switch (OPS-02): the company's statuses, the current one chosen. Choosing
 * one posts at once (htmx, on change); without JavaScript the Set button posts the form. The
 * answer is the switch again, showing the status now in force. The built-in statuses are named in
 * the user's language (as the header names them); a company's own keep the name it gave them.
 */
export const StatusSwitch = (props: { readonly view: StatusSwitchView; readonly csrfToken?: string | undefined; readonly error?: string | undefined }) => (
  <form
    id={personal.ids.statusSwitch}
    class="status-switch inline"
    method="post"
    action={personal.routes.status}
    hx-post={personal.routes.status}
    hx-trigger="change"
    hx-target="this"
    hx-swap="outerHTML"
    data-testid={personal.testIds.statusSwitch}
    data-status={props.view.current}
  >
    {props.csrfToken === undefined ? null : <input type="hidden" name={csrf.field} value={props.csrfToken} />}
    <span class={`status-dot status-${props.view.current.toLowerCase()}`}></span>
    <select name={personal.fields.status} aria-label={t("statusSwitch.label")} data-testid={personal.testIds.statusChoice}>
      {props.view.statuses.map((status) => (
        <option value={status.id} selected={status.id === props.view.current}>
          {t(status.receivesDialogs ? "statusSwitch.optionReceives" : "statusSwitch.optionPaused", { name: tId("statuses", status.id, status.name) })}
        </option>
      ))}
    </select>
    <button type="submit" class="link" data-testid={personal.testIds.statusSave}>{t("statusSwitch.set")}</button>
    {props.error === undefined ? null : <span class="field-error" role="alert">{props.error}</span>}
  </form>
)
