import { admin, csrf } from "./contract.js"
import { AdminShell } from "./components/AdminShell.js"
import { WorkingHoursPreview } from "./components/WorkingHoursPreview.js"
import type { ShiftEditorView } from "./adminViews.js"
import type { PanelChrome } from "./views.js"
import { t } from "./i18n/index.js"

/**
 * One operator's shift as a working-time calendar in JSON (OPS-04, ROUTING A0): "Check and preview"
 * shows the next seven days' hours without saving, "Save" stores it as their routing profile's
 * shift, "Remove" leaves them always on shift. Each Schema error names the path of its field.
 */
export const ShiftPage = (props: { readonly chrome: PanelChrome; readonly view: ShiftEditorView }) => {
  const { view } = props
  const title = t("operatorRouting.title", { name: view.userName })
  return (
    <AdminShell chrome={props.chrome} title={title}>
      <h1>{title}</h1>
      <p><a href={admin.routes.users}>{t("operatorRouting.back")}</a></p>
      <p class="muted">{t("operatorRouting.intro")}</p>
      {view.saved ? <p class="muted" role="status" data-testid={admin.testIds.saved}>{t("operatorRouting.saved")}</p> : null}
      {view.hasShift ? null : <p class="muted" data-testid="no-shift">{t("operatorRouting.noShiftPreview")}</p>}
      <form method="post" action={admin.routes.userShift(view.userId)} class="settings-section" data-testid={admin.testIds.shiftEditor}>
        <input type="hidden" name={csrf.field} value={props.chrome.csrfToken} />
        <label>
          {t("operatorRouting.editor")}
          <textarea name="shift" rows={18} cols={80} spellcheck={false} aria-invalid={view.errors.length > 0 ? "true" : undefined} class="sla-json">{view.json}</textarea>
        </label>
        {view.errors.map((error) => (
          <p class="field-error" role="alert" data-testid={admin.testIds.fieldError} data-path={error.path}>
            {error.path === "" ? null : <strong>{t("operatorRouting.errorAt", { path: error.path })}: </strong>}
            {error.message}
          </p>
        ))}
        <p>
          <button type="submit" formaction={admin.routes.userShiftPreview(view.userId)} data-testid={admin.testIds.shiftCheck}>{t("operatorRouting.check")}</button>{" "}
          <button type="submit" class="primary" data-testid={admin.testIds.shiftSave}>{t("operatorRouting.save")}</button>{" "}
          {view.hasShift ? <button type="submit" name="clear" value="true" data-testid={admin.testIds.shiftClear}>{t("operatorRouting.clear")}</button> : null}
        </p>
      </form>
      <WorkingHoursPreview testId={admin.testIds.shiftPreview} heading={t("operatorRouting.preview", { timezone: view.timezone })} days={view.preview} />
    </AdminShell>
  )
}
