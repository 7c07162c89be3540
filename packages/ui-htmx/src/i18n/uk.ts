import type { Translation } from "./Catalog.js"
import type { en } from "./en.js"

/**
 * The Ukrainian catalog: every key of `en.ts`, with Ukrainian plural forms (`_one`, `_few`, `_many`,
 * `_other`). Natural Ukrainian as contact-center products write it ("діалог", "оператор", "черга",
 * "клієнт"), not a word-for-word copy of the English. A key missing here is a compile error.
 */
export const uk = {
  account: {
    title: "Обліковий запис — Switchboard",
    sessionsHeading: "Де ви увійшли",
    thisBrowser: "(цей браузер)",
    lastSeen: "Остання активність {{lastSeen}}, вхід {{signedIn}}",
    endOthers: "Вийти на всіх інших пристроях",
    localeHeading: "Мова та часовий пояс",
    language: "Мова інтерфейсу",
    languageDefault: "Як у компанії (або у браузері)",
    timeZone: "Часовий пояс",
    timeZoneDefault: "Як на сервері",
    saveLocale: "Зберегти мову та часовий пояс",
    localeSaved: "Мову та часовий пояс збережено.",
    unknownTimeZone: "Виберіть часовий пояс зі списку.",
    unknownLanguage: "Виберіть мову зі списку.",
    composerHeading: "Поле відповіді",
    sendWith: "Надсилати відповідь клавішами",
    sendCtrlEnter: "Ctrl+Enter (⌘+Enter на Mac); Enter — новий рядок",
    sendEnter: "Enter; Shift+Enter — новий рядок",
    signature: "Підпис",
    signatureHint: "(додається після порожнього рядка до ваших відповідей, але не до внутрішніх нотаток)",
    saveComposer: "Зберегти налаштування відповіді",
    composerSaved: "Налаштування відповіді збережено.",
    quickReplies: "Швидкі відповіді",
    passwordHeading: "Зміна пароля",
    currentPassword: "Поточний пароль",
    newPassword: "Новий пароль",
    newPasswordHint: "(щонайменше 12 символів; кілька слів — гарний варіант)",
    changePassword: "Змінити пароль",
    passwordChanged: "Пароль змінено. На всіх інших пристроях виконано вихід.",
    wrongPassword: "Поточний пароль неправильний.",
    passwordTooShort: "Використайте щонайменше 12 символів (кілька слів — гарний пароль).",
    passwordTooLong: "Використайте не більше 1024 символів.",
    passwordCommon: "Цей пароль — один із найпоширеніших; виберіть інший."
  },
  common: {
    appName: "Switchboard",
    save: "Зберегти",
    cancel: "Скасувати",
    backToPanel: "← Назад до панелі"
  },
  folders: {
    new: "Нові",
    mine: "Мої",
    active: "Усі активні",
    bot: "З ботами",
    archive: "Архів"
  },
  inbox: {
    draft: "Чернетка:",
    slaBreached: "SLA порушено",
    slaSoon: "SLA спливає",
    searchPlaceholder: "Пошук за клієнтом або повідомленням",
    searchLabel: "Пошук діалогів за ім’ям клієнта або текстом повідомлення",
    search: "Знайти",
    onlyUntagged: "Показано лише клієнтів без тегів: виберіть «будь-які теги», щоб вибрати теги.",
    noTags: "У клієнтів цього списку немає тегів.",
    stopTagFilter: "Прибрати фільтр за тегом {{tag}}",
    onlyTagged: "Лише клієнти з тегом {{tag}}",
    filtersOn: "Увімкнені фільтри",
    filters: "Фільтри",
    channel: "Канал",
    anyChannel: "Будь-який канал",
    lastWriter: "Останнім написав",
    anyone: "Будь-хто",
    writerClient: "Клієнт",
    writerStaff: "Співробітник або бот",
    clientTags: "Теги клієнта",
    tagsPlaceholder: "теги, напр. vip, опт",
    orClientsWith: "або клієнти з",
    anyTags: "будь-які теги",
    noTagsChoice: "без тегів",
    pinnedTag: "закріпленим тегом",
    messagesFrom: "Повідомлення з",
    to: "по",
    daysIn: "Дні за часовим поясом {{timeZone}} (пояс сервера).",
    operator: "Оператор",
    anyOperator: "Будь-який оператор",
    bot: "Бот",
    anyBot: "Будь-який або жоден",
    apply: "Застосувати",
    clearFilters: "Скинути фільтри",
    loadMore: "Показати ще",
    noMatch: "Немає діалогів за запитом «{{q}}».",
    noMatchFiltered: "Немає діалогів за запитом «{{q}}» з цими фільтрами.",
    noMatchFilters: "Немає діалогів, що відповідають цим фільтрам.",
    empty: "Тут немає діалогів."
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
  nav: {
    board: "Монітор",
    settings: "Налаштування",
    audit: "Журнал змін"
  },
  panel: {
    unread: "Непрочитані",
    unreadDialogs: "Непрочитані діалоги",
    account: "Обліковий запис",
    signOut: "Вийти",
    liveInterrupted: "Оновлення в реальному часі перервано: підключаємося знову… Дані на екрані можуть бути застарілими."
  },
  roles: {
    owner: "власник",
    admin: "адміністратор",
    supervisor: "супервізор",
    operator: "оператор"
  },
  statuses: {
    online: "На зв’язку",
    break: "Перерва",
    lunch: "Обід",
    offline: "Не в мережі"
  },
  units: {
    dialogs_one: "{{count}} діалог",
    dialogs_few: "{{count}} діалоги",
    dialogs_many: "{{count}} діалогів",
    dialogs_other: "{{count}} діалогу"
  }
} as const satisfies Translation<typeof en>
