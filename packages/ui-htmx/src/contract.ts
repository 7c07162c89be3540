/**
 * The names the server and the templates share: DOM ids, SSE event names, routes, form fields.
 * Change them here and both sides follow; nothing else spells them out.
 */

/** Turns any id into a safe DOM id fragment (ids may contain dots, which CSS selectors read as classes). */
export const domSafe = (id: string): string => id.replace(/[^A-Za-z0-9_-]/g, "_")

/** DOM ids of swap targets. */
export const ids = {
  header: "panel-header",
  unreadTotal: "unread-total",
  sidebar: "sidebar",
  dialogList: "dialog-list",
  /** The list's search form (DLG-19); every list request syncs on it, so a new search wins. */
  dialogSearch: "dialog-search",
  /** The rows under the search box: what a search, a live refresh or a page swaps. */
  dialogResults: "dialog-results",
  /** The "Load more" item at the end of the rows; it replaces itself with the next page. */
  dialogMore: "dialog-more",
  /** Hidden input holding how many rows the list shows; a live refresh re-reads that many. */
  dialogShown: "dialog-shown",
  dialogPane: "dialog-pane",
  notice: "notice",
  composer: "composer",
  sseSink: "sse-sink",
  row: (dialogId: string) => `row-${domSafe(dialogId)}`,
  messages: (dialogId: string) => `messages-${domSafe(dialogId)}`,
  message: (messageId: string) => `msg-${domSafe(messageId)}`,
  folderCount: (folder: string) => `folder-count-${folder}`
} as const

/** SSE event names on `/panel/events`. */
export const sse = {
  /** Pre-rendered out-of-band fragments: counters, message bubbles, changed messages. Carries the event id. */
  panel: "panel",
  /** The visible dialog list may have changed: the list re-fetches itself. */
  dialogs: "dialogs"
} as const

/** CSRF token: the hidden form field and the header htmx sends on every request. */
export const csrf = { field: "_csrf", header: "X-CSRF-Token" } as const

/** The panel's folders (DLG-02). */
export type FolderId = "new" | "mine" | "active" | "bot" | "archive"
export const folderIds: ReadonlyArray<FolderId> = ["new", "mine", "active", "bot", "archive"]

/** Dialog actions the panel posts. */
export type DialogAction = "accept" | "leave" | "close" | "unread" | "messages" | "draft"

/** Query parameters of the dialog list (`routes.folder`). */
export const listQuery = {
  folder: "folder",
  /** Full-text search over client names and message text (DLG-19). */
  text: "q",
  /** Keyset cursor: the page after the row it names. */
  cursor: "cursor",
  /** Rows the list shows so far; a live refresh re-reads that many (capped by the server). */
  shown: "shown"
} as const

/** The longest search text the list accepts: the input's `maxlength`; the server answers 400 beyond it. */
export const searchMaxLength = 200

/** A dialog list's URL: the folder, and the search and page when given (empty ones are left out). */
const listUrl = (path: string, query: { readonly folder?: FolderId | undefined; readonly q?: string | undefined; readonly cursor?: string | undefined }) => {
  const params = new URLSearchParams()
  if (query.folder !== undefined) params.set(listQuery.folder, query.folder)
  if (query.q !== undefined && query.q !== "") params.set(listQuery.text, query.q)
  if (query.cursor !== undefined) params.set(listQuery.cursor, query.cursor)
  const search = params.toString()
  return search === "" ? path : `${path}?${search}`
}

/** URLs of the panel. */
export const routes = {
  login: "/login",
  logout: "/logout",
  panel: "/panel",
  events: "/panel/events",
  dialogs: "/panel/dialogs",
  /** A folder's list, optionally searched (`q`) and from a page on (`cursor`). */
  folder: (folder: FolderId, query: { readonly q?: string | undefined; readonly cursor?: string | undefined } = {}) =>
    listUrl("/panel/dialogs", { folder, ...query }),
  /** An open dialog; `folder` and `q` keep the list beside it as it was. */
  dialog: (dialogId: string, folder?: FolderId, q?: string) => listUrl(`/panel/dialogs/${encodeURIComponent(dialogId)}`, { folder, q }),
  action: (dialogId: string, action: DialogAction) => `/panel/dialogs/${encodeURIComponent(dialogId)}/${action}`,
  asset: (name: string) => `/assets/${name}`,
  inbound: (channelId: string) => `/api/channels/${encodeURIComponent(channelId)}/inbound`
} as const

/** `data-testid` values used by the browser and HTTP tests. */
export const testIds = {
  login: "login",
  loginAs: (userId: string) => `login-as-${userId}`,
  user: "current-user",
  unreadTotal: "unread-total",
  folder: (folder: FolderId) => `folder-${folder}`,
  folderCount: (folder: FolderId) => `folder-count-${folder}`,
  dialogList: "dialog-list",
  dialogSearch: "dialog-search",
  searchText: "search-text",
  dialogResults: "dialog-results",
  dialogRow: "dialog-row",
  listEmpty: "list-empty",
  loadMore: "load-more",
  dialogView: "dialog-view",
  message: "message",
  composer: "composer",
  composerText: "composer-text",
  composerInternal: "composer-internal",
  send: "send",
  accept: "accept",
  leave: "leave",
  close: "close",
  closeReason: "close-reason",
  markUnread: "mark-unread",
  notice: "notice"
} as const
