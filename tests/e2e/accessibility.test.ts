import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { axeViolations } from "./support/axe.js"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * Accessibility (issue 21): axe-core's WCAG 2.1 A/AA rules on every screen the browser suite
 * visits, at a desktop's and a phone's width, and a keyboard-only walk through a dialog that checks
 * where focus is after every step. Debian's Chromium; skipped locally without it, a failure on CI.
 */

const widths = [1280, 390] as const

// The README's screenshot of a dialog with the quick replies open is refreshed only on request (UPDATE_SCREENSHOT=1).
const quickRepliesShot = process.env["UPDATE_SCREENSHOT"] === "1"
  ? fileURLToPath(new URL("../../docs/panel-quick-replies.png", import.meta.url))
  : join(tmpdir(), `switchboard-quick-replies-${process.pid}.png`)

describe.skipIf(!runsInChromium)("accessibility in Chromium", () => {
  const e2e = useE2e()
  const { errors } = e2e
  let page: Page

  beforeAll(async () => {
    page = await e2e.newPage({ viewport: { width: 1280, height: 900 } })
  })

  const signInAs = (userId: string) => e2e.signIn(page, userId)

  /** axe on the page as it is, at both widths: every violation, named by screen and width. */
  const audit = async (screen: string) => {
    const found: Array<unknown> = []
    for (const width of widths) {
      await page.setViewportSize({ width, height: 900 })
      for (const violation of await axeViolations(page)) found.push({ screen, width, ...violation })
    }
    await page.setViewportSize({ width: 1280, height: 900 })
    return found
  }

  it("every screen has no WCAG 2.1 A/AA violation at 1280 and 390 px", async () => {
    const found: Array<unknown> = []
    await page.goto(`${e2e.url}/login`)
    found.push(...(await audit("sign-in")))

    await signInAs("anna")
    found.push(...(await audit("inbox: New")))
    await page.goto(`${e2e.url}/panel/quick-replies`)
    found.push(...(await audit("quick replies")))
    const form = page.getByTestId("quick-reply-form")
    await form.locator("input[name=category]").fill("Orders")
    await form.locator("input[name=title]").fill("Order on its way")
    await form.locator("textarea[name=text]").fill("Hello {{client_name}}, your order left the warehouse today.")
    await form.locator("button[type=submit]").click()
    await page.getByTestId("quick-reply").filter({ hasText: "Order on its way" }).waitFor()
    await page.goto(`${e2e.url}/panel/dialogs?folder=new`)
    await page.getByTestId("folder-mine").click()
    await page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" }).click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()
    found.push(...(await audit("dialog")))
    await page.locator(".gallery-box summary").click()
    await page.getByTestId("gallery").waitFor()
    found.push(...(await audit("dialog with its attachments gallery")))
    await page.getByTestId("quick-replies-button").click()
    await page.getByTestId("quick-reply-choice").first().waitFor()
    await page.screenshot({ path: quickRepliesShot, caret: "initial" })
    found.push(...(await audit("dialog with quick replies")))
    // The filters open, with the tag choices (their selected state is what a screen reader hears).
    await page.locator('[data-testid="filters"] summary').click()
    await page.getByTestId("tag-choice").first().waitFor()
    found.push(...(await audit("inbox filters")))
    // The client card (its sections, channels with the green dot, tags) as an operator sees it.
    await page.goto(`${e2e.url}${await page.getByTestId("client-card-link").getAttribute("href")}`)
    await page.getByTestId("client-card").waitFor()
    found.push(...(await audit("client card")))
    await page.goto(`${e2e.url}/panel/account`)
    found.push(...(await audit("account")))

    await signInAs("olha")
    // The owner's list has Select all and Delete chosen, and a checkbox on every row.
    await page.getByTestId("select-all").waitFor()
    found.push(...(await audit("inbox with bulk delete")))
    // The owner's client card has more controls: the responsible manager and the block.
    await page.getByTestId("dialog-row").first().click()
    await page.getByTestId("client-card-link").waitFor()
    await page.goto(`${e2e.url}${await page.getByTestId("client-card-link").getAttribute("href")}`)
    await page.getByTestId("client-card").waitFor()
    found.push(...(await audit("client card (owner)")))
    for (const [screen, path] of [["board", "/panel/board"], ["settings", "/panel/settings"], ["audit log", "/panel/settings/audit"], ["archive", "/panel/dialogs?folder=archive"]] as const) {
      await page.goto(`${e2e.url}${path}`)
      found.push(...(await audit(screen)))
    }
    await page.goto(`${e2e.url}/demo/widget`)
    found.push(...(await audit("widget demo page")))

    expect(found).toEqual([])
    expect(errors).toEqual([])
  }, 180_000)

  /** What has focus: its test id (or tag), the dialog row it is in, and its text. */
  const focused = () =>
    page.evaluate(() => {
      const active = document.activeElement
      return {
        testId: active?.getAttribute("data-testid") ?? active?.tagName.toLowerCase() ?? "",
        row: active?.closest('[data-testid="dialog-row"]')?.getAttribute("data-dialog-id") ?? "",
        text: (active?.textContent ?? "").trim().slice(0, 60)
      }
    })

  /** Tab (or Shift+Tab) until `reached` holds for the focused element; the keyboard only. */
  const tabTo = async (reached: (focus: Awaited<ReturnType<typeof focused>>) => boolean, key: "Tab" | "Shift+Tab" = "Tab") => {
    for (let step = 0; step < 80; step++) {
      await page.keyboard.press(key)
      if (reached(await focused())) return
    }
    throw new Error(`${key} never reached the control; focus is on ${JSON.stringify(await focused())}`)
  }

  it("keyboard only: skip link, open a dialog, reply, close it, and open the next, with focus where the work is after each step", async () => {
    await signInAs("anna")
    await page.goto(`${e2e.url}/panel/dialogs?folder=mine`)
    await page.getByTestId("dialog-row").first().waitFor()
    await page.keyboard.press("Tab")
    expect((await focused()).testId).toBe("skip-link")
    await page.keyboard.press("Enter")
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main-content")

    // Into the list: the first row; Enter opens it and focus moves to the dialog's title.
    await tabTo((focus) => focus.row !== "")
    const first = (await focused()).row
    await page.keyboard.press("Enter")
    await page.locator(`[data-testid="dialog-view"][data-dialog-id="${first}"]`).waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches(".pane-header h2") ?? false)).toBe(true)
    const client = (await focused()).text

    // To the composer, a reply with Ctrl+Enter: the reply shows, the composer is empty and still focused.
    await tabTo((focus) => focus.testId === "composer-text")
    await page.keyboard.type("Checking it for you now.")
    await page.keyboard.press("Control+Enter")
    await page.getByTestId("message").filter({ hasText: "Checking it for you now." }).waitFor()
    await expect.poll(() => page.getByTestId("composer-text").inputValue()).toBe("")
    await expect.poll(async () => (await focused()).testId).toBe("composer-text")

    // Back up to Close: the dialog closes and focus goes to the next dialog's row.
    await tabTo((focus) => focus.testId === "close", "Shift+Tab")
    await page.keyboard.press("Enter")
    await page.locator(`[data-testid="dialog-view"][data-status="closed"]`).waitFor()
    await expect.poll(async () => (await focused()).row).not.toBe("")
    const next = (await focused()).row
    expect(next).not.toBe(first)

    // Enter opens it, focus on its title.
    await page.keyboard.press("Enter")
    await page.locator(`[data-testid="dialog-view"][data-dialog-id="${next}"]`).waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches(".pane-header h2") ?? false)).toBe(true)
    expect((await focused()).text).not.toBe(client)
    expect(errors).toEqual([])
  }, 120_000)

  it("keyboard only: Accept leaves focus in the composer; a folder link and a tag chip keep focus after their swaps", async () => {
    await signInAs("anna")
    await page.getByTestId("dialog-row").first().waitFor()
    await page.getByTestId("dialog-row").first().locator("a").focus()
    await page.keyboard.press("Enter")
    await page.getByTestId("accept").waitFor()
    await tabTo((focus) => focus.testId === "accept")
    await page.keyboard.press("Enter")
    await page.getByTestId("composer-text").waitFor()
    await expect.poll(async () => (await focused()).testId).toBe("composer-text")

    await page.getByTestId("folder-mine").focus()
    await page.keyboard.press("Enter")
    await page.locator('[data-testid="dialog-list"][data-folder="mine"]').waitFor()
    await expect.poll(async () => (await focused()).testId).toBe("folder-mine")

    await page.locator('[data-testid="filters"] summary').focus()
    await page.keyboard.press("Enter")
    const chip = page.getByTestId("tag-choice").filter({ hasText: "VIP" })
    await chip.waitFor()
    await chip.focus()
    await page.keyboard.press("Enter")
    await page.locator('[data-testid="tag-choice"][aria-current="true"]', { hasText: "VIP" }).waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-tag") ?? document.activeElement?.tagName)).toBe("vip")
    expect(errors).toEqual([])
  }, 120_000)
})
