import { Effect, Option } from "effect"
import { EventStore, UserId } from "@switchboard/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { memoryStorage } from "../src/testing.js"
import { attributeOf, panelApp, rowIds, sseReader, type Session } from "./PanelClient.js"

/**
 * The operator's own day over HTTP (issue 21 "More"): the header's status switch (OPS-02), the
 * notification switches (NTF-01/02), presence in a dialog (collision).
 */
describe("the operator's own status switch", () => {
  const server = panelApp(memoryStorage.layer)
  let anna: Session
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    anna = await server.signIn("anna")
  })
  afterAll(() => server.runtime.dispose())

  const statusOf = (id: string) =>
    server.runtime.runPromise(Effect.map(Effect.flatMap(EventStore, (store) => store.loadOperator(UserId.make(id))), (found) => Option.getOrThrow(found).state.statusId))

  it("shows the company's statuses in the header with the current one chosen", async () => {
    const page = await (await server.get(anna, "/panel/dialogs?folder=new")).text()
    expect(attributeOf(page, 'data-testid="status-switch"', "data-status")).toBe("online")
    const options = [...page.matchAll(/<option value="(online|break|lunch|offline)"( selected="")?/g)].map((match) => [match[1], match[2] !== undefined])
    expect(options).toEqual([["online", true], ["break", false], ["lunch", false], ["offline", false]])
  })

  it("sets the user's own status at once and answers with the switch showing it", async () => {
    const answer = await server.post(anna, "/panel/account/status", { statusId: "break" })
    expect(answer.status).toBe(200)
    expect(attributeOf(await answer.text(), 'data-testid="status-switch"', "data-status")).toBe("break")
    expect(await statusOf("anna")).toBe("break")
    const page = await (await server.get(anna, "/panel/dialogs?folder=new")).text()
    expect(attributeOf(page, 'data-testid="status-switch"', "data-status")).toBe("break")
    expect((await server.post(anna, "/panel/account/status", { statusId: "online" })).status).toBe(200)
    expect(await statusOf("anna")).toBe("online")
  })

  it("refuses a status the company does not have with 422 and the reason, changing nothing", async () => {
    const answer = await server.post(anna, "/panel/account/status", { statusId: "napping" })
    expect(answer.status).toBe(422)
    const body = await answer.text()
    expect(body).toContain("no status &quot;napping&quot;")
    expect(attributeOf(body, 'data-testid="status-switch"', "data-status")).toBe("online")
    expect(await statusOf("anna")).toBe("online")
    expect((await server.post(anna, "/panel/account/status", {})).status).toBe(422)
  })

  it("without JavaScript, the form's post redirects back to the panel", async () => {
    const answer = await server.app.request("/panel/account/status", {
      method: "POST",
      headers: { Origin: "http://localhost", Cookie: anna.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: anna.csrf, statusId: "lunch" })
    })
    expect(answer.status).toBe(303)
    expect(await statusOf("anna")).toBe("lunch")
  })
})

describe("notification switches and what the live stream says to notify", () => {
  const server = panelApp(memoryStorage.layer)
  let anna: Session
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    anna = await server.signIn("anna")
  })
  afterAll(() => server.runtime.dispose())

  const bodyOf = async (path: string) => {
    const page = await (await server.get(anna, path)).text()
    return /<body[^>]*>/.exec(page)?.[0] ?? ""
  }

  it("starts with both switches on, saves them per user and puts them on the panel's page", async () => {
    expect(await bodyOf("/panel/dialogs?folder=new")).toContain('data-notify-desktop="true" data-notify-sound="true"')
    const saved = await server.post(anna, "/panel/account/notifications", { sound: "on" })
    expect(saved.status).toBe(200)
    const section = await saved.text()
    expect(section).toContain("Notification settings saved.")
    expect(section).toMatch(/name="sound" value="on" checked=""/)
    expect(section).not.toMatch(/name="desktop" value="on" checked=""/)
    expect(await bodyOf("/panel/dialogs?folder=new")).toContain('data-notify-desktop="false" data-notify-sound="true"')
    const boris = await server.signIn("boris")
    expect(await (await server.get(boris, "/panel/dialogs?folder=new")).text()).toContain('data-notify-desktop="true" data-notify-sound="true"')
    const account = await (await server.get(anna, "/panel/account")).text()
    expect(account).toContain('data-testid="notifications-form"')
  })

  it("refuses a switch that is neither on nor off with 422 and the reason, keeping what was saved", async () => {
    const refused = await server.post(anna, "/panel/account/notifications", { sound: "loud", desktop: "on" })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("A switch is on or off")
    expect(await bodyOf("/panel/dialogs?folder=new")).toContain('data-notify-desktop="false" data-notify-sound="true"')
  })

  it("tells Anna's stream to notify when a new client writes to New, with the client's text", async () => {
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: anna.cookie } }))
    await stream.until((read) => read.some((item) => item.event === "ready"))
    expect((await server.inbound("telegram", { from: "notify-1", profile: { name: "Nadia" }, message: { text: "Where is my parcel? <b>now</b>" } })).status).toBe(202)
    const seen = await stream.until((read) => read.some((item) => item.event === "notify"))
    await stream.cancel()
    const note = JSON.parse(seen.find((item) => item.event === "notify")!.data) as Record<string, unknown>
    expect(note).toMatchObject({ kind: "dialog", folder: "new", title: "Nadia", text: "Where is my parcel? <b>now</b>" })
  })
})

describe("collision: who else has the dialog open", () => {
  const server = panelApp(memoryStorage.layer)
  let anna: Session
  let sue: Session
  let boris: Session
  let annas: string
  beforeAll(async () => {
    await server.runtime.runPromise(seedIfEmpty)
    anna = await server.signIn("anna")
    sue = await server.signIn("sue")
    boris = await server.signIn("boris")
    annas = rowIds(await (await server.get(anna, "/panel/dialogs?folder=mine")).text())[0]!
  })
  afterAll(() => server.runtime.dispose())

  it("answers who else is there, pushes Sue's arrival and typing to Anna's open dialog, and hides the dialog from who may not see it", async () => {
    expect(await (await server.get(anna, `/panel/dialogs/${annas}`)).text()).toContain(`data-presence-dialog="${annas}"`)
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: anna.cookie } }))
    const ready = await stream.until((read) => read.some((item) => item.event === "ready"))
    const streamId = ready.find((item) => item.event === "ready")!.data
    expect((await server.post(anna, "/panel/events/focus", { stream: streamId, dialog: annas, folder: "mine" })).status).toBe(204)
    expect(await (await server.post(anna, `/panel/dialogs/${annas}/presence`)).text()).toBe("")

    const sues = await server.post(sue, `/panel/dialogs/${annas}/presence`)
    expect(sues.status).toBe(200)
    expect(await sues.text()).toContain("Anna is viewing")
    const arrived = await stream.until((read) => read.some((item) => item.event === "panel" && item.data.includes("Sue is viewing")))
    expect(arrived.find((item) => item.data.includes("Sue is viewing"))!.data).toContain(`id="presence-${annas.replace(/[^A-Za-z0-9_-]/g, "_")}" hx-swap-oob="innerHTML"`)
    await server.post(sue, `/panel/dialogs/${annas}/presence`, { typing: "true" })
    await stream.until((read) => read.some((item) => item.event === "panel" && item.data.includes("Sue is typing")))
    await stream.cancel()

    // Boris may not see Anna's dialog: he is not seen in it either.
    expect((await server.post(boris, `/panel/dialogs/${annas}/presence`)).status).toBe(404)
    expect((await server.post(boris, "/panel/dialogs/nope/presence")).status).toBe(404)
  })
})
