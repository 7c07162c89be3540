/**
 * System messages sent to the client (DLG-17), in the client's language with a fallback to the
 * company's main language and then to English.
 */
export type SystemMessageKey = "operatorJoined" | "operatorChanged" | "dialogClosed" | "moreQuestions" | "rateDialog"

type Catalog = Record<SystemMessageKey, (name: string) => string>

const catalogs: Record<string, Catalog> = {
  en: {
    operatorJoined: (name) => `${name} joined the conversation`,
    operatorChanged: (name) => `Your conversation was passed to ${name}`,
    dialogClosed: () => "The conversation is closed. Write to us any time to continue.",
    moreQuestions: () => "Do you have any more questions? (Yes / No)",
    rateDialog: () => "Please rate this conversation from 1 to 5"
  },
  uk: {
    operatorJoined: (name) => `${name} приєднується до розмови`,
    operatorChanged: (name) => `Розмову передано: ${name}`,
    dialogClosed: () => "Розмову завершено. Пишіть нам будь-коли, щоб продовжити.",
    moreQuestions: () => "Чи залишилися у вас питання? (Так / Ні)",
    rateDialog: () => "Оцініть, будь ласка, розмову від 1 до 5"
  },
  ru: {
    operatorJoined: (name) => `${name} присоединяется к разговору`,
    operatorChanged: (name) => `Разговор передан: ${name}`,
    dialogClosed: () => "Разговор завершён. Напишите нам в любое время, чтобы продолжить.",
    moreQuestions: () => "Остались ли у вас вопросы? (Да / Нет)",
    rateDialog: () => "Пожалуйста, оцените разговор от 1 до 5"
  }
}

/** Languages with a built-in translation of every system message. */
export const languages: ReadonlyArray<string> = Object.keys(catalogs)

const catalogFor = (language: string | undefined): Catalog | undefined =>
  language === undefined ? undefined : (catalogs[language] ?? catalogs[language.split("-")[0] ?? ""])

/** Render a system message: client language → company main language → English. */
export const render = (
  key: SystemMessageKey,
  params: { readonly name?: string },
  clientLanguage: string | undefined,
  mainLanguage: string
): string => {
  const catalog = catalogFor(clientLanguage) ?? catalogFor(mainLanguage) ?? (catalogs["en"] as Catalog)
  return catalog[key](params.name ?? "")
}
