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
  /** The active-filter count on the filters' summary; a search or filter answer updates it out of band. */
  filterCount: "filter-count",
  /** The client tags of the folder with their dialog counts, under the tag filter; loaded when the filters open. */
  tagChoices: "tag-choices",
  dialogPane: "dialog-pane",
  /** Hidden input in the open dialog's pane naming it; list requests send it so its row stays highlighted. */
  dialogSelected: "dialog-selected",
  notice: "notice",
  /** Shown while the live stream is down (panel.js): what the panel shows may be out of date. */
  liveStatus: "live-status",
  /** The open dialog's head (status, actions, SLA pane): replaced out of band by the live stream's `sse.dialogHead`. */
  dialogHead: "dialog-head",
  /** The open dialog's compose area (composer and attach form, or why there is none). */
  dialogCompose: "dialog-compose",
  composer: "composer",
  attach: "attach",
  /** The attach form's (visually hidden) file input, which its label names and opens. */
  attachFile: "attach-file-input",
  /** The attach form's chosen file's name (composer.js writes it). */
  attachFileName: "attach-file-name",
  sseSink: "sse-sink",
  /** A dialog's row in the list. */
  row: (dialogId: string) => `row-${domSafe(dialogId)}`,
  /** A dialog's message history container (new messages are appended to it). */
  messages: (dialogId: string) => `messages-${domSafe(dialogId)}`,
  /** "Show earlier messages" at the top of a dialog's history; it replaces itself with the page before. */
  earlier: (dialogId: string) => `earlier-${domSafe(dialogId)}`,
  /** One message bubble (replaced when it is edited or its delivery status changes). */
  message: (messageId: string) => `msg-${domSafe(messageId)}`,
  /** A folder's unread counter in the sidebar. */
  folderCount: (folder: string) => `folder-count-${folder}`
} as const

/** Events the server triggers in the page (`HX-Trigger-After-Swap`). */
export const events = {
  /** A dialog opened in the pane was marked read (or could not be): the list re-reads its rows to highlight it and show it read. */
  dialogOpened: "dialog-opened",
  /** A pushed row touched a list whose search or period only the server can check: the list re-reads itself (panel.js triggers it). */
  listChanged: "list-changed"
} as const

/**
 * SSE event names on `/panel/events`. Every event that ends what one batch of the store's events
 * brings a stream carries its position as the SSE id (a reconnect's `Last-Event-ID`).
 */
export const sse = {
  /** First on every stream: its data is the stream's id, which the page names when it tells the server its focus (`routes.focus`). */
  ready: "ready",
  /** Pre-rendered out-of-band fragments for the header and the sidebar: the unread counters. */
  panel: "panel",
  /**
   * A message bubble of one dialog, new or changed, sent only to the streams whose page has that
   * dialog open (`routes.focus`). Only that dialog's open history listens for it.
   */
  dialog: (dialogId: string) => `messages:${encodeURIComponent(dialogId)}`,
  /**
   * The open dialog's head (`DialogHead`) as the user may see it now, out of band, with its
   * compose area when that changes too; or a note that they no longer have access. Sent only to
   * the streams whose page has that dialog open, when what the head shows changed.
   */
  dialogHead: (dialogId: string) => `head:${encodeURIComponent(dialogId)}`,
  /**
   * A dialog's list row as the user sees it now (`DialogRow`): the page puts it in place, moves it
   * or takes it out, by the folders, sort keys and filters the row carries (panel.js).
   */
  row: "row",
  /** A dialog left what the user may see (or the page's filters): its id; the page takes its row out. */
  rowRemove: "row-remove",
  /** The stream fell too far behind (a slow reader, a long absence): the page reloads itself. */
  refresh: "refresh"
} as const

/** CSRF token: the hidden form field and the header htmx sends on every request. */
export const csrf = { field: "_csrf", header: "X-CSRF-Token" } as const

/** Field names of the sign-in and password forms. */
export const accountFields = { login: "login", password: "password", current: "currentPassword", next: "newPassword" } as const

/** The panel's folders (DLG-02). */
export type FolderId = "new" | "mine" | "active" | "bot" | "archive"
/** The folders in the sidebar's order. */
export const folderIds: ReadonlyArray<FolderId> = ["new", "mine", "active", "bot", "archive"]

/** Dialog actions the panel posts. */
export type DialogAction =
  | "accept" | "leave" | "close" | "read" | "unread" | "reopen" | "messages" | "draft" | "client-tags" | "files"
  // The further actions (`DialogControls`) and one message's (`messages/:messageId/quote|edit|delete`).
  | "reassign" | "return-to-bot" | "block" | "unblock" | "priority" | "topics" | "detach" | "delete" | "close-now" | "outgoing"
  | `messages/${string}/${"quote" | "edit" | "delete"}`

/** Query parameters of the dialog list (`routes.folder`). */
export const listQuery = {
  folder: "folder",
  /** Full-text search over client names and message text (DLG-19). */
  text: "q",
  /** Keyset cursor: the page after the row it names. */
  cursor: "cursor",
  /** Rows the list shows so far; a live refresh re-reads that many (capped by the server). */
  shown: "shown",
  /** The open dialog, whose row the list highlights. */
  selected: "selected"
} as const

/** Query parameters of the list's filters (DLG-21); an empty one is no filter. */
export const filterQuery = {
  channel: "channel",
  writer: "writer",
  tag: "tag",
  tags: "tags",
  from: "from",
  to: "to",
  operator: "operator",
  bot: "bot"
} as const

/** The list's filters (DLG-21) as URLs carry them; an absent one does not filter. */
export interface ListFilters {
  /** Dialogs in this channel (a channel id). */
  readonly channel?: string | undefined
  /** Who wrote last: the client, or staff (an operator, a bot, a system message). */
  readonly writer?: "client" | "staff" | undefined
  /** Clients with every one of these tags (tag ids, separated by commas or spaces: DLG-21's AND). */
  readonly tag?: string | undefined
  /** Clients without tags, or with a pinned tag. Not together with `tag`. */
  readonly tags?: "none" | "pinned" | undefined
  /** Dialogs with messages written on or after this day (`YYYY-MM-DD`, in the server's time zone). */
  readonly from?: string | undefined
  /** Dialogs with messages written on or before this day. */
  readonly to?: string | undefined
  /** The responsible operator (a user id); for those who see every operator's dialogs. */
  readonly operator?: string | undefined
  /** Dialogs a bot is answering (a bot id, as channels name their bots). */
  readonly bot?: string | undefined
}

/** How many filters are on: the period (from and/or to) and the client-tag filter count once each. */
export const activeFilters = (filters: ListFilters | undefined): number =>
  filters === undefined
    ? 0
    : [filters.channel, filters.writer, filters.tag ?? filters.tags, filters.from ?? filters.to, filters.operator, filters.bot].filter((value) => value !== undefined && value !== "").length

/** Query parameters of an open dialog (`routes.dialog`) besides its list's. */
export const dialogQuery = {
  /** A page of history: the messages before this cursor (MSG-07); none = the newest page. */
  before: "before",
  /** `1`: the newest page even when the list beside has a period (which otherwise opens the history at its end, DLG-21). */
  newest: "newest"
} as const

/** The longest client-tag filter the list accepts (the input's `maxlength`). */
export const tagMaxLength = 100

/** The longest search text the list accepts: the input's `maxlength`; the server answers 400 beyond it. */
export const searchMaxLength = 200

/**
 * Which list a view shows: the folder, its search and filters. List URLs, row links, the open
 * dialog's links and its action URLs all carry it, so every answer (a page, a redirect after an
 * action) shows the same list.
 */
export interface ListParams {
  readonly folder: FolderId
  /** Search text; empty or absent = no search. */
  readonly q?: string | undefined
  readonly filters?: ListFilters | undefined
}

/** `path` with the list's parameters and any extra ones (empty values are left out). */
const withList = (path: string, list: ListParams | undefined, extra: Readonly<Record<string, string | undefined>> = {}) => {
  const params = new URLSearchParams()
  if (list !== undefined) {
    params.set(listQuery.folder, list.folder)
    if (list.q !== undefined && list.q !== "") params.set(listQuery.text, list.q)
    for (const name of Object.values(filterQuery)) {
      const value = list.filters?.[name]
      if (value !== undefined && value !== "") params.set(name, value)
    }
  }
  for (const [name, value] of Object.entries(extra)) if (value !== undefined && value !== "") params.set(name, value)
  const search = params.toString()
  return search === "" ? path : `${path}?${search}`
}

/** Query parameters of `/panel/events` (`Last-Event-ID`, sent by the browser's own reconnect, wins over `after`). */
export const eventsQuery = { after: "after" } as const

/**
 * Fields of the focus POST (`routes.focus`), beside the list's own (`listQuery.folder`, `listQuery.text`
 * and `filterQuery`): the stream's id from `sse.ready`, the open dialog, and the store position its
 * pane was rendered at (bubbles after it that the stream sent elsewhere are sent again).
 */
export const focusFields = { stream: "stream", dialog: "dialog", since: "since" } as const

/** URLs of the panel. */
export const routes = {
  login: "/login",
  logout: "/logout",
  panel: "/panel",
  /** The signed-in user's sessions and password. */
  account: "/panel/account",
  endOtherSessions: "/panel/account/sessions/end-others",
  changePassword: "/panel/account/password",
  events: "/panel/events",
  /** Where a page tells the server what it shows: its stream, the open dialog and the list (see `focusFields`). */
  focus: "/panel/events/focus",
  /**
   * The live stream from a store position on: a page connects with the position it was rendered
   * at, so what is committed between the render and the connection reaches it too.
   */
  eventsAfter: (position: number) => `/panel/events?${eventsQuery.after}=${position}`,
  dialogs: "/panel/dialogs",
  /** A folder's list, unsearched (the sidebar's links). */
  folder: (folder: FolderId) => withList("/panel/dialogs", { folder }),
  /** A list, from a page on (`cursor`) when given. */
  list: (list: ListParams, page: { readonly cursor?: string | undefined } = {}) => withList("/panel/dialogs", list, { [listQuery.cursor]: page.cursor }),
  /** The tag choices of a list's folder (DLG-21), each a link to the list with its tag added to or taken from the filter. */
  tagChoices: (list: ListParams) => withList("/panel/dialogs/tags", list),
  /** An open dialog beside its list; with `before`, the page of its history before that cursor. */
  dialog: (dialogId: string, list?: ListParams, page: { readonly before?: string | undefined; readonly newest?: boolean } = {}) =>
    withList(`/panel/dialogs/${encodeURIComponent(dialogId)}`, list, { [dialogQuery.before]: page.before, [dialogQuery.newest]: page.newest === true ? "1" : undefined }),
  /** A dialog action; the list rides along so the answer (a redirect without JavaScript) shows it again. */
  action: (dialogId: string, action: DialogAction, list?: ListParams) => withList(`/panel/dialogs/${encodeURIComponent(dialogId)}/${action}`, list),
  /** Delete several dialogs at once (DLG-12): the form sends `id` once per dialog. */
  deleteDialogs: (list?: ListParams) => withList("/panel/dialogs/delete", list),
  /** A stored file (an attachment), for those who may see one of its dialogs. */
  file: (fileId: string) => `/panel/files/${encodeURIComponent(fileId)}`,
  /** A static asset the panel serves (`assets`). */
  asset: (name: string) => `/assets/${name}`,
  /** The JSON API's inbound endpoint of a channel. */
  inbound: (channelId: string) => `/api/channels/${encodeURIComponent(channelId)}/inbound`
} as const

/** `data-testid` values used by the browser and HTTP tests. */
export const testIds = {
  login: "login",
  /** The sign-in button of a demo user. */
  loginAs: (userId: string) => `login-as-${userId}`,
  loginError: "login-error",
  demoPassword: "demo-password",
  account: "account",
  session: "session",
  endOtherSessions: "end-other-sessions",
  passwordNotice: "password-notice",
  user: "current-user",
  unreadTotal: "unread-total",
  /** A folder's link in the sidebar. */
  folder: (folder: FolderId) => `folder-${folder}`,
  /** A folder's unread counter in the sidebar. */
  folderCount: (folder: FolderId) => `folder-count-${folder}`,
  dialogList: "dialog-list",
  dialogSearch: "dialog-search",
  searchText: "search-text",
  filters: "filters",
  filterCount: "filter-count",
  /** One filter's control in the filter form. */
  filter: (name: keyof typeof filterQuery) => `filter-${name}`,
  clearFilters: "clear-filters",
  tagChoices: "tag-choices",
  tagChoice: "tag-choice",
  rowTags: "row-tags",
  clientTags: "client-tags",
  /** One of the client's tags in the client card. */
  clientTag: (tagId: string) => `client-tag-${tagId}`,
  /** The pin toggle of one of the client's tags. */
  clientTagPinned: (tagId: string) => `client-tag-pinned-${tagId}`,
  saveClientTags: "save-client-tags",
  dialogResults: "dialog-results",
  dialogRow: "dialog-row",
  listEmpty: "list-empty",
  loadMore: "load-more",
  dialogView: "dialog-view",
  dialogHead: "dialog-head",
  message: "message",
  showEarlier: "show-earlier",
  latestMessages: "latest-messages",
  composer: "composer",
  composerText: "composer-text",
  composerInternal: "composer-internal",
  /** The composer's form that sends a file (MSG-06). */
  attach: "attach",
  attachFile: "attach-file",
  attachChoose: "attach-choose",
  attachFileName: "attach-file-name",
  attachSend: "attach-send",
  /** A file in a message bubble: an image preview or a link. */
  attachment: "attachment",
  send: "send",
  accept: "accept",
  leave: "leave",
  close: "close",
  closeReason: "close-reason",
  markUnread: "mark-unread",
  /** The open pane's hidden element that marks the dialog read once the pane is shown. */
  markRead: "mark-read",
  notice: "notice",
  liveStatus: "live-status"
} as const

/** The settings screen's sections (SET-01, SET-02, catalogs), each a form of its own. */
export type SettingsSection = "company" | "files" | "closeReasons" | "topics" | "tags" | "priorities" | "statuses" | "skillGroups" | "clientCard"

/** The settings screen's sections in page order. */
export const settingsSections: ReadonlyArray<SettingsSection> = ["company", "files", "closeReasons", "topics", "tags", "priorities", "statuses", "skillGroups", "clientCard"]

/**
 * The supervisor board and the admin screens (issue 22): their URLs, swap targets, SSE event,
 * form fields and test ids.
 */
export const admin = {
  routes: {
    /** The supervisor board (OPS-02, DLG-22). */
    board: "/panel/board",
    /** Where the board's page names its live stream; the board is then pushed to it on every change. */
    boardWatch: "/panel/board/watch",
    /** Set an operator's status from the board. */
    operatorStatus: (userId: string) => `/panel/board/operators/${encodeURIComponent(userId)}/status`,
    /** Send an operator's dialogs back to their queues (OPS-05). */
    redistribute: (userId: string) => `/panel/board/operators/${encodeURIComponent(userId)}/redistribute`,
    /** Company settings and catalogs. */
    settings: "/panel/settings",
    /** One section's form. */
    settingsSection: (section: SettingsSection) => `/panel/settings/${section}`,
    /** Who changed which setting, when, before and after; `before` pages back. */
    audit: "/panel/settings/audit",
    auditBefore: (before: number) => `/panel/settings/audit?before=${before}`,
    /** Users and custom roles (OPS-01): the list, and creating a user. */
    users: "/panel/users",
    /** The custom roles' form. */
    roles: "/panel/users/roles",
    /** One user's role, activation, password and routing profile. */
    userRole: (userId: string) => `/panel/users/${encodeURIComponent(userId)}/role`,
    userActive: (userId: string) => `/panel/users/${encodeURIComponent(userId)}/active`,
    userPassword: (userId: string) => `/panel/users/${encodeURIComponent(userId)}/password`,
    userRouting: (userId: string) => `/panel/users/${encodeURIComponent(userId)}/routing`,
    /** One operator's shift (a working-time calendar as JSON) with the next seven days' preview; "Check" previews without saving. */
    userShift: (userId: string) => `/panel/users/${encodeURIComponent(userId)}/shift`,
    userShiftPreview: (userId: string) => `/panel/users/${encodeURIComponent(userId)}/shift/preview`,
    /** The SLA calendar and policies as JSON, with a preview of the working hours. */
    sla: "/panel/settings/sla",
    slaPreview: "/panel/settings/sla/preview"
  },
  ids: {
    /** The board's content, replaced whole by each live push (out of band). */
    board: "board",
    /** One settings section (its form), replaced by its own answer. */
    section: (section: SettingsSection) => `settings-${section}`
  },
  /** The board's SSE event on `/panel/events`: the whole board, rendered, for an out-of-band swap. */
  sse: { board: "board" },
  /** The board's form fields. */
  fields: { stream: "stream", status: "statusId" },
  testIds: {
    nav: (screen: "board" | "settings" | "audit" | "users" | "sla") => `nav-${screen}`,
    userRow: "user-row",
    createUser: "create-user",
    roleRow: "role-row",
    saveRoles: "save-roles",
    formError: "form-error",
    slaEditor: "sla-editor",
    slaPreview: "sla-preview",
    previewDay: "preview-day",
    /** The client card configuration's JSON editor in the settings screen (CLI-02, CLI-04). */
    cardEditor: "card-editor",
    /** One operator's shift editor, its preview, its summary and link on the users screen. */
    shiftEditor: "shift-editor",
    shiftPreview: "shift-preview",
    shiftCheck: "shift-check",
    shiftSave: "shift-save",
    shiftClear: "shift-clear",
    shiftLink: "shift-link",
    userQueues: "user-queues",
    board: "board",
    boardOperator: "board-operator",
    boardQueue: "board-queue",
    operatorStatus: "operator-status",
    setStatus: "set-status",
    redistribute: "redistribute",
    settingsSection: (section: SettingsSection) => `settings-${section}`,
    saveSection: (section: SettingsSection) => `save-${section}`,
    fieldError: "field-error",
    sectionError: "section-error",
    saved: "saved",
    auditEntry: "audit-entry",
    auditChange: "audit-change"
  }
} as const

/**
 * The composer's names (MSG-08, MSG-11, PRD-01): its tools' DOM ids, its routes, the quick replies'
 * management page and the preferences form on the account page. composer.js reads the `data-*`
 * attributes named here.
 */
export const composerNames = {
  ids: {
    /** The quick replies' picker under the composer: the choices for the `/` typed or the button pressed. */
    quickReplyPicker: "quick-reply-picker",
    /** Where the emoji picker opens (composer.js creates it on the first press). */
    emojiPanel: "emoji-panel",
    /** The composer's character counter, against the channel's text limit. */
    counter: "composer-counter"
  },
  routes: {
    /** The quick replies a user may insert into a dialog, their variables filled for it; `q` narrows them. */
    dialogQuickReplies: (dialogId: string) => `/panel/dialogs/${encodeURIComponent(dialogId)}/quick-replies`,
    /** The quick replies' management page (list, create); POST creates one. */
    quickReplies: "/panel/quick-replies",
    /** The management page with its form filled with a message's text (MSG-09). */
    quickRepliesFrom: (text: string) => `/panel/quick-replies?text=${encodeURIComponent(text)}`,
    /** POST deletes a quick reply. */
    deleteQuickReply: (id: string) => `/panel/quick-replies/${encodeURIComponent(id)}/delete`,
    /** POST saves the user's composer preferences (send key, signature). */
    preferences: "/panel/account/composer"
  },
  /** The query parameter of the picker's search (the text after `/`). */
  query: "q",
  /** Form fields of a new quick reply and of the preferences. */
  fields: { scope: "scope", category: "category", title: "title", text: "text", sendKey: "sendKey", signature: "signature" },
  testIds: {
    quickRepliesButton: "quick-replies-button",
    quickReplyPicker: "quick-reply-picker",
    quickReplyChoice: "quick-reply-choice",
    saveAsQuickReply: "save-as-quick-reply",
    emojiButton: "emoji-button",
    emojiPanel: "emoji-panel",
    counter: "composer-counter",
    quickRepliesPage: "quick-replies-page",
    quickReply: "quick-reply",
    quickReplyForm: "quick-reply-form",
    quickReplyError: "quick-reply-error",
    deleteQuickReply: "delete-quick-reply",
    preferencesForm: "composer-preferences",
    preferencesNotice: "composer-preferences-notice",
    signature: "signature",
    sendKey: "send-key"
  }
} as const

/**
 * The account page's language and time zone form (issue 22): the route, its fields (an empty
 * language = the company's, an empty zone = the server's) and test ids.
 */
export const localeNames = {
  route: "/panel/account/locale",
  fields: { language: "language", timeZone: "timeZone" },
  testIds: { form: "locale-form", notice: "locale-notice", language: "locale-language", timeZone: "locale-time-zone" }
} as const

/**
 * The operator's own day (issue 21 "More"): their status switch in the header (OPS-02), their
 * notification switches (NTF-01, NTF-02), who else has a dialog open (collision), and their
 * personal folders. panel.js reads the `data-*` attributes named here.
 */
export const personal = {
  routes: {
    /** POST sets the signed-in user's own status. */
    status: "/panel/account/status",
    /** POST saves the user's notification switches (desktop notifications, sounds). */
    notifications: "/panel/account/notifications",
    /** POST says the user has the dialog open, or is typing in it (collision). */
    presence: (dialogId: string) => `/panel/dialogs/${encodeURIComponent(dialogId)}/presence`,
    /** POST saves the list as it is filtered now as a personal folder (DLG-02). */
    folders: "/panel/folders",
    /** POST renames, moves or deletes one of the user's folders. */
    folder: (folderId: string, action: "rename" | "move" | "delete") => `/panel/folders/${encodeURIComponent(folderId)}/${action}`,
    /** Where the user manages their folders. */
    manageFolders: "/panel/account#folders",
    /** POST saves how the user's list looks: list or table, and its order (DLG-20, DLG-22). */
    listLook: "/panel/account/list"
  },
  ids: {
    /** The header's status switch, replaced by its own answer. */
    statusSwitch: "status-switch",
    /** Who else has the open dialog open or is typing in it; replaced by the live stream's `sse.presence`. */
    presence: (dialogId: string) => `presence-${domSafe(dialogId)}`
  },
  /** SSE event names on `/panel/events`. */
  sse: {
    /** Who else views or types in a dialog: a rendered line for an out-of-band swap. */
    presence: "presence",
    /** Something to notify about (NTF-01/02): JSON `{ kind, folder, dialogId, text, title }`. */
    notify: "notify"
  },
  fields: { status: "statusId", desktop: "desktop", sound: "sound", typing: "typing", stream: "stream", name: "name", direction: "direction", view: "view", sort: "sort" },
  /** `data-*` attributes panel.js reads from the page's `<body>`: the user's switches. */
  data: { desktop: "data-notify-desktop", sound: "data-notify-sound" },
  testIds: {
    statusSwitch: "status-switch",
    statusChoice: "status-choice",
    statusSave: "status-save",
    notificationsForm: "notifications-form",
    notificationsNotice: "notifications-notice",
    desktop: "notify-desktop",
    sound: "notify-sound",
    enableDesktop: "enable-desktop-notifications",
    presence: "presence",
    presenceEntry: "presence-entry",
    saveFolder: "save-folder",
    folderName: "folder-name",
    personalFolder: "personal-folder",
    folderRow: "folder-row",
    renameFolder: "rename-folder",
    moveUp: "folder-up",
    moveDown: "folder-down",
    deleteFolder: "delete-folder",
    listLook: "list-look",
    listView: "list-view",
    listSort: "list-sort",
    tableHead: "table-head"
  }
} as const

/**
 * The panel's layout and keyboard aids (issue 21): the skip link's target, the phone layout's way
 * back from a dialog to its list, selecting rows for a bulk delete (DLG-12), the attachments
 * gallery (MSG-10) and reopening a closed dialog.
 */
export const layout = {
  ids: {
    /** The page's main region, the skip link's target. */
    main: "main-content",
    /** The list's bulk-delete form (DLG-12); the rows' checkboxes belong to it by `form=`. */
    bulkForm: "bulk-delete"
  },
  routes: {
    /** POST deletes the checked dialogs (DLG-12). */
    deleteMany: (list: ListParams) => withList("/panel/dialogs/delete", list),
    /** GET a dialog's attachments gallery (MSG-10): `tab` images or files. */
    gallery: (dialogId: string, tab: "images" | "files") => `/panel/dialogs/${encodeURIComponent(dialogId)}/gallery?tab=${tab}`
  },
  fields: { id: "id", tab: "tab" },
  testIds: {
    skipLink: "skip-link",
    backToList: "back-to-list",
    selectRow: "select-row",
    selectAll: "select-all",
    bulkDelete: "bulk-delete",
    gallery: "gallery",
    galleryTab: (tab: "images" | "files") => `gallery-tab-${tab}`,
    galleryItem: "gallery-item",
    reopen: "reopen"
  }
} as const
