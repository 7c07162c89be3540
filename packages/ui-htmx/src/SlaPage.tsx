import { admin, csrf } from "./contract.js"
import { AdminShell } from "./components/AdminShell.js"
import type { SlaEditorView } from "./adminViews.js"
import type { PanelChrome } from "./views.js"
import { t } from "./i18n/index.js"
import { WorkingHoursPreview } from "./components/WorkingHoursPreview.js"

/**
 * The SLA calendar and policies as one JSON document (SLA-02, SLA-03): "Check and preview" shows
 * the next seven days' working hours without saving, "Save" stores it (audited) and re-evaluates
 * the open dialogs. Each Schema error names the path of its field.
 */
export const SlaPage = (props: { readonly chrome: PanelChrome; readonly view: SlaEditorView }) => {
  const { view } = props
  const invalid = view.errors.length > 0
  return (
    <AdminShell chrome={props.chrome} title={t("admin.sla.title")}>
      <h1>{t("admin.sla.title")}</h1>
      <p class="muted">{t("admin.sla.intro")}</p>
      {view.saved ? <p class="muted" role="status" data-testid={admin.testIds.saved}>{t("admin.sla.saved")}</p> : null}
      <form method="post" action={admin.routes.sla} class="settings-section" data-testid={admin.testIds.slaEditor}>
        <input type="hidden" name={csrf.field} value={props.chrome.csrfToken} />
        <label>
          {t("admin.sla.editor")}
          <textarea name="sla" rows={22} cols={80} spellcheck={false} aria-invalid={invalid ? "true" : undefined} class="sla-json">{view.json}</textarea>
        </label>
        {view.errors.map((error) => (
          <p class="field-error" role="alert" data-testid={admin.testIds.fieldError} data-path={error.path}>
            {error.path === "" ? null : <strong>{t("admin.sla.errorAt", { path: error.path })}: </strong>}
            {error.message}
          </p>
        ))}
        <p>
          <button type="submit" formaction={admin.routes.slaPreview} data-testid="sla-check">{t("admin.sla.check")}</button>{" "}
          <button type="submit" class="primary" data-testid="sla-save">{t("admin.sla.save")}</button>
        </p>
      </form>
      <WorkingHoursPreview testId={admin.testIds.slaPreview} heading={t("admin.sla.preview", { timezone: view.timezone })} days={view.preview} />
      <section>
        <h2>{t("admin.sla.policies")}</h2>
        <table class="board-table" data-testid="sla-policies">
          <thead>
            <tr><th>{t("admin.sla.policy")}</th><th>{t("admin.sla.matches")}</th><th>{t("admin.sla.targets")}</th></tr>
          </thead>
          <tbody>
            {view.policies.map((policy) => (
              <tr>
                <td>{policy.name}</td>
                <td>{policy.matches === "" ? <span class="muted">{t("admin.sla.any")}</span> : policy.matches}</td>
                <td>{policy.targets}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </AdminShell>
  )
}
