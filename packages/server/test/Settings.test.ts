import { Effect } from "effect"
import { ConfigStore } from "@switchboard/core"
import { describe, expect, it } from "vitest"
import { attributeOf, seededPanel, rowIds } from "./PanelClient.js"

/** A script that would run if any screen put a catalog name or a setting into the page unescaped. */
const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`

/**
 * The settings screen over HTTP (issue 22): each section validated as part of the whole settings
 * (errors at the field, 422), saved with its audit entry, in effect at once; what admins type
 * renders as text on every screen that shows it.
 */
describe("admin settings", () => {
  const { server, sessions } = seededPanel("olha", "anna")

  const settings = () => server.runtime.runPromise(Effect.flatMap(ConfigStore, (store) => store.getSettings()))

  it("an invalid colour is a 422 with the message at that row's colour field; nothing is stored", async () => {
    const before = await settings()
    const response = await server.post(sessions.olha, "/panel/settings/tags", {
      "tags[0].id": "vip", "tags[0].name": "VIP", "tags[0].color": "#d97706",
      "tags[1].id": "", "tags[1].name": "", "tags[1].color": "",
      "tags[2].id": "new", "tags[2].name": "New", "tags[2].color": "red"
    })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(attributeOf(html, 'name="tags[2].color"', "aria-invalid")).toBe("true")
    expect(attributeOf(html, 'name="tags[0].color"', "aria-invalid")).toBeUndefined()
    const error = html.slice(html.indexOf('name="tags[2].color"'))
    expect(error.slice(0, error.indexOf("</td>"))).toContain('data-testid="field-error"')
    expect((await settings()).tags).toEqual(before.tags)
  })

  it("catalog names, tags and settings with markup are stored as typed and render as text on the settings, audit, list and dialog screens", async () => {
    const saved = await server.post(sessions.olha, "/panel/settings/tags", { "tags[0].id": "vip", "tags[0].name": xss, "tags[0].color": "#d97706" })
    expect(saved.status).toBe(200)
    expect(await saved.text()).toContain('data-testid="saved"')
    expect((await server.post(sessions.olha, "/panel/settings/closeReasons", { "closeReasons[0].id": "resolved", "closeReasons[0].name": xss })).status).toBe(200)
    expect((await server.post(sessions.olha, "/panel/settings/topics", { "topics[0].id": "delivery", "topics[0].name": xss, "topics[0].parentId": "" })).status).toBe(200)
    expect((await server.post(sessions.olha, "/panel/settings/company", { mainLanguage: "en", topicsEnabled: "true", inactivityCloseMinutes: "", offerMissesBeforeAway: "3", awayStatusId: "break" })).status).toBe(200)
    expect((await settings()).tags.map((tag) => tag.name)).toEqual([xss])
    // A setting refused for its value comes back as typed, as text.
    const refused = await server.post(sessions.olha, "/panel/settings/company", { mainLanguage: xss })
    expect(refused.status).toBe(422)
    const form = await refused.text()
    expect(form).not.toContain("<script>alert")
    expect(attributeOf(form, 'name="mainLanguage"', "aria-invalid")).toBe("true")

    const olhasDialog = rowIds(await (await server.get(sessions.olha, "/panel/dialogs?folder=active")).text())[0]!
    const screens = [
      "/panel/settings",
      "/panel/settings/audit",
      "/panel/dialogs?folder=active",
      `/panel/dialogs/${olhasDialog}`,
      "/panel/board"
    ]
    for (const path of screens) {
      const html = await (await server.get(sessions.olha, path)).text()
      expect(html, path).not.toContain("<script>alert")
      expect(html, path).not.toContain("<img src=x")
    }
    const settingsPage = await (await server.get(sessions.olha, "/panel/settings")).text()
    expect(settingsPage).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
  })

  it("the audit log names who changed which setting, when, with the value before and after", async () => {
    expect((await server.post(sessions.olha, "/panel/settings/files", { "files.maxBytes": "5", "files.allowedExtensions": "png pdf", "files.allowedMimeTypes": "image/png application/pdf" })).status).toBe(200)
    expect((await settings()).files.maxBytes).toBe(5 * 1024 * 1024)
    const audit = await (await server.get(sessions.olha, "/panel/settings/audit")).text()
    const first = audit.indexOf('data-testid="audit-entry"')
    const entry = audit.slice(first, audit.indexOf("</tr>", first))
    expect(entry).toContain("Olha")
    expect(entry).toContain('data-testid="audit-change">files<')
    expect(entry).toContain("104857600")
    expect(entry).toContain("5242880")
  })

  it("a new close reason is offered on the dialog page at once", async () => {
    await server.post(sessions.olha, "/panel/settings/closeReasons", { "closeReasons[0].id": "resolved", "closeReasons[0].name": "Resolved", "closeReasons[1].id": "duplicate", "closeReasons[1].name": "Duplicate request" })
    const dialog = rowIds(await (await server.get(sessions.olha, "/panel/dialogs?folder=active")).text())[0]!
    expect(await (await server.get(sessions.olha, `/panel/dialogs/${dialog}`)).text()).toContain("Duplicate request")
  })

  it("operators and supervisors get 403 and change nothing", async () => {
    const sue = await server.signIn("sue")
    const before = await settings()
    for (const who of [sessions.anna, sue]) {
      expect((await server.get(who, "/panel/settings")).status).toBe(403)
      expect((await server.get(who, "/panel/settings/audit")).status).toBe(403)
      expect((await server.post(who, "/panel/settings/company", { topicRequired: "true" })).status).toBe(403)
    }
    expect(await settings()).toEqual(before)
  })
})
