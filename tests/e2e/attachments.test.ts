import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * Sending a file from the panel in a real browser (MSG-06): the composer's attach form posts
 * multipart through htmx, the message arrives in the history live with the image's preview
 * (served by the download route, within the page's CSP), and a renamed executable is refused in
 * the notice area. Debian's Chromium; skipped locally without it, a failure on CI.
 */

const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64")
const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, ...new Array(112).fill(0)])

describe.skipIf(!runsInChromium)("attachments in Chromium", () => {
  const e2e = useE2e({ files: true })
  let page: Page

  beforeAll(async () => {
    page = await e2e.newPage({ viewport: { width: 1280, height: 720 } })
  })

  // A refused upload answers 413/422 on purpose: the browser logs the status, htmx swaps the notice.
  const unexpected = () => e2e.errors.filter((error) => !/status of 4(13|22)/.test(error))

  it("an operator sends an image that appears live with its preview; a renamed executable is refused with the reason", async () => {
    await e2e.signIn(page, "anna")
    await page.getByTestId("folder-mine").click()
    await page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" }).click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()

    await page.getByTestId("attach-file").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: png })
    await page.locator("form.attach input[name=text]").fill("The photo you asked for")
    await page.getByTestId("attach-send").click()
    const bubble = page.getByTestId("message").filter({ hasText: "The photo you asked for" })
    const preview = bubble.locator('img[alt="pixel.png"]')
    await preview.waitFor()
    await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1)
    expect(await page.getByTestId("attach-file").inputValue()).toBe("")

    // The browser claims image/png for it; the server reads the bytes.
    await page.getByTestId("attach-file").setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: exe })
    await page.getByTestId("attach-send").click()
    await expect.poll(() => page.getByTestId("notice-message").textContent()).toContain("application/x-msdownload, which is not allowed")
    expect(await page.getByTestId("message").locator('img[alt="cat.png"]').count()).toBe(0)
    expect(unexpected()).toEqual([])
  })
})
