import { admin, csrf } from "./contract.js"
import { AdminShell } from "./components/AdminShell.js"
import type { AuditEntryView, SettingsFieldView, SettingsSectionView } from "./adminViews.js"
import type { PanelChrome } from "./views.js"
import { t, useLocale } from "./i18n/index.js"

const FieldError = (props: { readonly message: string | undefined }) =>
  props.message === undefined ? null : <span class="field-error" data-testid={admin.testIds.fieldError} role="alert">{props.message}</span>

const Field = (props: { readonly field: SettingsFieldView; readonly error: string | undefined; readonly invalid?: boolean }) => {
  const { field } = props
  const invalid = props.error === undefined && props.invalid !== true ? undefined : "true"
  if (field.kind === "checkbox") {
    return (
      <label class="check">
        <input type="checkbox" name={field.name} value="true" checked={field.value === "true"} aria-invalid={invalid} />
        {field.label}
        <FieldError message={props.error} />
      </label>
    )
  }
  return (
    <label class={field.kind === "json" ? "json-field" : undefined}>
      {field.label} {field.hint === undefined ? null : <small class="muted">{field.hint}</small>}
      {field.kind === "json" ? (
        <textarea name={field.name} rows={18} cols={80} spellcheck={false} class="sla-json" aria-invalid={invalid}>{field.value}</textarea>
      ) : field.kind === "textarea" ? (
        <textarea name={field.name} aria-invalid={invalid}>{field.value}</textarea>
      ) : field.kind === "select" ? (
        <select name={field.name} aria-invalid={invalid}>
          {(field.options ?? []).map((option) => <option value={option.id} selected={option.id === field.value}>{option.name}</option>)}
        </select>
      ) : (
        <input type="text" inputmode={field.kind === "number" ? "decimal" : undefined} name={field.name} value={field.value} aria-invalid={invalid} />
      )}
      <FieldError message={props.error} />
    </label>
  )
}

/**
 * One section of the settings screen as a form of its own: its fields, or a catalog's rows (with
 * empty rows to add to it; a row left empty is dropped). Errors sit at the field their path names;
 * one that names no field stands at the top. It replaces itself with the answer to its POST.
 */
export const SettingsSection = (props: { readonly view: SettingsSectionView; readonly csrfToken: string }) => {
  const { view } = props
  const action = admin.routes.settingsSection(view.section)
  const general = view.errors[""]
  return (
    <form
      id={admin.ids.section(view.section)}
      class="settings-section"
      method="post"
      action={action}
      hx-post={action}
      hx-target="this"
      hx-swap="outerHTML"
      data-testid={admin.testIds.settingsSection(view.section)}
    >
      <h2>{view.title}</h2>
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      {general === undefined ? null : <p class="form-error" role="alert" data-testid={admin.testIds.sectionError}>{general}</p>}
      {view.saved === undefined ? null : (
        <p class="muted" role="status" data-testid={admin.testIds.saved}>{view.saved === 0 ? t("settings.nothingChanged") : t("settings.saved", { count: view.saved })}</p>
      )}
      {view.fields.length === 0 ? null : (
        <div class="settings-fields">
          {view.fields.map((field) => <Field field={field} error={view.errors[field.name]} invalid={field.kind === "json" && (view.issues ?? []).length > 0} />)}
        </div>
      )}
      {(view.issues ?? []).map((issue) => (
        <p class="field-error" role="alert" data-testid={admin.testIds.fieldError} data-path={issue.path}>
          {issue.path === "" ? null : <strong>{t("cardSettings.errorAt", { path: issue.path })}: </strong>}
          {issue.message}
        </p>
      ))}
      {view.catalog === undefined ? null : (
        <table class="catalog-table">
          <thead>
            <tr>{view.catalog.columns.map((column) => <th>{column.label}</th>)}</tr>
          </thead>
          <tbody>
            {view.catalog.rows.map((row, index) => (
              <tr data-testid="catalog-row">
                {view.catalog!.columns.map((column) => {
                  const name = `${view.section}[${index}].${column.key}`
                  const error = view.errors[name]
                  return (
                    <td>
                      {column.kind === "checkbox" ? (
                        <input type="checkbox" name={name} value="true" checked={row[column.key] === "true"} aria-label={column.label} />
                      ) : (
                        <input type="text" name={name} value={row[column.key] ?? ""} aria-label={column.label} aria-invalid={error === undefined ? undefined : "true"} size={column.kind === "text" ? 18 : 8} />
                      )}
                      <FieldError message={error} />
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="submit" class="primary" data-testid={admin.testIds.saveSection(view.section)}>{t("settings.save")}</button>
    </form>
  )
}

/** Company settings (SET-01), files (SET-02) and the catalogs, each section saved on its own. */
export const SettingsPage = (props: { readonly chrome: PanelChrome; readonly sections: ReadonlyArray<SettingsSectionView> }) => (
  <AdminShell chrome={props.chrome} title={t("settings.title")}>
    <h1>{t("settings.title")}</h1>
    <p>
      <a href={admin.routes.audit} data-testid="audit-link">{t("settings.auditLink")}</a>
    </p>
    {props.sections.map((view) => <SettingsSection view={view} csrfToken={props.chrome.csrfToken} />)}
  </AdminShell>
)

/** The settings audit log: who changed which setting, when, and its value before and after; newest first. */
export const AuditPage = (props: { readonly chrome: PanelChrome; readonly entries: ReadonlyArray<AuditEntryView>; readonly next: string | undefined }) => (
  <AdminShell chrome={props.chrome} title={t("audit.title")}>
    <h1>{t("audit.heading")}</h1>
    {props.entries.length === 0 ? <p class="muted">{t("audit.empty")}</p> : null}
    <table class="board-table">
      <thead>
        <tr><th>{t("audit.when")}</th><th>{t("audit.who")}</th><th>{t("audit.setting")}</th><th>{t("audit.before")}</th><th>{t("audit.after")}</th></tr>
      </thead>
      <tbody>
        {props.entries.flatMap((entry) =>
          entry.changes.map((change, index) => (
            <tr data-testid={index === 0 ? admin.testIds.auditEntry : undefined} class="audit-change">
              <td>{index === 0 ? <time datetime={new Date(entry.at).toISOString()}>{useLocale().dateTime(entry.at)}</time> : null}</td>
              <td>{index === 0 ? entry.who : null}</td>
              <td data-testid={admin.testIds.auditChange}>{change.setting}</td>
              <td><pre>{change.before}</pre></td>
              <td><pre>{change.after}</pre></td>
            </tr>
          ))
        )}
      </tbody>
    </table>
    {props.next === undefined ? null : <p><a href={props.next}>{t("audit.older")}</a></p>}
  </AdminShell>
)
