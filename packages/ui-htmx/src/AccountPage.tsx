import { accountFields, composerNames, csrf, routes, testIds } from "./contract.js"
import { Document } from "./components/Layout.js"
import { NotificationsSection, type NotificationsView } from "./components/Notifications.js"
import { ManageFolders } from "./components/PersonalFolders.js"
import type { PersonalFolderView, SessionView } from "./views.js"

/** The composer preferences as the account page shows them (MSG-08, MSG-11). */
export interface PreferencesView {
  readonly sendKey: "ctrlEnter" | "enter"
  readonly signature: string
}

/**
 * The composer preferences form: which key sends, and the signature appended to replies. A refused
 * form (a signature too long) comes back with the reason and what was typed.
 */
const PreferencesForm = (props: { readonly csrfToken: string; readonly preferences: PreferencesView; readonly notice?: { readonly kind: "info" | "error"; readonly message: string } | undefined }) => (
  <>
    <h2>Composer</h2>
    {props.notice === undefined ? null : (
      <p class={props.notice.kind === "error" ? "form-error" : "muted"} role={props.notice.kind === "error" ? "alert" : "status"} data-testid={composerNames.testIds.preferencesNotice}>
        {props.notice.message}
      </p>
    )}
    <form method="post" action={composerNames.routes.preferences} class="login-form" data-testid={composerNames.testIds.preferencesForm}>
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      <fieldset>
        <legend>Send a reply with</legend>
        <label>
          <input type="radio" name={composerNames.fields.sendKey} value="ctrlEnter" checked={props.preferences.sendKey === "ctrlEnter"} data-testid={`${composerNames.testIds.sendKey}-ctrlEnter`} /> Ctrl+Enter (⌘+Enter on a Mac); Enter starts a new line
        </label>
        <label>
          <input type="radio" name={composerNames.fields.sendKey} value="enter" checked={props.preferences.sendKey === "enter"} data-testid={`${composerNames.testIds.sendKey}-enter`} /> Enter; Shift+Enter starts a new line
        </label>
      </fieldset>
      <label>
        Signature <small class="muted">(added after a blank line to your replies, not to internal notes)</small>
        <textarea name={composerNames.fields.signature} rows={2} maxlength={500} data-testid={composerNames.testIds.signature}>{props.preferences.signature}</textarea>
      </label>
      <button type="submit">Save composer settings</button>
    </form>
  </>
)

/** The signed-in user's open sessions (device, last seen; end the others), composer preferences and the change-password form. */
export const AccountPage = (props: {
  readonly name: string
  readonly csrfToken: string
  readonly sessions: ReadonlyArray<SessionView>
  /** A sentence after a change ("Password changed…"), or an error of the password form. */
  readonly notice?: { readonly kind: "info" | "error"; readonly message: string } | undefined
  /** The user's composer preferences, and the outcome of saving them. */
  readonly composer?: { readonly preferences: PreferencesView; readonly notice?: { readonly kind: "info" | "error"; readonly message: string } | undefined } | undefined
  /** The user's notification switches (NTF-01, NTF-02). */
  readonly notifications?: NotificationsView | undefined
  /** The user's personal folders (DLG-02), to rename, reorder and delete. */
  readonly folders?: ReadonlyArray<PersonalFolderView> | undefined
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
      {props.composer === undefined ? null : <PreferencesForm csrfToken={props.csrfToken} preferences={props.composer.preferences} notice={props.composer.notice} />}
      {props.notifications === undefined ? null : <NotificationsSection view={props.notifications} csrfToken={props.csrfToken} />}
      {props.folders === undefined ? null : <ManageFolders folders={props.folders} csrfToken={props.csrfToken} />}
      <p>
        <a href={composerNames.routes.quickReplies}>Quick replies</a>
      </p>
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
