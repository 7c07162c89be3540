/**
 * The dialog controls of issue 21 over HTTP, on the demo company: each control is rendered only to
 * whom the core allows it; the allowed succeed and change what the user sees; the others get 403
 * (404 where the dialog is out of their sight) and nothing is stored; a bad form is a 422 whose
 * notice names the field; an unknown id is a 404; never a 500.
 */
import { Effect, Option } from "effect"
import { Access, BotId, ConfigStore, DialogId, Engine, EventStore, Settings } from "@switchboard/core"
import { controlTestIds } from "@switchboard/ui-htmx"
import { afterEach, describe, expect, it } from "vitest"
import { panelOver, rowIds, seededCopies, type Session, unescapeHtml } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

let server: ReturnType<typeof panelOver>
afterEach(() => server?.runtime.dispose())

/** The demo company, seeded once for the file: each test gets a server over a copy of it (its writes stay there). */
const copy = seededCopies(async (seeding) => {
  const [anna, boris, sue, olha] = await Promise.all(["anna", "boris", "sue", "olha"].map((id) => seeding.signIn(id)))
  const annas = rowIds(await (await seeding.get(anna!, "/panel/dialogs?folder=mine")).text())
  const queued = rowIds(await (await seeding.get(anna!, "/panel/dialogs?folder=new")).text())
  return { anna: anna!, boris: boris!, sue: sue!, olha: olha!, annas, queued }
})

const company = async () => {
  const copied = await copy()
  server = copied.server
  return copied.value
}

const state = (dialogId: string) => server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.dialog(Access.system, DialogId.make(dialogId))))
const position = () => server.runtime.runPromise(attributedPosition)
const pane = async (who: Session, dialogId: string) => (await server.get(who, `/panel/dialogs/${dialogId}?folder=active`, true)).text()
const has = (html: string, testId: string) => html.includes(`data-testid="${testId}"`)

/** A refusal: the status, and the store did not move. */
const refused = async (status: number, request: () => Response | Promise<Response>) => {
  const before = await position()
  const response = await request()
  expect(response.status).toBe(status)
  expect(await position()).toBe(before)
  return response.text()
}

describe("reassign (DLG-08)", () => {
  it("a supervisor gives Anna's dialog to Boris or back to the queue; Anna may pass her own on but not queue it; Boris may not touch it", async () => {
    const { anna, boris, sue, annas } = await company()
    const [first, second] = annas
    // The control follows the core's rule: Sue and Anna (her own) see it, the queue only for Sue.
    const annasPane = await pane(anna, first!)
    expect(has(annasPane, controlTestIds.reassignTo)).toBe(true)
    expect(annasPane).not.toContain('value="queue"')
    expect(await pane(sue, first!)).toContain('value="queue"')
    await refused(403, () => server.post(boris, `/panel/dialogs/${first}/reassign`, { to: "boris" }))
    const given = await server.post(sue, `/panel/dialogs/${first}/reassign?folder=active`, { to: "boris" })
    expect(given.status).toBe(200)
    expect(Option.getOrUndefined((await state(first!)).assigneeId)).toBe("boris")
    expect(await given.text()).toContain("Boris")
    const queuedAgain = await server.post(sue, `/panel/dialogs/${second}/reassign?folder=active`, { to: "queue" })
    expect(queuedAgain.status).toBe(200)
    expect((await state(second!)).status).toBe("queued")
  })

  it("a bad target is a 422 naming `to`; an unknown operator or dialog a 404; nothing stored", async () => {
    const { sue, annas } = await company()
    expect(await refused(422, () => server.post(sue, `/panel/dialogs/${annas[0]}/reassign`, { to: "" }))).toContain("to: required")
    // In the user's language (issue 22): no choice, or one the panel did not offer.
    expect(unescapeHtml(await refused(422, () => server.post(sue, `/panel/dialogs/${annas[0]}/reassign`, { to: "" }, { "Accept-Language": "uk" })))).toContain("to: обов'язкове поле")
    expect(unescapeHtml(await refused(422, () => server.post(sue, `/panel/dialogs/${annas[0]}/reassign`, { to: " boris" }, { "Accept-Language": "uk" })))).toContain("to: має неправильний формат")
    expect(await refused(404, () => server.post(sue, `/panel/dialogs/${annas[0]}/reassign`, { to: "nobody" }))).toContain("does not exist")
    await refused(404, () => server.post(sue, "/panel/dialogs/no-such-dialog/reassign", { to: "boris" }))
  })
})

describe("return to the bot (DLG-05)", () => {
  it("on a channel with a bot, the responsible operator hands the dialog back; without one there is no control and a 409", async () => {
    const { anna, boris, annas } = await company()
    await refused(409, () => server.post(anna, `/panel/dialogs/${annas[0]}/return-to-bot`))
    expect(has(await pane(anna, annas[0]!), controlTestIds.returnToBot)).toBe(false)
    await server.runtime.runPromise(Effect.gen(function* () {
      const config = yield* ConfigStore
      for (const channel of yield* config.listChannels()) yield* config.putChannel({ ...channel, botId: BotId.make("helper") })
    }))
    expect(has(await pane(anna, annas[0]!), controlTestIds.returnToBot)).toBe(true)
    await refused(404, () => server.post(boris, `/panel/dialogs/${annas[0]}/return-to-bot`))
    const back = await server.post(anna, `/panel/dialogs/${annas[0]}/return-to-bot?folder=active`)
    expect(back.status).toBe(200)
    expect((await state(annas[0]!)).status).toBe("bot")
  })
})

describe("block and unblock the client (DLG-10)", () => {
  it("a supervisor blocks: the composer warns and offers Unblock; operators see the warning without the button and may not block", async () => {
    const { anna, sue, annas } = await company()
    const dialogId = annas[0]!
    expect(has(await pane(anna, dialogId), controlTestIds.block)).toBe(false)
    expect(has(await pane(sue, dialogId), controlTestIds.block)).toBe(true)
    await refused(403, () => server.post(anna, `/panel/dialogs/${dialogId}/block`))
    const blocked = await (await server.post(sue, `/panel/dialogs/${dialogId}/block?folder=active`)).text()
    expect(has(blocked, controlTestIds.blockedNotice)).toBe(true)
    expect(has(blocked, controlTestIds.unblock)).toBe(true)
    const annasView = await pane(anna, dialogId)
    expect(has(annasView, controlTestIds.blockedNotice)).toBe(true)
    expect(has(annasView, controlTestIds.unblock)).toBe(false)
    // Blocking twice is not possible (409), and stores nothing.
    await refused(409, () => server.post(sue, `/panel/dialogs/${dialogId}/block`))
    const unblocked = await (await server.post(sue, `/panel/dialogs/${dialogId}/unblock?folder=active`)).text()
    expect(has(unblocked, controlTestIds.blockedNotice)).toBe(false)
    expect(has(unblocked, controlTestIds.block)).toBe(true)
  })

  it("an operator may when the company lets operators block", async () => {
    const { anna, annas } = await company()
    await server.runtime.runPromise(Effect.gen(function* () {
      const engine = yield* Engine
      const settings = yield* (yield* ConfigStore).getSettings()
      yield* engine.updateSettings(Access.system, Settings.Settings.make({ ...settings, operatorsMayBlockClients: true }))
    }))
    expect(has(await pane(anna, annas[0]!), controlTestIds.block)).toBe(true)
    expect((await server.post(anna, `/panel/dialogs/${annas[0]}/block`)).status).toBe(200)
  })
})

describe("priority and topics (DLG-18, SLA-03)", () => {
  it("a supervisor sets a level of the company's priority catalog; operators have no control and get 403; a level outside it is a 422", async () => {
    const { anna, sue, annas } = await company()
    const dialogId = annas[0]!
    expect(has(await pane(anna, dialogId), controlTestIds.priority)).toBe(false)
    expect(await pane(sue, dialogId)).toContain(">urgent</option>")
    await refused(403, () => server.post(anna, `/panel/dialogs/${dialogId}/priority`, { priority: "2" }))
    expect(await refused(422, () => server.post(sue, `/panel/dialogs/${dialogId}/priority`, { priority: "high" }))).toContain("priority: is not in the expected format")
    expect(await refused(422, () => server.post(sue, `/panel/dialogs/${dialogId}/priority`, { priority: "7" }))).toContain("priority: not one of the company&#39;s priorities")
    expect((await server.post(sue, `/panel/dialogs/${dialogId}/priority?folder=active`, { priority: "2" })).status).toBe(200)
    expect((await state(dialogId)).priority).toBe(2)
  })

  it("the responsible operator sets topics from the company's tree; one it lacks is a 422 naming `topic`", async () => {
    const { anna, boris, annas } = await company()
    const dialogId = annas[0]!
    expect(has(await pane(anna, dialogId), controlTestIds.topic("payments"))).toBe(true)
    expect(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/topics`, { topic: ["payments", "astrology"] }))).toContain("topic: The company has no topic")
    await refused(403, () => server.post(boris, `/panel/dialogs/${dialogId}/topics`, { topic: "payments" }))
    const set = await (await server.post(anna, `/panel/dialogs/${dialogId}/topics?folder=active`, { topic: ["payments", "returns"] })).text()
    expect((await state(dialogId)).topics).toEqual(["payments", "returns"])
    expect(set).toContain("Topics: Payments, Returns")
  })
})

describe("detach (DLG-23) and delete (DLG-12)", () => {
  it("detaching needs the form's confirmation (422 without); then the dialog has no client", async () => {
    const { anna, boris, annas } = await company()
    const dialogId = annas[0]!
    expect(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/detach`, {}))).toContain("confirm: must be one of: yes")
    await refused(403, () => server.post(boris, `/panel/dialogs/${dialogId}/detach`, { confirm: "yes" }))
    const detached = await (await server.post(anna, `/panel/dialogs/${dialogId}/detach?folder=active`, { confirm: "yes" })).text()
    expect(detached).toContain("Detached client")
    expect(has(detached, controlTestIds.detach)).toBe(false)
    expect(Option.isNone((await state(dialogId)).clientId)).toBe(true)
  })

  it("only who may delete sees Delete; one dialog goes and the pane empties; many go together or none does", async () => {
    const { anna, sue, olha, annas, queued } = await company()
    expect(has(await pane(anna, annas[0]!), controlTestIds.delete)).toBe(false)
    expect(has(await pane(sue, annas[0]!), controlTestIds.delete)).toBe(false)
    expect(has(await pane(olha, annas[0]!), controlTestIds.delete)).toBe(true)
    await refused(403, () => server.post(sue, `/panel/dialogs/${annas[0]}/delete`))
    const gone = await (await server.post(olha, `/panel/dialogs/${annas[0]}/delete?folder=active`)).text()
    expect(gone).toContain("Choose a dialog on the left.")
    await refused(404, () => server.post(olha, `/panel/dialogs/${annas[0]}/delete`))
    // Many: a refusal or an unknown id among them deletes none.
    const [a, b] = queued
    await refused(403, () => server.post(sue, "/panel/dialogs/delete", { id: [a!, b!] }))
    await refused(404, () => server.post(olha, "/panel/dialogs/delete", { id: [a!, "no-such-dialog"] }))
    expect(await refused(422, () => server.post(olha, "/panel/dialogs/delete", {}))).toContain("id: at least 1 item")
    const many = await server.post(olha, "/panel/dialogs/delete?folder=new", { id: [a!, b!] })
    expect(many.status).toBe(204)
    expect(many.headers.get("HX-Location")).toBe("/panel/dialogs?folder=new")
    const left = rowIds(await (await server.get(olha, "/panel/dialogs?folder=new")).text())
    expect(left).not.toContain(a)
    expect(left).not.toContain(b)
  })
})

describe("per message: reply with a quote, edit, delete (MSG-03, MSG-04)", () => {
  const lastOwnMessage = (html: string) => [...html.matchAll(/data-message-id="([^"]+)" data-author="operator"/g)].at(-1)?.[1] ?? ""

  it("Anna edits and deletes her own reply; nobody else may; a bad text is a 422 naming `text`; an unknown message a 404", async () => {
    const { anna, sue, annas } = await company()
    const dialogId = annas[0]!
    await server.post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "Your parcel left on Monday" })
    const page = await pane(anna, dialogId)
    const mine = lastOwnMessage(page)
    expect(page).toContain(`/messages/${encodeURIComponent(mine)}/edit`)
    // Sue sees no edit control on Anna's reply, and is refused.
    expect(await pane(sue, dialogId)).not.toContain(`/messages/${encodeURIComponent(mine)}/edit`)
    await refused(403, () => server.post(sue, `/panel/dialogs/${dialogId}/messages/${mine}/edit`, { text: "changed" }))
    expect(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${mine}/edit`, { text: "x".repeat(20_000) }))).toContain("text:")
    await refused(404, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${dialogId}.m999/edit`, { text: "changed" }))
    const edited = await (await server.post(anna, `/panel/dialogs/${dialogId}/messages/${mine}/edit?folder=active`, { text: "Your parcel left on Tuesday" })).text()
    expect(edited).toContain("Your parcel left on Tuesday")
    expect(edited).toContain('class="edited"')
    const deleted = await (await server.post(anna, `/panel/dialogs/${dialogId}/messages/${mine}/delete?folder=active`)).text()
    expect(deleted).toContain("Message deleted")
    await refused(404, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${mine}/delete`))
  })

  it("with editing and deleting turned off there are no controls and the routes refuse (403)", async () => {
    const { anna, annas } = await company()
    const dialogId = annas[0]!
    await server.post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "A reply" })
    await server.runtime.runPromise(Effect.gen(function* () {
      const settings = yield* (yield* ConfigStore).getSettings()
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...settings, forbidEditing: true, forbidDeleting: true }))
    }))
    const page = await pane(anna, dialogId)
    const mine = lastOwnMessage(page)
    expect(page).not.toContain(`data-testid="${controlTestIds.edit}"`)
    expect(page).not.toContain(`data-testid="${controlTestIds.deleteMessage}"`)
    await refused(403, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${mine}/edit`, { text: "changed" }))
    await refused(403, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${mine}/delete`))
  })

  it("a reply quoting the client's message records the quote; an empty one is a 422 naming `text`; Boris may not write in Anna's dialog", async () => {
    const { anna, boris, annas } = await company()
    const dialogId = annas[0]!
    const clientMessage = `${dialogId}.m1`
    expect(await pane(anna, dialogId)).toContain(`/messages/${encodeURIComponent(clientMessage)}/quote`)
    expect(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${clientMessage}/quote`, { text: "  " }))).toContain("text:")
    await refused(403, () => server.post(boris, `/panel/dialogs/${dialogId}/messages/${clientMessage}/quote`, { text: "hi" }))
    await refused(404, () => server.post(anna, `/panel/dialogs/${dialogId}/messages/${dialogId}.m999/quote`, { text: "About that" }))
    const sent = await server.post(anna, `/panel/dialogs/${dialogId}/messages/${clientMessage}/quote?folder=active`, { text: "About your order:" })
    expect(sent.status).toBe(200)
    const answer = await sent.text()
    expect(answer).toContain("About your order:")
    // The reply's bubble shows what it quotes.
    expect(/data-testid="message-quote">([\s\S]*?)<\/blockquote>/.exec(answer)?.[1]).toMatch(/Hi! My order|Good morning|opening hours|promo code|XL size|charged twice/)
    const quoted = await server.runtime.runPromise(Effect.gen(function* () {
      const events = yield* (yield* EventStore).readStream(`dialog:${dialogId}`)
      return events.map(({ event }) => event).flatMap((event) => (event._tag === "StaffMessageSent" && event.message.text === "About your order:" ? [Option.getOrUndefined(event.message.quoteOf)] : []))
    }))
    expect(quoted).toEqual([clientMessage])
  })
})

describe("closing: any more questions? (DLG-15) and a required topic (DLG-18)", () => {
  const settle = (change: Partial<Settings.Settings>) =>
    server.runtime.runPromise(Effect.gen(function* () {
      const settings = yield* (yield* ConfigStore).getSettings()
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...settings, ...change }))
    }))

  it("with the setting on, Close asks the client first; the pane says so and Close now closes with the reason given", async () => {
    const { anna, boris, annas } = await company()
    const dialogId = annas[0]!
    await settle({ anyMoreQuestions: true })
    const asked = await (await server.post(anna, `/panel/dialogs/${dialogId}/close?folder=active`, { reasonId: "resolved" })).text()
    expect(has(asked, controlTestIds.pendingClose)).toBe(true)
    expect((await state(dialogId)).status).toBe("active")
    await refused(404, () => server.post(boris, `/panel/dialogs/${dialogId}/close-now`))
    const closed = await (await server.post(anna, `/panel/dialogs/${dialogId}/close-now?folder=active`)).text()
    expect(closed).toContain('data-status="closed"')
    expect(has(closed, controlTestIds.pendingClose)).toBe(false)
    expect(Option.getOrUndefined((await state(dialogId)).closeReasonId)).toBe("resolved")
  })

  it("with a topic required, the topics open by themselves and Close is refused until one is chosen", async () => {
    const { anna, annas } = await company()
    const dialogId = annas[0]!
    await settle({ topicRequired: true })
    expect(await pane(anna, dialogId)).toMatch(/data-testid="topics" open/)
    expect(await refused(409, () => server.post(anna, `/panel/dialogs/${dialogId}/close`, { reasonId: "resolved" }))).toContain("Choose at least one topic before closing")
    await server.post(anna, `/panel/dialogs/${dialogId}/topics`, { topic: "delivery" })
    expect(await pane(anna, dialogId)).not.toMatch(/data-testid="topics" open/)
    expect(await (await server.post(anna, `/panel/dialogs/${dialogId}/close?folder=active`, { reasonId: "resolved" })).text()).toContain('data-status="closed"')
  })
})

describe("outgoing dialog (DLG-13)", () => {
  it("after closing, Anna writes to the client first in their channel: the answer is the new dialog; bad forms are 422s, an unknown channel a 404, a second open dialog a 409", async () => {
    const { anna, boris, annas } = await company()
    const dialogId = annas[0]!
    // While the client's dialog there is open, there is nowhere to start another.
    expect(has(await pane(anna, dialogId), controlTestIds.outgoing)).toBe(false)
    await server.post(anna, `/panel/dialogs/${dialogId}/close`, { reasonId: "resolved" })
    const closed = await pane(anna, dialogId)
    expect(has(closed, controlTestIds.outgoing)).toBe(true)
    const channelId = /data-testid="outgoing-channel"><option value="([^"]+)"/.exec(closed)?.[1] ?? ""
    expect(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/outgoing`, { channelId: "", text: "Hello again" }))).toContain("channelId: required")
    expect(unescapeHtml(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/outgoing`, { channelId: "", text: "Hello again" }, { "Accept-Language": "uk" })))).toContain("channelId: обов'язкове поле")
    expect(await refused(422, () => server.post(anna, `/panel/dialogs/${dialogId}/outgoing`, { channelId, text: " " }))).toContain("text:")
    await refused(404, () => server.post(anna, `/panel/dialogs/${dialogId}/outgoing`, { channelId: "nowhere", text: "Hello again" }))
    await refused(404, () => server.post(boris, `/panel/dialogs/${dialogId}/outgoing`, { channelId, text: "Hello again" }))
    const opened = await (await server.post(anna, `/panel/dialogs/${dialogId}/outgoing?folder=mine`, { channelId, text: "Hello again, your refund is ready" })).text()
    const newId = /data-testid="dialog-view" data-dialog-id="([^"]+)"/.exec(opened)?.[1]
    expect(newId).toBeDefined()
    expect(newId).not.toBe(dialogId)
    expect(opened).toContain("Hello again, your refund is ready")
    expect((await state(newId!)).status).toBe("active")
    await refused(409, () => server.post(anna, `/panel/dialogs/${dialogId}/outgoing`, { channelId, text: "And again" }))
  })
})

describe("never a 500", () => {
  it("malformed ids and fields in every new route answer 4xx", async () => {
    const { olha, annas } = await company()
    const weird = ["%00", "x".repeat(5000), "../../etc", "a b"]
    for (const id of weird) {
      for (const path of ["reassign", "return-to-bot", "block", "unblock", "priority", "topics", "detach", "delete", "close-now", "outgoing", "messages/m1/edit", "messages/m1/delete", "messages/m1/quote"]) {
        const response = await server.post(olha, `/panel/dialogs/${encodeURIComponent(id)}/${path}`, { to: id, priority: id, topic: id, text: id, confirm: id })
        expect(response.status, `${path} ${id.slice(0, 10)}`).toBeLessThan(500)
      }
      expect((await server.post(olha, `/panel/dialogs/${annas[0]}/messages/${encodeURIComponent(id)}/edit`, { text: "x" })).status).toBeLessThan(500)
    }
    expect((await server.post(olha, "/panel/dialogs/delete", { id: weird })).status).toBeLessThan(500)
  })
})

describe("reopen", () => {
  it("a closed dialog's operator and a supervisor see Reopen; Anna reopens and holds it with a composer again; an open dialog is a 409, Boris a 403, an unknown id a 404", async () => {
    const { anna, boris, sue, annas } = await company()
    const dialogId = annas[0]!
    expect(has(await pane(anna, dialogId), "reopen")).toBe(false)
    await refused(409, () => server.post(anna, `/panel/dialogs/${dialogId}/reopen`))
    await server.post(anna, `/panel/dialogs/${dialogId}/close`, { reasonId: "resolved" })
    expect((await state(dialogId)).status).toBe("closed")
    expect(has(await pane(anna, dialogId), "reopen")).toBe(true)
    expect(has(await pane(sue, dialogId), "reopen")).toBe(true)
    await refused(403, () => server.post(boris, `/panel/dialogs/${dialogId}/reopen`))
    await refused(404, () => server.post(anna, "/panel/dialogs/no-such-dialog/reopen"))
    const reopened = await server.post(anna, `/panel/dialogs/${dialogId}/reopen?folder=mine`)
    expect(reopened.status).toBe(200)
    const html = await reopened.text()
    expect(has(html, "composer")).toBe(true)
    expect(has(html, "reopen")).toBe(false)
    const after = await state(dialogId)
    expect([after.status, Option.getOrUndefined(after.assigneeId)]).toEqual(["active", "anna"])
  })
})

describe("delete many from the list (DLG-12)", () => {
  it("the list offers Select all and Delete only to who may delete dialogs", async () => {
    const { sue, olha } = await company()
    const listOf = async (who: Session) => (await server.get(who, "/panel/dialogs?folder=new")).text()
    expect(has(await listOf(olha), "select-all")).toBe(true)
    expect(has(await listOf(olha), "bulk-delete")).toBe(true)
    expect(has(await listOf(sue), "select-all")).toBe(false)
    expect(has(await listOf(sue), "bulk-delete")).toBe(false)
  })
})
