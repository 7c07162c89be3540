import { Effect, Option } from "effect"
import { ConfigStore, EventStore, Routing, storeService, UserId } from "@switchboard/core"
import { Contract } from "@switchboard/ui-htmx"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { attributeOf, panelApp, rowIds, type Session, storages, unescapeHtml } from "./PanelClient.js"

/** A script that would run if the screen put a name into the page unescaped. */
const xss = `<script>alert("x")</script><img src=x onerror=alert(1)>`
const password = "a long enough passphrase"

/**
 * The users screen over HTTP (issue 22, OPS-01, OPS-03): an admin creates users and custom roles;
 * a user with a custom role may do exactly what the role allows, as core's `can` decides, and
 * loses it the moment the role changes; names render as text.
 */
for (const { name, make } of storages) describe(`users and custom roles (${name})`, () => {
  const server = panelApp(make().storage.layer)
  let olha: Session
  let anna: Session
  let annas: string
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    olha = await server.signIn("olha")
    anna = await server.signIn("anna")
    annas = rowIds(await (await server.get(anna, "/panel/dialogs?folder=mine")).text())[0]!
  }, 120_000)
  afterAll(() => server.runtime.dispose())

  const settings = () => server.runtime.runPromise(Effect.flatMap(ConfigStore, (store) => store.getSettings()))
  const operator = (id: string) => server.runtime.runPromise(Effect.map(Effect.flatMap(EventStore, (store) => store.loadOperator(UserId.make(id))), Option.map(({ state }) => state)))
  const plainPost = (session: Session, path: string, fields: Record<string, string | ReadonlyArray<string>>) =>
    server.app.request(path, {
      method: "POST",
      headers: { Origin: "http://localhost", Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([["_csrf", session.csrf], ...Object.entries(fields).flatMap(([name, value]) => (typeof value === "string" ? [[name, value]] : value.map((item) => [name, item])))])
    })

  it("a weak initial password is refused at its field, and no user is created", async () => {
    const response = await plainPost(olha, "/panel/users", { name: "Weak", login: "weak@example.com", password: "short", role: "operator" })
    expect(response.status).toBe(422)
    const html = await response.text()
    const form = html.slice(html.indexOf('data-testid="create-user"'))
    const after = form.slice(form.indexOf('name="password"'))
    expect(after.slice(0, 400)).toContain('data-testid="field-error"')
    expect(html).toContain('value="weak@example.com"')
    expect(await server.submitSignIn("weak@example.com", "short")).toHaveProperty("status", 401)
  })

  it("a refused new user's reasons speak the admin's language: a weak password and a taken login, in Ukrainian", async () => {
    const inUkrainian = (fields: Record<string, string>) =>
      server.app.request("/panel/users", {
        method: "POST",
        headers: { Origin: "http://localhost", Cookie: olha.cookie, "Accept-Language": "uk", "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: olha.csrf, ...fields })
      })
    const weak = await inUkrainian({ name: "Weak", login: "weak-uk@example.com", password: "short", role: "operator" })
    expect(weak.status).toBe(422)
    expect(await weak.text()).toContain("щонайменше 12 символів")
    const taken = await inUkrainian({ name: "Twin", login: "anna@example.com", password, role: "operator" })
    expect(taken.status).toBe(422)
    const html = await taken.text()
    expect(html).toContain("Цей email або логін уже використовує інший користувач")
    expect(html).not.toContain("Another user signs in")
  })

  it("a custom role's user may do what the role allows and nothing else; changing the role takes effect at once", async () => {
    expect((await plainPost(olha, "/panel/users/roles", { "roles[0].id": "triage", "roles[0].name": "Triage", "roles[0].permissions": ["dialogs.viewAll", "clients.block"] })).status).toBe(303)
    expect((await plainPost(olha, "/panel/users", { name: "Cora", login: "cora@example.com", password, role: "custom:triage" })).status).toBe(303)
    const cora = await server.signIn("cora@example.com", password)
    // Allowed by the role: see Anna's dialog and block its client.
    expect((await server.get(cora, `/panel/dialogs/${annas}`)).status).toBe(200)
    expect((await plainPost(cora, `/panel/dialogs/${annas}/block`, {})).status).toBe(303)
    // Not in the role: the board, the users screen, settings.
    expect((await server.get(cora, "/panel/board")).status).toBe(403)
    expect((await server.get(cora, "/panel/users")).status).toBe(403)
    expect((await plainPost(cora, "/panel/users/roles", { "roles[0].id": "triage", "roles[0].name": "Triage", "roles[0].permissions": ["users.manage"] })).status).toBe(403)
    expect((await settings()).roles.map((role) => role.permissions)).toEqual([["dialogs.viewAll", "clients.block"]])
    // The admin takes clients.block away: the next request is refused.
    expect((await plainPost(olha, "/panel/users/roles", { "roles[0].id": "triage", "roles[0].name": "Triage", "roles[0].permissions": ["dialogs.viewAll"] })).status).toBe(303)
    expect((await plainPost(cora, `/panel/dialogs/${annas}/unblock`, {})).status).toBe(403)
  })

  it("a bad role id is shown at its field; nothing changes", async () => {
    const before = await settings()
    const response = await plainPost(olha, "/panel/users/roles", { "roles[0].id": "triage", "roles[0].name": "Triage", "roles[3].id": "Not OK", "roles[3].name": "x" })
    expect(response.status).toBe(422)
    expect(attributeOf(await response.text(), 'name="roles[1].id"', "value")).toBe("Not OK")
    expect((await settings()).roles).toEqual(before.roles)
  })

  it("deactivating a user ends their sessions; a new password lets them in again", async () => {
    expect((await plainPost(olha, "/panel/users", { name: "Dan", login: "dan@example.com", password, role: "operator" })).status).toBe(303)
    const dan = await server.signIn("dan@example.com", password)
    const id = /data-user-id="([^"]+)"[\s\S]{0,400}dan@example\.com/.exec(await (await server.get(olha, "/panel/users")).text())?.[1] ?? "none"
    expect((await plainPost(olha, `/panel/users/${id}/active`, { active: "false" })).status).toBe(303)
    expect((await server.get(dan, "/panel/dialogs?folder=new")).status).toBe(302)
    expect((await plainPost(olha, `/panel/users/${id}/active`, { active: "true" })).status).toBe(303)
    expect((await plainPost(olha, `/panel/users/${id}/password`, { password: "a brand new passphrase" })).status).toBe(303)
    await server.signIn("dan@example.com", "a brand new passphrase")
  })

  it("skill groups and capacities set on the admin screens are stored on the settings and the operator", async () => {
    expect((await plainPost(olha, "/panel/settings/skillGroups", { "skillGroups[0].id": "billing", "skillGroups[0].topics": "payment refund" })).status).toBe(303)
    expect((await settings()).routing.skillGroups).toEqual({ billing: ["payment", "refund"] })
    expect((await plainPost(olha, "/panel/users/anna/routing", { "capacity.widget": "4", "capacity.telegram": "0", skillGroups: ["billing"] })).status).toBe(303)
    const state = Option.getOrThrow(await operator("anna"))
    expect([state.capacity.widget, state.capacity.telegram, state.skillGroups]).toEqual([4, 0, ["billing"]])
    const bad = await plainPost(olha, "/panel/users/anna/routing", { "capacity.widget": "-3" })
    expect(bad.status).toBe(422)
    expect(Option.getOrThrow(await operator("anna")).capacity.widget).toBe(4)
  })

  it("names of users, roles and skill groups render as text", async () => {
    expect((await plainPost(olha, "/panel/users/roles", { "roles[0].id": "xss", "roles[0].name": xss })).status).toBe(303)
    expect((await plainPost(olha, "/panel/users", { name: xss, login: "xss@example.com", password, role: "custom:xss" })).status).toBe(303)
    expect((await plainPost(olha, "/panel/settings/skillGroups", { "skillGroups[0].id": xss, "skillGroups[0].topics": "payment" })).status).toBe(303)
    expect((await plainPost(olha, "/panel/settings/statuses", { "statuses[0].id": "online", "statuses[0].name": xss, "statuses[0].receivesDialogs": "true", "statuses[1].id": "offline", "statuses[1].name": "Offline" })).status).toBe(303)
    for (const path of ["/panel/users", "/panel/settings"]) {
      const html = await (await server.get(olha, path)).text()
      expect(html).not.toContain("<script>alert")
      expect(html).not.toContain("<img src=x")
      expect(html).toContain("&lt;script&gt;alert")
    }
  })
})

const weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const

/** A shift of one hour on the weekday `days` from today (UTC): the operator is off shift now. */
const shiftLater = (days: number, name = "Later") =>
  JSON.stringify({ name, timezone: "UTC", week: { [weekdays[(new Date().getUTCDay() + days) % 7]!]: [["09:00", "10:00"]] } })

/**
 * An operator's queues and shift on the users screen (issue 22, OPS-04, ROUTING A0): the shift is a
 * calendar in JSON with every error at its field's path and a seven-day preview; the production
 * router obeys both: off shift or outside their queues, an operator gets no new dialog.
 */
for (const { name, make } of storages) describe(`an operator's queues and shift (${name})`, () => {
  const server = panelApp(make().storage.layer)
  let olha: Session
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    olha = await server.signIn("olha")
  }, 120_000)
  afterAll(() => server.runtime.dispose())

  const operator = (id: string) => server.runtime.runPromise(Effect.map(Effect.flatMap(EventStore, (store) => store.loadOperator(UserId.make(id))), (found) => Option.getOrThrow(found).state))
  const plainPost = (session: Session, path: string, fields: Record<string, string | ReadonlyArray<string>>, headers: Record<string, string> = {}) =>
    server.app.request(path, {
      method: "POST",
      headers: { Origin: "http://localhost", Cookie: session.cookie, "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body: new URLSearchParams([["_csrf", session.csrf], ...Object.entries(fields).flatMap(([name, value]) => (typeof value === "string" ? [[name, value]] : value.map((item) => [name, item])))])
    })
  /** Anna's open dialogs after one routing pass with only her panel connected. */
  const annasAfterPass = () =>
    server.runtime.runPromise(Effect.gen(function* () {
      const router = yield* Routing.Router
      yield* router.heartbeat(UserId.make("anna"))
      yield* router.runPass()
      const store = yield* storeService
      return (yield* store.listDialogs({ viewer: { userId: UserId.make("anna"), seesAll: false }, folder: "mine", limit: 100 })).items.length
    }))

  it("an invalid shift is a 422 naming its path and changes nothing; a valid one previews seven days, is saved and shown on the users screen", async () => {
    const editor = await server.get(olha, Contract.admin.routes.userShift("anna"))
    expect(editor.status).toBe(200)
    expect(await editor.text()).toContain('data-testid="no-shift"')
    const bad = JSON.stringify({ timezone: "UTC", week: { mon: [["09:00", "25:00"]] } })
    for (const path of [Contract.admin.routes.userShift("anna"), Contract.admin.routes.userShiftPreview("anna")]) {
      const refused = await plainPost(olha, path, { shift: bad })
      expect(refused.status).toBe(422)
      expect(await refused.text()).toMatch(/data-testid="field-error" data-path="week\.mon\[0\]\[1\]"/)
    }
    expect((await plainPost(olha, Contract.admin.routes.userShift("anna"), { shift: "{ week" })).status).toBe(422)
    // In the admin's language (issue 22): the overlap with both ranges, where the text stops being JSON.
    const errors = (html: string) => [...html.matchAll(/data-testid="field-error" data-path="([^"]*)">(?:<strong>[^<]*<\/strong>)?([^<]*)</g)].map((match) => [unescapeHtml(match[1]!), unescapeHtml(match[2]!)])
    const uk = { "Accept-Language": "uk" }
    const overlap = JSON.stringify({ timezone: "UTC", week: { mon: [["09:00", "13:00"], ["12:00", "18:00"]] } })
    expect(errors(await (await plainPost(olha, Contract.admin.routes.userShiftPreview("anna"), { shift: overlap }, uk)).text())).toEqual([["week.mon[1]", "12:00–18:00 накладається на 09:00–13:00 того самого дня"]])
    expect(errors(await (await plainPost(olha, Contract.admin.routes.userShiftPreview("anna"), { shift: "{ week" }, uk)).text())).toEqual([["", "Це не коректний JSON: перевірте рядок 1, позицію 3"]])
    expect((await plainPost(olha, Contract.admin.routes.userShift("anna"), { shift: JSON.stringify({ timezone: "Mars/Base", week: { mon: [["09:00", "10:00"]] } }) })).status).toBe(422)
    expect(Option.isNone((await operator("anna")).shift)).toBe(true)

    const shift = JSON.stringify({ name: `Kyiv mornings ${xss}`, timezone: "Europe/Kyiv", week: { mon: [["08:00", "12:00"]], tue: [["08:00", "12:00"]], wed: [["08:00", "12:00"]], thu: [["08:00", "12:00"]], fri: [["08:00", "12:00"]] } })
    const preview = await plainPost(olha, Contract.admin.routes.userShiftPreview("anna"), { shift })
    expect(preview.status).toBe(200)
    const html = await preview.text()
    expect(html.match(/data-testid="preview-day"/g)).toHaveLength(7)
    expect(html).toContain("08:00–12:00")
    expect(html).toContain("Europe/Kyiv")
    expect(Option.isNone((await operator("anna")).shift)).toBe(true)

    const saved = await plainPost(olha, Contract.admin.routes.userShift("anna"), { shift })
    expect([saved.status, saved.headers.get("Location")]).toEqual([303, `${Contract.admin.routes.userShift("anna")}?saved=1`])
    expect(Option.getOrThrow((await operator("anna")).shift).timezone).toBe("Europe/Kyiv")
    const users = await (await server.get(olha, Contract.admin.routes.users)).text()
    expect(users).toContain("Kyiv mornings &lt;script&gt;")
    expect(users).not.toContain("<script>alert")
    const again = await (await server.get(olha, Contract.admin.routes.userShift("anna"))).text()
    expect(again).toContain('data-testid="shift-clear"')
    expect(again).not.toContain("<script>alert")
    // The rest of the routing profile is kept.
    expect((await operator("anna")).capacity).toEqual({ telegram: 3, widget: 2 })
  })

  it("the users screen offers the company's queues; the queues ticked are stored with the capacities", async () => {
    const users = await (await server.get(olha, Contract.admin.routes.users)).text()
    expect(users).toMatch(/name="queues" value="default"/)
    expect((await plainPost(olha, "/panel/users/boris/routing", { "capacity.telegram": "1", "capacity.widget": "2", queues: ["default"] })).status).toBe(303)
    expect((await operator("boris")).queues).toEqual(["default"])
    expect((await plainPost(olha, "/panel/users/boris/routing", { "capacity.telegram": "1", queues: [" vip"] })).status).toBe(422)
    expect((await operator("boris")).queues).toEqual(["default"])
  })

  it("the router obeys them: off shift or outside her queues Anna gets no new dialog; on shift and in the queue she does", async () => {
    // Room for more: Anna's five demo dialogs fill her demo capacity.
    expect((await plainPost(olha, "/panel/users/anna/routing", { "capacity.telegram": "10", "capacity.widget": "10", queues: ["default"] })).status).toBe(303)
    expect((await plainPost(olha, Contract.admin.routes.userShift("anna"), { shift: shiftLater(3) })).status).toBe(303)
    const before = await annasAfterPass()
    expect(before).toBe(5)
    // Another queue only, on shift at all hours: still nothing from the default queue.
    expect((await plainPost(olha, Contract.admin.routes.userShift("anna"), { clear: "true" })).status).toBe(303)
    expect(Option.isNone((await operator("anna")).shift)).toBe(true)
    expect((await plainPost(olha, "/panel/users/anna/routing", { "capacity.telegram": "10", "capacity.widget": "10", queues: ["vip"] })).status).toBe(303)
    expect(await annasAfterPass()).toBe(before)
    // In the queue and on shift: the waiting dialogs come to her.
    expect((await plainPost(olha, "/panel/users/anna/routing", { "capacity.telegram": "10", "capacity.widget": "10", queues: ["default"] })).status).toBe(303)
    expect(await annasAfterPass()).toBeGreaterThan(before)
  })
})
