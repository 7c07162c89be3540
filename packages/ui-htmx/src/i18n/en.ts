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
  language: {
    en: "English",
    uk: "Українська"
  },
  login: {
    title: "Sign in — Switchboard",
    heading: "Sign in",
    submit: "Sign in"
  },
  phone: {
    skipToContent: "Skip to content",
    backToList: "← Dialogs",
    reopen: "Reopen",
    chooseRow: "Choose {{name}}",
    selectAll: "Select all",
    deleteChosen: "Delete chosen",
    confirmDeleteChosen: "Delete the chosen dialogs for good?",
    attachments: "Attachments",
    attachmentsTitle: "Attachments — Switchboard",
    showFiles: "Show the dialog's files",
    tabImages: "Images ({{count}})",
    tabFiles: "Files ({{count}})",
    noImages: "No images in this dialog.",
    noFiles: "No other files in this dialog.",
    itemFacts: "{{size}} · {{author}} · ",
    chooseTab: "choose images or files"
  },
  units: {
    dialogs_one: "{{count}} dialog",
    dialogs_other: "{{count}} dialogs"
  }
} as const
