import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { chromium, type BrowserContext, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startServer, type RunningServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"

const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64")

/**
 * A dialog's attachments gallery (MSG-10), deleting many dialogs from the list (DLG-12) and
 * reopening a closed one, in a real browser: Anna sends an image and a file and finds them on the
 * gallery's two tabs; the owner selects all of New and deletes them; an operator has no
 * checkboxes; Anna closes a dialog and reopens it. Debian's Chromium; skipped locally without it, a failure on CI.
 */
const executablePath = "/usr/bin/chromium"
const hasChromium = existsSync(executablePath)
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false"

describe.skipIf(!hasChromium && !inCi)("gallery, bulk delete and reopen in Chromium", () => {
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
      viewport: { width: 1280, height: 900 },
      args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on("pageerror", (error) => errors.push(error.message))
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text())
    })
    page.on("dialog", (dialog) => void dialog.accept())
  })

  afterAll(async () => {
    await context?.close()
    await server?.close()
    for (const folder of [profile, files]) if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  })

  const signInAs = async (userId: string) => {
    await context.clearCookies()
    await page.goto(`${server.url}/login`)
    await page.getByTestId(`login-as-${userId}`).click()
    await page.waitForURL(/\/panel\/dialogs/)
  }

  it("Anna sends an image and a file; the gallery shows the image on its Images tab and the file on its Files tab", async () => {
    await signInAs("anna")
    await page.getByTestId("folder-mine").click()
    await page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" }).click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()
    await page.getByTestId("attach-file").setInputFiles({ name: "pixel.png", mimeType: "image/png", buffer: png })
    await page.getByTestId("attach-send").click()
    await page.getByTestId("message").locator('img[alt="pixel.png"]').waitFor()
    await page.getByTestId("attach-file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("order notes") })
    await page.getByTestId("attach-send").click()
    await page.getByTestId("message").filter({ hasText: "notes.txt" }).waitFor()

    await page.locator(".gallery-box summary").click()
    const gallery = page.getByTestId("gallery")
    await gallery.waitFor()
    expect(await gallery.getAttribute("data-tab")).toBe("images")
    const image = gallery.getByTestId("gallery-item").locator('img[alt="pixel.png"]')
    await image.waitFor()
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(1)
    expect(await gallery.getByTestId("gallery-item").count()).toBe(1)
    await page.getByTestId("gallery-tab-files").click()
    await page.locator('[data-testid="gallery"][data-tab="files"]').waitFor()
    expect(await page.getByTestId("gallery-item").allTextContents()).toEqual([expect.stringContaining("notes.txt")])
    expect(errors).toEqual([])
  })

  it("an operator has no select boxes; the owner selects all of New and deletes them, and the list is empty", async () => {
    await signInAs("anna")
    await page.getByTestId("dialog-row").first().waitFor()
    expect(await page.getByTestId("select-all").count()).toBe(0)
    expect(await page.getByTestId("select-row").first().isVisible()).toBe(false)

    await signInAs("olha")
    const rows = page.getByTestId("dialog-row")
    await rows.first().waitFor()
    expect(await rows.count()).toBeGreaterThan(1)
    await page.getByTestId("select-all").check()
    expect(await page.locator('[data-testid="select-row"]:checked').count()).toBe(await rows.count())
    await page.getByTestId("bulk-delete").click()
    await page.getByTestId("list-empty").waitFor()
    expect(await rows.count()).toBe(0)
    await page.reload()
    await page.getByTestId("list-empty").waitFor()
    expect(errors).toEqual([])
  })

  it("Anna closes her dialog and reopens it: the composer is back", async () => {
    await signInAs("anna")
    await page.getByTestId("folder-mine").click()
    await page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" }).click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()
    await page.getByTestId("close").click()
    await page.locator('[data-testid="dialog-view"][data-status="closed"]').waitFor()
    expect(await page.getByTestId("composer").count()).toBe(0)
    await page.getByTestId("reopen").click()
    await page.locator('[data-testid="dialog-view"][data-status="active"]').waitFor()
    await page.getByTestId("composer").waitFor()
    expect(errors).toEqual([])
  })
})
