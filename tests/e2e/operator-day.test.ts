import type { Page } from "playwright-core"
import { beforeEach, describe, expect, it } from "vitest"
import { Effect, Option } from "effect"
import { Access, DialogId, Engine, EventStore, Operator, Routing, UserId } from "@switchboard/core"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The operator's own day in Debian's Chromium (issue 21 "More"): the header's status switch that
 * routing obeys at once, sounds only while the tab is hidden, and collision (who else has the
 * dialog open or is typing in it) shown live to a second user.
 */

const system = Access.system
const apiToken = "e2e-api-token"

describe.skipIf(!runsInChromium)("the operator's own day in Chromium", () => {
  const e2e = useE2e({ apiToken })
  const { errors } = e2e

  beforeEach(() => {
    errors.length = 0
  })

  /** A signed-in page of `who` in its own browser context; the audio calls and notifications it gets are counted. */
  const signIn = async (who: string, path = "/panel/dialogs", options: { readonly clock?: boolean } = {}) => {
    const page = await e2e.newPage({ name: who })
    await page.addInitScript(() => {
      const counts = { plays: 0, notes: 0, desktop: [] as Array<{ title: string; body: string }> }
      Object.defineProperty(window, "__counts", { value: counts })
      HTMLMediaElement.prototype.play = function () {
        counts.plays++
        return Promise.resolve()
      }
      // A desktop notification the user has allowed: recorded instead of shown.
      const Recorded = function (this: unknown, title: string, options?: { body?: string }) {
        counts.desktop.push({ title, body: options?.body ?? "" })
      } as unknown as typeof Notification
      Object.defineProperty(Recorded, "permission", { value: "granted" })
      Object.defineProperty(window, "Notification", { value: Recorded, configurable: true })
      document.addEventListener("switchboard:notify", () => counts.notes++)
    })
    // A clock the test moves (the page's timers from its first script on), time still flowing by itself.
    if (options.clock === true) await page.clock.install()
    await e2e.signIn(page, who, path)
    await page.waitForFunction(() => document.body.dataset["liveFocus"] === "sent", undefined, { timeout: 15_000 })
    return page
  }


  const counts = (page: Page) =>
    page.evaluate(() => (window as unknown as { __counts: { plays: number; notes: number; desktop: Array<{ title: string; body: string }> } }).__counts)
  const hide = (page: Page, hidden: boolean) =>
    page.evaluate((hidden) => {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (hidden ? "hidden" : "visible") })
      Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden })
      document.dispatchEvent(new Event("visibilitychange"))
    }, hidden)

  const inbound = (from: string, name: string, text: string) =>
    e2e.inbound("telegram", { from, profile: { name }, message: { text } }).then((response) => expect(response.status).toBe(202))

  /** Anna's active dialogs as the store has them. */
  const annasLoad = () =>
    e2e.server.runtime.runPromise(Effect.gen(function* () {
      const engine = yield* Engine
      const anna = new Access.UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })
      const page = yield* engine.listDialogs(anna, { folder: "mine", limit: 100 })
      return page.items.length
    }))

  it("the status switch in the header stops new dialogs at once on a break and brings waiting ones back online", async () => {
    const page = await signIn("anna", "/panel/dialogs?folder=mine")
    const held = await annasLoad()
    const switcher = page.getByTestId("status-switch")
    expect(await switcher.getAttribute("data-status")).toBe("online")

    await page.getByTestId("status-choice").selectOption("break")
    await expect.poll(() => page.getByTestId("status-switch").getAttribute("data-status")).toBe("break")
    const status = await e2e.server.runtime.runPromise(Effect.map(Effect.flatMap(EventStore, (store) => store.loadOperator(UserId.make("anna"))), (found) => Option.getOrThrow(found).state.statusId))
    expect(status).toBe("break")

    // Room for more, and a routing pass run to the end: nothing comes to Anna while on a break.
    await e2e.server.runtime.runPromise(Effect.flatMap(Engine, (engine) =>
      engine.operator(system, new Operator.SetRouting({ userId: UserId.make("anna"), capacity: { telegram: 10, widget: 10 }, skills: [], queues: [] }))))
    await inbound("day-status-1", "Rita Break", "Hello, anyone there?")
    const pass = await e2e.server.runtime.runPromise(Effect.flatMap(Routing.Router, (router) => router.runPass()))
    expect(pass.applied.filter((decision) => decision.operatorId === "anna")).toEqual([])
    expect(await annasLoad()).toBe(held)

    // Back online from the header: the waiting dialogs come to her, and her Mine folder shows them live.
    await page.getByTestId("status-choice").selectOption("online")
    await expect.poll(() => page.getByTestId("status-switch").getAttribute("data-status")).toBe("online")
    await expect.poll(annasLoad, { timeout: 15_000 }).toBeGreaterThan(held)
    await expect.poll(() => page.getByTestId("dialog-row").count(), { timeout: 15_000 }).toBeGreaterThan(held)
    expect(errors).toEqual([])
  }, 90_000)

  it("plays a sound for a new dialog in New only while the tab is hidden", async () => {
    // Anna (with room since the test before) goes to lunch: new dialogs wait in New.
    await e2e.server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.operator(system, new Operator.SetStatus({ userId: UserId.make("anna"), statusId: "lunch" }))))
    const page = await signIn("boris", "/panel/dialogs?folder=new")
    // Visible: the notification arrives, no sound.
    await inbound("day-sound-1", "Vera Visible", "A question while you look")
    await expect.poll(async () => (await counts(page)).notes, { timeout: 15_000 }).toBeGreaterThan(0)
    await page.getByTestId("dialog-row").filter({ hasText: "Vera Visible" }).waitFor()
    expect((await counts(page)).plays).toBe(0)

    // Hidden: the next one plays the sound.
    await hide(page, true)
    const before = await counts(page)
    await inbound("day-sound-2", "Hugo Hidden", "A question while you are away")
    await expect.poll(async () => (await counts(page)).notes, { timeout: 15_000 }).toBeGreaterThan(before.notes)
    expect((await counts(page)).plays).toBeGreaterThan(before.plays)
    expect(errors).toEqual([])
  }, 90_000)

  it("shows a second operator who else has the dialog open, and who is typing in it", async () => {
    const anna = await signIn("anna", "/panel/dialogs?folder=mine")
    const row = anna.getByTestId("dialog-row").first()
    const id = DialogId.make((await row.getAttribute("data-dialog-id")) ?? "")
    await row.click()
    await anna.locator(`[data-testid="dialog-view"][data-dialog-id="${id}"]`).waitFor()
    await anna.waitForFunction(() => document.body.dataset["liveFocus"] === "sent")

    const sue = await signIn("sue", `/panel/dialogs/${encodeURIComponent(id)}?folder=active`)
    // Sue's page sees Anna at once (the answer to its own report), Anna's sees Sue live.
    await expect.poll(() => sue.getByTestId("presence").textContent(), { timeout: 15_000 }).toContain("Anna is viewing")
    await expect.poll(() => anna.getByTestId("presence").textContent(), { timeout: 15_000 }).toContain("Sue is viewing")
    await sue.getByTestId("composer-text").fill("Let me add a note")
    await sue.getByTestId("composer-text").press("End")
    await sue.getByTestId("composer-text").type("…")
    await expect.poll(() => anna.getByTestId("presence").textContent(), { timeout: 15_000 }).toContain("Sue is typing")
    expect(errors).toEqual([])
  }, 90_000)

  it("a personal folder saves a searched list, opens it filtered, and is renamed, reordered and deleted", async () => {
    const page = await signIn("anna", "/panel/dialogs?folder=mine")
    const all = await page.getByTestId("dialog-row").count()
    expect(all).toBeGreaterThan(1)
    await page.getByTestId("search-text").pressSequentially("invoice")
    await page.waitForURL(/folder=mine&q=invoice$/)
    await expect.poll(() => page.getByTestId("dialog-row").count()).toBe(1)
    await page.getByTestId("folder-name").fill("Invoices")
    await page.getByTestId("save-folder").getByRole("button").click()
    await page.getByTestId("personal-folder").filter({ hasText: "Invoices" }).waitFor()

    // A second folder from New, unfiltered.
    await page.getByTestId("folder-new").click()
    await page.waitForURL(/folder=new/)
    await page.getByTestId("folder-name").fill("Waiting")
    await page.getByTestId("save-folder").getByRole("button").click()
    await page.getByTestId("personal-folder").filter({ hasText: "Waiting" }).waitFor()
    const names = () => page.getByTestId("personal-folder").allTextContents()
    expect(await names()).toEqual(["Invoices", "Waiting"])

    // Opening the first applies its filter: one row, the search in the box.
    await page.getByTestId("personal-folder").filter({ hasText: "Invoices" }).click()
    await page.waitForURL(/folder=mine&q=invoice$/)
    await expect.poll(() => page.getByTestId("dialog-row").count()).toBe(1)
    await expect(page.getByTestId("search-text").inputValue()).resolves.toBe("invoice")

    // Rename, reorder and delete on the Account page.
    await page.goto(`${e2e.url}/panel/account`)
    const rows = page.getByTestId("folder-row")
    await rows.first().locator('input[name="name"]').fill("Invoice questions")
    await rows.first().getByTestId("rename-folder").click()
    await expect.poll(() => page.getByTestId("folder-row").first().locator("a").textContent()).toBe("Invoice questions")
    await page.getByTestId("folder-row").nth(1).getByTestId("folder-up").click()
    await expect.poll(() => page.getByTestId("folder-row").locator("a").allTextContents()).toEqual(["Waiting", "Invoice questions"])
    await page.getByTestId("folder-row").first().getByTestId("delete-folder").click()
    await expect.poll(() => page.getByTestId("folder-row").locator("a").allTextContents()).toEqual(["Invoice questions"])
    await page.goto(`${e2e.url}/panel/dialogs?folder=new`)
    expect(await names()).toEqual(["Invoice questions"])
    expect(errors).toEqual([])
  }, 90_000)

  it("the table view shows the same rows as the list, in columns", async () => {
    const page = await signIn("anna", "/panel/dialogs?folder=mine")
    const ids = () => page.getByTestId("dialog-row").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-dialog-id")))
    const before = await ids()
    expect(before.length).toBeGreaterThan(1)
    await page.getByTestId("list-view").selectOption("table")
    await page.waitForSelector('[data-testid="dialog-results"][data-view="table"]')
    await page.getByTestId("table-head").waitFor()
    expect(await ids()).toEqual(before)
    const layout = await page.getByTestId("dialog-row").first().evaluate((row) => {
      const link = row.querySelector("a")!
      const cells = ["client-name", "channel", "preview"].map((name) => row.querySelector(`.${name}`)!.getBoundingClientRect())
      return { display: getComputedStyle(link).display, sameLine: cells.every((cell) => Math.abs(cell.top - cells[0]!.top) < cell.height), leftToRight: cells[0]!.left < cells[1]!.left && cells[1]!.left < cells[2]!.left }
    })
    expect(layout).toEqual({ display: "grid", sameLine: true, leftToRight: true })
    await page.getByTestId("list-view").selectOption("list")
    await page.waitForSelector('[data-testid="dialog-results"][data-view="list"]')
    expect(await ids()).toEqual(before)
    expect(errors).toEqual([])
  }, 90_000)

  it("reminds every minute while something is unread only while hidden, and shows a desktop notification with the client's text", async () => {
    await e2e.server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.operator(system, new Operator.SetStatus({ userId: UserId.make("anna"), statusId: "lunch" }))))
    const page = await signIn("boris", "/panel/dialogs?folder=new", { clock: true })
    expect(Number(await page.getByTestId("unread-total").textContent())).toBeGreaterThan(0)
    // Visible: a minute passes, no reminder.
    await page.clock.fastForward("01:01")
    expect((await counts(page)).plays).toBe(0)
    // Hidden: a minute passes, a reminder.
    await hide(page, true)
    await page.clock.fastForward("01:01")
    expect((await counts(page)).plays).toBeGreaterThan(0)

    // A new client's message while hidden: a desktop notification with the client's name and text.
    await inbound("day-desktop-1", "Dana Desktop", "Is the store open on Sunday?")
    await expect.poll(async () => (await counts(page)).desktop, { timeout: 15_000 }).toContainEqual({ title: "Dana Desktop", body: "Is the store open on Sunday?" })
    expect(errors).toEqual([])
  }, 90_000)
})
