import { csrf, personal } from "../contract.js"

/** The user's notification switches as the account page shows them (NTF-01, NTF-02). */
export interface NotificationsView {
  readonly desktop: boolean
  readonly sound: boolean
}

const labels = {
  heading: "Notifications",
  desktop: "Desktop notification with the client's message",
  sound: "Sounds while the panel's tab is hidden: a new dialog or message in New or Mine, and a reminder every minute while something is unread",
  allow: "Allow desktop notifications in this browser",
  save: "Save notification settings",
  saved: "Notification settings saved."
} as const

/**
 * The notification switches (NTF-01, NTF-02, OPS-07), saved per user. The browser asks before it
 * shows desktop notifications, and only after a click: the Allow button asks it (panel.js' notify
 * script); the answer is the section again with a notice.
 */
export const NotificationsSection = (props: {
  readonly view: NotificationsView
  readonly csrfToken: string
  readonly notice?: { readonly kind: "info" | "error"; readonly message: string } | undefined
  readonly saved?: boolean
}) => (
  <section id="notifications" class="notifications">
    <h2>{labels.heading}</h2>
    {props.notice === undefined && props.saved !== true ? null : (
      <p class={props.notice?.kind === "error" ? "form-error" : "muted"} role={props.notice?.kind === "error" ? "alert" : "status"} data-testid={personal.testIds.notificationsNotice}>
        {props.notice?.message ?? labels.saved}
      </p>
    )}
    <form method="post" action={personal.routes.notifications} hx-post={personal.routes.notifications} hx-target="#notifications" hx-swap="outerHTML" class="login-form" data-testid={personal.testIds.notificationsForm}>
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      <label>
        <input type="checkbox" name={personal.fields.desktop} value="on" checked={props.view.desktop} data-testid={personal.testIds.desktop} /> {labels.desktop}
      </label>
      <label>
        <input type="checkbox" name={personal.fields.sound} value="on" checked={props.view.sound} data-testid={personal.testIds.sound} /> {labels.sound}
      </label>
      <button type="submit">{labels.save}</button>
    </form>
    <button type="button" class="link" data-notify-allow="" data-testid={personal.testIds.enableDesktop}>{labels.allow}</button>
  </section>
)
