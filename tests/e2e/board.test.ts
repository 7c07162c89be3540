import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { Effect } from "effect"
import { Access, Engine, Operator, UserId } from "@switchboard/core"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The supervisor board in a real browser (issue 22): Sue watches the board while Anna goes on
 * break; the board shows it without a reload. Then Sue sets Boris to lunch and sends Anna's
 * dialogs back to the queue from the board itself. Debian's Chromium, as in panel.test.ts.
 */

describe.skipIf(!runsInChromium)("supervisor board in Chromium", () => {
  const e2e = useE2e({ apiToken: "e2e-api-token" })
  const { errors } = e2e
  let page: Page

  beforeAll(async () => {
    page = await e2e.signIn(await e2e.newPage(), "sue")
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
    await e2e.server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.operator(anna, new Operator.SetStatus({ userId: anna.id, statusId: "break" }))))
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
