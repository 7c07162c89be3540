import type { Translation } from "./Catalog.js"
import type { en } from "./en.js"

/**
 * The Ukrainian catalog: every key of `en.ts`, with Ukrainian plural forms (`_one`, `_few`, `_many`,
 * `_other`). Natural Ukrainian as contact-center products write it ("діалог", "оператор", "черга",
 * "клієнт"), not a word-for-word copy of the English. A key missing here is a compile error.
 */
export const uk = {
  admin: {
    navUsers: "Користувачі",
    navSla: "Календарі та SLA",
    roleOwner: "Власник",
    roleAdmin: "Адміністратор",
    roleSupervisor: "Супервізор",
    roleOperator: "Оператор",
    permissions: {
      dialogsViewAll: "Бачити всі діалоги",
      dialogsReassign: "Передавати діалоги іншим",
      dialogsIntervene: "Писати в діалоги колег",
      dialogsDelete: "Видаляти діалоги",
      clientsBlock: "Блокувати клієнтів",
      settingsManage: "Змінювати налаштування компанії",
      usersManage: "Керувати користувачами",
      quickRepliesManage: "Керувати швидкими відповідями компанії",
      operatorsSupervise: "Дивитися панель супервізора"
    },
    users: {
      title: "Користувачі та ролі",
      users: "Користувачі",
      name: "Ім'я",
      login: "Email або логін",
      role: "Роль",
      status: "Стан",
      active: "Активний",
      inactive: "Деактивований",
      changeRole: "Змінити роль",
      deactivate: "Деактивувати (завершить його сесії)",
      activate: "Активувати",
      newPassword: "Новий пароль",
      resetPassword: "Встановити пароль",
      routing: "Розподіл",
      capacity: "Ліміт діалогів за каналом",
      skillGroups: "Групи навичок",
      saveRouting: "Зберегти розподіл",
      create: "Створити користувача",
      password: "Початковий пароль (щонайменше 12 символів)",
      createButton: "Створити",
      customRoles: "Власні ролі",
      customRolesHint: "Власна роль — це оператор, якому дозволено ще й позначені тут дії. Очистьте рядок, щоб видалити роль.",
      roleId: "Ідентифікатор (малі латинські літери, цифри, дефіси)",
      roleName: "Назва",
      allowed: "Дозволені дії",
      saveRoles: "Зберегти ролі",
      nameRequired: "Вкажіть ім'я, не довше за 200 символів",
      chooseRole: "Оберіть одну з ролей",
      noSuchRole: "Такої ролі немає",
      activeFlag: "Вкажіть, чи активний користувач",
      loginInvalid: "Вкажіть email або логін без пробілів"
    },
    sections: {
      statuses: "Статуси операторів",
      receivesDialogs: "Отримує діалоги",
      skillGroups: "Групи навичок",
      skillGroupTopics: "Ідентифікатори тем (через пробіл)"
    },
    sla: {
      title: "Календарі та політики SLA",
      intro: "Календар робочого часу та політики SLA у форматі JSON. Помилка вказує поле, якого вона стосується.",
      editor: "Календар і політики (JSON)",
      check: "Перевірити й переглянути",
      save: "Зберегти",
      saved: "Збережено. Відкриті діалоги переобчислено.",
      notJson: "Це не коректний JSON: {{reason}}",
      preview: "Робочий час на найближчі сім днів ({{timezone}})",
      closed: "Вихідний",
      policies: "Політики, діє перша відповідна",
      policy: "Політика",
      matches: "Застосовується до",
      targets: "Цілі (робочі хвилини)",
      any: "усього іншого",
      errorAt: "Поле {{path}}",
      matchPriorities: "пріоритети: {{list}}",
      matchChannels: "канали: {{list}}",
      matchTopics: "теми: {{list}}",
      firstResponse: "перша відповідь {{minutes}} хв",
      nextResponse: "наступна відповідь {{minutes}} хв",
      timeToClose: "час до закриття {{minutes}} хв"
    }
  },
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
