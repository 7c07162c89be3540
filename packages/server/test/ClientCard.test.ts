/**
 * The client card over HTTP (issue 22, CLI-01..04): the card laid out by the company's JSON
 * configuration, custom fields checked by type with the field's path in the 422, the responsible
 * manager under core's `can` (widened by "operators may change the manager"), XSS in every field
 * rendered as text, and the channels with a green dot while a dialog is open there.
 */
import { Effect, Schema } from "effect"
import { Access, ClientCard, ConfigStore, Engine, Settings } from "@switchboard/core"
import { clientCard } from "@switchboard/ui-htmx"
import { afterEach, describe, expect, it } from "vitest"
import { panelOver, rowIds, seededCopies, unescapeHtml } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

let server: ReturnType<typeof panelOver>
afterEach(() => server.runtime.dispose())

const xss = `<script>alert(1)</script><img src=x onerror="alert(2)">`

const card = {
  fields: ["custom:size", "name", "email", "notes", "custom:colour", "custom:budget", "custom:price", "custom:due", "custom:vip", "manager", "tags", "channels", "dialogs", "blocked"],
  customFields: [
    { id: "size", label: "Size", type: "number" },
    { id: "colour", label: "Colour", type: "list", options: [{ value: "red", label: "Red" }, { value: "blue", label: `Blue ${xss}` }] },
    { id: "budget", label: "Budget", type: "bigNumber" },
    { id: "price", label: "Price", type: "decimal" },
    { id: "due", label: "Due", type: "date" },
    { id: "vip", label: "VIP", type: "checkbox" },
    { id: "remark", label: `Remark ${xss}`, type: "text" }
  ]
}

/** The demo company with its card configured and three sessions, seeded once for the file. */
const copy = seededCopies(async (seeding) => {
  await seeding.runtime.runPromise(Effect.gen(function* () {
    const current = yield* (yield* ConfigStore).getSettings()
    yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...current, clientCard: Schema.decodeUnknownSync(ClientCard.ClientCardConfig)(card) }))
  }))
  const anna = await seeding.signIn("anna")
  const sue = await seeding.signIn("sue")
  const boris = await seeding.signIn("boris")
  const annas = rowIds(await (await seeding.get(anna, "/panel/dialogs?folder=mine")).text())[0]!
  const pane = await (await seeding.get(anna, `/panel/dialogs/${annas}`)).text()
  const client = /href="\/panel\/clients\/([^"]+)"/.exec(pane)![1]!
  return { anna, sue, boris, annas, client }
})

/** A server of its own over a copy of the seeded company, with `settings` over its own. */
const company = async (settings: Partial<Settings.Settings> = {}) => {
  const copied = await copy()
  server = copied.server
  if (Object.keys(settings).length > 0) {
    await server.runtime.runPromise(Effect.gen(function* () {
      const current = yield* (yield* ConfigStore).getSettings()
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...current, ...settings }))
    }))
  }
  const position = () => server.runtime.runPromise(attributedPosition)
  return { ...copied.value, position }
}

describe("the client card (CLI-01..04)", () => {
  it("shows the configured fields in the configured order, and the operator reaches the client of their own dialog", async () => {
    const { anna, client } = await company()
    const page = await (await server.get(anna, clientCard.routes.card(client))).text()
    const order = [...page.matchAll(/data-testid="client-field" data-field="([^"]+)"/g)].map((match) => match[1])
    expect(order).toEqual(["custom.size", "name", "email", "notes", "custom.colour", "custom.budget", "custom.price", "custom.due", "custom.vip"])
    // A field the card does not list is not shown.
    expect(page).not.toContain('data-field="phone"')
  })

  it("saves custom values by type; a bad one is a 422 naming its field and changes nothing", async () => {
    const { anna, client, position } = await company()
    const saved = await server.post(anna, clientCard.routes.profile(client), { "custom.size": "42", "custom.budget": "123456789012345678901234567890", "custom.price": "0.10", "custom.due": "2026-12-05", "custom.vip": "true", "custom.colour": "red" })
    expect(saved.status).toBe(303)
    const page = await (await server.get(anna, clientCard.routes.card(client))).text()
    expect(page).toContain('value="123456789012345678901234567890"')
    expect(page).toContain('value="0.10"')
    expect(page).toMatch(/name="custom.vip" value="true" checked/)
    for (const [field, value, path] of [["custom.size", "many", "customFields.size"], ["custom.due", "2026-02-30", "customFields.due"], ["custom.price", "1.2.3", "customFields.price"], ["custom.colour", "green", "customFields.colour"], ["email", "not an email", "email"]] as const) {
      const before = await position()
      const refused = await server.post(anna, clientCard.routes.profile(client), { [field]: value })
      expect([field, refused.status]).toEqual([field, 422])
      expect(unescapeHtml(await refused.text())).toContain(`${path}:`)
      expect(await position()).toBe(before)
      // Issue 22: a Ukrainian user reads the field's problem in Ukrainian, still at its path.
      const ukrainian = unescapeHtml(await (await server.post(anna, clientCard.routes.profile(client), { [field]: value }, { "Accept-Language": "uk" })).text())
      expect(ukrainian).toMatch(new RegExp(`${path.replace(".", "\\.")}: [^<]*[А-Яа-яІіЇїЄєҐґ]{4,}`))
      expect(ukrainian).not.toMatch(/Expected|not a |not one of|is not valid/)
    }
  })

  it("the responsible manager: a supervisor sets it; an operator gets 403 until the company lets operators change managers", async () => {
    const { anna, sue, client, position } = await company()
    expect(await (await server.get(anna, clientCard.routes.card(client))).text()).not.toContain('name="managerId"')
    const before = await position()
    expect((await server.post(anna, clientCard.routes.manager(client), { managerId: "boris" })).status).toBe(403)
    expect(await position()).toBe(before)
    expect((await server.post(sue, clientCard.routes.manager(client), { managerId: "boris" })).status).toBe(303)
    expect(await (await server.get(anna, clientCard.routes.card(client))).text()).toMatch(/data-testid="client-manager">Boris/)
    const unknown = await server.post(sue, clientCard.routes.manager(client), { managerId: "nobody-here" })
    expect(unknown.status).toBe(422)
    expect(unescapeHtml(await unknown.text())).toContain("managerId: There is no such user to be the responsible manager.")
    // A Ukrainian supervisor reads the refusal in Ukrainian, not core's English (issue 22).
    const inUkrainian = unescapeHtml(await (await server.post(sue, clientCard.routes.manager(client), { managerId: "nobody-here" }, { "Accept-Language": "uk" })).text())
    expect(inUkrainian).toContain("managerId: Немає такого користувача, щоб призначити його відповідальним.")
    expect(inUkrainian).not.toContain("There is no user")
    await server.runtime.dispose()
    const widened = await company({ operatorsMayChangeManager: true })
    expect(await (await server.get(widened.anna, clientCard.routes.card(widened.client))).text()).toContain('name="managerId"')
    expect((await server.post(widened.anna, clientCard.routes.manager(widened.client), { managerId: "anna" })).status).toBe(303)
  })

  it("an operator who sees no dialog of the client, and an unknown client, get 404", async () => {
    const { boris, client } = await company()
    expect((await server.get(boris, clientCard.routes.card(client))).status).toBe(404)
    expect((await server.post(boris, clientCard.routes.profile(client), { name: "x" })).status).toBe(404)
    expect((await server.get(boris, clientCard.routes.card("no-such-client"))).status).toBe(404)
  })

  it("an open dialog's channel has a green dot with the count on hover, a preview of its latest messages and Go to dialog", async () => {
    const { anna, annas, client } = await company()
    const page = await (await server.get(anna, clientCard.routes.card(client))).text()
    expect(page).toContain('data-testid="client-channel-open" title="1 open dialog"')
    expect(page).toContain('data-testid="client-preview-message"')
    expect(page).toContain(`data-testid="client-go-to-dialog"`)
    expect(page).toContain(`href="/panel/dialogs/${annas}`)
  })

  it("XSS payloads in client fields, custom values, tags and labels render as text", async () => {
    const { sue, client } = await company({ tags: [] })
    expect((await server.post(sue, clientCard.routes.profile(client), { name: xss, notes: xss, "custom.size": "1" })).status).toBe(303)
    await server.runtime.runPromise(Effect.gen(function* () {
      const current = yield* (yield* ConfigStore).getSettings()
      const withRemark = { ...card, fields: [...card.fields, "custom:remark"] }
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...current, clientCard: Schema.decodeUnknownSync(ClientCard.ClientCardConfig)(withRemark) }))
    }))
    expect((await server.post(sue, clientCard.routes.profile(client), { "custom.remark": xss })).status).toBe(303)
    const annasDialog = rowIds(await (await server.get(sue, "/panel/dialogs?folder=active")).text())
    for (const id of annasDialog.slice(0, 1)) await server.post(sue, `/panel/dialogs/${id}/client-tags`, { tag: xss })
    const page = await (await server.get(sue, clientCard.routes.card(client))).text()
    expect(page).not.toContain("<script>alert(1)")
    expect(page).not.toContain('<img src=x')
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;")
  })
})

describe("merging clients over HTTP (CLI-01)", () => {
  const noJs = { "HX-Request": "false" }
  /** Anna's client and the client of the queued dialog: two clients Sue will find to be one person. */
  const twoClients = async () => {
    const setup = await company()
    const queued = rowIds(await (await server.get(setup.sue, "/panel/dialogs?folder=new")).text())[0]!
    const pane = await (await server.get(setup.sue, `/panel/dialogs/${queued}`)).text()
    const other = /href="\/panel\/clients\/([^"]+)"/.exec(pane)![1]!
    expect(other).not.toBe(setup.client)
    return { ...setup, queued, other }
  }

  it("a supervisor merges without JS: 303 to the card, which lists both clients' dialogs and channels; the merged card leads to it", async () => {
    const { sue, client, annas, queued, other } = await twoClients()
    const before = await (await server.get(sue, clientCard.routes.card(client))).text()
    expect(before).toContain('data-testid="client-merge"')
    const channelsBefore = [...before.matchAll(/data-testid="client-channel"/g)].length
    const merged = await server.post(sue, clientCard.routes.merge(client), { mergedId: other }, noJs)
    expect([merged.status, merged.headers.get("Location")]).toEqual([303, clientCard.routes.card(client)])
    const page = await (await server.get(sue, clientCard.routes.card(client))).text()
    const dialogs = [...page.matchAll(/data-testid="client-dialog"><a href="\/panel\/dialogs\/([^"]+)"/g)].map((match) => match[1])
    expect(dialogs.toSorted()).toEqual([annas, queued].toSorted())
    expect([...page.matchAll(/data-testid="client-channel"/g)].length).toBeGreaterThan(channelsBefore)
    const gone = await server.get(sue, clientCard.routes.card(other))
    expect([gone.status, gone.headers.get("Location")]).toEqual([303, clientCard.routes.card(client)])
    // The queued dialog now names the survivor.
    expect(await (await server.get(sue, `/panel/dialogs/${queued}`)).text()).toContain(`href="/panel/clients/${client}"`)
  })

  it("with htmx the answer is the survivor's card fragment", async () => {
    const { sue, client, other } = await twoClients()
    const response = await server.post(sue, clientCard.routes.merge(client), { mergedId: other })
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(`data-testid="client-card" data-client-id="${client}"`)
    expect(html).not.toContain("<html")
  })

  it("refusals: an operator 403 (or 404 for a client they cannot reach), unknown ids 404, the same or an already merged client 409 with the reason, a malformed id 422; none stores anything", async () => {
    const { anna, boris, sue, client, other, position } = await twoClients()
    const refused = async (session: typeof sue, path: string, fields: Record<string, string>, status: number, says?: string) => {
      const before = await position()
      const response = await server.post(session, path, fields, noJs)
      expect([path, fields, response.status]).toEqual([path, fields, status])
      if (says !== undefined) expect(unescapeHtml(await response.text())).toContain(says)
      expect(await position()).toBe(before)
    }
    expect(await (await server.get(anna, clientCard.routes.card(client))).text()).not.toContain('data-testid="client-merge"')
    await refused(anna, clientCard.routes.merge(client), { mergedId: other }, 403)
    await refused(boris, clientCard.routes.merge(client), { mergedId: other }, 404)
    await refused(sue, clientCard.routes.merge("no-such-client"), { mergedId: other }, 404)
    await refused(sue, clientCard.routes.merge(client), { mergedId: "no-such-client" }, 404)
    await refused(sue, clientCard.routes.merge(client), { mergedId: client }, 409, "cannot be merged into itself")
    await refused(sue, clientCard.routes.merge(client), { mergedId: "   " }, 422, "mergedId:")
    await refused(sue, clientCard.routes.merge(client), { mergedId: "x".repeat(5000) }, 422, "mergedId:")
    await refused(sue, clientCard.routes.merge(client), {}, 422, "mergedId:")
    expect((await server.post(sue, clientCard.routes.merge(client), { mergedId: other }, noJs)).status).toBe(303)
    await refused(sue, clientCard.routes.merge(client), { mergedId: other }, 409, "merged into")
    await refused(sue, clientCard.routes.merge(other), { mergedId: client }, 409, "merged into")
  })

  it("a form without the CSRF token is refused", async () => {
    const { sue, client, other, position } = await twoClients()
    const before = await position()
    const response = await server.post({ ...sue, csrf: "forged" }, clientCard.routes.merge(client), { mergedId: other }, noJs)
    expect(response.status).toBe(403)
    expect(await position()).toBe(before)
  })
})
