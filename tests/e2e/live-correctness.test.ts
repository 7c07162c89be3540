import type { Page } from "playwright-core"
import { beforeEach, describe, expect, it } from "vitest"
import { Duration, Effect, Option, TestClock, TestContext } from "effect"
import { Access, Composer, Dialog, DialogFold, DialogId, Engine, EventStore, Message, Routing, UserId } from "@switchboard/core"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The panel's live correctness (issue 21, "Live correctness" 1–6, and "a closed dialog has no
 * composer and keeps no draft"), each as a user notices it in Debian's Chromium: the open
 * dialog's header, actions and SLA pane follow what others do; a message in the dialog I look at
 * is not unread; the tab title, header and folder counters agree; the demo does not decay; no
 * console errors or CSP violations; error texts match the controls.
 */

const user = (id: string, name: string, role: "operator" | "supervisor") => new Access.UserActor({ id: UserId.make(id), name, role })
const anna = user("anna", "Anna", "operator")
const boris = user("boris", "Boris", "operator")
const sue = user("sue", "Sue", "supervisor")

describe.skipIf(!runsInChromium)("live correctness of the panel in Chromium", () => {
  const e2e = useE2e({ apiToken: "e2e-api-token" })
  /** Uncaught errors, console errors and CSP violations of every page, per test. */
  const { errors } = e2e

  beforeEach(() => {
    errors.length = 0
  })

  /** A signed-in page of `who` (its own browser context), showing `path`; its errors are collected. */
  const signIn = async (who: string, path = "/panel/dialogs") => {
    const page = await e2e.signIn(await e2e.newPage({ name: who }), who, path)
    await live(page)
    return page
  }

  /** Wait until the page's live stream is subscribed and its focus is known to the server. */
  const live = (page: Page) => page.waitForFunction(() => document.body.dataset["liveFocus"] === "sent", undefined, { timeout: 15_000 })

  const open = async (page: Page, folder: string, client: string) => {
    await page.getByTestId(`folder-${folder}`).click()
    await page.waitForURL(new RegExp(`folder=${folder}`))
    await page.getByTestId("dialog-row").filter({ hasText: client }).click()
    await page.getByTestId("dialog-view").filter({ hasText: client }).waitFor()
    await live(page)
  }

  const run = (who: Access.UserActor, command: Dialog.DialogCommand) => e2e.server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.execute(who, command)))
  const dialogIdOf = (page: Page) => page.getByTestId("dialog-view").getAttribute("data-dialog-id").then((id) => DialogId.make(id ?? ""))
  const say = (text: string) => Message.MessageInput.make({ text })

  /** What a fresh load of the page's URL shows in the pane's header and SLA pane (fetched by the page, with its session). */
  const freshHead = (page: Page) =>
    page.evaluate(async () => {
      const text = (root: ParentNode) => (root.querySelector('[data-testid="dialog-head"]')?.textContent ?? "").replace(/\s+/g, " ").trim()
      const html = await (await fetch(location.href, { credentials: "same-origin" })).text()
      return { live: text(document), fresh: text(new DOMParser().parseFromString(html, "text/html")) }
    })

  const headMatchesReload = async (page: Page) => {
    await expect.poll(() => freshHead(page).then(({ live, fresh }) => live === fresh), { timeout: 10_000 }).toBe(true)
  }

  it("live 1: the open dialog's header, actions and SLA pane follow a supervisor's close, my own reopening message and another operator taking it", async () => {
    const page = await signIn("anna")
    await open(page, "mine", "Marco Rossi")
    const id = await dialogIdOf(page)
    const status = page.getByTestId("dialog-status")
    expect(await status.textContent()).toBe("Active")
    await page.getByTestId("close").waitFor()

    // A supervisor closes it: the pane says so, offers no close and no composer.
    await run(sue, new Dialog.Close({ dialogId: id, force: true }))
    await expect.poll(() => status.textContent()).toBe("Closed")
    await page.getByTestId("close").waitFor({ state: "detached" })
    await page.getByTestId("composer").waitFor({ state: "detached" })
    await headMatchesReload(page)

    // My own message (from another tab) reopens it: active again, with close and the composer back,
    // the composer as I set it up (Enter sends).
    await e2e.server.runtime.runPromise(Effect.flatMap(Composer, (composer) => composer.savePreferences(anna, { sendKey: "enter", signature: "" })))
    await run(anna, new Dialog.SendMessage({ dialogId: id, input: say("One more thing about Saturday."), internal: false }))
    await expect.poll(() => status.textContent()).toBe("Active")
    await page.getByTestId("close").waitFor()
    await page.getByTestId("composer").waitFor()
    expect(await page.getByTestId("composer-text").getAttribute("data-send-key")).toBe("enter")
    await headMatchesReload(page)

    // A dialog waiting in New that Boris takes: my pane loses its Accept button and its composer at once.
    await open(page, "new", "Jonas Berg")
    const waiting = await dialogIdOf(page)
    await page.getByTestId("accept").waitFor()
    await run(boris, new Dialog.Accept({ dialogId: waiting }))
    await page.getByTestId("accept").waitFor({ state: "detached" })
    await expect.poll(() => page.getByTestId("dialog-head").textContent()).toContain("no longer")
    expect(await page.getByTestId("composer").count()).toBe(0)
    expect(errors).toEqual([])
  })

  it("live 2: a message arriving in the dialog I am looking at is not counted unread", async () => {
    const page = await signIn("anna")
    await open(page, "mine", "Emma Wilson")
    const id = await dialogIdOf(page)
    const row = page.getByTestId("dialog-row").filter({ hasText: "Emma Wilson" })
    await row.getByTestId("row-unread").waitFor({ state: "detached" })
    const mine = await page.getByTestId("folder-count-mine").textContent()
    const total = await page.getByTestId("unread-total").textContent()
    const position = await e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.lastPosition))
    const response = await e2e.inbound("telegram", { from: "demo-9", message: { text: "Still not working, sorry" } })
    expect(response.status).toBe(202)
    await page.getByTestId("message").filter({ hasText: "Still not working, sorry" }).waitFor()
    // Read where it arrived (as opening reads), and what that changed has reached the page.
    const unread = () => e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.loadDialog(id))).then((state) => Option.map(state, ({ state }) => DialogFold.unreadFor(state, "anna")))
    await expect.poll(unread, { timeout: 10_000 }).toEqual(Option.some(0))
    const read = await e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.lastPosition))
    expect(read).toBeGreaterThan(position)
    await page.waitForFunction((after) => Number(document.body.dataset["livePosition"] ?? 0) >= after, read)
    await expect.poll(() => page.getByTestId("folder-count-mine").textContent()).toBe(mine)
    expect(await page.getByTestId("unread-total").textContent()).toBe(total)
    expect(await row.getByTestId("row-unread").count()).toBe(0)
    expect(errors).toEqual([])
  })

  it("live 3: the tab title, the header total and the folder counters agree, and no folder shows unread badges without a count", async () => {
    const page = await signIn("sue")
    const agree = async () => {
      const counts = await page.evaluate(() => ({
        title: document.title,
        total: Number(document.querySelector('[data-testid="unread-total"]')?.textContent ?? "0"),
        folders: [...document.querySelectorAll<HTMLElement>('[data-testid^="folder-count-"]')].map((badge) => (badge.classList.contains("hidden") ? 0 : Number(badge.textContent ?? "0")))
      }))
      return { title: counts.title, total: counts.total, sum: counts.folders.reduce((a, b) => a + b, 0) }
    }
    const before = await agree()
    expect(before.total).toBe(before.sum)
    expect(before.title).toBe(before.total > 0 ? `(${before.total}) Switchboard` : "Switchboard")
    const response = await e2e.inbound("website", { from: "e2e-title", profile: { name: "Title Tester" }, message: { text: "Hello?" } })
    expect(response.status).toBe(202)
    await expect.poll(() => page.getByTestId("unread-total").textContent()).toBe(String(before.total + 1))
    const after = await agree()
    expect(after).toEqual({ title: `(${before.total + 1}) Switchboard`, total: before.total + 1, sum: before.total + 1 })
    // Sue takes it herself: it counts in her Mine, and shows its badge there, not again in All active.
    const { dialogId } = (await response.json()) as { readonly dialogId: string }
    await run(sue, new Dialog.Accept({ dialogId: DialogId.make(dialogId) }))
    await expect.poll(() => page.getByTestId("folder-count-mine").textContent()).toBe("1")
    expect(await agree()).toEqual(after)
    // Every folder: rows with an unread badge only where the folder counts them.
    for (const folder of ["new", "mine", "active", "bot", "archive"]) {
      await page.getByTestId(`folder-${folder}`).click()
      await page.waitForURL(new RegExp(`folder=${folder}`))
      await page.locator(`[data-testid="dialog-list"][data-folder="${folder}"]`).waitFor()
      const badges = await page.locator('[data-testid="row-unread"]:visible').count()
      const count = await page.getByTestId(`folder-count-${folder}`).count()
      const shown = count === 0 ? 0 : await page.getByTestId(`folder-count-${folder}`).evaluate((badge) => (badge.classList.contains("hidden") ? 0 : Number(badge.textContent)))
      expect({ folder, badges: badges > 0, counted: shown > 0 }).toEqual({ folder, badges: shown > 0, counted: shown > 0 })
    }
    expect(errors).toEqual([])
  })

  it("live 5: no console errors and no CSP violations while working in the panel (htmx injects no indicator styles)", async () => {
    const page = await signIn("anna")
    await open(page, "mine", "Kenji Watanabe")
    await page.getByTestId("composer-text").fill("The XL is back next week.")
    await page.getByTestId("send").click()
    await page.getByTestId("message").filter({ hasText: "The XL is back next week." }).waitFor()
    await page.getByTestId("folder-archive").click()
    await page.waitForURL(/folder=archive/)
    // htmx's own indicator styles would be an inline <style> the CSP refuses; ours are in panel.css.
    expect(await page.evaluate(() => [...document.querySelectorAll("style")].map((style) => style.textContent ?? "").filter((css) => css.includes("htmx-indicator")))).toEqual([])
    // An indicator is hidden until its request runs, by the stylesheet's own rules.
    const indicator = await page.evaluate(() => {
      const element = document.createElement("span")
      element.className = "htmx-indicator"
      document.body.append(element)
      const idle = getComputedStyle(element).visibility
      document.body.classList.add("htmx-request")
      const busy = getComputedStyle(element).visibility
      document.body.classList.remove("htmx-request")
      element.remove()
      return { idle, busy }
    })
    expect(indicator).toEqual({ idle: "hidden", busy: "visible" })
    expect(errors).toEqual([])
  })

  it("live 6: error texts match the controls, and a rejected over-long message is not silently saved as the draft", async () => {
    const page = await signIn("anna")
    await open(page, "mine", "Sofia Garcia")
    const id = await dialogIdOf(page)
    // An empty reply: the composer says what to do with the composer.
    await page.getByTestId("send").click()
    const composerError = page.getByTestId("composer").locator(".form-error")
    await expect.poll(() => composerError.textContent(), { timeout: 10_000 }).toMatch(/write/i)
    expect(await composerError.textContent()).not.toMatch(/attach/i)
    // Over Telegram's limit: the composer says so at once (its counter), and the autosave does not keep it.
    const long = "word ".repeat(1000).trim()
    await page.getByTestId("composer-text").fill(long)
    await expect.poll(() => page.getByTestId("composer-text").getAttribute("aria-invalid")).toBe("true")
    expect(await page.getByTestId("composer-counter").textContent()).toBe("4000 / 2000")
    // A draft posted anyway (another tab, no script) is refused with the limit, not saved.
    const refused = await page.evaluate(async (url) => {
      const token = JSON.parse(document.body.getAttribute("hx-headers") ?? "{}")["X-CSRF-Token"] as string
      const response = await fetch(url, { method: "POST", headers: { "X-CSRF-Token": token, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ text: "word ".repeat(1000) }) })
      return { status: response.status, text: await response.text() }
    }, `/panel/dialogs/${encodeURIComponent(id)}/draft`)
    expect(refused.status).toBe(409)
    expect(refused.text).toMatch(/limit.*draft was not saved/i)
    // Sending it is refused in the composer, which keeps the text to shorten.
    await page.getByTestId("send").click()
    await expect.poll(() => composerError.textContent(), { timeout: 10_000 }).toMatch(/limit/i)
    expect(await page.getByTestId("composer-text").inputValue()).toBe(long)
    const state = await e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.loadDialog(id)))
    expect(Option.map(state, ({ state }) => state.drafts["anna"] ?? "")).toEqual(Option.some(""))
    expect(await page.getByTestId("dialog-row").filter({ hasText: "Sofia Garcia" }).textContent()).not.toContain("word word")
    // The browser logs the refusals' statuses; nothing else may appear.
    expect(errors.filter((error) => !/status of (409|422)/.test(error))).toEqual([])
  })

  it("a closed dialog has no composer and keeps no draft", async () => {
    const page = await signIn("anna")
    await open(page, "mine", "Olena Shevchenko")
    const id = await dialogIdOf(page)
    await page.getByTestId("composer-text").fill("Half-written answer")
    await expect.poll(() =>
      e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.loadDialog(id))).then((state) => Option.map(state, ({ state }) => state.drafts["anna"]))
    ).toEqual(Option.some("Half-written answer"))
    await page.getByTestId("close").click()
    await expect.poll(() => page.getByTestId("dialog-status").textContent()).toBe("Closed")
    expect(await page.getByTestId("composer").count()).toBe(0)
    const state = await e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.loadDialog(id)))
    expect(Option.map(state, ({ state }) => state.drafts)).toEqual(Option.some({}))
    await page.getByTestId("folder-archive").click()
    await page.waitForURL(/folder=archive/)
    const row = page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" })
    expect(await row.textContent()).not.toContain("Half-written answer")
    await row.click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()
    expect(await page.getByTestId("composer").count()).toBe(0)
    expect(errors).toEqual([])
  })

  it("live 4: the demo does not decay: operators without an open panel keep their dialogs, and their clients see no new 'joined'", async () => {
    const page = await signIn("sue")
    await open(page, "active", "Noah Müller")
    const id = await dialogIdOf(page)
    const joined = () => page.getByTestId("message").filter({ hasText: "Boris joined the conversation" }).count()
    expect(await joined()).toBe(1)
    // Ten minutes of routing with nobody's panel open for Boris (the server's router, on a test clock).
    const start = Date.now()
    for (const minutes of [0, 3, 6, 10]) {
      await e2e.server.runtime.runPromise(
        Effect.gen(function* () {
          const router = yield* Routing.Router
          yield* TestClock.setTime(start + Duration.toMillis(Duration.minutes(minutes)))
          yield* router.sweep()
          yield* router.runPass()
        }).pipe(Effect.provide(TestContext.TestContext))
      )
    }
    const state = await e2e.server.runtime.runPromise(Effect.flatMap(EventStore, (store) => store.loadDialog(id)))
    expect(Option.map(state, ({ state }) => [state.status, Option.getOrUndefined(state.assigneeId)])).toEqual(Option.some(["active", "boris"]))
    await page.reload()
    await page.getByTestId("dialog-view").filter({ hasText: "Noah Müller" }).waitFor()
    expect(await page.getByTestId("dialog-status").textContent()).toBe("Active")
    expect(await joined()).toBe(1)
    expect(errors).toEqual([])
  })
})
