import { Effect } from "effect"
import { ConfigStore } from "@switchboard/core"
import { describe, expect, it } from "vitest"
import { seededPanel, type Session } from "./PanelClient.js"

const sla = (mon: ReadonlyArray<ReadonlyArray<string>>, name = "Kyiv desk") => JSON.stringify({
  calendar: { name, timezone: "Europe/Kyiv", week: { mon, tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "17:00"]] } },
  policies: { policies: [{ name: "VIP", priorities: ["high"], targets: { firstResponse: 15 } }], fallback: { name: "Default", targets: { firstResponse: 60 } } }
})

/**
 * The SLA calendar and policies editor over HTTP (issue 22): errors at their field's path and
 * nothing stored; a valid document previews the next seven days and is saved with its audit entry.
 */
describe("SLA editor", () => {
  const { server, sessions } = seededPanel("olha", "anna")
  const settings = () => server.runtime.runPromise(Effect.flatMap(ConfigStore, (store) => store.getSettings()))
  const post = (session: Session, path: string, text: string) =>
    server.app.request(path, {
      method: "POST",
      headers: { Origin: "http://localhost", Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: session.csrf, sla: text })
    })

  it("an impossible time is a 422 naming its path; not JSON is a 422 too; nothing is stored", async () => {
    const before = (await settings()).sla
    for (const path of ["/panel/settings/sla", "/panel/settings/sla/preview"]) {
      const response = await post(sessions.olha, path, sla([["09:00", "25:00"]]))
      expect(response.status).toBe(422)
      expect(await response.text()).toMatch(/data-testid="field-error" data-path="calendar\.week\.mon\[0\]\[1\]"/)
    }
    expect((await post(sessions.olha, "/panel/settings/sla", "{ not json")).status).toBe(422)
    expect((await settings()).sla).toEqual(before)
  })

  it("a valid calendar previews seven days in its zone, and saving stores it with an audit entry", async () => {
    const preview = await post(sessions.olha, "/panel/settings/sla/preview", sla([["10:00", "13:00"], ["14:00", "19:00"]]))
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html.match(/data-testid="preview-day"/g)).toHaveLength(7)
    expect(html).toContain("10:00–13:00, 14:00–19:00")
    expect(html).toContain("Europe/Kyiv")
    expect((await settings()).sla?.calendar?.name).not.toBe("Kyiv desk")
    expect((await post(sessions.olha, "/panel/settings/sla", sla([["10:00", "13:00"]], "<script>alert(1)</script>"))).status).toBe(303)
    expect((await settings()).sla?.calendar?.name).toBe("<script>alert(1)</script>")
    const page = await (await server.get(sessions.olha, "/panel/settings/sla")).text()
    expect(page).not.toContain("<script>alert(1)")
    expect(page).toContain("VIP")
    expect(await (await server.get(sessions.olha, "/panel/settings/audit")).text()).toMatch(/data-testid="audit-change">sla</)
  })

  it("an operator may neither see nor change it", async () => {
    const refused = await server.get(sessions.anna, "/panel/settings/sla")
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain("Only admins and owners change calendars and SLA policies")
    const before = (await settings()).sla
    expect((await post(sessions.anna, "/panel/settings/sla", sla([["09:00", "18:00"]]))).status).toBe(403)
    expect((await settings()).sla).toEqual(before)
  })
})
