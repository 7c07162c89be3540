import { Effect, Layer, Option, Redacted } from "effect"
import { StoreEventBus } from "@switchboard/adapters"
import { Access, Catalog, ChannelId, ChannelSecretStore, Client, CloseReasonId, Dialog, DialogFold, DialogId, Engine, EventBus, Routing, type StoreService, storeService, TagId, UserId, wrapStore } from "@switchboard/core"
import { MemoryAccountStore, MemoryComposerStore, MemoryEventBus, MemoryStore, MemoryWidgetSessionStore } from "@switchboard/core/testing"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeApp } from "../src/App.js"
import { ChannelCredentials } from "../src/ChannelCredentials.js"
import { demoSignIn, seedIfEmpty } from "../src/Demo.js"
import { memoryStorage } from "../src/testing.js"
import { apiAuthorization, panelApp, rowIds, type Session, type SseEvent, sseReader } from "./PanelClient.js"

const origin = "http://localhost"
const { runtime, app, signIn, post, get, inbound } = panelApp(memoryStorage.layer, { app: { demo: demoSignIn } })

beforeAll(async () => {
  await runtime.runPromise(seedIfEmpty)
})
afterAll(() => runtime.dispose())

describe("sign-in", () => {
  it("redirects to the login form without a session and, in demo mode, lists the demo users and their password", async () => {
    const response = await app.request("/panel/dialogs")
    expect(response.status).toBe(302)
    expect(response.headers.get("Location")).toBe("/login")
    const form = await (await app.request("/login")).text()
    expect(form.startsWith("<!DOCTYPE html><html")).toBe(true)
    for (const id of ["olha", "sue", "anna", "boris"]) expect(form).toContain(`data-testid="login-as-${id}"`)
    expect(form).toContain('<code data-testid="demo-password">switchboard-demo</code>')
  })

  it("rejects a login post without the form's CSRF token", async () => {
    const response = await app.request("/login", {
      method: "POST",
      headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ login: "anna@example.com", password: "switchboard-demo" })
    })
    expect(response.status).toBe(403)
  })
})

describe("panel", () => {
  it("renders the folders with unread counts, the user and the New dialogs", async () => {
    const anna = await signIn("anna")
    const response = await get(anna, "/panel/dialogs?folder=new")
    expect(response.status).toBe(200)
    expect(response.headers.get("Content-Security-Policy")).toContain("script-src 'self'")
    expect(response.headers.get("Vary")).toContain("HX-Request")
    const html = await response.text()
    // Standards mode: without the doctype browsers lay the panel out in quirks mode.
    expect(html.startsWith("<!DOCTYPE html><html")).toBe(true)
    for (const id of ["folder-new", "folder-mine", "folder-archive", "folder-count-new", "unread-total", "dialog-list", "current-user"]) {
      expect(html).toContain(`data-testid="${id}"`)
    }
    expect(html).not.toContain('data-testid="folder-active"')
    expect(html).toContain("Maria Kovalenko")
    expect(rowIds(html).length).toBeGreaterThanOrEqual(7)
    const supervisor = await get(await signIn("sue"), "/panel/dialogs?folder=active")
    expect(await supervisor.text()).toContain('data-testid="folder-active"')
  })

  it("answers an htmx request with the list fragment only", async () => {
    const anna = await signIn("anna")
    const html = await (await get(anna, "/panel/dialogs?folder=mine", true)).text()
    expect(html).not.toContain("<html")
    expect(html).toContain('id="dialog-list"')
    expect(html).toContain("Olena Shevchenko")
  })

  it("accepts a dialog: 200 with the dialog pane, and the row moves from New to Mine", async () => {
    const anna = await signIn("anna")
    const [dialogId] = rowIds(await (await get(anna, "/panel/dialogs?folder=new")).text())
    expect(dialogId).toBeDefined()
    const response = await post(anna, `/panel/dialogs/${dialogId}/accept`)
    expect(response.status).toBe(200)
    const pane = await response.text()
    expect(pane).toContain('data-testid="dialog-view"')
    expect(pane).toContain('data-status="active"')
    expect(rowIds(await (await get(anna, "/panel/dialogs?folder=new")).text())).not.toContain(dialogId)
    expect(rowIds(await (await get(anna, "/panel/dialogs?folder=mine")).text())).toContain(dialogId)
  })

  it("shows the dialog's SLA metrics under the demo policy (SLA-05)", async () => {
    const sue = await signIn("sue")
    const [dialogId] = rowIds(await (await get(sue, "/panel/dialogs?folder=new")).text())
    const pane = await (await get(sue, `/panel/dialogs/${dialogId}?folder=new`, true)).text()
    expect(pane).toContain('data-testid="sla-panel"')
    expect(pane).toContain("SLA · Standard")
    // The time, and the day before it when that is not today (near midnight).
    expect(pane).toMatch(/First response: (running|due soon|breached) · due (\d{1,2} [A-Z][a-z]{2} )?\d\d:\d\d · \d+\/10 min/)
  })

  it("answers 409 with the reason when a second operator accepts the same dialog", async () => {
    const anna = await signIn("anna")
    const boris = await signIn("boris")
    const [dialogId] = rowIds(await (await get(anna, "/panel/dialogs?folder=new")).text())
    expect((await post(anna, `/panel/dialogs/${dialogId}/accept`)).status).toBe(200)
    const response = await post(boris, `/panel/dialogs/${dialogId}/accept`)
    expect(response.status).toBe(409)
    expect(response.headers.get("HX-Retarget")).toBe("#notice")
    expect(await response.text()).toContain("already taken")
  })

  it("sends a reply and shows it in the dialog", async () => {
    const anna = await signIn("anna")
    const [dialogId] = rowIds(await (await get(anna, "/panel/dialogs?folder=mine")).text())
    const response = await post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "On it — one moment please." })
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('id="composer"')
    expect(await (await get(anna, `/panel/dialogs/${dialogId}?folder=mine`, true)).text()).toContain("On it — one moment please.")
  })

  it("without JavaScript a dialog action answers with the dialog beside the list it was opened from", async () => {
    const anna = await signIn("anna")
    const noJs = { "HX-Request": "false" }
    const [olena] = rowIds(await (await get(anna, "/panel/dialogs?folder=mine&q=invoice")).text())
    const pane = await (await get(anna, `/panel/dialogs/${olena}?folder=mine&q=invoice`)).text()
    // Every form of the open dialog posts to a URL that names the list (DialogView.list).
    const actions = [...pane.matchAll(/<form[^>]*\saction="([^"]+)"/g)].map((match) => match[1]!.replace(/&amp;/g, "&"))
    expect(actions).toEqual(expect.arrayContaining([`/panel/dialogs/${olena}/close?folder=mine&q=invoice`, `/panel/dialogs/${olena}/unread?folder=mine&q=invoice`, `/panel/dialogs/${olena}/messages?folder=mine&q=invoice`]))
    for (const action of ["unread", "messages"]) {
      const response = await post(anna, `/panel/dialogs/${olena}/${action}?folder=mine&q=invoice`, { text: "One moment, please." }, noJs)
      expect(response.status, action).toBe(303)
      expect(response.headers.get("Location"), action).toBe(`/panel/dialogs/${olena}?folder=mine&q=invoice`)
    }
    // Accepting moves the dialog to Mine: the answer opens it there, unsearched.
    const [waiting] = rowIds(await (await get(anna, "/panel/dialogs?folder=new&q=refund")).text())
    const accepted = await post(anna, `/panel/dialogs/${waiting}/accept?folder=new&q=refund`, {}, noJs)
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get("Location")).toBe(`/panel/dialogs/${waiting}?folder=mine`)
    // With htmx the pane stays beside the list the action came from.
    const pane2 = await (await post(anna, `/panel/dialogs/${waiting}/unread?folder=new&q=refund`)).text()
    expect(pane2).toContain(`action="/panel/dialogs/${waiting}/close?folder=new&amp;q=refund"`)
    // A list the panel does not know is a 400 naming it, before the action runs.
    const bad = await post(anna, `/panel/dialogs/${olena}/close?folder=nope`, {}, noJs)
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain("folder")
    expect(await (await get(anna, `/panel/dialogs/${olena}?folder=mine`, true)).text()).toContain('data-status="active"')
  })

  it("renders the controls core's permissions allow and the close reasons of the company's catalog", async () => {
    const { dialogId } = (await (await inbound("telegram", { from: "catalog-client", profile: { name: "Catalog Client" }, message: { text: "Hello there" } })).json()) as { dialogId: string }
    const anna = await signIn("anna")
    const queued = await (await get(anna, `/panel/dialogs/${dialogId}?folder=new`, true)).text()
    // Queued: Accept, but no composer and no close form until it is hers.
    expect(queued).toContain('data-testid="accept"')
    expect(queued).not.toContain('data-testid="composer"')
    expect(queued).not.toContain('data-testid="close-reason"')
    const pane = await (await post(anna, `/panel/dialogs/${dialogId}/accept?folder=new`)).text()
    expect(pane).toContain('data-testid="composer"')
    const closeSelect = /<select name="reasonId"[\s\S]*?<\/select>/.exec(pane)?.[0] ?? ""
    const offered = [...closeSelect.matchAll(/<option value="([^"]*)">/g)].map((match) => match[1])
    expect(offered).toEqual(["", "resolved", "no-answer", "spam"])
    // A reason the company adds shows up; one it does not have is refused.
    await runtime.runPromise(Effect.gen(function* () {
      const store = yield* storeService
      const settings = yield* store.getSettings()
      yield* (yield* Engine).updateSettings(Access.system, { ...settings, closeReasons: [...settings.closeReasons, Catalog.CloseReason.make({ id: CloseReasonId.make("duplicate"), name: "Duplicate" })] })
    }))
    expect(await (await get(anna, `/panel/dialogs/${dialogId}?folder=mine`, true)).text()).toContain('<option value="duplicate">Duplicate</option>')
    const refused = await post(anna, `/panel/dialogs/${dialogId}/close?folder=mine`, { reasonId: "no-such-reason" })
    expect(refused.status).toBe(409)
    const closed = await post(anna, `/panel/dialogs/${dialogId}/close?folder=mine`, { reasonId: "duplicate" })
    expect(closed.status).toBe(200)
    expect(await closed.text()).toContain('data-status="closed"')
  })

  it("rejects panel posts without the CSRF token, and cross-origin posts", async () => {
    const anna = await signIn("anna")
    const [dialogId] = rowIds(await (await get(anna, "/panel/dialogs?folder=new")).text())
    const withoutToken = await app.request(`/panel/dialogs/${dialogId}/accept`, {
      method: "POST",
      headers: { Origin: origin, Cookie: anna.cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: ""
    })
    expect(withoutToken.status).toBe(403)
    const crossOrigin = await post(anna, `/panel/dialogs/${dialogId}/accept`, {}, { Origin: "https://evil.example" })
    expect(crossOrigin.status).toBe(403)
  })
})

/** Whether a live event is about a dialog: its row (as the user sees it now) or its row's removal. */
const about = (item: SseEvent, dialogId: string) =>
  (item.event === "row" && item.data.includes(`data-dialog-id="${dialogId}"`)) || (item.event === "row-remove" && item.data === dialogId)

/** Open a live stream and read it up to `ready`: the reader and the stream's id. */
const openStream = async (session: Session, headers: Record<string, string> = {}, path = "/panel/events", client = app) => {
  const reader = sseReader(await client.request(path, { headers: { Cookie: session.cookie, ...headers } }))
  const seen = await reader.until((read) => read.some((item) => item.event === "ready"))
  return { reader, streamId: seen.find((item) => item.event === "ready")!.data }
}

/** The page tells the server which dialog it has open (and its list), as panel.js does after `ready`. */
const focusOn = (session: Session, streamId: string, dialogId: string | undefined, fields: Record<string, string> = {}, poster = post) =>
  poster(session, "/panel/events/focus", { stream: streamId, folder: "new", ...(dialogId === undefined ? {} : { dialog: dialogId }), ...fields })

describe("live stream", () => {
  it("sends a dialog's bubbles under that dialog's own event, to the pages that have it open", async () => {
    const anna = await signIn("anna")
    const [olena] = rowIds(await (await get(anna, "/panel/dialogs?folder=mine&q=invoice")).text())
    const dialogId = DialogId.make(olena!)
    const { reader, streamId } = await openStream(anna)
    expect((await focusOn(anna, streamId, olena, { folder: "mine" })).status).toBe(204)
    const received = await inbound("telegram", { from: "demo-7", message: { text: "Is the invoice ready?" } })
    const { messageId } = (await received.json()) as { messageId: string }
    // A delivery status changes Anna's reply: the same event name carries the bubble's new version.
    expect((await post(anna, `/panel/dialogs/${olena}/messages`, { text: "Sent it just now." })).status).toBe(200)
    const history = await runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.history(Access.system, { dialogId, limit: 1 })))
    const reply = history.items[0]!
    expect(reply.text).toBe("Sent it just now.")
    await runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.execute(Access.system, new Dialog.UpdateDelivery({ dialogId, messageId: reply.id, status: "delivered" }))))

    const event = `messages:${encodeURIComponent(olena!)}`
    // Read until the delivered bubble and the counters are both in.
    const events = await reader.until((seen) => seen.some((item) => item.event === event && item.data.includes('data-delivery="delivered"')) && seen.some((item) => item.event === "panel"))
    await reader.cancel()
    const bubbles = events.filter((item) => item.event === event).map((item) => item.data)
    expect(bubbles[0]).toContain(`data-message-id="${messageId}"`)
    expect(bubbles[0]).toContain("Is the invoice ready?")
    expect(bubbles[1]).toContain(`data-message-id="${reply.id}"`)
    expect(bubbles[1]).not.toContain("data-message-change")
    // Then the reply's changes (the gateway's "sent" may come on its own first), each marked as a change.
    expect(bubbles.length).toBeGreaterThanOrEqual(3)
    for (const change of bubbles.slice(2)) {
      expect(change).toContain(`data-message-id="${reply.id}"`)
      expect(change).toContain('data-message-change="true"')
    }
    expect(bubbles.join("")).not.toContain("hx-swap-oob")
    // The row follows the dialog: its preview is the last message.
    expect(events.filter((item) => item.event === "row" && about(item, olena!)).at(-1)!.data).toContain("Sent it just now.")
    // Out of band go only the header and sidebar badges, which every panel page has.
    const panel = events.filter((item) => item.event === "panel").map((item) => item.data).join("\n")
    expect(new Set([...panel.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]))).toEqual(new Set(["unread-total", "folder-count-new", "folder-count-mine"]))
    // Ids are store positions, rising.
    const ids = events.flatMap((item) => (item.id === undefined ? [] : [Number(item.id)]))
    expect(ids.length).toBeGreaterThan(0)
    expect([...ids].sort((x, y) => x - y)).toEqual(ids)
    // The open history listens for its dialog's event.
    const pane = await (await get(anna, `/panel/dialogs/${olena}?folder=mine`, true)).text()
    expect(pane).toContain(`sse-swap="${event}"`)
  })

  it("sends no bubble to a page that has another dialog open, whoever else names its stream", async () => {
    const [anna, boris] = [await signIn("anna"), await signIn("boris")]
    const { dialogId } = (await (await inbound("telegram", { from: "unfocused", profile: { name: "Unfocused" }, message: { text: "First" } })).json()) as { dialogId: string }
    const { reader, streamId } = await openStream(anna)
    expect((await focusOn(anna, streamId, undefined)).status).toBe(204)
    // Boris cannot move Anna's stream: his focus on it changes nothing.
    expect((await focusOn(boris, streamId, dialogId)).status).toBe(204)
    expect((await focusOn(anna, streamId, "x".repeat(300))).status).toBe(400)
    expect((await focusOn(anna, streamId, dialogId, { folder: "nope" })).status).toBe(400)
    await inbound("telegram", { from: "unfocused", message: { text: "Second" } })
    const seen = await reader.until((read) => read.some((item) => item.event === "row" && about(item, dialogId) && item.data.includes("Second")))
    await reader.cancel()
    expect(seen.some((item) => item.event.startsWith("messages:"))).toBe(false)
  })
})

describe("live stream batches", () => {
  it("sends the events of one commit as one batch: one row per dialog, the batch's position on its last event", async () => {
    const anna = await signIn("anna")
    const { reader } = await openStream(anna)
    const received = await inbound("telegram", { from: "batch-client", profile: { name: "Batch Client" }, message: { text: "One publish" } })
    const { dialogId } = (await received.json()) as { dialogId: string }
    const events = await runtime.runPromise(Effect.flatMap(storeService, (store) => store.readStream(`dialog:${dialogId}`)))
    // A first message opens the dialog and records the message: more than one event to batch.
    expect(events.length).toBeGreaterThan(1)
    const seen = (await reader.until((read) => read.some((item) => about(item, dialogId) && item.id !== undefined) || read.some((item, index) => about(item, dialogId) && read.slice(index).some((later) => later.id !== undefined))))
    await reader.cancel()
    const rows = seen.filter((item) => about(item, dialogId))
    expect(rows).toHaveLength(1)
    expect(rows[0]!.data).toContain('data-folders="new"')
    const id = seen.slice(seen.indexOf(rows[0]!)).find((item) => item.id !== undefined)!.id
    expect(Number(id)).toBeGreaterThanOrEqual(events.at(-1)!.position)
  })
})

describe("live stream privacy", () => {
  it("tells a user of a dialog they saw that it left their sight, and nothing of talk in others' dialogs", async () => {
    const [anna, boris] = [await signIn("anna"), await signIn("boris")]
    const { reader } = await openStream(boris)
    const { dialogId } = (await (await inbound("telegram", { from: "private-matter", profile: { name: "Private Matter" }, message: { text: "Queued for everyone" } })).json()) as { dialogId: string }
    // Queued: in Boris's New folder too.
    await reader.until((seen) => seen.some((item) => item.event === "row" && about(item, dialogId)))
    expect((await post(anna, `/panel/dialogs/${dialogId}/accept`)).status).toBe(200)
    // Boris had its row: he hears it is gone from what he may see.
    const removed = await reader.until((read) => read.some((item) => item.event === "row-remove" && item.data === dialogId))
    const removal = removed.findIndex((item) => item.event === "row-remove" && item.data === dialogId)
    expect(removed.slice(removal + 1).some((item) => about(item, dialogId))).toBe(false)
    // Anna talks with the client; then a new client arrives, which Boris does see.
    expect((await post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "Between Anna and the client" })).status).toBe(200)
    const next = (await (await inbound("telegram", { from: "next-in-line", profile: { name: "Next In Line" }, message: { text: "Anyone there?" } })).json()) as { dialogId: string }
    const seen = await reader.until((read) => read.some((item) => about(item, next.dialogId)))
    await reader.cancel()
    const between = seen.slice(removal + 1)
    expect(between.some((item) => about(item, dialogId))).toBe(false)
    expect(between.map((item) => item.data).join("\n")).not.toContain("Between Anna and the client")
  })
})

describe("live stream and clients", () => {
  it("pushes a client's dialog rows when their tags or name change, to those who see those dialogs only", async () => {
    const [anna, boris] = [await signIn("anna"), await signIn("boris")]
    const [olena] = rowIds(await (await get(anna, "/panel/dialogs?folder=mine&q=invoice")).text())
    const annas = await openStream(anna)
    const boriss = await openStream(boris)
    await runtime.runPromise(
      Effect.gen(function* () {
        const engine = yield* Engine
        const clientId = Option.getOrThrow((yield* engine.dialog(Access.system, DialogId.make(olena!))).clientId)
        yield* engine.client(Access.system, new Client.SetClientTags({ clientId, tags: [Client.ClientTag.make({ tagId: TagId.make("vip"), pinned: true })] }))
      })
    )
    const pushed = await annas.reader.until((read) => read.some((item) => item.event === "row" && about(item, olena!)))
    await annas.reader.cancel()
    expect(pushed.find((item) => item.event === "row" && about(item, olena!))!.data).toContain('<span class="row-tag" data-tag="vip">')
    // Boris does not see Anna's dialog: the next thing he hears of is a new client.
    const next = (await (await inbound("telegram", { from: "after-tags", profile: { name: "After Tags" }, message: { text: "Hello" } })).json()) as { dialogId: string }
    const heard = await boriss.reader.until((read) => read.some((item) => about(item, next.dialogId)))
    await boriss.reader.cancel()
    expect(heard.some((item) => about(item, olena!))).toBe(false)
  })
})

/** A panel that sees a new client's first message live, then drops: the id of the last event it got. */
const dropAfter = async (session: Session, from: string, text: string) => {
  const { reader } = await openStream(session)
  const { dialogId } = (await (await inbound("telegram", { from, message: { text } })).json()) as { dialogId: string }
  const seen = await reader.until((read) => read.some((item, index) => about(item, dialogId) && read.slice(index).some((later) => later.id !== undefined)))
  await reader.cancel()
  return seen.filter((item) => item.id !== undefined).at(-1)!.id!
}

describe("live stream reconnects", () => {
  it("replays what a reconnect with Last-Event-ID missed, once, and not what it had", async () => {
    const anna = await signIn("anna")
    const lastId = await dropAfter(anna, "reconnect-a", "Seen before the drop")
    // While the panel is offline.
    const missed = (await (await inbound("telegram", { from: "reconnect-b", profile: { name: "During Drop" }, message: { text: "Sent during the drop" } })).json()) as { dialogId: string }
    const { reader } = await openStream(anna, { "Last-Event-ID": lastId })
    const replayed = await reader.until((read) => read.some((item) => about(item, missed.dialogId)))
    await reader.cancel()
    const rows = replayed.filter((item) => item.event === "row").map((item) => item.data).join("\n")
    expect(rows.match(/Sent during the drop/g)).toHaveLength(1)
    expect(rows).not.toContain("Seen before the drop")
    expect(replayed.filter((item) => item.id !== undefined).every((item) => Number(item.id) > Number(lastId))).toBe(true)
  })
})

describe("live stream order", () => {
  it("sends a commit whose publish was overtaken (or never came) before the later one, so the last id is a complete resume point", async () => {
    const anna = await signIn("anna")
    const tagged = (await (await inbound("telegram", { from: "overtaken", profile: { name: "Overtaken" }, message: { text: "Tag me" } })).json()) as { dialogId: string }
    const { reader } = await openStream(anna)
    // A commit that is not published (its publisher lost the race, or was interrupted after the commit)...
    const slow = await runtime.runPromise(Effect.gen(function* () {
      const store = yield* storeService
      const dialog = Option.getOrThrow(yield* store.loadDialog(DialogId.make(tagged.dialogId)))
      const event = new Dialog.TagsSet({ tags: [TagId.make("late")], by: "test", at: Date.now() })
      return yield* store.commit({ streams: [{ kind: "dialog", id: dialog.state.id, expectedVersion: dialog.version, events: [event], state: DialogFold.evolve(dialog.state, event) }], messages: [], timers: [] })
    }))
    // ...then one that is.
    const later = (await (await inbound("telegram", { from: "overtaking", profile: { name: "Overtaking" }, message: { text: "Published first" } })).json()) as { dialogId: string }
    const seen = await reader.until((read) => read.some((item, index) => about(item, later.dialogId) && read.slice(index).some((after) => after.id !== undefined)))
    await reader.cancel()
    const ids = seen.flatMap((item) => (item.id === undefined ? [] : [Number(item.id)]))
    expect([...ids].sort((x, y) => x - y)).toEqual(ids)
    const taggedRow = seen.findIndex((item) => about(item, tagged.dialogId))
    expect(taggedRow, "the unpublished commit's dialog is pushed").toBeGreaterThanOrEqual(0)
    const taggedId = seen.slice(taggedRow).find((item) => item.id !== undefined)!.id
    expect(Number(taggedId)).toBeGreaterThanOrEqual(slow[0]!.position)
    expect(taggedRow).toBeLessThanOrEqual(seen.findIndex((item) => about(item, later.dialogId)))
  })
})

describe("live stream start", () => {
  it("starts a page's stream at the store position it was rendered at, so what comes before it connects is not lost", async () => {
    const anna = await signIn("anna")
    const html = await (await get(anna, "/panel/dialogs?folder=new")).text()
    const url = /sse-connect="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&")
    expect(url).toMatch(/^\/panel\/events\?after=\d+$/)
    const rendered = Number(new URL(url!, origin).searchParams.get("after"))
    expect(rendered).toBe(await runtime.runPromise(Effect.flatMap(storeService, (store) => store.lastPosition)))
    // Committed after the render, before the page's stream connects.
    const between = (await (await inbound("telegram", { from: "before-connect", profile: { name: "Before Connect" }, message: { text: "Between render and connect" } })).json()) as { dialogId: string }
    const { reader } = await openStream(anna, {}, url!)
    const seen = await reader.until((read) => read.some((item) => about(item, between.dialogId)))
    await reader.cancel()
    expect(seen.filter((item) => item.event === "row").map((item) => item.data).join("")).toContain("Between render and connect")
  })

  it("takes a position past the store's end (a database replaced under an open panel) as the end: later events still come", async () => {
    const anna = await signIn("anna")
    const { reader } = await openStream(anna, { "Last-Event-ID": "888888888" }, "/panel/events?after=999999999")
    const later = (await (await inbound("telegram", { from: "after-reset", profile: { name: "After Reset" }, message: { text: "After a reset" } })).json()) as { dialogId: string }
    const seen = await reader.until((read) => read.some((item) => about(item, later.dialogId)))
    await reader.cancel()
    expect(seen.filter((item) => item.id !== undefined).every((item) => Number(item.id) < 888888888)).toBe(true)
  })

  it("answers 400 naming the parameter for an `after` that is not a position", async () => {
    const anna = await signIn("anna")
    for (const bad of ["-1", "abc", "1e3", "99999999999999999999"]) {
      const response = await app.request(`/panel/events?after=${encodeURIComponent(bad)}`, { headers: { Cookie: anna.cookie } })
      expect(response.status).toBe(400)
      expect(await response.text()).toContain("after must be a store position")
    }
  })
})

describe("live stream presence", () => {
  it("makes its user present for routing while it is open, in the store every server's router reads", async () => {
    const boris = await signIn("boris")
    const presenceOfBoris = () => runtime.runPromise(Effect.flatMap(storeService, (store) => Effect.map(store.presences(), (all) => all.get(UserId.make("boris")))))
    const before = Date.now()
    const { reader } = await openStream(boris)
    let presence = await presenceOfBoris()
    for (let attempt = 0; attempt < 100 && (presence === undefined || presence.lastHeartbeatAt < before); attempt++) presence = await presenceOfBoris()
    await reader.cancel()
    expect(presence?.presence).toBe("online")
    expect(presence!.lastHeartbeatAt).toBeGreaterThanOrEqual(before)
    const board = await runtime.runPromise(Effect.flatMap(Routing.Router, (router) => router.board()))
    expect(board.operators.find((operator) => operator.operatorId === "boris")).toMatchObject({ presence: "online" })
  })
})

describe("live stream long reconnects", () => {
  it("replays every missed event after a long drop, page after page of the store", async () => {
    const anna = await signIn("anna")
    const lastId = await dropAfter(anna, "long-drop", "before")
    // More than two pages of events (500 each) while the panel is away: one dialog per client.
    const dialogs: Array<string> = []
    for (let i = 0; i < 600; i++) {
      dialogs.push(((await (await inbound("telegram", { from: `long-drop-${i}`, message: { text: `missed ${i}` } })).json()) as { dialogId: string }).dialogId)
    }
    const missedEvents = await runtime.runPromise(Effect.flatMap(storeService, (store) => store.readAll(Number(lastId), 5000)))
    expect(missedEvents.length).toBeGreaterThan(1000)
    const { reader } = await openStream(anna, { "Last-Event-ID": lastId })
    const replayed = await reader.until((read) => read.some((item) => about(item, dialogs.at(-1)!)))
    await reader.cancel()
    const pushed = new Set(replayed.filter((item) => item.event === "row").map((item) => /data-dialog-id="([^"]+)"/.exec(item.data)![1]))
    expect(dialogs.filter((id) => !pushed.has(id))).toEqual([])
  }, 60_000)
})

describe("live stream rendering", () => {
  // A store that counts the reads a bubble's render makes.
  const reads = { messages: 0, listOperators: 0 }
  const counting = wrapStore((store): StoreService => ({
    ...store,
    messages: (query) => Effect.suspend(() => (reads.messages++, store.messages(query))),
    listOperators: () => Effect.suspend(() => (reads.listOperators++, store.listOperators()))
  }))(MemoryStore.layer)
  const { runtime: countingRuntime, app: countingApp, ...client } = panelApp(Layer.mergeAll(counting, MemoryAccountStore.layer, MemoryWidgetSessionStore.layer, MemoryComposerStore.layer, MemoryEventBus.layer))
  beforeAll(() => countingRuntime.runPromise(seedIfEmpty))
  afterAll(() => countingRuntime.dispose())

  it("renders a bubble once per server, not once per connection, and an added message from its event", async () => {
    const viewers = await Promise.all(["anna", "boris", "sue"].map((id) => client.signIn(id)))
    const received = (await (await client.inbound("telegram", { from: "many-viewers", profile: { name: "Many Viewers" }, message: { text: "Seen by three panels" } })).json()) as { dialogId: string }
    const stored = await countingRuntime.runPromise(Effect.flatMap(storeService, (store) => store.readStream(`dialog:${received.dialogId}`)))
    const streams = await Promise.all(viewers.map(async (viewer) => {
      const { reader, streamId } = await openStream(viewer, {}, "/panel/events", countingApp)
      expect((await focusOn(viewer, streamId, received.dialogId, {}, client.post)).status).toBe(204)
      return reader
    }))
    reads.messages = 0
    reads.listOperators = 0
    await countingRuntime.runPromise(Effect.flatMap(EventBus, (bus) => bus.publish(stored)))
    const event = `messages:${encodeURIComponent(received.dialogId)}`
    const pushed = await Promise.all(streams.map(async (reader) => {
      const seen = await reader.until((read) => read.some((item) => item.event === event) && read.some((item) => about(item, received.dialogId)))
      await reader.cancel()
      return seen
    }))
    const bubbles = pushed.map((seen) => seen.filter((item) => item.event === event).map((item) => item.data))
    // The new queued dialog is in every viewer's New folder: all three panels get the same bubble and the same row.
    expect(bubbles.map((list) => list.length)).toEqual([1, 1, 1])
    expect(new Set(bubbles.flat()).size).toBe(1)
    expect(bubbles[0]![0]).toContain("Seen by three panels")
    expect(new Set(pushed.map((seen) => seen.find((item) => about(item, received.dialogId))!.data)).size).toBe(1)
    // No message read back (an added message is in its event), no operator list decoded (the server keeps it).
    expect(reads).toEqual({ messages: 0, listOperators: 0 })
  })
})

describe("live stream counters", () => {
  // The production bus over a store that counts the unread queries.
  let unreadQueries = 0
  const counting = wrapStore((store): StoreService => ({ ...store, unread: (viewer) => Effect.suspend(() => (unreadQueries++, store.unread(viewer))) }))(MemoryStore.layer)
  const { runtime: countingRuntime, app: countingApp, ...client } = panelApp(StoreEventBus.layer.pipe(Layer.provideMerge(Layer.mergeAll(counting, MemoryAccountStore.layer, MemoryWidgetSessionStore.layer, MemoryComposerStore.layer))))
  beforeAll(() => countingRuntime.runPromise(seedIfEmpty))
  afterAll(() => countingRuntime.dispose())
  const totalOf = (html: string) => Number(/id="unread-total"[^>]*>(\d+)</.exec(html)?.[1])

  it("counts once when a stream opens, then follows a burst of new dialogs from their events: no query per event, the right counts at the end", async () => {
    const sue = await client.signIn("sue")
    const { reader } = await openStream(sue, {}, "/panel/events", countingApp)
    const first = await reader.until((read) => read.some((item) => item.event === "panel"))
    const counted = unreadQueries
    const start = totalOf(first.find((item) => item.event === "panel")!.data)
    // 20 new clients, one commit each: every one moves the New folder's counter.
    const dialogs: Array<string> = []
    for (let i = 0; i < 20; i++) dialogs.push(((await (await client.inbound("telegram", { from: `burst-${i}`, message: { text: `burst ${i}` } })).json()) as { dialogId: string }).dialogId)
    const seen = await reader.until((read) => read.some((item) => item.event === "panel" && totalOf(item.data) === start + 20))
    await reader.cancel()
    expect(unreadQueries).toBe(counted)
    const target = (await countingRuntime.runPromise(Effect.flatMap(Engine, (engine) => engine.unread(Access.UserActor.make({ id: UserId.make("sue"), name: "Sue", role: "supervisor" }))))).total
    expect(totalOf(seen.filter((item) => item.event === "panel").at(-1)!.data)).toBe(target)
  }, 30_000)
})

describe("inbound API", () => {
  it("records a message and escapes its text in the panel", async () => {
    const response = await inbound("telegram", { from: "mallory", profile: { name: "Mallory <b>" }, message: { text: "<script>alert('x')</script> hello" } })
    expect(response.status).toBe(202)
    const { dialogId } = (await response.json()) as { dialogId: string }
    const anna = await signIn("anna")
    const html = await (await get(anna, `/panel/dialogs/${dialogId}?folder=new`)).text()
    expect(html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; hello")
    expect(html).not.toContain("<script>alert")
    expect(html).toContain("Mallory &lt;b&gt;")
  })

  it("answers 422 naming the path of bad input", async () => {
    const response = await inbound("telegram", { from: "x", message: { text: 42 } })
    expect(response.status).toBe(422)
    const body = (await response.json()) as { error: string; path: string; message: string; issues: ReadonlyArray<{ path: string; code: string; params?: Record<string, unknown>; message: string }> }
    expect(body.error).toBe("InvalidInput")
    expect(body.path).toBe("message.text")
    // Core's English message as before, and the same problem as a code a client can word (issue 22).
    expect(body.message).toBe("message.text: Expected string, actual 42")
    expect(body.issues).toEqual([{ path: "message.text", code: "type", params: { expected: "string" }, message: "Expected string, actual 42" }])
  })

  it("with a token set, takes only requests that carry it as a bearer token", async () => {
    const guarded = makeApp({ runtime, secret: "test-secret-test-secret-test-secret", apiToken: "s3cret-token" })
    const send = (authorization?: string) =>
      guarded.request("/api/channels/telegram/inbound", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(authorization === undefined ? {} : { Authorization: authorization }) },
        body: JSON.stringify({ from: "api-token", message: { text: "hi" } })
      })
    const missing = await send()
    expect([missing.status, await missing.json()]).toEqual([401, { _tag: "Unauthorized", error: "Unauthorized", message: "Send Authorization: Bearer <the channel's inbound token>" }])
    expect(missing.headers.get("WWW-Authenticate")).toContain("Bearer")
    expect((await send("Bearer s3cret-tokem")).status).toBe(401)
    expect((await send("Basic czNjcmV0")).status).toBe(400)
    expect((await send("Bearer s3cret-token")).status).toBe(202)
    // A token no client could send as a bearer token is refused when the app is made, not at every request.
    expect(() => makeApp({ runtime, secret: "test-secret-test-secret-test-secret", apiToken: "has spaces" })).toThrow(/apiToken: use letters, digits/)
  })

  it("takes each channel's own inbound token, generated with the channel and stored only as a hash; refuses others with 401 and the reason, storing nothing", async () => {
    const issued = await runtime.runPromise(Effect.flatMap(ChannelCredentials, (credentials) => credentials.issue(ChannelId.make("telegram"))))
    const send = (channel: string, token: string) =>
      app.request(`/api/channels/${channel}/inbound`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ from: "channel-token", message: { text: "hi" } })
      })
    const stored = await runtime.runPromise(Effect.flatMap(ChannelSecretStore, (secrets) => secrets.getSecrets(ChannelId.make("telegram"))))
    expect(Object.values(stored).map(Redacted.value)).not.toContain(Redacted.value(issued.inboundToken))
    const wrong = await send("telegram", "not-the-token")
    expect([wrong.status, ((await wrong.json()) as { message: string }).message]).toEqual([401, "The bearer token is not valid for this channel"])
    expect((await send("widget", Redacted.value(issued.inboundToken))).status).toBe(401)
    expect((await send("telegram", Redacted.value(issued.inboundToken))).status).toBe(202)
  })

  it("answers 415 for a body that is not JSON, before anything else", async () => {
    const response = await app.request("/api/channels/telegram/inbound", { method: "POST", headers: { "Content-Type": "text/plain", ...apiAuthorization }, body: "hi" })
    expect(response.status).toBe(415)
  })

  it("answers 404 for an unknown channel and 400 for a body that is not JSON", async () => {
    expect((await inbound("nope", { from: "x", message: { text: "hi" } })).status).toBe(404)
    const broken = await app.request("/api/channels/telegram/inbound", { method: "POST", headers: { "Content-Type": "application/json", ...apiAuthorization }, body: "{" })
    expect(broken.status).toBe(400)
  })
})
