import { describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The client card's configuration in a real browser (issue 22, CLI-02, CLI-04): the owner adds a
 * custom field of type list in the settings screen's "Client card" section, first without options
 * (the error shown at its field's path), then valid; an operator opens a client card, finds the
 * field where the configuration put it and fills it.
 */
const card = (options: ReadonlyArray<{ readonly value: string; readonly label: string }> | undefined) => JSON.stringify({
  fields: ["name", "custom:plan", "email", "notes", "manager", "tags", "channels", "dialogs"],
  customFields: [{ id: "plan", label: "Plan", type: "list", ...(options === undefined ? {} : { options }) }]
}, null, 2)

describe.skipIf(!runsInChromium)("the client card configuration in Chromium", () => {
  const e2e = useE2e()

  /** Errors other than the browser's log of the refusal the test asks for (the 422 of the invalid card). */
  const unexpected = () => e2e.errors.filter((error) => !/status of 422/.test(error))

  /** A page of its own context (its own cookies), signed in as `who`. */
  const signedIn = async (who: string) => e2e.signIn(await e2e.newPage({ viewport: { width: 1280, height: 900 } }), who)

  it("the owner adds a list field (an error at its field first, then valid); an operator fills it on a client card", async () => {
    const owner = await signedIn("olha")
    await owner.getByTestId("nav-settings").click()
    await owner.waitForURL(/\/panel\/settings$/)
    const section = () => owner.getByTestId("settings-clientCard")
    await section().locator('textarea[name="clientCard"]').fill(card(undefined))
    await section().getByTestId("save-clientCard").click()
    const error = section().locator('[data-testid="field-error"][data-path="customFields[0].options"]')
    await error.waitFor()
    expect(await error.textContent()).toContain("customFields[0].options")
    expect(await section().locator('textarea[name="clientCard"]').getAttribute("aria-invalid")).toBe("true")

    await section().locator('textarea[name="clientCard"]').fill(card([{ value: "pro", label: "Pro" }, { value: "team", label: "Team" }]))
    await section().getByTestId("save-clientCard").click()
    await section().getByTestId("saved").waitFor()
    await expect.poll(() => section().locator('[data-testid="field-error"]').count()).toBe(0)

    const operator = await signedIn("anna")
    await operator.getByTestId("folder-mine").click()
    // The list is Mine's only once the swap has pushed its address: a row clicked before is one of New's.
    await operator.waitForURL(/folder=mine/)
    await operator.getByTestId("dialog-row").first().click()
    await operator.getByTestId("client-card-link").click()
    await operator.waitForURL(/\/panel\/clients\//)
    const fields = await operator.locator('[data-testid="client-field"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-field")))
    expect(fields).toEqual(["name", "custom.plan", "email", "notes"])
    await operator.locator('select[name="custom.plan"]').selectOption("team")
    await operator.getByTestId("client-card").locator('form[action$="/profile"] button[type="submit"]').click()
    await operator.waitForURL(/\/panel\/clients\/[^/]+$/)
    await expect.poll(() => operator.locator('select[name="custom.plan"]').inputValue()).toBe("team")
    await operator.reload()
    expect(await operator.locator('select[name="custom.plan"]').inputValue()).toBe("team")
    expect(unexpected()).toEqual([])
  }, 60_000)
})
