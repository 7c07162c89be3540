import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The panel on a phone (issue 21): at 390 px the list and the open dialog are two screens, with a
 * way back, and no screen scrolls sideways. Debian's Chromium; skipped locally without it, a
 * failure on CI.
 */

// The README's phone screenshot is refreshed only on request (UPDATE_SCREENSHOT=1), so a test run never edits tracked files.
const screenshot = process.env["UPDATE_SCREENSHOT"] === "1"
  ? fileURLToPath(new URL("../../docs/panel-phone.png", import.meta.url))
  : join(tmpdir(), `switchboard-phone-${process.pid}.png`)

describe.skipIf(!runsInChromium)("the panel at 390 px in Chromium", () => {
  const e2e = useE2e()
  const { errors } = e2e
  let page: Page

  beforeAll(async () => {
    page = await e2e.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
  })

  const signInAs = (userId: string) => e2e.signIn(page, userId)

  /** How wide the document is: at most the phone's 390 px when nothing scrolls sideways. */
  const documentWidth = () => page.evaluate(() => document.documentElement.scrollWidth)

  it("shows the list, then the dialog alone, then the list again by the back control; nothing scrolls sideways", async () => {
    await signInAs("anna")
    await page.getByTestId("folder-mine").click()
    const row = page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" })
    await row.waitFor()
    expect(await documentWidth()).toBeLessThanOrEqual(390)
    expect(await page.getByTestId("dialog-list").isVisible()).toBe(true)
    expect(await page.getByTestId("dialog-view").isVisible()).toBe(false)

    await row.click()
    const pane = page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" })
    await pane.waitFor()
    expect(await page.getByTestId("dialog-list").isVisible()).toBe(false)
    expect(await page.getByTestId("composer-text").isVisible()).toBe(true)
    expect(await documentWidth()).toBeLessThanOrEqual(390)
    // The composer and the send button are within the screen's width.
    const send = await page.getByTestId("send").boundingBox()
    expect((send?.x ?? 999) + (send?.width ?? 0)).toBeLessThanOrEqual(390)
    // The conversation itself gets room: the head, the SLA, the tags and the composer no longer squeeze the
    // messages into a strip (they had ~90 of the 844 px); the page scrolls past the dialog's controls instead.
    const messages = await pane.getByTestId("messages").boundingBox()
    expect(messages?.height ?? 0).toBeGreaterThanOrEqual(400)
    await page.screenshot({ path: screenshot, caret: "initial" })

    await page.getByTestId("back-to-list").click()
    await page.getByTestId("dialog-list").waitFor({ state: "visible" })
    expect(await page.getByTestId("dialog-view").isVisible()).toBe(false)
    expect(page.url()).toContain("folder=mine")
    expect(await documentWidth()).toBeLessThanOrEqual(390)
    expect(errors).toEqual([])
  })

  it("the board, the settings, the audit log, the account page and the client card fit the phone's width", async () => {
    await signInAs("olha")
    for (const path of ["/panel/dialogs?folder=active", "/panel/board", "/panel/settings", "/panel/settings/audit", "/panel/account"]) {
      await page.goto(`${e2e.url}${path}`)
      await page.getByTestId("current-user").or(page.getByTestId("account")).first().waitFor()
      expect(await documentWidth(), path).toBeLessThanOrEqual(390)
    }
    // The client card, reached from a dialog's head.
    await page.goto(`${e2e.url}/panel/dialogs?folder=active`)
    await page.getByTestId("dialog-row").first().click()
    const card = await page.getByTestId("client-card-link").getAttribute("href")
    await page.goto(`${e2e.url}${card}`)
    await page.getByTestId("client-card").waitFor()
    expect(await documentWidth(), "client card").toBeLessThanOrEqual(390)
    expect(errors).toEqual([])
  })
})
