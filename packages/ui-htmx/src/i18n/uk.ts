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
  phone: {
    skipToContent: "Перейти до вмісту",
    backToList: "← Діалоги",
    reopen: "Відкрити знову",
    chooseRow: "Вибрати: {{name}}",
    selectAll: "Вибрати всі",
    deleteChosen: "Видалити вибрані",
    confirmDeleteChosen: "Видалити вибрані діалоги назавжди?",
    attachments: "Вкладення",
    attachmentsTitle: "Вкладення — Switchboard",
    showFiles: "Показати файли діалогу",
    tabImages: "Зображення ({{count}})",
    tabFiles: "Файли ({{count}})",
    noImages: "У цьому діалозі немає зображень.",
    noFiles: "У цьому діалозі немає інших файлів.",
    itemFacts: "{{size}} · {{author}} · ",
    chooseTab: "виберіть зображення або файли"
  },
  units: {
    dialogs_one: "{{count}} діалог",
    dialogs_few: "{{count}} діалоги",
    dialogs_many: "{{count}} діалогів",
    dialogs_other: "{{count}} діалогу"
  }
} as const satisfies Translation<typeof en>
