import type { Translation } from "./Catalog.js"
import type { en } from "./en.js"

/**
 * The Ukrainian catalog: every key of `en.ts`, with Ukrainian plural forms (`_one`, `_few`, `_many`,
 * `_other`). Natural Ukrainian as contact-center products write it ("діалог", "оператор", "черга",
 * "клієнт"), not a word-for-word copy of the English. A key missing here is a compile error.
 */
export const uk = {
  common: {
    appName: "Switchboard",
    save: "Зберегти",
    cancel: "Скасувати",
    backToPanel: "← Назад до панелі"
  },
  language: {
    en: "English",
    uk: "Українська"
  },
  login: {
    title: "Вхід — Switchboard",
    heading: "Вхід",
    submit: "Увійти"
  },
  units: {
    dialogs_one: "{{count}} діалог",
    dialogs_few: "{{count}} діалоги",
    dialogs_many: "{{count}} діалогів",
    dialogs_other: "{{count}} діалогу"
  }
} as const satisfies Translation<typeof en>
