import { admin, csrf } from "./contract.js"
import { AdminShell } from "./components/AdminShell.js"
import type { RoleRowView, UserRowView, UsersView } from "./adminViews.js"
import type { PanelChrome } from "./views.js"
import { t } from "./i18n/index.js"

const FieldError = (props: { readonly message: string | undefined }) =>
  props.message === undefined ? null : <span class="field-error" data-testid={admin.testIds.fieldError} role="alert">{props.message}</span>

const Csrf = (props: { readonly token: string }) => <input type="hidden" name={csrf.field} value={props.token} />

const UserRow = (props: { readonly user: UserRowView; readonly view: UsersView; readonly csrfToken: string }) => {
  const { user } = props
  return (
    <tr data-testid={admin.testIds.userRow} data-user-id={user.id}>
      <td>
        <strong>{user.name}</strong>
        <br />
        <small class="muted">{user.login}</small>
        {user.error === undefined ? null : <p class="form-error" role="alert" data-testid={admin.testIds.formError}>{user.error}</p>}
      </td>
      <td>
        <form method="post" action={admin.routes.userRole(user.id)}>
          <Csrf token={props.csrfToken} />
          <select name="role" aria-label={t("admin.users.role")}>
            {props.view.roleChoices.map((choice) => <option value={choice.value} selected={choice.value === user.role}>{choice.name}</option>)}
          </select>
          <button type="submit">{t("admin.users.changeRole")}</button>
        </form>
      </td>
      <td>
        <form method="post" action={admin.routes.userActive(user.id)}>
          <Csrf token={props.csrfToken} />
          <span data-testid="user-status">{user.active ? t("admin.users.active") : t("admin.users.inactive")}</span>{" "}
          <input type="hidden" name="active" value={user.active ? "false" : "true"} />
          <button type="submit">{user.active ? t("admin.users.deactivate") : t("admin.users.activate")}</button>
        </form>
        <form method="post" action={admin.routes.userPassword(user.id)}>
          <Csrf token={props.csrfToken} />
          <input type="password" name="password" autocomplete="new-password" aria-label={t("admin.users.newPassword")} placeholder={t("admin.users.newPassword")} />
          <button type="submit">{t("admin.users.resetPassword")}</button>
        </form>
      </td>
      <td>
        <form method="post" action={admin.routes.userRouting(user.id)} class="user-routing">
          <Csrf token={props.csrfToken} />
          <fieldset>
            <legend>{t("admin.users.capacity")}</legend>
            {user.capacity.map((cell) => (
              <label>
                {cell.channel} <input type="text" inputmode="numeric" size={2} name={`capacity.${cell.channel}`} value={cell.value} />
              </label>
            ))}
          </fieldset>
          {user.skillGroups.length === 0 ? null : (
            <fieldset>
              <legend>{t("admin.users.skillGroups")}</legend>
              {user.skillGroups.map((group) => (
                <label class="check">
                  <input type="checkbox" name="skillGroups" value={group.id} checked={group.member} /> {group.id}
                </label>
              ))}
            </fieldset>
          )}
          <fieldset data-testid={admin.testIds.userQueues}>
            <legend>{t("operatorRouting.queues")} <small class="muted">({t("operatorRouting.queuesHint")})</small></legend>
            {user.queues.map((queue) => (
              <label class="check">
                <input type="checkbox" name="queues" value={queue.id} checked={queue.member} /> {queue.id}
              </label>
            ))}
          </fieldset>
          <button type="submit">{t("admin.users.saveRouting")}</button>
        </form>
        <p>
          {t("operatorRouting.shift")}: <span data-testid="user-shift">{user.shift === "" ? t("operatorRouting.noShift") : user.shift}</span>{" "}
          <a href={admin.routes.userShift(user.id)} data-testid={admin.testIds.shiftLink}>{t("operatorRouting.editShift")}</a>
        </p>
      </td>
    </tr>
  )
}

const RoleRow = (props: { readonly row: RoleRowView; readonly index: number; readonly view: UsersView }) => {
  const name = (key: string) => `roles[${props.index}].${key}`
  return (
    <tr data-testid={admin.testIds.roleRow}>
      <td>
        <input type="text" name={name("id")} value={props.row.id} aria-label={t("admin.users.roleId")} size={12} />
        <FieldError message={props.view.roleErrors[name("id")]} />
      </td>
      <td>
        <input type="text" name={name("name")} value={props.row.name} aria-label={t("admin.users.roleName")} size={18} />
        <FieldError message={props.view.roleErrors[name("name")]} />
      </td>
      <td>
        {props.view.permissions.map((permission) => (
          <label class="check">
            <input type="checkbox" name={name("permissions")} value={permission.id} checked={props.row.permissions.includes(permission.id)} /> {permission.label}
          </label>
        ))}
      </td>
    </tr>
  )
}

/**
 * Users (create, role, activation, password, routing profile) and the custom roles (OPS-01, OPS-03).
 * Every form is a plain POST answered with this page again (a redirect when it worked).
 */
export const UsersPage = (props: { readonly chrome: PanelChrome; readonly view: UsersView }) => {
  const { view } = props
  const token = props.chrome.csrfToken
  const blank: RoleRowView = { id: "", name: "", permissions: [] }
  return (
    <AdminShell chrome={props.chrome} title={t("admin.users.title")}>
      <h1>{t("admin.users.title")}</h1>
      {view.notice === undefined ? null : <p class="muted" role="status" data-testid={admin.testIds.saved}>{view.notice}</p>}
      <h2>{t("admin.users.users")}</h2>
      <table class="board-table users-table">
        <thead>
          <tr><th>{t("admin.users.name")}</th><th>{t("admin.users.role")}</th><th>{t("admin.users.status")}</th><th>{t("admin.users.routing")}</th></tr>
        </thead>
        <tbody>
          {view.users.map((user) => <UserRow user={user} view={view} csrfToken={token} />)}
        </tbody>
      </table>
      <form method="post" action={admin.routes.users} class="settings-section" data-testid={admin.testIds.createUser}>
        <h2>{t("admin.users.create")}</h2>
        <Csrf token={token} />
        <FieldError message={view.createErrors[""]} />
        <div class="settings-fields">
          <label>{t("admin.users.name")} <input type="text" name="name" value={view.draft["name"] ?? ""} /><FieldError message={view.createErrors["name"]} /></label>
          <label>{t("admin.users.login")} <input type="text" name="login" autocomplete="off" value={view.draft["login"] ?? ""} /><FieldError message={view.createErrors["login"]} /></label>
          <label>{t("admin.users.password")} <input type="password" name="password" autocomplete="new-password" /><FieldError message={view.createErrors["password"]} /></label>
          <label>
            {t("admin.users.role")}{" "}
            <select name="role">
              {view.roleChoices.map((choice) => <option value={choice.value} selected={choice.value === (view.draft["role"] ?? "operator")}>{choice.name}</option>)}
            </select>
            <FieldError message={view.createErrors["role"]} />
          </label>
        </div>
        <button type="submit" class="primary">{t("admin.users.createButton")}</button>
      </form>
      <form method="post" action={admin.routes.roles} class="settings-section">
        <h2>{t("admin.users.customRoles")}</h2>
        <p class="muted">{t("admin.users.customRolesHint")}</p>
        <Csrf token={token} />
        <FieldError message={view.roleErrors[""]} />
        <table class="catalog-table">
          <thead>
            <tr><th>{t("admin.users.roleId")}</th><th>{t("admin.users.roleName")}</th><th>{t("admin.users.allowed")}</th></tr>
          </thead>
          <tbody>
            {[...view.roles, blank].map((row, index) => <RoleRow row={row} index={index} view={view} />)}
          </tbody>
        </table>
        <button type="submit" class="primary" data-testid={admin.testIds.saveRoles}>{t("admin.users.saveRoles")}</button>
      </form>
    </AdminShell>
  )
}
