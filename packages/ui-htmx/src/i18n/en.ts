/**
 * The English catalog: the source of every message key (`MessageKey` is derived from this object,
 * so a key missing here is a compile error at its `t()` call). One top-level section per screen or
 * shared area; add your screen's own section (in alphabetical order, to keep merges apart) and the
 * same keys to `uk.ts`. Placeholders are `{{name}}`; a count uses `_one`/`_other` suffixes
 * (Ukrainian needs `_one`, `_few`, `_many`, `_other`) and is passed as `{ count }`.
 * See docs/i18n.md.
 */
export const en = {
  account: {
    title: "Account — Switchboard",
    sessionsHeading: "Where you are signed in",
    thisBrowser: "(this browser)",
    lastSeen: "Last seen {{lastSeen}}, signed in {{signedIn}}",
    endOthers: "Sign out everywhere else",
    localeHeading: "Language and time zone",
    language: "Interface language",
    languageDefault: "The company's (or your browser's)",
    timeZone: "Time zone",
    timeZoneDefault: "The server's",
    saveLocale: "Save language and time zone",
    localeSaved: "Language and time zone saved.",
    unknownTimeZone: "Choose a time zone from the list.",
    unknownLanguage: "Choose a language from the list.",
    composerHeading: "Composer",
    sendWith: "Send a reply with",
    sendCtrlEnter: "Ctrl+Enter (⌘+Enter on a Mac); Enter starts a new line",
    sendEnter: "Enter; Shift+Enter starts a new line",
    signature: "Signature",
    signatureHint: "(added after a blank line to your replies, not to internal notes)",
    saveComposer: "Save composer settings",
    composerSaved: "Composer settings saved.",
    quickReplies: "Quick replies",
    passwordHeading: "Change your password",
    currentPassword: "Current password",
    newPassword: "New password",
    newPasswordHint: "(at least 12 characters; a few words work well)",
    changePassword: "Change password",
    passwordChanged: "Password changed. You were signed out everywhere else.",
    wrongPassword: "The current password is not right.",
    passwordTooShort: "Use at least 12 characters (a few words make a good password).",
    passwordTooLong: "Use at most 1024 characters.",
    passwordCommon: "This password is one of the most common ones; choose another."
  },
  common: {
    appName: "Switchboard",
    save: "Save",
    cancel: "Cancel",
    backToPanel: "← Back to the panel"
  },
  folders: {
    new: "New",
    mine: "Mine",
    active: "All active",
    bot: "With bots",
    archive: "Archive"
  },
  inbox: {
    draft: "Draft:",
    slaBreached: "SLA breached",
    slaSoon: "SLA soon",
    searchPlaceholder: "Search by client or message",
    searchLabel: "Search dialogs by client name or message text",
    search: "Search",
    onlyUntagged: "Only clients without tags are shown: choose “any tags” to pick tags.",
    noTags: "No client in this list has a tag.",
    stopTagFilter: "Stop filtering by {{tag}}",
    onlyTagged: "Only clients tagged {{tag}}",
    filtersOn: "Filters on",
    filters: "Filters",
    channel: "Channel",
    anyChannel: "Any channel",
    lastWriter: "Last written by",
    anyone: "Anyone",
    writerClient: "The client",
    writerStaff: "Staff or a bot",
    clientTags: "Client tags",
    tagsPlaceholder: "tags, e.g. vip, wholesale",
    orClientsWith: "or clients with",
    anyTags: "any tags",
    noTagsChoice: "no tags",
    pinnedTag: "a pinned tag",
    messagesFrom: "Messages from",
    to: "to",
    daysIn: "Days in {{timeZone}}, the server's time zone.",
    operator: "Operator",
    anyOperator: "Any operator",
    bot: "Bot",
    anyBot: "Any or none",
    apply: "Apply",
    clearFilters: "Clear filters",
    loadMore: "Load more",
    noMatch: "No dialogs match “{{q}}”.",
    noMatchFiltered: "No dialogs match “{{q}}” with these filters.",
    noMatchFilters: "No dialogs match these filters.",
    empty: "No dialogs here."
  },
  language: {
    en: "English",
    uk: "Українська"
  },
  login: {
    title: "Sign in — Switchboard",
    heading: "Sign in",
    submit: "Sign in"
  },
  nav: {
    board: "Board",
    settings: "Settings",
    audit: "Audit log"
  },
  panel: {
    unread: "Unread",
    unreadDialogs: "Unread dialogs",
    account: "Account",
    signOut: "Sign out",
    liveInterrupted: "Live updates are interrupted: reconnecting… What you see may be out of date."
  },
  roles: {
    owner: "owner",
    admin: "admin",
    supervisor: "supervisor",
    operator: "operator"
  },
  statuses: {
    online: "Online",
    break: "Break",
    lunch: "Lunch",
    offline: "Offline"
  },
  units: {
    dialogs_one: "{{count}} dialog",
    dialogs_other: "{{count}} dialogs"
  }
} as const
