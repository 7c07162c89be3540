import { Effect } from "effect"
import { ConfigStore } from "@switchboard/core"
import { clientCard, Contract } from "@switchboard/ui-htmx"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { panelApp, rowIds, type Session, storages, unescapeHtml } from "./PanelClient.js"

const xss = `<script>alert(1)</script><img src=x onerror="alert(2)">`

/** A card whose custom fields cover the ten types (CLI-04), the list's options and labels carrying XSS. */
const card = (overrides: Record<string, unknown> = {}) => ({
  fields: ["name", "custom:plan", "custom:remark", "custom:seats", "custom:renewal", "custom:vip", "channels", "dialogs"],
  customFields: [
    { id: "plan", label: `Plan ${xss}`, type: "list", options: [{ value: "pro", label: "Pro" }, { value: "team", label: `Team ${xss}` }] },
    { id: "remark", label: "Remark", type: "text" },
    { id: "story", label: "Story", type: "longText" },
    { id: "source", label: "Source", type: "apiList", url: "https://crm.example.com/sources" },
    { id: "contract", label: "Contract", type: "file" },
    { id: "seats", label: "Seats", type: "number" },
    { id: "revenue", label: "Revenue", type: "bigNumber" },
    { id: "discount", label: "Discount", type: "decimal" },
    { id: "renewal", label: "Renewal", type: "date" },
    { id: "vip", label: "VIP", type: "checkbox" }
  ],
  ...overrides
})

/**
 * The client card's configuration as a settings section (issue 22, CLI-02, CLI-04): one JSON
 * document, every error at the path of its field and nothing stored; a valid one is saved with its
 * audit entry, and the card then shows its custom fields in its order and checks their values.
 */
for (const { name, make } of storages) describe(`the client card section of the settings (${name})`, () => {
  const server = panelApp(make().storage.layer)
  let olha: Session
  let anna: Session
  let client: string
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    olha = await server.signIn("olha")
    anna = await server.signIn("anna")
    const annas = rowIds(await (await server.get(anna, "/panel/dialogs?folder=mine")).text())[0]!
    client = /href="\/panel\/clients\/([^"]+)"/.exec(await (await server.get(anna, `/panel/dialogs/${annas}`)).text())![1]!
  }, 120_000)
  afterAll(() => server.runtime.dispose())

  const settings = () => server.runtime.runPromise(Effect.flatMap(ConfigStore, (store) => store.getSettings()))
  const section = Contract.admin.routes.settingsSection("clientCard")
  const noJs = { "HX-Request": "false" }

  it("the settings screen shows the section with the card's JSON", async () => {
    const page = await (await server.get(olha, Contract.admin.routes.settings)).text()
    expect(page).toContain('data-testid="settings-clientCard"')
    expect(unescapeHtml(page)).toContain('"fields": [')
  })

  it("errors stand at their field's path and nothing is stored: a list without options, an unknown field, a duplicate id, an unknown key, not JSON", async () => {
    const before = await settings()
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [card({ customFields: [{ id: "plan", label: "Plan", type: "list" }], fields: ["custom:plan"] }), "customFields[0].options"],
      [card({ fields: ["name", "custom:nothing"] }), "fields[1]"],
      [card({ customFields: [{ id: "plan", label: "Plan", type: "text" }, { id: "plan", label: "Again", type: "number" }], fields: [] }), "customFields[1].id"],
      [card({ customFields: [{ id: "plan", label: "Plan", type: "text", colour: "red" }], fields: [] }), "customFields[0].colour"],
      [card({ customFields: [{ id: "plan", label: "Plan", type: "money" }], fields: [] }), "customFields[0].type"],
      [card({ customFields: [{ id: "src", label: "Source", type: "apiList" }], fields: [] }), "customFields[0].url"]
    ]
    for (const [json, path] of cases) {
      const response = await server.post(olha, section, { clientCard: JSON.stringify(json) })
      expect([path, response.status]).toEqual([path, 422])
      const html = await response.text()
      expect(html).toContain(`data-testid="field-error" data-path="${path}"`)
      expect(html).toContain('aria-invalid="true"')
      // The section alone (htmx), with the text as posted.
      expect(html).not.toContain("<html")
    }
    const notJson = await server.post(olha, section, { clientCard: "{ fields: " }, noJs)
    expect(notJson.status).toBe(422)
    const page = await notJson.text()
    expect(page).toContain("<html")
    expect(page).toContain('data-testid="field-error" data-path=""')
    expect(page).toContain("{ fields: ")
    expect((await settings()).clientCard).toEqual(before.clientCard)
  })

  it("a Ukrainian admin reads each error in Ukrainian at its path (issue 22), an English admin in English; not core's English message", async () => {
    const uk = { "Accept-Language": "uk-UA,uk;q=0.9" }
    const en = { "Accept-Language": "en-GB,en;q=0.9" }
    const errors = (html: string) =>
      [...html.matchAll(/data-testid="field-error" data-path="([^"]*)">(?:<strong>[^<]*<\/strong>)?([^<]*)</g)].map((match) => [unescapeHtml(match[1]!), unescapeHtml(match[2]!)])
    const cases: ReadonlyArray<readonly [string, string, string, string]> = [
      [JSON.stringify(card({ customFields: [{ id: "plan", label: "Plan", type: "list" }], fields: [] })), "customFields[0].options", "у списку має бути хоча б один варіант", "a list needs at least one option"],
      [JSON.stringify(card({ fields: ["name", "custom:nothing"] })), "fields[1]", "власного поля з ідентифікатором nothing немає", "there is no custom field with the id nothing"],
      [JSON.stringify(card({ fields: ["shoe"], customFields: [] })), "fields[0]", "не є ні вбудованим полем (name, username, email, phone, language, manager, notes, tags, blocked, channels, dialogs), ні custom:<id>", "is neither a built-in field"],
      [JSON.stringify(card({ customFields: [{ id: "src", label: "Source", type: "apiList", url: "ftp://crm.example.com" }], fields: [] })), "customFields[0].url", "має бути веб-адресою, що починається з http:// або https://", "must be a web address"],
      ['{ "fields": ["name"],\n  customFields: [] }', "", "Це не коректний JSON: перевірте рядок 2, позицію 3", "This is not valid JSON: check line 2, column 3"],
      ['{ "fields": ', "", "Це не коректний JSON: документ обривається, не завершившись", "This is not valid JSON: it ends before the document is complete"]
    ]
    for (const [text, path, ukrainian, english] of cases) {
      const refused = await server.post(olha, section, { clientCard: text }, uk)
      expect([path, refused.status]).toEqual([path, 422])
      const shown = errors(await refused.text())
      // One error per problem (a URL no member of the optional field takes is one problem, not two).
      expect(shown, path).toEqual([[path, ukrainian]])
      // Not core's English words (nor V8's for a JSON syntax error) under a Ukrainian page.
      expect(shown[0]![1]).not.toMatch(/\b(is not|there is|needs|Expected|position|http or https)\b/)
      const inEnglish = errors(await (await server.post(olha, section, { clientCard: text }, en)).text())
      expect(inEnglish[0]?.[1], path).toContain(english)
    }
  })

  it("a valid card is saved and audited; the card shows its custom fields in order and checks their values with the field's path", async () => {
    const saved = await server.post(olha, section, { clientCard: JSON.stringify(card()) })
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('data-testid="saved"')
    expect((await settings()).clientCard.customFields.map((field) => field.type)).toEqual(["list", "text", "longText", "apiList", "file", "number", "bigNumber", "decimal", "date", "checkbox"])
    expect(await (await server.get(olha, Contract.admin.routes.audit)).text()).toMatch(/data-testid="audit-change">clientCard</)
    expect((await server.post(olha, section, { clientCard: JSON.stringify(card()) }, noJs)).headers.get("Location")).toBe(Contract.admin.routes.settings)

    const page = await (await server.get(anna, clientCard.routes.card(client))).text()
    const order = [...page.matchAll(/data-testid="client-field" data-field="([^"]+)"/g)].map((match) => match[1])
    expect(order).toEqual(["name", "custom.plan", "custom.remark", "custom.seats", "custom.renewal", "custom.vip"])
    expect(page).toContain('<option value="team"')

    for (const [field, value, path] of [["custom.plan", "gold", "customFields.plan"], ["custom.seats", "many", "customFields.seats"], ["custom.renewal", "2026-02-30", "customFields.renewal"]] as const) {
      const refused = await server.post(anna, clientCard.routes.profile(client), { [field]: value }, noJs)
      expect([field, refused.status]).toEqual([field, 422])
      expect(unescapeHtml(await refused.text())).toContain(`${path}:`)
    }
    expect((await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "team", "custom.seats": "12", "custom.remark": xss }, noJs)).status).toBe(303)
    const filled = await (await server.get(anna, clientCard.routes.card(client))).text()
    expect(filled).toMatch(/<option value="team" selected/)
    expect(filled).toContain('value="12"')
    // Labels, options and values with markup are text.
    for (const html of [filled, await (await server.get(olha, Contract.admin.routes.settings)).text()]) {
      expect(html).not.toContain("<script>alert(1)")
      expect(html).not.toContain("<img src=x")
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
    }
  })

  it("operators and supervisors may not change it: 403 and nothing stored", async () => {
    const before = await settings()
    for (const who of ["anna", "sue"]) {
      const session = await server.signIn(who)
      expect((await server.post(session, section, { clientCard: JSON.stringify(card({ fields: ["name"] })) })).status).toBe(403)
    }
    expect((await settings()).clientCard).toEqual(before.clientCard)
  })
})
