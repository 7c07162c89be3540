import { html } from "hono/html"
import type { Child } from "hono/jsx"
import { admin, csrf, ids, layout, routes, sse, testIds } from "../contract.js"
import type { NavLinkView } from "../adminViews.js"
import { StatusSwitch } from "./StatusSwitch.js"
import { PersonalFolderLinks } from "./PersonalFolders.js"
import type { CountersView, FolderView, PanelChrome, PersonalFolderView, UserView } from "../views.js"
import { t, tId, useLocale } from "../i18n/index.js"

/**
 * htmx settings: only same-origin requests, no `eval`, no injected styles (the CSP forbids them),
 * and 400/404/409/422 fragments swap like successes so rejections reach the page (STYLE.md).
 * Back/forward reloads a pushed URL without `HX-Request`, so the server answers with the whole
 * page (the URL serves a fragment to htmx requests).
 */
export const htmxConfig = JSON.stringify({
  selfRequestsOnly: true,
  allowEval: false,
  allowScriptTags: false,
  includeIndicatorStyles: false,
  historyCacheSize: 0,
  historyRestoreAsHxRequest: false,
  // New content is processed (its SSE listeners attached) in the same task as the swap: with htmx's
  // default 20 ms settle delay, a list signal arriving in between reached neither the old rows nor the new.
  defaultSettleDelay: 0,
  responseHandling: [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "(400|404|409|413|422)", swap: true, error: false },
    { code: "[45]..", swap: false, error: true }
  ]
})

/**
 * The HTML document: the doctype (without it browsers render in quirks mode), head with assets and
 * htmx config, and the page body. Every full page goes through here.
 */
export const Document = (props: {
  readonly title: string
  readonly csrfToken?: string
  /** The user's notification switches (NTF-01/02), read by notify.js from the body. */
  readonly notifications?: { readonly desktop: boolean; readonly sound: boolean } | undefined
  readonly children?: Child
}) => (
  <>
    {html`<!DOCTYPE html>`}
    <html lang={useLocale().language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={htmxConfig} />
        <title>{props.title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={routes.asset("panel.css")} />
        <script src={routes.asset("htmx.min.js")}></script>
        <script src={routes.asset("sse.js")}></script>
        <script src={routes.asset("panel.js")} defer></script>
        <script src={routes.asset("composer.js")} defer></script>
        <script src={routes.asset("notify.js")} defer></script>
        <script src={routes.asset("presence.js")} defer></script>
      </head>
      <body
        hx-ext="sse"
        hx-headers={props.csrfToken === undefined ? undefined : JSON.stringify({ [csrf.header]: props.csrfToken })}
        data-notify-desktop={props.notifications === undefined ? undefined : String(props.notifications.desktop)}
        data-notify-sound={props.notifications === undefined ? undefined : String(props.notifications.sound)}
      >
        {props.children}
      </body>
    </html>
  </>
)

/** A count in a badge with a fixed id, styled `whenSome` when above zero; `oob` renders it for an out-of-band swap. */
export const CountBadge = (props: {
  readonly id: string
  readonly testId: string
  readonly title: string
  readonly count: number
  readonly whenSome: string
  readonly whenNone: string
  readonly oob?: boolean | undefined
}) => (
  <span
    id={props.id}
    class={props.count > 0 ? props.whenSome : props.whenNone}
    data-testid={props.testId}
    title={props.title}
    hx-swap-oob={props.oob === true ? "true" : undefined}
  >
    {props.count}
  </span>
)

/** The header's unread-dialogs badge; `oob` renders it for an out-of-band swap. */
export const UnreadTotal = (props: { readonly total: number; readonly oob?: boolean }) => (
  <CountBadge id={ids.unreadTotal} testId={testIds.unreadTotal} title={t("panel.unreadDialogs")} count={props.total} whenSome="badge badge-alert" whenNone="badge" oob={props.oob} />
)

/** Header: product name, unread total, the screens the user may use, user and status, sign-out. */
export const Header = (props: { readonly user: UserView; readonly counters: CountersView; readonly csrfToken: string; readonly links?: ReadonlyArray<NavLinkView> | undefined }) => (
  <header id={ids.header} class="header">
    <a class="brand" href={routes.panel}>Switchboard</a>
    <span class="header-unread">{t("panel.unread")} <UnreadTotal total={props.counters.total} /></span>
    {(props.links ?? []).map((link) => (
      <a class="link nav-link" href={link.href} data-testid={admin.testIds.nav(link.screen)}>{t(`nav.${link.screen}`)}</a>
    ))}
    <span class="spacer"></span>
    <span class="user" data-testid={testIds.user}>
      <span class={`status-dot status-${props.user.status.toLowerCase()}`}></span>
      {props.user.name} <small>({props.user.statusSwitch === undefined ? `${tId("roles", props.user.role, props.user.role)}, ${tId("statuses", props.user.status, props.user.status)}` : tId("roles", props.user.role, props.user.role)})</small>
    </span>
    {props.user.statusSwitch === undefined ? null : <StatusSwitch view={props.user.statusSwitch} csrfToken={props.csrfToken} />}
    <a class="link" href={routes.account} data-testid={testIds.account}>{t("panel.account")}</a>
    <form method="post" action={routes.logout} class="inline">
      <input type="hidden" name={csrf.field} value={props.csrfToken} />
      <button type="submit" class="link">{t("panel.signOut")}</button>
    </form>
  </header>
)

/** A folder's unread badge; `oob` renders it for an out-of-band swap from the live stream. */
export const FolderCount = (props: { readonly folder: FolderView["id"]; readonly unread: number; readonly oob?: boolean }) => (
  <span
    id={ids.folderCount(props.folder)}
    class={props.unread > 0 ? "badge badge-alert" : "badge hidden"}
    data-testid={testIds.folderCount(props.folder)}
    hx-swap-oob={props.oob === true ? "true" : undefined}
  >
    {props.unread}
  </span>
)

/**
 * Folder sidebar with unread badges (DLG-02, DLG-09); `oob` for an out-of-band refresh. A folder
 * link aborts whatever the list has in flight (a search, a refresh, a next page): a late answer
 * for the old folder would otherwise push its URL or swap its parts over the new folder.
 */
export const Sidebar = (props: { readonly folders: ReadonlyArray<FolderView>; readonly current: string; readonly oob?: boolean; readonly personal?: ReadonlyArray<PersonalFolderView> | undefined }) => (
  <nav id={ids.sidebar} class="sidebar" hx-swap-oob={props.oob === true ? "true" : undefined}>
    <ul>
      {props.folders.map((folder) => (
        <li>
          <a
            href={routes.folder(folder.id)}
            hx-get={routes.folder(folder.id)}
            hx-target={`#${ids.dialogList}`}
            hx-swap="outerHTML"
            hx-push-url="true"
            hx-sync={`#${ids.dialogSearch}:replace`}
            class={folder.id === props.current ? "folder current" : "folder"}
            data-testid={testIds.folder(folder.id)}
            aria-current={folder.id === props.current ? "page" : undefined}
          >
            <span>{t(`folders.${folder.id}`)}</span>
            <FolderCount folder={folder.id} unread={folder.unread ?? 0} />
          </a>
        </li>
      ))}
    </ul>
    <PersonalFolderLinks folders={props.personal} />
  </nav>
)

/** The first thing a keyboard reaches: straight past the header to the page's content. */
export const SkipLink = () => (
  <a class="skip-link" href={`#${layout.ids.main}`} data-testid={layout.testIds.skipLink}>{t("phone.skipToContent")}</a>
)

/**
 * The signed-in shell: header, sidebar, list and dialog pane, all inside the user's SSE connection.
 * `data-open` says whether a dialog is open: on a phone the list and the dialog are two screens.
 */
export const PanelShell = (props: { readonly chrome: PanelChrome; readonly list: Child; readonly pane: Child }) => (
  <Document title={props.chrome.counters.total > 0 ? `(${props.chrome.counters.total}) Switchboard` : "Switchboard"} csrfToken={props.chrome.csrfToken} notifications={props.chrome.notifications}>
    <div class="app" sse-connect={routes.eventsAfter(props.chrome.position)}>
      <SkipLink />
      <div id={ids.sseSink} sse-swap={sse.panel} hx-swap="none"></div>
      <Header user={props.chrome.user} counters={props.chrome.counters} csrfToken={props.chrome.csrfToken} links={props.chrome.links} />
      <div id={ids.notice} class="notice-area" data-testid={testIds.notice} aria-live="polite"></div>
      <div id={ids.liveStatus} class="live-status" data-testid={testIds.liveStatus} role="status" hidden>
        {t("panel.liveInterrupted")}
      </div>
      <main id={layout.ids.main} class="main" tabindex={-1}>
        <Sidebar folders={props.chrome.folders} current={props.chrome.folder} personal={props.chrome.personalFolders} />
        {props.list}
        {props.pane}
      </main>
    </div>
  </Document>
)
