import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer, type RunningServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"

/**
 * Sending a file from the panel in a real browser (MSG-06): the composer's attach form posts
 * multipart through htmx, the message arrives in the history live with the image's preview
 * (served by the download route, within the page's CSP), and a renamed executable is refused in
 * the notice area. Debian's Chromium; skipped locally without it, a failure on CI.
 */
const executablePath = "/usr/bin/chromium"
const hasChromium = existsSync(executablePath)
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false"

const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64")
const exe = Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, ...new Array(112).fill(0)])

describe.skipIf(!hasChromium && !inCi)("attachments in Chromium", () => {
  let server: RunningServer
  let context: BrowserContext
  let page: Page
  let profile: string
  let files: string
  const errors: Array<string> = []

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI is set but ${executablePath} is missing: install Debian's chromium`)
    files = mkdtempSync(join(tmpdir(), "switchboard-e2e-files-"))
    server = await startServer({ port: 0, storage: memoryStorage, files: { directory: files } })
    profile = mkdtempSync(join(tmpdir(), "switchboard-e2e-"))
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on("pageerror", (error) => errors.push(error.message))
    page.on("console", (message) => {
      // A refused upload answers 413/422 on purpose: the browser logs the status, htmx swaps the notice.
      if (message.type() === "error" && !/status of 4(13|22)/.test(message.text())) errors.push(message.text())
    })
  })

  afterAll(async () => {
    await context?.close()
    await server?.close()
    for (const folder of [profile, files]) if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  })

  it("an operator sends an image that appears live with its preview; a renamed executable is refused with the reason", async () => {
    await page.goto(`${server.url}/login`)
    await page.getByTestId("login-as-anna").click()
    await page.waitForURL(/\/panel\/dialogs/)
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
    expect(errors).toEqual([])
  })
})
