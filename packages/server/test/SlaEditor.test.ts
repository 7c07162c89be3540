import { Effect } from "effect"
import { ConfigStore } from "@switchboard/core"
import { describe, expect, it } from "vitest"
import { seededPanel, type Session, unescapeHtml } from "./PanelClient.js"

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
  const post = (session: Session, path: string, text: string, headers: Record<string, string> = {}) =>
    server.app.request(path, {
      method: "POST",
      headers: { Origin: "http://localhost", Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
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

  it("a calendar's problems reach a Ukrainian admin in Ukrainian at their paths (issue 22), an English admin in English", async () => {
    const errors = (html: string) =>
      [...html.matchAll(/data-testid="field-error" data-path="([^"]*)">(?:<strong>[^<]*<\/strong>)?([^<]*)</g)].map((match) => [unescapeHtml(match[1]!), unescapeHtml(match[2]!)])
    const cases: ReadonlyArray<readonly [ReadonlyArray<ReadonlyArray<string>>, string, string, string]> = [
      [[["09:00", "13:00"], ["12:00", "18:00"]], "calendar.week.mon[1]", "12:00–18:00 накладається на 09:00–13:00 того самого дня", "12:00–18:00 overlaps 09:00–13:00 on the same day"],
      [[["24:00", "06:00"]], "calendar.week.mon[0][0]", "24:00 може лише завершувати проміжок, а не починати його", "24:00 can only end a range, not start one"],
      [[["10:00", "10:00"]], "calendar.week.mon[0]", "проміжок починається й закінчується в той самий час (10:00)", "starts and ends at the same time (10:00)"],
      [[["09:00", "25:00"]], "calendar.week.mon[0][1]", "має бути часом у форматі ГГ:ХХ від 00:00 до 24:00", "must be a time HH:MM from 00:00 to 24:00"]
    ]
    for (const [mon, path, ukrainian, english] of cases) {
      const refused = await post(sessions.olha, "/panel/settings/sla/preview", sla(mon), { "Accept-Language": "uk" })
      expect(refused.status).toBe(422)
      expect(errors(await refused.text())).toEqual([[path, ukrainian]])
      const inEnglish = await post(sessions.olha, "/panel/settings/sla/preview", sla(mon), { "Accept-Language": "en" })
      expect(errors(await inEnglish.text())).toEqual([[path, english]])
    }
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
