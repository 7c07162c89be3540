import type { NavLinkView } from "./adminViews.js"
import type { FolderId, ListFilters, ListParams } from "./contract.js"

/**
 * View models: plain data the components render. The server builds them from engine state
 * (`toView` in `@switchboard/server`); components never fetch, never know Effect.
 */

/** The signed-in user, as the header shows them. */
export interface UserView {
  readonly id: string
  readonly name: string
  readonly role: string
  readonly status: string
  /** The user's own status switch (OPS-02), when the core lets them set their status. */
  readonly statusSwitch?: StatusSwitchView | undefined
}

/** A personal folder (DLG-02): its name and the list URL it saved. */
export interface PersonalFolderView {
  readonly id: string
  readonly name: string
  readonly href: string
}

/** The company's operator statuses and the user's current one, for the header's switch. */
export interface StatusSwitchView {
  readonly current: string
  readonly statuses: ReadonlyArray<{ readonly id: string; readonly name: string; readonly receivesDialogs: boolean }>
}

/** Unread dialogs: the header total and the New / Mine folder badges (DLG-09). */
export interface CountersView {
  readonly total: number
  readonly new: number
  readonly mine: number
}

/** One folder entry in the sidebar. */
export interface FolderView {
  readonly id: FolderId
  /** Shown as a badge when present and above zero. */
  readonly unread?: number
}

/** What every panel page needs besides its content. */
export interface PanelChrome {
  readonly user: UserView
  readonly counters: CountersView
  readonly folders: ReadonlyArray<FolderView>
  readonly folder: FolderId
  readonly csrfToken: string
  /** The store position read before the page's data: the live stream resumes after it. */
  readonly position: number
  /** Links to the screens the user may use beside the dialogs (board, settings, audit log). */
  readonly links?: ReadonlyArray<NavLinkView> | undefined
  /** The user's personal folders (DLG-02), in their order. */
  readonly personalFolders?: ReadonlyArray<PersonalFolderView> | undefined
  /** The user's notification switches (NTF-01/02): the page plays sounds and shows desktop notifications by them. */
  readonly notifications?: { readonly desktop: boolean; readonly sound: boolean } | undefined
}

/** One line of the dialog list. */
export interface DialogRowView {
  readonly id: string
  readonly clientName: string
  readonly channelName: string
  readonly status: "bot" | "queued" | "active" | "closed"
  /** The viewer's draft (DLG-11) or the last message. */
  readonly preview: string
  readonly previewIsDraft: boolean
  readonly unread: number
  readonly assigneeName: string | undefined
  /** Display time and its ISO form for `<time datetime>`. */
  readonly time: string
  readonly timeIso: string
  readonly selected: boolean
  /** SLA label (SLA-04): yellow when a target is close, red when breached. */
  readonly sla: "warning" | "breached" | undefined
  /** The client's pinned tags, under their name (DLG-21). */
  readonly pinnedTags: ReadonlyArray<TagView>
  /** The folders the dialog is in for the viewer (DLG-02): a page shows a pushed row only in these. */
  readonly folders: ReadonlyArray<FolderId>
  /** Sort keys as `rank key` (then the id): by last activity, and New's processing order (DLG-20). */
  readonly sortActivity: string
  readonly sortProcessing: string
  readonly channelId: string
  readonly assigneeId: string | undefined
}

/** A client tag as the panel shows it: its name and colour (`#rrggbb`) from the company's catalog. */
export interface TagView {
  readonly id: string
  readonly name: string
  readonly color: string
}

/** Something to filter the list by: a channel, an operator. */
export interface FilterChoiceView {
  readonly id: string
  readonly name: string
}

/** What the list's filter form offers (DLG-21). */
export interface FilterOptionsView {
  readonly channels: ReadonlyArray<FilterChoiceView>
  /** Operators to filter by; none for a user who sees only their own dialogs. */
  readonly operators: ReadonlyArray<FilterChoiceView> | undefined
  /** The bots the company's channels hand dialogs to; the bot filter shows only when there is one. */
  readonly bots: ReadonlyArray<FilterChoiceView>
  /** The time zone the period's days are read in (the server's, as the list's times are shown). */
  readonly timeZone: string
}

/**
 * One page of a folder's dialog list (DLG-02), narrowed by a search when `q` is set (DLG-19) and
 * by its filters (DLG-21).
 */
/** A client tag the list can be filtered by (DLG-21): its colour, its dialogs in the folder, and the list with it toggled. */
export interface TagChoiceView {
  readonly id: string
  readonly name: string
  /** `#rrggbb`, from the company's tag catalog (a neutral grey for a tag it does not list). */
  readonly color: string
  /** The folder's dialogs whose client carries the tag. */
  readonly dialogs: number
  /** The tag is in the list's filter. */
  readonly selected: boolean
  /** The list with this tag added to the filter (AND) or, if selected, taken out of it. */
  readonly toggled: ListParams
}

/** One folder's dialog list as rendered: its rows, the search and filters applied, and where the next page starts. */
export interface DialogListView {
  readonly folder: FolderId
  /** The search text, trimmed; empty when the list is not searched. */
  readonly q: string
  readonly filters: ListFilters
  readonly filterOptions: FilterOptionsView
  readonly rows: ReadonlyArray<DialogRowView>
  /** Where the next page starts, when there may be more (keyset paging). */
  readonly nextCursor: string | undefined
  /** Rows the list shows once these are in, earlier pages included (a live refresh re-reads that many). */
  readonly shown: number
  /** The user may delete dialogs (DLG-12): the list offers choosing rows and deleting them together. */
  readonly canDelete?: boolean | undefined
  /** How the user's list looks (DLG-20, DLG-22): list or table, the chosen order, and the order in force. */
  readonly look?: ListLookView | undefined
}

/** The user's list look: chat list or table, their sort choice and the sort the list is in. */
export interface ListLookView {
  readonly view: "list" | "table"
  readonly sort: "auto" | "lastActivity" | "processingOrder"
  readonly sortBy: "lastActivity" | "processingOrder"
}

/** Who wrote a message, as the bubble's style shows it. */
export type AuthorKind = "client" | "operator" | "bot" | "system"

/** One message bubble (MSG-01, MSG-02, MSG-04). */
export interface MessageView {
  readonly id: string
  readonly dialogId: string
  readonly author: AuthorKind
  readonly authorName: string
  readonly text: string
  readonly internal: boolean
  readonly time: string
  readonly timeIso: string
  readonly delivery: { readonly status: string; readonly reason: string | undefined } | undefined
  readonly edited: boolean
  readonly deleted: boolean
  /** A blocked client's message, kept for the record only (DLG-10). */
  readonly rejected: boolean
  /** Its files (MSG-06): images with a preview, others as links. */
  readonly attachments?: ReadonlyArray<AttachmentView>
  /** The message it replies to (MSG-03): its author and text when known, else only that it quotes one. */
  readonly quote?: { readonly authorName: string | undefined; readonly text: string | undefined } | undefined
}

/** A file in a message bubble. `url` is absent when the file is not kept (only its name is known). */
export interface AttachmentView {
  readonly name: string
  readonly url: string | undefined
  /** Shown as a clickable preview (MSG-06: PNG/JPG/GIF under 2 MB). */
  readonly preview: boolean
  /** Its size as people read it ("1.5 MB"). */
  readonly size: string
}

/** A close reason to choose from (DLG-06). */
export interface CloseReasonView {
  readonly id: string
  readonly name: string
}

/** One SLA metric of the open dialog (SLA-05): target, due, elapsed and remaining working minutes, status. */
export interface SlaMetricView {
  readonly label: string
  /** Which metric (the label is shown in the user's language by it). */
  readonly metric?: "firstResponse" | "nextResponse" | "timeToClose" | undefined
  readonly status: "running" | "paused" | "warning" | "met" | "breached"
  readonly targetMinutes: number
  readonly elapsedMinutes: number
  readonly remainingMinutes: number
  /** Display time of the due instant; none while paused. */
  readonly due: string | undefined
  /** The due instant (ISO), shown in the user's language and time zone; none while paused. */
  readonly dueIso?: string | undefined
}

/** A page of an open dialog's history (MSG-07): messages oldest first, and where the page before starts. */
export interface HistoryView {
  readonly dialogId: string
  /** The list beside the dialog; the page links carry it. */
  readonly list: ListParams
  readonly messages: ReadonlyArray<MessageView>
  /** The cursor of the page before these messages, when there are older ones. */
  readonly earlier: string | undefined
}

/** The open dialog: header, history (oldest first), actions and composer. */
export interface DialogView {
  readonly id: string
  readonly clientName: string
  /** The client, for the link to their card (CLI-01); none once detached. */
  readonly clientId?: string | undefined
  readonly channelName: string
  readonly status: "bot" | "queued" | "active" | "closed"
  readonly assigneeName: string | undefined
  /** A page of history, oldest first: the newest page unless `latest` is false. */
  readonly messages: ReadonlyArray<MessageView>
  /** The cursor of the page before `messages`, when there are older ones. */
  readonly earlier: string | undefined
  /** Whether `messages` ends with the newest message; only then do live messages append to it. */
  readonly latest: boolean
  readonly canAccept: boolean
  readonly canLeave: boolean
  readonly canClose: boolean
  /** A closed dialog the user may reopen and hold (core's `reopen`). */
  readonly canReopen?: boolean | undefined
  readonly canWrite: boolean
  readonly draft: string
  readonly closeReasons: ReadonlyArray<CloseReasonView>
  /** The list beside the dialog; its links and action URLs carry it. */
  readonly list: ListParams
  /** The SLA policy applied and its metrics; empty without SLA tracking. */
  readonly slaPolicy: string | undefined
  readonly sla: ReadonlyArray<SlaMetricView>
  /** The client's tags to show and set (DLG-21, CLI-01); none for a dialog whose client was detached. */
  readonly clientTags: ReadonlyArray<ClientTagView> | undefined
  /**
   * The pane, once shown, marks the dialog read with a POST (DLG-09; a GET never changes state):
   * set when the dialog was opened, not when an action (such as "Mark unread") re-renders it.
   */
  readonly markRead?: boolean | undefined
  /** The store position the pane was read at: live bubbles after it reach the pane even if they were pushed before the page said it shows it. */
  readonly position?: number | undefined
  /** The further actions the core allows this user (`DialogControls`); none renders none. */
  readonly controls?: DialogControlsView | undefined
  /** The composer's settings for this user and channel; absent, the composer uses Ctrl+Enter, no signature, the product's limit. */
  readonly composer?: ComposerView | undefined
}

/** A choice in one of the dialog controls' selects: an operator, a topic, a priority level. */
export interface ChoiceView {
  readonly id: string
  readonly name: string
}

/** What the user may do to one message (MSG-03, MSG-04). */
export interface MessageControlView {
  readonly quote: boolean
  readonly edit: boolean
  readonly delete: boolean
}

/**
 * The open dialog's further actions, each set only when the core's permission rules allow the
 * user it (DLG-05/08/10/12/18/23, MSG-03/04); choices come from the company's catalogs.
 */
export interface DialogControlsView {
  /** Operators to give the dialog to (DLG-08); none when the user may not reassign. */
  readonly reassignTo: ReadonlyArray<ChoiceView> | undefined
  /** Back to the queue (a transfer) is offered. */
  readonly toQueue: boolean
  readonly returnToBot: boolean
  /** The client's block (DLG-10): none without a client. */
  readonly clientBlocked: boolean | undefined
  readonly canBlock: boolean
  /** The priority levels to choose from and the current level; none when the user may not set it. */
  readonly priority: { readonly current: string; readonly choices: ReadonlyArray<ChoiceView> } | undefined
  /** The topic tree's topics and the chosen ones (DLG-18); none when topics are off or not the user's to set. */
  readonly topics: { readonly chosen: ReadonlyArray<string>; readonly choices: ReadonlyArray<ChoiceView>; readonly required: boolean } | undefined
  readonly canDelete: boolean
  readonly canDetach: boolean
  /** Channels to start an outgoing dialog with this client in (DLG-13): where they have an identity. */
  readonly outgoingChannels: ReadonlyArray<ChoiceView>
  /** The client was asked "any more questions?" (DLG-15) and the user may close without waiting for the answer. */
  readonly closeNow: boolean
  /** Per message id of the page, what the user may do to it. */
  readonly messages: Readonly<Record<string, MessageControlView>>
}

/**
 * What the open dialog's head shows (`DialogHead`): who and where, status, the actions the user
 * may take, the SLA pane. The live stream pushes it again whenever it changes.
 */
export type DialogHeadView = Pick<DialogView, "id" | "clientName" | "clientId" | "channelName" | "status" | "assigneeName" | "canAccept" | "canLeave" | "canClose" | "canReopen" | "closeReasons" | "list" | "slaPolicy" | "sla" | "controls">

/** What the open dialog's compose area needs (`ComposeArea`): a composer only while the user may write and the dialog is open. */
export type ComposeView = Pick<DialogView, "id" | "status" | "canWrite" | "canAccept" | "draft" | "list" | "composer">

/** A tag of the company's catalog (or one the client carries that it lacks), as the client has it. */
export interface ClientTagView extends TagView {
  readonly on: boolean
  readonly pinned: boolean
}

/** A user to sign in as (demo sign-in). */
export interface LoginUserView {
  readonly id: string
  readonly name: string
  readonly role: string
}

/** Demo mode's sign-in hint: the seeded users (each a one-click sign-in) and their shared password. */
export interface DemoSignInView {
  readonly password: string
  readonly users: ReadonlyArray<LoginUserView & { readonly login: string }>
}

/** One open session of the signed-in user on the account page. */
export interface SessionView {
  readonly device: string
  /** "5 minutes ago", already formatted. */
  readonly lastSeen: string
  readonly signedIn: string
  readonly current: boolean
}

/** What the composer needs beyond the dialog (MSG-08, MSG-11): the user's send key and signature, the channel's text limit. */
export interface ComposerView {
  /** Which key sends: Ctrl/Cmd+Enter (Enter is a new line) or Enter (Shift+Enter is a new line). */
  readonly sendKey: "ctrlEnter" | "enter"
  /** Appended to replies (not notes) after a blank line; counted against the limit. */
  readonly signature: string
  /** The channel's text limit in characters without spaces (what `decide` checks). */
  readonly maxLength: number
}

/** A quick reply offered in the composer's picker: its text already filled in for the dialog. */
export interface QuickReplyChoiceView {
  readonly id: string
  readonly category: string
  readonly title: string
  readonly text: string
  readonly personal: boolean
}

/** A quick reply on the management page: its template text, and whether the user may delete it. */
export interface QuickReplyView {
  readonly id: string
  readonly category: string
  readonly title: string
  readonly text: string
  readonly personal: boolean
  readonly mayDelete: boolean
}
