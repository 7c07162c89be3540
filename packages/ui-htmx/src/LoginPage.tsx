import { csrf, routes, testIds } from "./contract.js"
import { Document } from "./components/Layout.js"
import type { LoginUserView } from "./views.js"

/** Demo sign-in: pick one of the seeded users. A real deployment puts its identity provider here. */
export const LoginPage = (props: { readonly users: ReadonlyArray<LoginUserView>; readonly csrfToken: string; readonly error?: string }) => (
  <Document title="Sign in — Switchboard">
    <main class="login" data-testid={testIds.login}>
      <h1>Switchboard</h1>
      <p class="muted">Demo sign-in: choose who you are.</p>
      {props.error === undefined ? null : <p class="form-error" role="alert">{props.error}</p>}
      <form method="post" action={routes.login}>
        <input type="hidden" name={csrf.field} value={props.csrfToken} />
        <ul class="login-users">
          {props.users.map((user) => (
            <li>
              <button type="submit" name="userId" value={user.id} data-testid={testIds.loginAs(user.id)}>
                <strong>{user.name}</strong> <small>{user.role}</small>
              </button>
            </li>
          ))}
        </ul>
      </form>
    </main>
  </Document>
)
