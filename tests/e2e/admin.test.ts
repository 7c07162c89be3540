import type { Page } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The admin screens in a real browser (issue 22, acceptance 2, admin part): the owner creates a
 * skill group and an SLA calendar (first with an error shown at its field, then valid) and sees
 * the preview; then creates a user with a custom role, who can then do only what the role allows.
 */

const week = (mon: string) => JSON.stringify({
  calendar: { name: "Kyiv desk", timezone: "Europe/Kyiv", week: { mon: [["09:00", mon]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "17:00"]] } },
  policies: { policies: [{ name: "Urgent", priorities: ["high"], targets: { firstResponse: 15 } }], fallback: { name: "Default", targets: { firstResponse: 60 } } }
}, null, 2)

describe.skipIf(!runsInChromium)("admin screens in Chromium", () => {
  const e2e = useE2e({ apiToken: "e2e-api-token" })
  let page: Page

  /** Errors other than the browser's log of the refusals the test asks for (the 422 of the invalid calendar, the 403s). */
  const unexpected = () => e2e.errors.filter((error) => !/status of (422|403)/.test(error))

  beforeAll(async () => {
    page = await e2e.signIn(await e2e.newPage(), "olha")
  })

  it("the owner creates a skill group, then a calendar: an error at its field first, then a valid one with its seven-day preview", async () => {
    await page.getByTestId("nav-settings").click()
    await page.waitForURL(/\/panel\/settings$/)
    const groups = page.getByTestId("settings-skillGroups")
    await groups.locator('input[name="skillGroups[0].id"]').fill("billing")
    await groups.locator('input[name="skillGroups[0].topics"]').fill("delivery payment")
    await groups.getByTestId("save-skillGroups").click()
    await page.getByTestId("settings-skillGroups").getByTestId("saved").waitFor()
    await expect.poll(() => page.getByTestId("settings-skillGroups").locator('input[name="skillGroups[0].topics"]').inputValue()).toBe("delivery payment")

    await page.getByTestId("nav-sla").click()
    await page.waitForURL(/\/panel\/settings\/sla/)
    const editor = page.getByTestId("sla-editor").locator("textarea")
    await editor.fill(week("25:00"))
    await page.getByTestId("sla-check").click()
    const error = page.locator('[data-testid="field-error"][data-path="calendar.week.mon[0][1]"]')
    await error.waitFor()
    expect(await error.isVisible()).toBe(true)
    expect(await page.getByTestId("sla-editor").locator("textarea").getAttribute("aria-invalid")).toBe("true")

    await page.getByTestId("sla-editor").locator("textarea").fill(week("13:00"))
    await page.getByTestId("sla-check").click()
    await page.getByTestId("sla-preview").waitFor()
    await expect.poll(() => page.locator('[data-testid="field-error"]').count()).toBe(0)
    const days = await page.getByTestId("preview-day").allTextContents()
    expect(days).toHaveLength(7)
    expect(days.some((day) => day.includes("09:00–13:00"))).toBe(true)
    expect(await page.getByTestId("sla-preview").textContent()).toContain("Europe/Kyiv")
    await page.getByTestId("sla-save").click()
    await page.getByTestId("saved").waitFor()
    expect(await page.getByTestId("sla-policies").textContent()).toContain("Urgent")
    expect(unexpected()).toEqual([])
  }, 60_000)

  it("the owner creates a user with a custom role, who can then do only what the role allows", async () => {
    await page.getByTestId("nav-users").click()
    await page.waitForURL(/\/panel\/users/)
    const row = page.getByTestId("role-row").first()
    await row.locator('input[name="roles[0].id"]').fill("watcher")
    await row.locator('input[name="roles[0].name"]').fill("Watcher")
    await row.locator('input[name="roles[0].permissions"][value="operators.supervise"]').check()
    await page.getByTestId("save-roles").click()
    await page.waitForURL(/\/panel\/users/)
    const create = page.getByTestId("create-user")
    await create.locator('input[name="name"]').fill("Wanda")
    await create.locator('input[name="login"]').fill("wanda@example.com")
    await create.locator('input[name="password"]').fill("wanda's long passphrase")
    await create.locator('select[name="role"]').selectOption("custom:watcher")
    await create.locator('button[type="submit"]').click()
    await page.locator('[data-testid="user-row"]', { hasText: "wanda@example.com" }).waitFor()

    const wanda = await e2e.newPage()
    await wanda.goto(`${e2e.url}/login`)
    await wanda.locator('form.login-form input[name="login"]').fill("wanda@example.com")
    await wanda.locator('form.login-form input[name="password"]').fill("wanda's long passphrase")
    await wanda.locator('form.login-form button[type="submit"]').click()
    await wanda.waitForURL(/\/panel\/dialogs/)
    // The role allows the board, and nothing of the admin's.
    expect(await wanda.getByTestId("nav-board").count()).toBe(1)
    expect(await wanda.getByTestId("nav-settings").count()).toBe(0)
    expect(await wanda.getByTestId("nav-users").count()).toBe(0)
    await wanda.getByTestId("nav-board").click()
    await wanda.waitForURL(/\/panel\/board/)
    await wanda.getByTestId("board").waitFor()
    expect((await wanda.goto(`${e2e.url}/panel/users`))?.status()).toBe(403)
    expect((await wanda.goto(`${e2e.url}/panel/settings/sla`))?.status()).toBe(403)
    expect(unexpected()).toEqual([])
  }, 60_000)
})
