import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The dialog controls of issue 21 in a real browser: a supervisor reassigns Anna's dialog to
 * Boris, blocks its client (the composer's warning and Unblock), unblocks, and sets its priority;
 * the operator Anna is not offered what she may not do. Debian's Chromium; skipped locally
 * without it, a failure on CI.
 */

describe.skipIf(!runsInChromium)("dialog controls in Chromium", () => {
  const e2e = useE2e()
  const { errors } = e2e
  let page: Page

  beforeAll(async () => {
    page = await e2e.newPage({ viewport: { width: 1280, height: 900 } })
    // The controls that ask first (block, detach, delete) ask with the browser's confirm: say yes.
    page.on("dialog", (dialog) => void dialog.accept())
  })

  const signInAs = (userId: string) => e2e.signIn(page, userId)

  const open = async (folder: string, client: string) => {
    await page.getByTestId(`folder-${folder}`).click()
    await page.getByTestId("dialog-row").filter({ hasText: client }).click()
    await page.getByTestId("dialog-view").filter({ hasText: client }).waitFor()
  }

  it("a supervisor reassigns a dialog, blocks and unblocks its client, and sets its priority; the operator has none of these", async () => {
    await signInAs("anna")
    await open("mine", "Olena Shevchenko")
    // Anna may pass her dialog on, but not block, prioritize or delete.
    expect(await page.getByTestId("reassign-to").count()).toBe(1)
    expect(await page.getByTestId("block-client").count()).toBe(0)
    expect(await page.getByTestId("priority").count()).toBe(0)
    expect(await page.getByTestId("delete-dialog").count()).toBe(0)

    await signInAs("sue")
    await open("active", "Olena Shevchenko")
    const pane = page.getByTestId("dialog-view")

    await page.getByTestId("reassign-to").selectOption({ label: "Boris" })
    await page.getByTestId("reassign").click()
    await expect.poll(() => pane.locator(".pane-header p.muted").textContent()).toContain("Boris")

    await page.getByTestId("block-client").click()
    await page.getByTestId("blocked-notice").waitFor()
    expect(await page.getByTestId("blocked-notice").textContent()).toContain("The client is blocked")
    await page.getByTestId("unblock-client").click()
    await page.getByTestId("block-client").waitFor()
    expect(await page.getByTestId("blocked-notice").count()).toBe(0)

    await page.getByTestId("priority").selectOption({ label: "urgent" })
    await page.getByTestId("set-priority").click()
    await expect.poll(() => page.getByTestId("priority").evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.textContent)).toBe("urgent")
    expect(errors).toEqual([])
  })
})
