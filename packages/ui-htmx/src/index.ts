/**
 * `@switchboard/ui-htmx` — the operator panel's render functions (view model -> HTML) and static
 * assets. Pure `hono/jsx`: no storage, no Effect; the server builds the view models.
 *
 * @module @switchboard/ui-htmx
 */
export * as Contract from "./contract.js"
export type * from "./views.js"
export type * from "./adminViews.js"
export { assets, type Asset, emojiPickerStyleHash } from "./assets.js"
export { Document, Header, Sidebar, FolderCount, UnreadTotal, PanelShell, htmxConfig } from "./components/Layout.js"
export { InboxPage, DialogList, DialogSearch, FilterCount, TagChoices, DialogResults, DialogMore, LoadMore, DialogRow } from "./InboxPage.js"
export { DialogPane, EmptyPane, EarlierMessages, HistoryPage, MessageBubble, MessageAppend, MessageReplace, Composer, AttachForm, DialogActions, DialogHead, DialogHeadGone, ComposeArea, composeKind, Notice } from "./DialogPage.js"
export { DialogControls, BlockedNotice, PendingCloseNotice, MessageControls, controlRoutes, controlFields, controlTestIds, toQueue, type ControlAction, type MessageAction } from "./DialogControls.js"
export { LoginPage } from "./LoginPage.js"
export { AccountPage, type PreferencesView } from "./AccountPage.js"
export { BoardPage, BoardContent } from "./BoardPage.js"
export { SettingsPage, SettingsSection, AuditPage } from "./SettingsPage.js"
export { UsersPage } from "./UsersPage.js"
export { SlaPage } from "./SlaPage.js"
export { ShiftPage } from "./ShiftPage.js"
export { QuickRepliesPage, type QuickReplyFormState } from "./QuickRepliesPage.js"
export { ComposerTools, QuickReplyChoices, SaveAsQuickReply } from "./components/ComposerTools.js"
export { WidgetFrame, WidgetDemoPage, widgetTestIds } from "./WidgetPage.js"
export { StatusSwitch } from "./components/StatusSwitch.js"
export { LinkedText, linkParts, type TextPart } from "./components/LinkedText.js"
export { NotificationsSection, type NotificationsView } from "./components/Notifications.js"
export { PresenceEntries, PresenceLine, PresenceUpdate, type PresenceEntryView } from "./components/Presence.js"
export { ManageFolders, PersonalFolderLinks, SaveFolderForm } from "./components/PersonalFolders.js"
export { ListLookForm, TableHead } from "./components/ListLook.js"
export { Gallery, GalleryToggle, type GalleryView, type GalleryItemView, type GalleryTab } from "./components/Gallery.js"
export * as I18n from "./i18n/index.js"
export { t, useLocale, withLocale, type Locale, type MessageKey } from "./i18n/index.js"
export { ClientPage, ClientCard, clientCard, type ClientCardView, type ClientFieldView, type OptionsProblemView, type ClientChannelView, type ClientSectionView, type PreviewMessageView } from "./ClientPage.js"
