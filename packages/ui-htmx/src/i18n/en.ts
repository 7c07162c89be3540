/**
 * The English catalog: the source of every message key (`MessageKey` is derived from this object,
 * so a key missing here is a compile error at its `t()` call). One top-level section per screen or
 * shared area; add your screen's own section (in alphabetical order, to keep merges apart) and the
 * same keys to `uk.ts`. Placeholders are `{{name}}`; a count uses `_one`/`_other` suffixes
 * (Ukrainian needs `_one`, `_few`, `_many`, `_other`) and is passed as `{ count }`.
 * See docs/i18n.md.
 */
export const en = {
  common: {
    appName: "Switchboard",
    save: "Save",
    cancel: "Cancel",
    backToPanel: "← Back to the panel"
  },
  folders: {
    heading: "My folders",
    save: "Save as folder",
    name: "Folder name",
    nameOf: "Folder name: {{name}}",
    manage: "Manage",
    rename: "Rename",
    up: "Up",
    down: "Down",
    delete: "Delete",
    none: "No folders yet: filter or search the list, then save it as a folder.",
    chooseFolder: "Choose one of the folders to filter",
    moveDirection: "Move a folder up or down"
  },
  language: {
    en: "English",
    uk: "Українська"
  },
  listLook: {
    view: "View",
    list: "List",
    table: "Table",
    sort: "Order",
    auto: "Folder's own",
    lastActivity: "Last activity",
    processingOrder: "Processing order",
    apply: "Apply",
    client: "Client",
    channel: "Channel",
    last: "Last message",
    operator: "Operator",
    time: "Time"
  },
  login: {
    title: "Sign in — Switchboard",
    heading: "Sign in",
    submit: "Sign in"
  },
  notifications: {
    heading: "Notifications",
    desktop: "Desktop notification with the client's message",
    sound: "Sounds while the panel's tab is hidden: a new dialog or message in New or Mine, and a reminder every minute while something is unread",
    allow: "Allow desktop notifications in this browser",
    allowed: "Desktop notifications are allowed",
    refused: "The browser did not allow desktop notifications",
    save: "Save notification settings",
    saved: "Notification settings saved."
  },
  presence: {
    also: "Also here:",
    viewing: "{{name}} is viewing",
    typing: "{{name}} is typing…"
  },
  statusSwitch: {
    label: "My status",
    set: "Set",
    optionReceives: "{{name}} (receives dialogs)",
    optionPaused: "{{name}} (no new dialogs)",
    unknown: "Choose one of the company's statuses (there is no status \"{{id}}\")"
  },
  units: {
    dialogs_one: "{{count}} dialog",
    dialogs_other: "{{count}} dialogs"
  }
} as const
