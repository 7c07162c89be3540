import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Page, Request, Route } from "playwright-core"
import { beforeAll, beforeEach, describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The panel in a real browser: Debian's Chromium (never a downloaded one) against a server
 * started in-process on a random port with the demo data. With `CI` set a missing Chromium is a
 * failure; locally the suite is skipped with a message.
 */

// The README's screenshot is refreshed only on request (UPDATE_SCREENSHOT=1), so a test run never edits tracked files.
const screenshot = process.env["UPDATE_SCREENSHOT"] === "1"
  ? fileURLToPath(new URL("../../docs/panel.png", import.meta.url))
  : join(tmpdir(), `switchboard-panel-${process.pid}.png`)

describe.skipIf(!runsInChromium)("operator panel in Chromium", () => {
  const e2e = useE2e({ apiToken: "e2e-api-token" })
  /** Uncaught errors and console errors (htmx logs its swap errors there) during a test. */
  const { errors } = e2e
  let page: Page

  beforeAll(async () => {
    page = await e2e.newPage()
    // What the page did, for a failure to explain itself: htmx requests and the live stream's list signals.
    await page.addInitScript(() => {
      const log: Array<string> = []
      Object.assign(window, { panelLog: log })
      const note = (line: string) => {
        log.push(`${Math.round(performance.now())} ${line}`)
        if (log.length > 200) log.shift()
      }
      document.addEventListener("htmx:beforeRequest", (event) => note(`request ${(event as CustomEvent).detail?.requestConfig?.path ?? ""}`))
      document.addEventListener("htmx:afterRequest", (event) => note(`answered ${(event as CustomEvent).detail?.xhr?.status ?? ""} ${(event as CustomEvent).detail?.requestConfig?.path ?? ""}`))
      document.addEventListener("htmx:sseMessage", (event) => note(`sse ${(event as CustomEvent).detail?.type ?? ""} ${String((event as CustomEvent).detail?.data ?? "").slice(0, 80)}`))
      document.addEventListener("htmx:sseError", () => note("sse error"))
      document.addEventListener("htmx:sseOpen", () => note("sse open"))
    })
  })

  beforeEach(() => {
    errors.length = 0
  })

  const inbound = async (from: string, text: string) => {
    const response = await e2e.inbound("telegram", { from, message: { text } })
    expect(response.status).toBe(202)
  }

  /** Sign in as Anna (EventSources tracked) and open one of her dialogs from Mine. */
  const openAsAnna = async (client: string) => {
    await trackEventSources()
    await e2e.signIn(page, "anna")
    await page.getByTestId("folder-mine").click()
    await page.getByTestId("dialog-row").filter({ hasText: client }).click()
    await page.getByTestId("dialog-view").filter({ hasText: client }).waitFor()
  }

  /** A wait that, when it fails, says what the page did meanwhile and what its list shows. */
  const explained = async (wait: Promise<void>) => {
    try {
      await wait
    } catch (error) {
      const log = await page.evaluate(() => ((window as unknown as { panelLog?: Array<string> }).panelLog ?? []).join("\n"))
      const rows = await page.getByTestId("dialog-row").allTextContents()
      throw new Error(`${String(error)}\n--- page log ---\n${log}\n--- rows ---\n${rows.join("\n")}`)
    }
  }

  /** Keep a hand on the page's EventSources (`window.sources`; htmx opens them through panel.js), from the next navigation on. */
  let tracking = false
  const trackEventSources = async () => {
    if (tracking) return
    tracking = true
    await page.addInitScript(() => {
      const Native = window.EventSource
      const sources: Array<EventSource> = []
      Object.assign(window, { sources })
      window.EventSource = class extends Native {
        constructor(url: string | URL, init?: EventSourceInit) {
          super(url, init)
          sources.push(this)
        }
      }
    })
  }

  it("signs in, replies in a dialog, and shows an inbound message live without a reload", async () => {
    await page.goto(`${e2e.url}/login`)
    // The sign-in form as a person fills it, with the demo password the page prints.
    const password = await page.getByTestId("demo-password").textContent()
    await page.locator("form.login-form input[name=login]").fill("anna@example.com")
    await page.locator("form.login-form input[name=password]").fill(password ?? "")
    await page.locator("form.login-form button[type=submit]").click()
    await page.waitForURL(/\/panel\/dialogs/)
    await expect(page.getByTestId("current-user").textContent()).resolves.toContain("Anna")
    expect(await page.evaluate(() => document.compatMode)).toBe("CSS1Compat")
    expect(await page.getByTestId("dialog-row").count()).toBeGreaterThan(3)

    await page.getByTestId("folder-mine").click()
    await page.waitForURL(/folder=mine/)
    const row = page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" })
    await row.click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()
    await page.evaluate(() => {
      document.body.dataset.sameDocument = "yes"
    })

    const composer = page.getByTestId("composer-text")
    await composer.fill("Your invoice is ready — I have sent it to your email.")
    await composer.press("Control+Enter")
    await page.getByTestId("message").filter({ hasText: "Your invoice is ready" }).waitFor({ timeout: 10_000 })
    await expect(composer.inputValue()).resolves.toBe("")

    await inbound("demo-7", "Got it, thank you! <b>not bold</b>")
    const live = page.getByTestId("message").filter({ hasText: "Got it, thank you! <b>not bold</b>" })
    await live.waitFor({ timeout: 10_000 })
    expect(await live.getAttribute("data-author")).toBe("client")
    expect(await page.evaluate(() => document.body.dataset.sameDocument)).toBe("yes")
    expect(await page.getByTestId("message").filter({ hasText: "Your invoice is ready" }).count()).toBe(1)

    // A changed bubble (as the stream sends it after an edit or a delivery status) takes the old
    // one's place; a change to a message that is not loaded is dropped.
    const placed = await page.evaluate(() => {
      const list = document.querySelector<HTMLElement>('[data-testid="messages"]')!
      const original = [...list.querySelectorAll<HTMLElement>("[data-message-id]")].find((node) => node.textContent?.includes("Your invoice is ready"))!
      const position = [...list.children].indexOf(original)
      const change = original.cloneNode(true) as HTMLElement
      change.dataset.messageChange = "true"
      change.querySelector(".text")!.textContent = "Your invoice is ready (edited)"
      const stray = change.cloneNode(true) as HTMLElement
      stray.dataset.messageId = "not-loaded"
      list.append(change, stray)
      return { id: original.dataset.messageId!, position }
    })
    const edited = page.getByTestId("message").filter({ hasText: "Your invoice is ready (edited)" })
    await edited.waitFor({ timeout: 10_000 })
    await page.waitForFunction(() => document.querySelector('[data-message-id="not-loaded"]') === null, undefined, { timeout: 10_000 })
    expect(await page.evaluate(({ id }) => {
      const list = document.querySelector('[data-testid="messages"]')!
      return [[...list.children].findIndex((node) => node.getAttribute("data-message-id") === id), list.querySelectorAll(`[data-message-id="${id}"]`).length]
    }, placed)).toEqual([placed.position, 1])

    // A message in another of Anna's dialogs updates its row; the open history ignores it, and the
    // refreshed list keeps the open dialog's row highlighted.
    const selectedRow = page.locator('[data-testid="dialog-row"].selected')
    await selectedRow.filter({ hasText: "Olena Shevchenko" }).waitFor({ timeout: 10_000 })
    await inbound("demo-9", "Still waiting for the promo code fix")
    const emma = page.getByTestId("dialog-row").filter({ hasText: "Still waiting for the promo code fix" })
    await explained(emma.waitFor({ timeout: 10_000 }))
    expect(await page.getByTestId("message").filter({ hasText: "Still waiting" }).count()).toBe(0)
    expect(await selectedRow.allTextContents()).toEqual([expect.stringContaining("Olena Shevchenko")])
    // Opening another dialog moves the highlight, and reads it: the pane's POST (with the page's
    // CSRF header; the GET changed nothing) takes the row's unread badge away.
    expect(await emma.getByTestId("row-unread").count()).toBe(1)
    await emma.click()
    await page.getByTestId("dialog-view").filter({ hasText: "Emma Wilson" }).waitFor()
    await selectedRow.filter({ hasText: "Emma Wilson" }).waitFor({ timeout: 10_000 })
    expect(await selectedRow.count()).toBe(1)
    await explained(page.waitForFunction(() => document.querySelector('[data-testid="dialog-row"].selected [data-testid="row-unread"]') === null, undefined, { timeout: 10_000 }).then(() => undefined))

    // caret "initial": hiding the caret would inject a style element, which the CSP refuses (a console error).
    await page.screenshot({ path: screenshot, caret: "initial" })
    expect(errors).toEqual([])
  })

  it("resumes its live stream where it left off when the connection fails for good: what came meanwhile shows up, once", async () => {
    await openAsAnna("Olena Shevchenko")
    type Sources = { readonly sources: Array<EventSource> }
    const current = () => page.evaluate(() => {
      const source = (window as unknown as Sources).sources.at(-1)
      return { url: source?.url ?? "", open: source?.readyState === EventSource.OPEN, count: (window as unknown as Sources).sources.length }
    })
    await page.waitForFunction(() => (window as unknown as Sources).sources.at(-1)?.readyState === EventSource.OPEN, undefined, { timeout: 10_000 })
    const first = await current()
    // The page's stream starts at the store position it was rendered at.
    expect(first.url).toMatch(/\/panel\/events\?after=\d+$/)

    await inbound("demo-7", "Seen live before the cut")
    await page.getByTestId("message").filter({ hasText: "Seen live before the cut" }).waitFor({ timeout: 10_000 })
    // The connection fails for good (as on a proxy's 502): htmx will open a new one.
    await page.evaluate(() => (window as unknown as Sources).sources.at(-1)!.close())
    await inbound("demo-7", "Sent while the panel was cut off")
    await page.evaluate(() => {
      const source = (window as unknown as Sources).sources.at(-1)!
      source.onerror?.call(source, new Event("error"))
    })
    await page.getByTestId("message").filter({ hasText: "Sent while the panel was cut off" }).waitFor({ timeout: 10_000 })
    const resumed = await current()
    expect(resumed.count).toBe(first.count + 1)
    // From the last position it saw, not the page's.
    const after = (url: string) => Number(new URL(url).searchParams.get("after"))
    expect(after(resumed.url)).toBeGreaterThan(after(first.url))
    expect(await page.getByTestId("message").filter({ hasText: "Seen live before the cut" }).count()).toBe(1)
    expect(await page.getByTestId("message").filter({ hasText: "Sent while the panel was cut off" }).count()).toBe(1)
    // The failure itself is logged by htmx (its htmx:sseError logs the error event); nothing else went wrong.
    expect(errors.filter((error) => !(error.startsWith("[object Event]") && error.includes("/assets/htmx.min.js")))).toEqual([])
  })

  it("says when live updates are interrupted, and takes the notice away when they are back with what was missed", async () => {
    await openAsAnna("Olena Shevchenko")
    const status = page.getByTestId("live-status")
    await status.waitFor({ state: "hidden" })
    // The server is unreachable for the live stream (a restart behind a proxy answering 503)...
    await page.route("**/panel/events*", (route) => route.fulfill({ status: 503, body: "restarting" }))
    await page.evaluate(() => {
      const source = (window as unknown as { sources: Array<EventSource> }).sources.at(-1)!
      source.close()
      source.onerror?.call(source, new Event("error"))
    })
    await status.waitFor({ state: "visible", timeout: 10_000 })
    expect(await status.textContent()).toContain("Live updates are interrupted")
    await inbound("demo-7", "Sent while the server was restarting")
    // ...and back: the notice goes, and what came meanwhile shows up.
    await page.unroute("**/panel/events*")
    await status.waitFor({ state: "hidden", timeout: 20_000 })
    await page.getByTestId("message").filter({ hasText: "Sent while the server was restarting" }).waitFor({ timeout: 10_000 })
    // htmx logs each failed connection (its htmx:sseError, and the browser the 503s); nothing else went wrong.
    expect(errors.filter((error) => !(error.startsWith("[object Event]") && error.includes("/assets/htmx.min.js")) && !error.includes("503"))).toEqual([])
  }, 60_000)

  it("puts pushed rows in place without fetching the list (a plain folder never pulls), as a reload renders them", async () => {
    await e2e.signIn(page, "anna")
    await page.getByTestId("folder-mine").click()
    await page.waitForURL(/folder=mine/)
    await page.getByTestId("dialog-row").filter({ hasText: "Sofia Garcia" }).waitFor()
    const listRequests: Array<string> = []
    const onRequest = (request: { url(): string }) => {
      if (/\/panel\/dialogs\?/.test(request.url())) listRequests.push(request.url())
    }
    page.on("request", onRequest)
    await inbound("demo-11", "First of two quick ones")
    await inbound("demo-9", "Second, right after the first")
    await explained(page.getByTestId("dialog-row").filter({ hasText: "Second, right after the first" }).waitFor({ timeout: 10_000 }))
    await page.getByTestId("dialog-row").filter({ hasText: "First of two quick ones" }).waitFor({ timeout: 10_000 })
    page.off("request", onRequest)
    expect(listRequests).toEqual([])
    const rows = () => page.evaluate(() => [...document.querySelectorAll('[data-testid="dialog-row"]')].map((row) => `${row.getAttribute("data-dialog-id")} ${row.querySelector("a")?.getAttribute("href")} ${row.textContent?.replace(/\s+/g, " ").trim()}`))
    const pushed = await rows()
    await page.reload()
    await page.getByTestId("dialog-row").first().waitFor()
    expect(pushed).toEqual(await rows())
    expect(errors).toEqual([])
  }, 60_000)

  it("narrows the dialog list as the operator types a search, keeps it on live updates, and brings the list back when cleared", async () => {
    const rowCount = () => page.getByTestId("dialog-row").count()
    const waitForRows = (count: number) =>
      page.waitForFunction((expected) => document.querySelectorAll('[data-testid="dialog-row"]').length === expected, count, { timeout: 10_000 })

    await page.goto(`${e2e.url}/panel/dialogs?folder=mine`)
    const all = await rowCount()
    expect(all).toBeGreaterThan(1)
    await page.evaluate(() => {
      document.body.dataset.sameDocument = "search"
    })

    const search = page.getByTestId("search-text")
    await search.pressSequentially("invoice")
    await page.waitForURL(/folder=mine&q=invoice$/)
    await waitForRows(1)
    await page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" }).waitFor()

    // A live update re-fetches the rows with the search: the row changes and the others stay out.
    await inbound("demo-7", "One more question about the invoice")
    await page.getByTestId("dialog-row").filter({ hasText: "One more question" }).waitFor({ timeout: 10_000 })
    expect(await rowCount()).toBe(1)
    await expect(search.inputValue()).resolves.toBe("invoice")

    await search.fill("")
    await page.waitForURL((url) => url.pathname === "/panel/dialogs" && url.search === "?folder=mine")
    await waitForRows(all)
    expect(await page.evaluate(() => document.body.dataset.sameDocument)).toBe("search")

    // Back restores the searched list from its URL (a whole page, not a fragment in place of the body).
    await page.goBack()
    await page.waitForURL(/q=invoice$/)
    await waitForRows(1)
    await expect(page.getByTestId("current-user").textContent()).resolves.toContain("Anna")
    await expect(page.getByTestId("search-text").inputValue()).resolves.toBe("invoice")
    expect(errors).toEqual([])
  })

  it("narrows the list with a filter picked under the search box, and clears it", async () => {
    await page.goto(`${e2e.url}/panel/dialogs?folder=new`)
    const rows = page.getByTestId("dialog-row")
    const channels = () => rows.locator(".channel").allTextContents()
    expect(new Set(await channels())).toEqual(new Set(["Telegram", "Website"]))
    await page.evaluate(() => {
      document.body.dataset.sameDocument = "filters"
    })

    await page.getByTestId("filters").locator("summary").click()
    await page.getByTestId("filter-channel").selectOption("website")
    await page.waitForURL((url) => url.search === "?folder=new&channel=website")
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="dialog-row"] .channel')].every((node) => node.textContent === "Website"), undefined, { timeout: 10_000 })
    expect(await rows.count()).toBeGreaterThan(0)
    await page.locator('[data-testid="filter-count"]:not(.hidden)', { hasText: "1" }).waitFor({ timeout: 10_000 })
    expect(await page.evaluate(() => document.body.dataset.sameDocument)).toBe("filters")

    // A live update keeps the filter: the server checks it for the pushed row, and no Telegram dialog comes in.
    const position = await page.evaluate(() => Number(document.body.dataset.livePosition ?? 0))
    await inbound("demo-1", "Any news about order #4411?")
    await page.waitForFunction((before) => Number(document.body.dataset.livePosition ?? 0) > before, position, { timeout: 10_000 })
    expect(new Set(await channels())).toEqual(new Set(["Website"]))

    await page.getByTestId("clear-filters").click()
    await page.waitForURL((url) => url.search === "?folder=new")
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="dialog-row"] .channel')].some((node) => node.textContent === "Telegram"), undefined, { timeout: 10_000 })
    await expect(page.getByTestId("filter-channel").inputValue()).resolves.toBe("")
    // (htmx settles the swapped badge's attributes a moment after the swap.)
    await page.getByTestId("filter-count").waitFor({ state: "hidden", timeout: 10_000 })
    expect(errors).toEqual([])
  })

  it("lists the folder's client tags with their colours and counts when the filters open, and filters by one with a click", async () => {
    await e2e.signIn(page, "anna")
    await page.goto(`${e2e.url}/panel/dialogs?folder=mine`)
    const rows = page.getByTestId("dialog-row")
    const names = async () => (await rows.locator(".client-name").allTextContents()).sort()
    expect(await names()).toHaveLength(5)
    // Nothing is counted until the filters open.
    expect(await page.getByTestId("tag-choice").count()).toBe(0)
    await page.getByTestId("filters").locator("summary").click()
    const chips = page.getByTestId("tag-choice")
    await chips.first().waitFor({ timeout: 10_000 })
    const shown = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid="tag-choice"]')].map((chip) =>
          [chip.querySelector(".tag-name")?.textContent, chip.querySelector(".tag-count")?.textContent, chip.querySelector("circle")?.getAttribute("fill"), chip.getAttribute("aria-current")]
        )
      )
    expect(await shown()).toEqual([["VIP", "2", "#d97706", null], ["Returning customer", "1", "#059669", null], ["Wholesale", "1", "#2563eb", null]])

    await chips.filter({ hasText: "VIP" }).click()
    await page.waitForURL((url) => url.search === "?folder=mine&tag=vip")
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="dialog-row"]').length === 2, undefined, { timeout: 10_000 })
    expect(await names()).toEqual(["Olena Shevchenko", "Sofia Garcia"])
    await expect(page.getByTestId("filter-tag").inputValue()).resolves.toBe("vip")
    // The filters stay open with the chosen tag pressed; choosing it again takes it away.
    await page.locator('[data-testid="tag-choice"][aria-current="true"]', { hasText: "VIP" }).waitFor({ timeout: 10_000 })
    await page.locator('[data-testid="tag-choice"][aria-current="true"]').click()
    await page.waitForURL((url) => url.search === "?folder=mine")
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="dialog-row"]').length === 5, undefined, { timeout: 10_000 })
    // The filters stay open, with the tags to choose from again.
    await page.locator('[data-testid="tag-choice"]:not([aria-current])', { hasText: "VIP" }).waitFor({ timeout: 10_000 })
    expect(await page.getByTestId("filters").evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true)
    expect(errors).toEqual([])
  })

  it("a folder link aborts a search still loading, so its late answer cannot land over the new folder", async () => {
    await page.goto(`${e2e.url}/panel/dialogs?folder=new`)
    // Hold the search's answer until the folder has switched.
    let held: Route | undefined
    const searching = new Promise<Request>((resolve) => {
      void page.route((url) => url.searchParams.get("q") === "kovalenko", (route) => {
        held = route
        resolve(route.request())
      })
    })
    await page.getByTestId("search-text").pressSequentially("kovalenko")
    const search = await searching
    const outcome = new Promise<string>((resolve) => {
      page.on("requestfailed", (request) => request === search && resolve("aborted"))
      page.on("requestfinished", (request) => request === search && resolve("answered"))
    })
    await page.getByTestId("folder-mine").click()
    await page.locator('[data-testid="dialog-list"][data-folder="mine"]').waitFor({ timeout: 10_000 })
    await held!.continue().catch(() => undefined)
    expect(await outcome).toBe("aborted")
    await page.unrouteAll()
    expect(new URL(page.url()).search).toBe("?folder=mine")
    await expect(page.getByTestId("search-text").inputValue()).resolves.toBe("")
    expect(await page.getByTestId("dialog-row").filter({ hasText: "Maria Kovalenko" }).count()).toBe(0)
    // htmx reports the abort it made as console errors (htmx:sendAbort); nothing else may appear.
    expect(errors.filter((error) => !/^htmx:(sendAbort|afterRequest),/.test(error))).toEqual([])
  })

  it("loads earlier messages when the operator scrolls up to them, without losing their place, and live messages still append", async () => {
    for (let line = 1; line <= 60; line++) await inbound("e2e-history", `Line ${line}`)
    await page.goto(`${e2e.url}/panel/dialogs?folder=new`)
    await page.getByTestId("dialog-row").filter({ hasText: "Line 60" }).click()
    const bubbles = page.getByTestId("message")
    await bubbles.filter({ hasText: "Line 60" }).waitFor()
    expect(await bubbles.count()).toBe(50)
    await expect(bubbles.first().textContent()).resolves.toContain("Line 11")
    // Opened at the bottom, the history does not load earlier pages by itself: a live message later, still 50 + 1.
    await inbound("e2e-history", "Line 61")
    await bubbles.filter({ hasText: "Line 61" }).waitFor({ timeout: 10_000 })
    expect(await bubbles.count()).toBe(51)
    await expect(bubbles.first().textContent()).resolves.toContain("Line 11")

    const list = page.getByTestId("messages")
    const topOf = (text: string) =>
      page.evaluate((wanted) => {
        const history = document.querySelector('[data-testid="messages"]')!
        const bubble = [...history.querySelectorAll('[data-testid="message"]')].find((node) => node.querySelector(".text")?.textContent === wanted)!
        return bubble.getBoundingClientRect().top - history.getBoundingClientRect().top
      }, text)
    // Scrolling to the top brings the earlier messages (MSG-07), with no click.
    await list.evaluate((element) => element.scrollTo({ top: 0 }))
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="message"]').length === 61, undefined, { timeout: 10_000 })
    expect((await bubbles.locator(".text").allTextContents())).toEqual(Array.from({ length: 61 }, (_, index) => `Line ${index + 1}`))
    expect(await page.getByTestId("show-earlier").count()).toBe(0)
    // The older messages went above: the message the operator was looking at stays where it was.
    // (At the top, "Line 11" sat just under the link; ten older bubbles put above it without keeping the place
    // would have pushed it out of sight.)
    const height = await list.evaluate((element) => element.clientHeight)
    const place = await topOf("Line 11")
    expect(place).toBeGreaterThanOrEqual(0)
    expect(place).toBeLessThan(height / 3)
    expect(await list.evaluate((element) => element.scrollTop)).toBeGreaterThan(0)

    // A live message still lands at the bottom, and the history scrolls to it.
    await inbound("e2e-history", "Line 62")
    await bubbles.filter({ hasText: "Line 62" }).waitFor({ timeout: 10_000 })
    await expect(bubbles.last().textContent()).resolves.toContain("Line 62")
    await page.waitForFunction(() => {
      const history = document.querySelector('[data-testid="messages"]')!
      return history.scrollHeight - history.scrollTop - history.clientHeight < 2
    }, undefined, { timeout: 10_000 })
    expect(errors).toEqual([])
  })
})
