import { describe, expect, it } from "vitest"
import { I18n } from "@switchboard/ui-htmx"
import { rowIds, seededPanel, unescapeHtml } from "./PanelClient.js"

/**
 * Issue 22: a refused form (422) says what is wrong in the user's language, from core's codes and
 * params, with the field's path: no Effect "Expected …, actual …", no English word of the
 * catalog's texts after a translated title. An English user reads the English catalog's texts.
 */
const { server, sessions } = seededPanel("sue", "olha", "anna")
const uk = { "Accept-Language": "uk-UA,uk;q=0.9" }
const en = { "Accept-Language": "en-GB,en;q=0.9" }

/** The words (four letters or more) of the English catalog's texts for invalid input. */
const englishWords = [
  ...new Set(
    JSON.stringify(I18n.catalogs.en.invalid)
      .replace(/\{\{\w+\}\}/g, " ")
      .match(/[A-Za-z]{4,}/g)!
      .filter((word) => !Object.hasOwn(I18n.catalogs.en.invalid, word) && !Object.hasOwn(I18n.catalogs.en.invalid.expected, word))
  )
]

/** The English words of a text, its field paths and the values a param echoes (the allowed options, a variable) taken out. */
const englishIn = (text: string, allowed: ReadonlyArray<string>): ReadonlyArray<string> => {
  const rest = allowed.reduce((acc, word) => acc.split(word).join(" "), text)
  return englishWords.filter((word) => new RegExp(`\\b${word}\\b`, "i").test(rest))
}

const quickReply = (session: { readonly cookie: string; readonly csrf: string }, fields: Record<string, string>, headers: Record<string, string>) =>
  server.app.request("/panel/quick-replies", {
    method: "POST",
    headers: { Origin: "http://localhost", Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ _csrf: session.csrf, ...fields })
  })

const errorOf = (html: string, testId: string) => unescapeHtml(new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html)?.[1] ?? "")

const greeting = { scope: "personal", category: "Greetings", title: "Hello", text: "Hello {{client_name}}" }

describe("a refused form in the user's language", () => {
  it("a Ukrainian user's quick reply: each field's problem in Ukrainian, named by the form's label (its path when it has none)", async () => {
    const cases: ReadonlyArray<readonly [Record<string, string>, string, ReadonlyArray<string>]> = [
      [{ ...greeting, title: "x".repeat(201) }, "Назва: щонайбільше 200 символів", []],
      [{ ...greeting, category: "   " }, "Категорія: не може бути порожнім", []],
      [{ ...greeting, text: "Hi {{client_nmae}}" }, "Текст: невідома змінна {{client_nmae}}; використовуйте {{client_name}}, {{operator_name}}", ["{{client_nmae}}", "{{client_name}}", "{{operator_name}}"]],
      [{ ...greeting, scope: "everyone" }, "scope: має бути одним із: company, personal", ["scope", "company", "personal"]],
      [{ scope: "personal", category: "A", title: "B" }, "Текст: обов'язкове поле", []]
    ]
    for (const [fields, expected, allowed] of cases) {
      const response = await quickReply(sessions.sue, fields, uk)
      expect(response.status).toBe(422)
      const error = errorOf(await response.text(), "quick-reply-error")
      expect(error, JSON.stringify(fields).slice(0, 60)).toBe(expected)
      expect(error).not.toMatch(/Expected|actual/)
      expect(englishIn(error, allowed)).toEqual([])
    }
  })

  it("what a param echoes from the input (an unknown variable's name) is escaped like any text", async () => {
    const response = await quickReply(sessions.sue, { ...greeting, text: "Hi {{<script>alert(1)</script>}}" }, uk)
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).not.toContain("<script>alert(1)")
    expect(errorOf(html, "quick-reply-error")).toContain("невідома змінна {{<script>alert(1)</script>}}")
  })

  it("an English user's quick reply: the same problems from the English catalog", async () => {
    const response = await quickReply(sessions.sue, { ...greeting, title: "x".repeat(201) }, en)
    expect(response.status).toBe(422)
    expect(errorOf(await response.text(), "quick-reply-error")).toBe("Title: at most 200 characters")
  })

  it("a bad settings value: the field's error in Ukrainian at that field, in English for an English admin", async () => {
    const company = { mainLanguage: "not a language!", topicsEnabled: "true", inactivityCloseMinutes: "0", offerMissesBeforeAway: "3", awayStatusId: "break" }
    const refused = await server.post(sessions.olha, "/panel/settings/company", company, uk)
    expect(refused.status).toBe(422)
    const errors = [...unescapeHtml(await refused.text()).matchAll(/data-testid="field-error" role="alert">([^<]*)</g)].map((match) => match[1]!)
    expect(errors.length).toBeGreaterThan(0)
    for (const error of errors) {
      expect(error).toMatch(/[А-Яа-яІіЇїЄєҐґ]{4,}/)
      expect(error).not.toMatch(/Expected|actual/)
      expect(englishIn(error, [])).toEqual([])
    }
    const english = await server.post(sessions.olha, "/panel/settings/company", company, en)
    expect(english.status).toBe(422)
    expect(unescapeHtml(await english.text())).toMatch(/data-testid="field-error" role="alert">(is not in the expected format|must be from 1 to 10080)</)
  })

  it("a message over the channel's limit: its length and the limit in Ukrainian, from core's params (no English message parsed)", async () => {
    const dialogId = rowIds(await (await server.get(sessions.anna, "/panel/dialogs?folder=mine")).text())[0]!
    const refused = await server.post(sessions.anna, `/panel/dialogs/${dialogId}/messages`, { text: "x".repeat(2001) }, uk)
    expect(refused.status).toBe(422)
    const text = unescapeHtml(await refused.text())
    expect(text).toContain("У тексті 2001 символів без пробілів; ліміт — 2000.")
    expect(text).not.toMatch(/the limit is|characters without spaces/)
    const draft = await server.post(sessions.anna, `/panel/dialogs/${dialogId}/draft`, { text: "x".repeat(2001) }, uk)
    expect(draft.status).toBe(409)
    expect(unescapeHtml(await draft.text())).toContain("ліміт — 2000: чернетку не збережено.")
    const english = await server.post(sessions.anna, `/panel/dialogs/${dialogId}/messages`, { text: "x".repeat(2001) }, en)
    expect(unescapeHtml(await english.text())).toContain("The text has 2001 characters without spaces; the limit is 2000.")
  })

  it("a signature too long on the account page: in Ukrainian with its limit", async () => {
    const refused = await server.post(sessions.sue, "/panel/account/composer", { sendKey: "enter", signature: "x".repeat(501) }, uk)
    expect(refused.status).toBe(422)
    const text = unescapeHtml(await refused.text())
    expect(text).toContain("Підпис: щонайбільше 500 символів")
    expect(text).not.toMatch(/at most|Expected/)
  })
})
