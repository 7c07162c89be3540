import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { demoSignIn, seedIfEmpty } from "../src/Demo.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp, rowIds, sseReader, unescapeHtml } from "./PanelClient.js"

/**
 * Issue 22, languages: the panel speaks the user's language (else the company's, else the
 * browser's) and shows times in the user's time zone, formatted per language.
 */
const { runtime, app, signIn, post, get, inbound } = panelApp(memoryStorage.layer, { app: { demo: demoSignIn } })

beforeAll(async () => {
  await runtime.runPromise(seedIfEmpty)
})
afterAll(() => runtime.dispose())

/** Every `<time datetime>` of a page: the instant and the text a user reads. */
const times = (html: string) => [...html.matchAll(/<time datetime="([^"]+)">([^<]*)<\/time>/g)].map((match) => ({ at: Date.parse(match[1]!), text: unescapeHtml(match[2]!) }))

/** The hour and minute of `at` in Tokyo (UTC+9 all year: no daylight saving), as "HH:MM". */
const tokyoClock = (at: number) => {
  const shifted = new Date(at + 9 * 3_600_000)
  return `${String(shifted.getUTCHours()).padStart(2, "0")}:${String(shifted.getUTCMinutes()).padStart(2, "0")}`
}

const ukrainianMonth = /^\d{1,2} (січ|лют|бер|квіт|трав|черв|лип|серп|вер|жовт|лист|груд)\.$/

describe("a Ukrainian user", () => {
  it("sees the inbox and a dialog in Ukrainian, with times in their time zone", async () => {
    const sue = await signIn("sue")
    const saved = await post(sue, "/panel/account/locale", { language: "uk", timeZone: "Asia/Tokyo" })
    expect(saved.status).toBe(303)

    const inbox = await (await get(sue, "/panel/dialogs?folder=active")).text()
    expect(inbox).toContain('<html lang="uk">')
    for (const words of ["Нові", "Мої", "Архів", "Вийти", "Непрочитані", "Фільтри", "Знайти"]) expect(inbox).toContain(words)
    for (const words of ["Sign out", "Filters", "Load more", "No dialogs"]) expect(inbox).not.toContain(words)
    const rowTimes = times(inbox)
    expect(rowTimes.length).toBeGreaterThan(0)
    for (const { at, text } of rowTimes) expect(text === tokyoClock(at) || ukrainianMonth.test(text)).toBe(true)

    const dialogId = rowIds(inbox)[0]!
    const dialog = await (await get(sue, `/panel/dialogs/${dialogId}`)).text()
    expect(dialog).toContain('<html lang="uk">')
    for (const words of ["Надіслати", "Внутрішня нотатка", "Швидкі відповіді"]) expect(dialog).toContain(words)
    for (const words of ["Send file", "Internal note", "Quick replies"]) expect(dialog).not.toContain(words)
    const messageTimes = times(dialog)
    expect(messageTimes.length).toBeGreaterThan(0)
    // Today's messages by the clock in Tokyo, older ones by a Ukrainian date ("4 бер.").
    for (const { at, text } of messageTimes) expect(text === tokyoClock(at) || ukrainianMonth.test(text)).toBe(true)
  })

  it("keeps other users in their own language: a colleague with an English browser still reads English", async () => {
    const boris = await signIn("boris")
    const page = await (await app.request("/panel/dialogs?folder=new", { headers: { Cookie: boris.cookie, "Accept-Language": "en-GB,en;q=0.9" } })).text()
    expect(page).toContain('<html lang="en">')
    expect(page).toContain("Sign out")
    expect(page).not.toContain("Вийти")
  })

  it("gets the browser's language when neither they nor the company chose one", async () => {
    const anna = await signIn("anna")
    const page = await (await app.request("/panel/dialogs?folder=new", { headers: { Cookie: anna.cookie, "Accept-Language": "uk-UA,uk;q=0.9,en;q=0.5" } })).text()
    expect(page).toContain('<html lang="uk">')
    expect(page).toContain("Вийти")
  })

  it("accepts Kyiv's time zone in both spellings (Europe/Kyiv, and Europe/Kiev that older ICU lists) and shows the choice selected", async () => {
    const sue = await signIn("sue")
    for (const zone of ["Europe/Kyiv", "Europe/Kiev"]) {
      const saved = await post(sue, "/panel/account/locale", { language: "uk", timeZone: zone })
      expect(saved.status).toBe(303)
      const account = await (await get(sue, "/panel/account")).text()
      expect(account).toContain('<html lang="uk">')
      expect(account).toMatch(new RegExp(`<option value="${zone}" selected`))
    }
  })

  it("refuses a time zone that is not in the list, with the reason, and keeps the old choice", async () => {
    const anna = await signIn("anna")
    const refused = await post(anna, "/panel/account/locale", { language: "uk", timeZone: "Mars/Olympus_Mons" })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("Choose a time zone from the list.")
    const account = await (await get(anna, "/panel/account")).text()
    expect(account).toContain('<html lang="en">')
  })
})

describe("live updates", () => {
  it("reach each page in its user's language and time zone: a new dialog's row for a Ukrainian supervisor in Tokyo, for an English colleague in the server's zone", async () => {
    const sue = await signIn("sue")
    expect((await post(sue, "/panel/account/locale", { language: "uk", timeZone: "Asia/Tokyo" })).status).toBe(303)
    const olha = await signIn("olha")
    const open = async (cookie: string) => {
      const reader = sseReader(await app.request("/panel/events", { headers: { Cookie: cookie, "Accept-Language": "en" } }))
      await reader.until((read) => read.some((item) => item.event === "ready"))
      return reader
    }
    const [ukrainian, english] = [await open(sue.cookie), await open(olha.cookie)]
    const { dialogId } = (await (await inbound("telegram", { from: "live-language", profile: { name: "Live Language" }, message: { text: "Привіт" } })).json()) as { dialogId: string }
    const rowOf = async (reader: ReturnType<typeof sseReader>) => {
      const read = await reader.until((events) => events.some((item) => item.event === "row" && item.data.includes(dialogId)))
      await reader.cancel()
      return read.find((item) => item.event === "row" && item.data.includes(dialogId))!.data
    }
    const [ukRow, enRow] = [await rowOf(ukrainian), await rowOf(english)]
    const [ukTime] = times(ukRow)
    const [enTime] = times(enRow)
    expect(ukTime!.text).toBe(tokyoClock(ukTime!.at))
    expect(enTime!.text).toBe(new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit" }).format(enTime!.at))
  })
})

describe("everything else a Ukrainian user reads", () => {
  const uk = { "Accept-Language": "uk-UA,uk;q=0.9" }
  const getUk = (session: { readonly cookie: string }, path: string) => app.request(path, { headers: { Cookie: session.cookie, ...uk } })

  it("core's refusals come in Ukrainian, by their reason, not as English after a Ukrainian title", async () => {
    const anna = await signIn("anna")
    const settings = await getUk(anna, "/panel/settings")
    expect(settings.status).toBe(403)
    const settingsText = unescapeHtml(await settings.text())
    expect(settingsText).toContain("Змінювати налаштування компанії можуть лише адміністратори й власники.")
    expect(settingsText).not.toMatch(/Only admins|not allowed/i)
    const board = unescapeHtml(await (await getUk(anna, "/panel/board")).text())
    expect(board).toContain("Дошку бачать лише супервізори, адміністратори й власники.")

    // A dialog still in the queue is not Anna's to answer: the refusal names why, in her language.
    const { dialogId } = (await (await inbound("telegram", { from: "refusal-language", profile: { name: "Refusal Language" }, message: { text: "Добрий день" } })).json()) as { dialogId: string }
    const refused = await post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "Вітаю!" }, uk)
    expect([403, 409]).toContain(refused.status)
    const refusal = unescapeHtml(await refused.text())
    expect(refusal).toMatch(/[А-Яа-яІіЇїЄєҐґ]{4,}/)
    expect(refusal).not.toMatch(/The dialog|not yours|offered/)
  })

  it("an unknown refusal keeps core's English message (the fallback), and English users read the English catalog's text", async () => {
    const anna = await signIn("anna")
    const english = await app.request("/panel/settings", { headers: { Cookie: anna.cookie, "Accept-Language": "en" } })
    expect(unescapeHtml(await english.text())).toContain("Only admins and owners change company settings.")
  })

  it("the list's heading names the folder in Ukrainian", async () => {
    const sue = await signIn("sue")
    expect((await post(sue, "/panel/account/locale", { language: "uk", timeZone: "Asia/Tokyo" })).status).toBe(303)
    const inbox = await (await get(sue, "/panel/dialogs?folder=active")).text()
    expect(inbox).toMatch(/<h2 tabindex="-1">Усі активні<\/h2>/)
    expect(inbox).not.toMatch(/<h2 tabindex="-1">All active<\/h2>/)
  })

  it("the settings screen and the audit log are Ukrainian, the log's times per Ukrainian in the owner's time zone", async () => {
    const olha = await signIn("olha")
    expect((await post(olha, "/panel/account/locale", { language: "uk", timeZone: "Asia/Tokyo" })).status).toBe(303)
    const page = unescapeHtml(await (await get(olha, "/panel/settings")).text())
    for (const words of ["Налаштування", "Компанія", "Файли", "Причини закриття", "Пріоритети", "Дозволені розширення", "Зберегти", "Журнал змін: хто що змінив"]) expect(page).toContain(words)
    for (const words of ["Close reasons", "Allowed extensions", "Largest file", "Audit log", ">Save<", ">Company<"]) expect(page).not.toContain(words)

    const saved = await post(olha, "/panel/settings/priorities", { "priorities[0].level": "1", "priorities[0].name": "Звичайний", "priorities[1].level": "2", "priorities[1].name": "Терміновий" })
    expect(saved.status).toBe(200)
    expect(unescapeHtml(await saved.text())).toMatch(/Збережено: змінено \d+ налаштуван/)

    const audit = await (await get(olha, "/panel/settings/audit")).text()
    for (const words of ["Журнал змін налаштувань", "Коли", "Хто", "Було", "Стало"]) expect(audit).toContain(words)
    const [first] = times(audit)
    expect(first).toBeDefined()
    const expected = new Intl.DateTimeFormat("uk-UA", { timeZone: "Asia/Tokyo", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(first!.at)
    expect(first!.text).toBe(expected)
  })

  it("the quick replies screen is Ukrainian", async () => {
    const sue = await signIn("sue")
    const page = unescapeHtml(await (await get(sue, "/panel/quick-replies")).text())
    for (const words of ["Швидкі відповіді", "Нова швидка відповідь", "Категорія", "Лише для мене", "ім'я клієнта", "{{client_name}}"]) expect(page).toContain(words)
    for (const words of ["Add a quick reply", "Only me", "Category", "Back to the panel"]) expect(page).not.toContain(words)
  })
})

describe("the web widget", () => {
  it("speaks its configured language, else the browser's: its texts and the buttons its script writes", async () => {
    const configured = await (await app.request("/widget/v1/frame?channel=website&lang=uk", { headers: { "Accept-Language": "en" } })).text()
    expect(configured).toContain('<html lang="uk">')
    for (const words of ["Напишіть нам", "Надіслати", 'data-t-yes="Так"', 'data-t-no="Ні"', "Оцініть розмову:"]) expect(configured).toContain(words)
    expect(configured).not.toContain("Chat with us")

    const browser = await (await app.request("/widget/v1/frame?channel=website", { headers: { "Accept-Language": "uk-UA,uk;q=0.9" } })).text()
    expect(browser).toContain('<html lang="uk">')
    const english = await (await app.request("/widget/v1/frame?channel=website", { headers: { "Accept-Language": "en-GB" } })).text()
    expect(english).toContain('<html lang="en">')
    expect(english).toContain("Chat with us")
  })

  it("answers a visitor's refused request in the widget's language", async () => {
    const refused = await app.request("/widget/v1/messages", { method: "POST", headers: { "Content-Type": "application/json", "Accept-Language": "uk" }, body: JSON.stringify({ text: "привіт", clientMessageId: "m1" }) })
    expect(refused.status).toBe(401)
    const { message } = (await refused.json()) as { message: string }
    expect(message).toContain("Надішліть токен сеансу віджета")
    const unknown = await app.request("/widget/v1/sessions", { method: "POST", headers: { "Content-Type": "application/json", "Accept-Language": "uk" }, body: JSON.stringify({ channelId: "nope" }) })
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { message: string }).message).toBe("Віджета з таким ідентифікатором немає.")
  })
})
