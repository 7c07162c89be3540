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
  folders: {
    heading: "Мої папки",
    save: "Зберегти як папку",
    name: "Назва папки",
    nameOf: "Назва папки: {{name}}",
    manage: "Керувати",
    rename: "Перейменувати",
    up: "Вище",
    down: "Нижче",
    delete: "Видалити",
    none: "Папок ще немає: відфільтруйте або знайдіть потрібні діалоги й збережіть список як папку.",
    chooseFolder: "Оберіть одну з папок для фільтра",
    moveDirection: "Папку можна перемістити лише вище або нижче"
  },
  language: {
    en: "English",
    uk: "Українська"
  },
  listLook: {
    view: "Вигляд",
    list: "Список",
    table: "Таблиця",
    sort: "Порядок",
    auto: "Як у папці",
    lastActivity: "Остання активність",
    processingOrder: "Черговість обробки",
    apply: "Застосувати",
    client: "Клієнт",
    channel: "Канал",
    last: "Останнє повідомлення",
    operator: "Оператор",
    time: "Час"
  },
  login: {
    title: "Вхід — Switchboard",
    heading: "Вхід",
    submit: "Увійти"
  },
  notifications: {
    heading: "Сповіщення",
    desktop: "Сповіщення на робочому столі з повідомленням клієнта",
    sound: "Звуки, коли вкладка панелі прихована: новий діалог або повідомлення в «Нових» чи «Моїх» і нагадування щохвилини, поки є непрочитане",
    allow: "Дозволити сповіщення на робочому столі в цьому браузері",
    allowed: "Сповіщення на робочому столі дозволено",
    refused: "Браузер не дозволив сповіщення на робочому столі",
    save: "Зберегти налаштування сповіщень",
    saved: "Налаштування сповіщень збережено."
  },
  presence: {
    also: "Також тут:",
    viewing: "{{name}} переглядає",
    typing: "{{name}} друкує…"
  },
  statusSwitch: {
    label: "Мій статус",
    set: "Застосувати",
    optionReceives: "{{name}} (отримує діалоги)",
    optionPaused: "{{name}} (без нових діалогів)",
    unknown: "Оберіть один зі статусів компанії (статусу «{{id}}» немає)"
  },
  units: {
    dialogs_one: "{{count}} діалог",
    dialogs_few: "{{count}} діалоги",
    dialogs_many: "{{count}} діалогів",
    dialogs_other: "{{count}} діалогу"
  }
} as const satisfies Translation<typeof en>
