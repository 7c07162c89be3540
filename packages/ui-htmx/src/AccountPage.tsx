import { accountFields, composerNames, csrf, localeNames, routes, testIds } from "./contract.js"
import { Document } from "./components/Layout.js"
import { interfaceLanguages, t } from "./i18n/index.js"
import { NotificationsSection, type NotificationsView } from "./components/Notifications.js"
import { ManageFolders } from "./components/PersonalFolders.js"
import type { PersonalFolderView, SessionView } from "./views.js"

/** The composer preferences as the account page shows them (MSG-08, MSG-11). */
export interface PreferencesView {
  readonly sendKey: "ctrlEnter" | "enter"
  readonly signature: string
}

/** The user's interface language and time zone as chosen (none = the company's language, the server's zone), and the zones to choose from. */
export interface LocaleChoiceView {
  readonly language: string | undefined
  readonly timeZone: string | undefined
  readonly timeZones: ReadonlyArray<string>
}

type Notice = { readonly kind: "info" | "error"; readonly message: string }

const NoticeLine = (props: { readonly notice: Notice | undefined; readonly testId: string }) =>
  props.notice === undefined ? null : (
    <p class={props.notice.kind === "error" ? "form-error" : "muted"} role={props.notice.kind === "error" ? "alert" : "status"} data-testid={props.testId}>
      {props.notice.message}
    </p>
  )

/** The interface language and time zone form (issue 22): empty choices follow the company and the server. */
const LocaleForm = (props: { readonly csrfToken: string; readonly choice: LocaleChoiceView; readonly notice?: Notice | undefined }) => (
  <>
    <h2>{t("account.localeHeading")}</h2>
    <NoticeLine notice={props.notice} testId={localeNames.testIds.notice} />
    <form method="post" action={localeNames.route} class="login-form" data-testid={localeNames.testIds.form}>
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      <label>
        {t("account.language")}
        <select name={localeNames.fields.language} data-testid={localeNames.testIds.language}>
          <option value="" selected={props.choice.language === undefined}>{t("account.languageDefault")}</option>
          {interfaceLanguages.map((language) => (
            <option value={language} selected={props.choice.language === language} lang={language}>
              {t(`language.${language}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("account.timeZone")}
        <select name={localeNames.fields.timeZone} data-testid={localeNames.testIds.timeZone}>
          <option value="" selected={props.choice.timeZone === undefined}>{t("account.timeZoneDefault")}</option>
          {props.choice.timeZones.map((zone) => (
            <option value={zone} selected={props.choice.timeZone === zone}>{zone}</option>
          ))}
        </select>
      </label>
      <button type="submit">{t("account.saveLocale")}</button>
    </form>
  </>
)

/**
 * The composer preferences form: which key sends, and the signature appended to replies. A refused
 * form (a signature too long) comes back with the reason and what was typed.
 */
const PreferencesForm = (props: { readonly csrfToken: string; readonly preferences: PreferencesView; readonly notice?: Notice | undefined }) => (
  <>
    <h2>{t("account.composerHeading")}</h2>
    <NoticeLine notice={props.notice} testId={composerNames.testIds.preferencesNotice} />
    <form method="post" action={composerNames.routes.preferences} class="login-form" data-testid={composerNames.testIds.preferencesForm}>
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      <fieldset>
        <legend>{t("account.sendWith")}</legend>
        <label>
          <input type="radio" name={composerNames.fields.sendKey} value="ctrlEnter" checked={props.preferences.sendKey === "ctrlEnter"} data-testid={`${composerNames.testIds.sendKey}-ctrlEnter`} /> {t("account.sendCtrlEnter")}
        </label>
        <label>
          <input type="radio" name={composerNames.fields.sendKey} value="enter" checked={props.preferences.sendKey === "enter"} data-testid={`${composerNames.testIds.sendKey}-enter`} /> {t("account.sendEnter")}
        </label>
      </fieldset>
      <label>
        {t("account.signature")} <small class="muted">{t("account.signatureHint")}</small>
        <textarea name={composerNames.fields.signature} rows={2} maxlength={500} data-testid={composerNames.testIds.signature}>{props.preferences.signature}</textarea>
      </label>
      <button type="submit">{t("account.saveComposer")}</button>
    </form>
  </>
)

/** The signed-in user's open sessions (device, last seen; end the others), language and time zone, composer preferences and the change-password form. */
export const AccountPage = (props: {
  readonly name: string
  readonly csrfToken: string
  readonly sessions: ReadonlyArray<SessionView>
  /** A sentence after a change ("Password changed…"), or an error of the password form. */
  readonly notice?: Notice | undefined
  /** The user's composer preferences, and the outcome of saving them. */
  readonly composer?: { readonly preferences: PreferencesView; readonly notice?: Notice | undefined } | undefined
  /** The user's interface language and time zone, and the outcome of saving them. */
  readonly locale?: { readonly choice: LocaleChoiceView; readonly notice?: Notice | undefined } | undefined
  /** The user's notification switches (NTF-01, NTF-02). */
  readonly notifications?: NotificationsView | undefined
  /** The user's personal folders (DLG-02), to rename, reorder and delete. */
  readonly folders?: ReadonlyArray<PersonalFolderView> | undefined
}) => (
  <Document title={t("account.title")}>
    <main class="login account" data-testid={testIds.account}>
      <p>
        <a href={routes.panel}>{t("common.backToPanel")}</a>
      </p>
      <h1>{props.name}</h1>
      <h2>{t("account.sessionsHeading")}</h2>
      <ul class="sessions">
        {props.sessions.map((session) => (
          <li data-testid={testIds.session}>
            <strong>{session.device}</strong> {session.current ? <small>{t("account.thisBrowser")}</small> : null}
            <br />
            <small class="muted">{t("account.lastSeen", { lastSeen: session.lastSeen, signedIn: session.signedIn })}</small>
          </li>
        ))}
      </ul>
      {props.sessions.length > 1 ? (
        <form method="post" action={routes.endOtherSessions}>
          <input type="hidden" name={csrf.field} value={props.csrfToken} />
          <button type="submit" data-testid={testIds.endOtherSessions}>{t("account.endOthers")}</button>
        </form>
      ) : null}
      {props.locale === undefined ? null : <LocaleForm csrfToken={props.csrfToken} choice={props.locale.choice} notice={props.locale.notice} />}
      {props.composer === undefined ? null : <PreferencesForm csrfToken={props.csrfToken} preferences={props.composer.preferences} notice={props.composer.notice} />}
      {props.notifications === undefined ? null : <NotificationsSection view={props.notifications} csrfToken={props.csrfToken} />}
      {props.folders === undefined ? null : <ManageFolders folders={props.folders} csrfToken={props.csrfToken} />}
      <p>
        <a href={composerNames.routes.quickReplies}>{t("account.quickReplies")}</a>
      </p>
      <h2>{t("account.passwordHeading")}</h2>
      <NoticeLine notice={props.notice} testId={testIds.passwordNotice} />
      <form method="post" action={routes.changePassword} class="login-form">
        <input type="hidden" name={csrf.field} value={props.csrfToken} />
        <label>
          {t("account.currentPassword")}
          <input name={accountFields.current} type="password" autocomplete="current-password" required maxlength={1024} />
        </label>
        <label>
          {t("account.newPassword")} <small class="muted">{t("account.newPasswordHint")}</small>
          <input name={accountFields.next} type="password" autocomplete="new-password" required minlength={12} maxlength={1024} />
        </label>
        <button type="submit">{t("account.changePassword")}</button>
      </form>
    </main>
  </Document>
)
