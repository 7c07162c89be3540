import { accountFields, csrf, routes, testIds } from "./contract.js"
import { t, tId } from "./i18n/index.js"
import { Document } from "./components/Layout.js"
import type { DemoSignInView } from "./views.js"

/**
 * Sign-in: email (or login) and password. In demo mode it also prints the demo password and
 * offers each seeded user as a one-click sign-in (a button that submits their login with it).
 */
export const LoginPage = (props: { readonly csrfToken: string; readonly error?: string | undefined; readonly demo?: DemoSignInView | undefined }) => (
  <Document title={t("login.title")}>
    <main class="login" data-testid={testIds.login}>
      <h1>Switchboard</h1>
      {props.error === undefined ? null : <p class="form-error" role="alert" data-testid={testIds.loginError}>{props.error}</p>}
      <form method="post" action={routes.login} class="login-form">
        <input type="hidden" name={csrf.field} value={props.csrfToken} />
        <label>
          {t("login.login")}
          <input name={accountFields.login} type="text" autocomplete="username" required maxlength={254} />
        </label>
        <label>
          {t("login.password")}
          <input name={accountFields.password} type="password" autocomplete="current-password" required maxlength={1024} />
        </label>
        <button type="submit">{t("login.submit")}</button>
      </form>
      {props.demo === undefined ? null : (
        <section class="login-demo">
          <p class="muted">
            {t("login.demoPassword")} <code data-testid={testIds.demoPassword}>{props.demo.password}</code>. {t("login.signInAs")}
          </p>
          <form method="post" action={routes.login}>
            <input type="hidden" name={csrf.field} value={props.csrfToken} />
            <input type="hidden" name={accountFields.password} value={props.demo.password} />
            <ul class="login-users">
              {props.demo.users.map((user) => (
                <li>
                  <button type="submit" name={accountFields.login} value={user.login} data-testid={testIds.loginAs(user.id)}>
                    <strong>{user.name}</strong> <small>{tId("roles", user.role, user.role)} · {user.login}</small>
                  </button>
                </li>
              ))}
            </ul>
          </form>
        </section>
      )}
    </main>
  </Document>
)
