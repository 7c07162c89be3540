import type { FileChooser, Page } from "playwright-core"
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

    // The file is chosen with the form's own button (its label; the browser's control is hidden),
    // which names the input and opens the browser's file chooser.
    expect(await page.getByTestId("attach-choose").textContent()).toContain("Choose a file")
    expect(await page.getByTestId("attach-file-name").textContent()).toBe("No file chosen")
    expect(await page.getByLabel("Choose a file").getAttribute("data-testid")).toBe("attach-file")
    // Send file with no file is stopped by the browser, which focuses the (hidden) input, near its button.
    await page.getByTestId("attach-send").click()
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("attach-file")
    const [input, button] = await Promise.all([page.getByTestId("attach-file").boundingBox(), page.getByTestId("attach-choose").boundingBox()])
    expect(Math.abs(input!.y - button!.y)).toBeLessThan(60)
    // One listener for the test: Playwright intercepts the browser's file chooser only while one is registered.
    const choosers: Array<FileChooser> = []
    page.on("filechooser", (chooser) => choosers.push(chooser))
    await page.getByTestId("attach-choose").click()
    await expect.poll(() => choosers.length).toBe(1)
    await choosers[0]!.setFiles({ name: "pixel.png", mimeType: "image/png", buffer: png })
    await expect.poll(() => page.getByTestId("attach-file-name").textContent()).toBe("pixel.png")
    await page.locator("form.attach input[name=text]").fill("The photo you asked for")
    await page.getByTestId("attach-send").click()
    const bubble = page.getByTestId("message").filter({ hasText: "The photo you asked for" })
    const preview = bubble.locator('img[alt="pixel.png"]')
    await preview.waitFor()
    await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1)
    expect(await page.getByTestId("attach-file").inputValue()).toBe("")
    expect(await page.getByTestId("attach-file-name").textContent()).toBe("No file chosen")

    // By keyboard: the hidden input takes the focus (from the caption, back one), its button shows the
    // focus ring, and Space opens the file chooser.
    await page.locator("form.attach input[name=text]").focus()
    await page.keyboard.press("Shift+Tab")
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("attach-file")
    const ring = await page.getByTestId("attach-choose").evaluate((label) => {
      const style = getComputedStyle(label)
      return `${style.outlineStyle} ${style.outlineWidth}`
    })
    expect(ring).toBe("solid 3px")
    await page.keyboard.press("Space")
    await expect.poll(() => choosers.length).toBe(2)
    await choosers[1]!.setFiles([])

    // The browser claims image/png for it; the server reads the bytes.
    await page.getByTestId("attach-file").setInputFiles({ name: "cat.png", mimeType: "image/png", buffer: exe })
    await page.getByTestId("attach-send").click()
    await expect.poll(() => page.getByTestId("notice-message").textContent()).toContain("application/x-msdownload, which is not allowed")
    expect(await page.getByTestId("message").locator('img[alt="cat.png"]').count()).toBe(0)
    expect(unexpected()).toEqual([])
  })
})
