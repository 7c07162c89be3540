import { Effect, Option } from "effect"
import { EventStore, UserId } from "@switchboard/core"
import { beforeAll, describe, expect, it } from "vitest"
import { attributeOf, rowIds, seededPanel, sseReader } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

/**
 * The operator's own day over HTTP (issue 21 "More"): the header's status switch (OPS-02), the
 * notification switches (NTF-01/02), presence in a dialog (collision).
 */

describe("the operator's own status switch", () => {
  const { server, sessions, plainPost } = seededPanel("anna")

  const statusOf = (id: string) =>
    server.runtime.runPromise(Effect.map(Effect.flatMap(EventStore, (store) => store.loadOperator(UserId.make(id))), (found) => Option.getOrThrow(found).state.statusId))

  it("shows the company's statuses in the header with the current one chosen", async () => {
    const page = await (await server.get(sessions.anna, "/panel/dialogs?folder=new")).text()
    expect(attributeOf(page, 'data-testid="status-switch"', "data-status")).toBe("online")
    const options = [...page.matchAll(/<option value="(online|break|lunch|offline)"( selected="")?/g)].map((match) => [match[1], match[2] !== undefined])
    expect(options).toEqual([["online", true], ["break", false], ["lunch", false], ["offline", false]])
  })

  it("sets the user's own status at once and answers with the switch showing it", async () => {
    const answer = await server.post(sessions.anna, "/panel/account/status", { statusId: "break" })
    expect(answer.status).toBe(200)
    expect(attributeOf(await answer.text(), 'data-testid="status-switch"', "data-status")).toBe("break")
    expect(await statusOf("anna")).toBe("break")
    const page = await (await server.get(sessions.anna, "/panel/dialogs?folder=new")).text()
    expect(attributeOf(page, 'data-testid="status-switch"', "data-status")).toBe("break")
    expect((await server.post(sessions.anna, "/panel/account/status", { statusId: "online" })).status).toBe(200)
    expect(await statusOf("anna")).toBe("online")
  })

  it("refuses a status the company does not have with 422 and the reason, changing nothing", async () => {
    const before = await server.runtime.runPromise(attributedPosition)
    const answer = await server.post(sessions.anna, "/panel/account/status", { statusId: "napping" })
    expect(answer.status).toBe(422)
    const body = await answer.text()
    expect(body).toContain("there is no status &quot;napping&quot;")
    expect(attributeOf(body, 'data-testid="status-switch"', "data-status")).toBe("online")
    expect(await statusOf("anna")).toBe("online")
    expect((await server.post(sessions.anna, "/panel/account/status", {})).status).toBe(422)
    // Nothing stored by either refusal (the engine's own routing may go on meanwhile).
    expect(await server.runtime.runPromise(attributedPosition)).toBe(before)
  })

  it("speaks the user's language: the switch and its statuses in Ukrainian for a Ukrainian browser", async () => {
    const page = await (await server.app.request("/panel/dialogs?folder=new", { headers: { Cookie: sessions.anna.cookie, "Accept-Language": "uk" } })).text()
    expect(page).toContain('aria-label="Мій статус"')
    // The built-in statuses are named in the user's language, as the header names them.
    expect(page).toContain("Перерва (без нових діалогів)")
    expect(page).not.toContain("Break (")
  })

  it("without JavaScript, the form's post redirects back to the panel", async () => {
    const answer = await plainPost(sessions.anna, "/panel/account/status", { statusId: "lunch" })
    expect(answer.status).toBe(303)
    expect(await statusOf("anna")).toBe("lunch")
  })
})

describe("notification switches and what the live stream says to notify", () => {
  const { server, sessions } = seededPanel("anna")

  const bodyOf = async (path: string) => {
    const page = await (await server.get(sessions.anna, path)).text()
    return /<body[^>]*>/.exec(page)?.[0] ?? ""
  }

  it("starts with both switches on, saves them per user and puts them on the panel's page", async () => {
    expect(await bodyOf("/panel/dialogs?folder=new")).toContain('data-notify-desktop="true" data-notify-sound="true"')
    const saved = await server.post(sessions.anna, "/panel/account/notifications", { sound: "on" })
    expect(saved.status).toBe(200)
    const section = await saved.text()
    expect(section).toContain("Notification settings saved.")
    expect(section).toMatch(/name="sound" value="on" checked=""/)
    expect(section).not.toMatch(/name="desktop" value="on" checked=""/)
    expect(await bodyOf("/panel/dialogs?folder=new")).toContain('data-notify-desktop="false" data-notify-sound="true"')
    const another = await server.signIn("boris")
    expect(await (await server.get(another, "/panel/dialogs?folder=new")).text()).toContain('data-notify-desktop="true" data-notify-sound="true"')
    const account = await (await server.get(sessions.anna, "/panel/account")).text()
    expect(account).toContain('data-testid="notifications-form"')
  })

  it("refuses a switch that is neither on nor off with 422 and the reason, keeping what was saved", async () => {
    const refused = await server.post(sessions.anna, "/panel/account/notifications", { sound: "loud", desktop: "on" })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain("sound: must be one of: on, off")
    expect(await bodyOf("/panel/dialogs?folder=new")).toContain('data-notify-desktop="false" data-notify-sound="true"')
  })

  it("tells Anna's stream to notify when a new client writes to New, with the client's text", async () => {
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: sessions.anna.cookie } }))
    await stream.until((read) => read.some((item) => item.event === "ready"))
    expect((await server.inbound("telegram", { from: "notify-1", profile: { name: "Nadia" }, message: { text: "Where is my parcel? <b>now</b>" } })).status).toBe(202)
    const seen = await stream.until((read) => read.some((item) => item.event === "notify"))
    await stream.cancel()
    const note = JSON.parse(seen.find((item) => item.event === "notify")!.data) as Record<string, unknown>
    expect(note).toMatchObject({ kind: "dialog", folder: "new", title: "Nadia", text: "Where is my parcel? <b>now</b>" })
  })
})

describe("collision: who else has the dialog open", () => {
  const { server, sessions } = seededPanel("anna", "sue", "boris")
  let annas: string
  beforeAll(async () => {
    annas = rowIds(await (await server.get(sessions.anna, "/panel/dialogs?folder=mine")).text())[0]!
  })

  it("answers who else is there, pushes Sue's arrival and typing to Anna's open dialog, and hides the dialog from who may not see it", async () => {
    expect(await (await server.get(sessions.anna, `/panel/dialogs/${annas}`)).text()).toContain(`data-presence-dialog="${annas}"`)
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: sessions.anna.cookie } }))
    const ready = await stream.until((read) => read.some((item) => item.event === "ready"))
    const streamId = ready.find((item) => item.event === "ready")!.data
    expect((await server.post(sessions.anna, "/panel/events/focus", { stream: streamId, dialog: annas, folder: "mine" })).status).toBe(204)
    expect(await (await server.post(sessions.anna, `/panel/dialogs/${annas}/presence`)).text()).toBe("")

    const sues = await server.post(sessions.sue, `/panel/dialogs/${annas}/presence`)
    expect(sues.status).toBe(200)
    expect(await sues.text()).toContain("Anna is viewing")
    const arrived = await stream.until((read) => read.some((item) => item.event === "panel" && item.data.includes("Sue is viewing")))
    expect(arrived.find((item) => item.data.includes("Sue is viewing"))!.data).toContain(`id="presence-${annas.replace(/[^A-Za-z0-9_-]/g, "_")}" hx-swap-oob="innerHTML"`)
    await server.post(sessions.sue, `/panel/dialogs/${annas}/presence`, { typing: "true" })
    await stream.until((read) => read.some((item) => item.event === "panel" && item.data.includes("Sue is typing")))
    await stream.cancel()

    // Boris may not see Anna's dialog: a page of his that says it shows it hears nobody in it, and he is not seen in it.
    const his = sseReader(await server.app.request("/panel/events", { headers: { Cookie: sessions.boris.cookie } }))
    const hisReady = await his.until((read) => read.some((item) => item.event === "ready"))
    await server.post(sessions.boris, "/panel/events/focus", { stream: hisReady.find((item) => item.event === "ready")!.data, dialog: annas, folder: "new" })
    await server.post(sessions.sue, `/panel/dialogs/${annas}/presence`, { typing: "true" })
    await server.post(sessions.sue, `/panel/dialogs/${annas}/presence`)
    // Something Boris does see, pushed after: everything before it has reached his stream.
    expect((await server.inbound("telegram", { from: "presence-probe", profile: { name: "Probe" }, message: { text: "hi" } })).status).toBe(202)
    const heard = await his.until((read) => read.some((item) => item.event === "row" && item.data.includes("Probe")))
    await his.cancel()
    expect(heard.filter((item) => item.data.includes("presence-entry"))).toEqual([])
    expect((await server.post(sessions.boris, `/panel/dialogs/${annas}/presence`)).status).toBe(404)
    expect((await server.post(sessions.boris, "/panel/dialogs/nope/presence")).status).toBe(404)
  })

  it("tells each page who is there in that page's language", async () => {
    // Another of Anna's dialogs, which nobody has reported on yet: Sue's arrival is news there.
    const other = rowIds(await (await server.get(sessions.anna, "/panel/dialogs?folder=mine")).text())[1]!
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: sessions.anna.cookie, "Accept-Language": "uk" } }))
    const ready = await stream.until((read) => read.some((item) => item.event === "ready"))
    expect((await server.post(sessions.anna, "/panel/events/focus", { stream: ready.find((item) => item.event === "ready")!.data, dialog: other, folder: "mine" })).status).toBe(204)
    await server.post(sessions.sue, `/panel/dialogs/${other}/presence`)
    const arrived = await stream.until((read) => read.some((item) => item.event === "panel" && item.data.includes("presence-entry")))
    await stream.cancel()
    const line = arrived.find((item) => item.event === "panel" && item.data.includes("presence-entry"))!.data
    expect(line).toContain("Також тут:")
    expect(line).toContain("Sue переглядає")
    expect(line).not.toContain("is viewing")
  })
})

describe("personal folders: saved filters", () => {
  const { server, sessions, plainPost } = seededPanel("anna")

  const sidebar = async () => [...(await (await server.get(sessions.anna, "/panel/dialogs?folder=new")).text()).matchAll(/data-testid="personal-folder" data-folder-id="([^"]+)"><span>([^<]*)<\/span>/g)].map((match) => [match[1]!, match[2]!])
  const plain = (path: string, fields: Record<string, string>) => plainPost(sessions.anna, path, fields)

  it("saves the list as filtered now, opens it, and renames, reorders and deletes folders", async () => {
    const saved = await server.post(sessions.anna, "/panel/folders", { name: " Telegram clients ", folder: "mine", channel: "telegram", q: "", cursor: "ignored" })
    expect(saved.status).toBe(200)
    expect(saved.headers.get("HX-Redirect")).toBe("/panel/dialogs?folder=mine&channel=telegram")
    expect((await plain("/panel/folders", { name: "Waiting", folder: "new" })).headers.get("Location")).toBe("/panel/dialogs?folder=new")
    const [first, second] = await sidebar()
    expect([first![1], second![1]]).toEqual(["Telegram clients", "Waiting"])

    expect((await plain(`/panel/folders/${first![0]}/rename`, { name: "Telegram" })).status).toBe(303)
    expect((await plain(`/panel/folders/${second![0]}/move`, { direction: "up" })).status).toBe(303)
    expect(await sidebar()).toEqual([[second![0], "Waiting"], [first![0], "Telegram"]])
    expect((await plain(`/panel/folders/${second![0]}/delete`, {})).status).toBe(303)
    expect(await sidebar()).toEqual([[first![0], "Telegram"]])
    const account = await (await server.get(sessions.anna, "/panel/account")).text()
    expect(account).toContain('data-testid="folder-row"')
  })

  it("refuses an empty name, an unknown base folder or move with 422 and an unknown folder with 404, changing nothing", async () => {
    const before = await sidebar()
    expect((await plain("/panel/folders", { name: "  ", folder: "new" })).status).toBe(422)
    expect((await plain("/panel/folders", { name: "Odd", folder: "elsewhere" })).status).toBe(422)
    expect((await plain(`/panel/folders/${before[0]![0]}/move`, { direction: "sideways" })).status).toBe(422)
    expect((await plain(`/panel/folders/${before[0]![0]}/rename`, { name: "" })).status).toBe(422)
    expect((await plain("/panel/folders/nope/delete", {})).status).toBe(404)
    expect(await sidebar()).toEqual(before)
  })
})

describe("the list's look: table view and sort, per user", () => {
  const { server, sessions } = seededPanel("anna")

  /** The rows of New as listed, each with both sort keys. */
  const listed = async () => {
    const page = await (await server.get(sessions.anna, "/panel/dialogs?folder=new")).text()
    const rows = [...page.matchAll(/data-dialog-id="([^"]+)"[^>]*data-sort="([^"]+)" data-sort-new="([^"]+)"/g)].map((match) => ({ id: match[1]!, activity: match[2]!, processing: match[3]! }))
    return { page, rows }
  }
  const ordered = (keys: ReadonlyArray<string>) => {
    const parsed = keys.map((key) => key.split(" ").map(Number) as [number, number])
    return parsed.every((key, i) => i === 0 || parsed[i - 1]![0] < key[0] || (parsed[i - 1]![0] === key[0] && parsed[i - 1]![1] <= key[1]))
  }

  it("lists New in processing order by default and by last activity when the user chooses it, as a table of the same rows when chosen", async () => {
    const before = await listed()
    expect(before.rows.length).toBeGreaterThan(2)
    expect(attributeOf(before.page, 'data-testid="dialog-results"', "data-sort-by")).toBe("processingOrder")
    expect(ordered(before.rows.map((row) => row.processing))).toBe(true)
    expect(before.page).not.toContain('data-testid="table-head"')

    const saved = await server.post(sessions.anna, "/panel/account/list", { view: "table", sort: "lastActivity" })
    expect(saved.status).toBe(200)
    expect(saved.headers.get("HX-Refresh")).toBe("true")
    const after = await listed()
    expect(attributeOf(after.page, 'data-testid="dialog-results"', "data-sort-by")).toBe("lastActivity")
    expect(attributeOf(after.page, 'data-testid="dialog-results"', "data-view")).toBe("table")
    expect(after.page).toContain('data-testid="table-head"')
    expect(ordered(after.rows.map((row) => row.activity))).toBe(true)
    expect(after.rows.map((row) => row.id).sort()).toEqual(before.rows.map((row) => row.id).sort())
  })

  it("refuses an unknown view or order with 422, keeping the look", async () => {
    expect((await server.post(sessions.anna, "/panel/account/list", { view: "cards", sort: "auto" })).status).toBe(422)
    expect((await server.post(sessions.anna, "/panel/account/list", { view: "list", sort: "random" })).status).toBe(422)
    expect(attributeOf((await listed()).page, 'data-testid="dialog-results"', "data-view")).toBe("table")
  })
})
