import type { Child } from "hono/jsx"
import { t } from "../i18n/index.js"
import { ids, layout, routes, sse, testIds } from "../contract.js"
import type { PanelChrome } from "../views.js"
import { Document, Header, Sidebar, SkipLink } from "./Layout.js"

/**
 * The shell of the screens beside the dialogs (the supervisor board, settings, the audit log):
 * header with the user's screens, folder sidebar, and the user's live stream (counters, and the
 * board where it is shown).
 */
export const AdminShell = (props: { readonly chrome: PanelChrome; readonly title: string; readonly children?: Child }) => (
  <Document title={`${props.title} — Switchboard`} csrfToken={props.chrome.csrfToken}>
    <div class="app" sse-connect={routes.eventsAfter(props.chrome.position)}>
      <SkipLink />
      <div id={ids.sseSink} sse-swap={sse.panel} hx-swap="none"></div>
      <Header user={props.chrome.user} counters={props.chrome.counters} csrfToken={props.chrome.csrfToken} links={props.chrome.links} />
      <div id={ids.notice} class="notice-area" data-testid={testIds.notice} aria-live="polite"></div>
      <div id={ids.liveStatus} class="live-status" data-testid={testIds.liveStatus} role="status" hidden>
        {t("panel.liveInterrupted")}
      </div>
      <main id={layout.ids.main} class="main admin-main" tabindex={-1}>
        <Sidebar folders={props.chrome.folders} current="" personal={props.chrome.personalFolders} />
        <section class="admin-content">{props.children}</section>
      </main>
    </div>
  </Document>
)
