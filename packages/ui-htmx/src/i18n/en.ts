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
  units: {
    dialogs_one: "{{count}} dialog",
    dialogs_other: "{{count}} dialogs"
  }
} as const
