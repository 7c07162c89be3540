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

/** URLs of the panel. */
export const routes = {
  login: "/login",
  logout: "/logout",
  panel: "/panel",
  events: "/panel/events",
  dialogs: "/panel/dialogs",
  folder: (folder: FolderId) => `/panel/dialogs?folder=${folder}`,
  dialog: (dialogId: string, folder?: FolderId) =>
    `/panel/dialogs/${encodeURIComponent(dialogId)}${folder === undefined ? "" : `?folder=${folder}`}`,
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
  dialogRow: "dialog-row",
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
