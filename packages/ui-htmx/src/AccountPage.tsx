import { accountFields, csrf, routes, testIds } from "./contract.js"
import { Document } from "./components/Layout.js"
import type { SessionView } from "./views.js"

/** The signed-in user's open sessions (device, last seen; end the others) and the change-password form. */
export const AccountPage = (props: {
  readonly name: string
  readonly csrfToken: string
  readonly sessions: ReadonlyArray<SessionView>
  /** A sentence after a change ("Password changed…"), or an error of the password form. */
  readonly notice?: { readonly kind: "info" | "error"; readonly message: string } | undefined
}) => (
  <Document title="Account — Switchboard">
    <main class="login account" data-testid={testIds.account}>
      <p>
        <a href={routes.panel}>← Back to the panel</a>
      </p>
      <h1>{props.name}</h1>
      <h2>Where you are signed in</h2>
      <ul class="sessions">
        {props.sessions.map((session) => (
          <li data-testid={testIds.session}>
            <strong>{session.device}</strong> {session.current ? <small>(this browser)</small> : null}
            <br />
            <small class="muted">Last seen {session.lastSeen}, signed in {session.signedIn}</small>
          </li>
        ))}
      </ul>
      {props.sessions.length > 1 ? (
        <form method="post" action={routes.endOtherSessions}>
          <input type="hidden" name={csrf.field} value={props.csrfToken} />
          <button type="submit" data-testid={testIds.endOtherSessions}>Sign out everywhere else</button>
        </form>
      ) : null}
      <h2>Change your password</h2>
      {props.notice === undefined ? null : (
        <p class={props.notice.kind === "error" ? "form-error" : "muted"} role={props.notice.kind === "error" ? "alert" : "status"} data-testid={testIds.passwordNotice}>
          {props.notice.message}
        </p>
      )}
      <form method="post" action={routes.changePassword} class="login-form">
        <input type="hidden" name={csrf.field} value={props.csrfToken} />
        <label>
          Current password
          <input name={accountFields.current} type="password" autocomplete="current-password" required maxlength={1024} />
        </label>
        <label>
          New password <small class="muted">(at least 12 characters; a few words work well)</small>
          <input name={accountFields.next} type="password" autocomplete="new-password" required minlength={12} maxlength={1024} />
        </label>
        <button type="submit">Change password</button>
      </form>
    </main>
  </Document>
)
