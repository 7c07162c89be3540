import { personal } from "../contract.js"
import { t } from "../i18n/index.js"

/** Someone else with the dialog open (collision): their name, and whether they are typing in it. */
export interface PresenceEntryView {
  readonly userId: string
  readonly name: string
  readonly typing: boolean
}

/** Who else views or types in the dialog, as a line of names; nothing when nobody else is there. */
export const PresenceEntries = (props: { readonly entries: ReadonlyArray<PresenceEntryView> }) =>
  props.entries.length === 0 ? null : (
    <>
      <span class="muted">{t("presence.also")}</span>{" "}
      {props.entries.map((entry) => (
        <span class={entry.typing ? "presence-entry typing" : "presence-entry"} data-testid={personal.testIds.presenceEntry} data-user-id={entry.userId} data-typing={String(entry.typing)}>
          {t(entry.typing ? "presence.typing" : "presence.viewing", { name: entry.name })}
        </span>
      ))}
    </>
  )

/**
 * The open dialog's collision line. On load and every 20 s it tells the server the user has the
 * dialog open (the answer is who else has); the live stream replaces its content (out of band,
 * `innerHTML`) when someone else comes, types or goes. notify.js posts `typing` from the composer.
 */
export const PresenceLine = (props: { readonly dialogId: string }) => (
  <div
    id={personal.ids.presence(props.dialogId)}
    class="presence"
    data-testid={personal.testIds.presence}
    data-presence-dialog={props.dialogId}
    hx-post={personal.routes.presence(props.dialogId)}
    hx-trigger="load, every 20s"
    hx-swap="innerHTML"
    aria-live="polite"
  ></div>
)

/** The line's content for the live stream: replaces the children of the page's line. */
export const PresenceUpdate = (props: { readonly dialogId: string; readonly entries: ReadonlyArray<PresenceEntryView> }) => (
  <div id={personal.ids.presence(props.dialogId)} hx-swap-oob="innerHTML">
    <PresenceEntries entries={props.entries} />
  </div>
)
