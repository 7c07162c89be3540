import { existsSync } from "node:fs"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { Access, Engine, Operator, UserId } from "@switchboard/core"
import { startServer, type RunningServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"

/**
 * The supervisor board in a real browser (issue 22): Sue watches the board while Anna goes on
 * break; the board shows it without a reload. Then Sue sets Boris to lunch and sends Anna's
 * dialogs back to the queue from the board itself. Debian's Chromium, as in panel.test.ts.
 */
const executablePath = "/usr/bin/chromium"
const hasChromium = existsSync(executablePath)
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false"
if (!hasChromium && !inCi) console.warn(`Skipping the browser test: ${executablePath} is missing (apt-get install -y chromium).`)

describe.skipIf(!hasChromium && !inCi)("supervisor board in Chromium", () => {
  let server: RunningServer
  let browser: Browser
  let page: Page
  const errors: Array<string> = []

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`CI is set but ${executablePath} is missing: install Debian's chromium`)
    server = await startServer({ port: 0, storage: memoryStorage, apiToken: "e2e-api-token" })
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    page.on("pageerror", (error) => errors.push(error.message))
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(`${message.text()} ${message.location().url}`)
    })
    await page.goto(`${server.url}/login`)
    await page.getByTestId("login-as-sue").click()
    await page.waitForURL(/\/panel\/dialogs/)
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const row = (id: string) => page.locator(`[data-testid="board-operator"][data-operator-id="${id}"]`)

  it("a supervisor sees an operator go on break live, then sets a status and redistributes from the board", async () => {
    await page.getByTestId("nav-board").click()
    await page.waitForURL(/\/panel\/board/)
    await expect.poll(() => row("anna").getAttribute("data-status")).toBe("online")
    // The page has named its stream: the board is pushed to it from now on.
    await page.waitForFunction(() => document.body.dataset["liveStream"] !== undefined)
    await page.evaluate(() => {
      document.body.dataset["sameDocument"] = "yes"
    })
    // Give the watch request its moment: the push it triggers carries the board as it is.
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-testid="board-as-of"]')?.textContent ?? "")).not.toBe("")

    const anna = new Access.UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })
    await server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.operator(anna, new Operator.SetStatus({ userId: anna.id, statusId: "break" }))))
    await expect.poll(() => row("anna").getAttribute("data-status"), { timeout: 15_000 }).toBe("break")
    await expect.poll(() => row("anna").getByTestId("board-status").textContent()).toBe("Break")

    // From the board: Boris to lunch, Anna's dialogs back to the queue.
    await row("boris").getByTestId("operator-status").selectOption("lunch")
    await row("boris").getByTestId("set-status").click()
    await expect.poll(() => row("boris").getAttribute("data-status"), { timeout: 15_000 }).toBe("lunch")
    const held = Number(await row("anna").getByTestId("board-dialog-count").textContent())
    expect(held).toBeGreaterThan(0)
    await row("anna").getByTestId("redistribute").click()
    await expect.poll(() => row("anna").getByTestId("board-dialog-count").textContent(), { timeout: 15_000 }).toBe("0")

    expect(await page.evaluate(() => document.body.dataset["sameDocument"])).toBe("yes")
    expect(errors).toEqual([])
  }, 60_000)
})
