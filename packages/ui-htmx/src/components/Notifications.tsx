import { csrf, personal } from "../contract.js"
import { t } from "../i18n/index.js"

/** The user's notification switches as the account page shows them (NTF-01, NTF-02). */
export interface NotificationsView {
  readonly desktop: boolean
  readonly sound: boolean
}

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
    <h2>{t("notifications.heading")}</h2>
    {props.notice === undefined && props.saved !== true ? null : (
      <p class={props.notice?.kind === "error" ? "form-error" : "muted"} role={props.notice?.kind === "error" ? "alert" : "status"} data-testid={personal.testIds.notificationsNotice}>
        {props.notice?.message ?? t("notifications.saved")}
      </p>
    )}
    <form method="post" action={personal.routes.notifications} hx-post={personal.routes.notifications} hx-target="#notifications" hx-swap="outerHTML" class="login-form" data-testid={personal.testIds.notificationsForm}>
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      <label>
        <input type="checkbox" name={personal.fields.desktop} value="on" checked={props.view.desktop} data-testid={personal.testIds.desktop} /> {t("notifications.desktop")}
      </label>
      <label>
        <input type="checkbox" name={personal.fields.sound} value="on" checked={props.view.sound} data-testid={personal.testIds.sound} /> {t("notifications.sound")}
      </label>
      <button type="submit">{t("notifications.save")}</button>
    </form>
    <button type="button" class="link" data-notify-allow="" data-allowed={t("notifications.allowed")} data-refused={t("notifications.refused")} data-testid={personal.testIds.enableDesktop}>
      {t("notifications.allow")}
    </button>
  </section>
)
