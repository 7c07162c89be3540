import type { Page } from "playwright-core"
import { beforeEach, describe, expect, it } from "vitest"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * The composer in a real browser (issue 21 "Composer"; MSG-08, MSG-11, PRD-01): a quick reply
 * found by typing `/`, its variables filled by the server, sent, and received by the client in the
 * web widget; Ctrl+Enter sends while Enter is a new line (and the other way round once chosen on
 * the account page); the emoji picker, served from our own assets under the page's CSP, puts an
 * emoji at the caret. Any console error (a CSP violation included) fails a test. Debian's
 * Chromium; skipped locally without it, a failure on CI.
 */

describe.skipIf(!runsInChromium)("the composer in Chromium", () => {
  const e2e = useE2e()
  const { errors } = e2e

  beforeEach(() => {
    errors.length = 0
  })

  /** A page in a browser context of its own (its own cookies), its errors named `name`. */
  const newPage = (name: string) => e2e.newPage({ name, viewport: { width: 1280, height: 900 } })
  const signInAs = (page: Page, user: string) => e2e.signIn(page, user)

  /** Anna in one of her demo dialogs (Telegram), the composer empty. */
  const annaInADialog = async (page: Page) => {
    await signInAs(page, "anna")
    await page.getByTestId("folder-mine").click()
    await page.getByTestId("dialog-row").filter({ hasText: "Olena Shevchenko" }).click()
    await page.getByTestId("dialog-view").filter({ hasText: "Olena Shevchenko" }).waitFor()
    return page.getByTestId("composer-text")
  }

  it("a quick reply found by typing / has its variables filled in, is sent, and the client receives the text", async () => {
    const client = await newPage("client")
    await client.goto(`${e2e.url}/demo/widget`)
    await client.getByTestId("widget-launcher").click()
    const widget = client.frameLocator('[data-testid="widget-frame"]')
    await widget.getByTestId("widget-text").fill("Hi, where is my order?")
    await widget.getByTestId("widget-send").click()
    await widget.locator('[data-testid="widget-message"][data-author="visitor"]').filter({ hasText: "where is my order" }).waitFor()

    const operator = await newPage("operator")
    await signInAs(operator, "anna")
    // Anna adds a personal quick reply on the management page.
    await operator.goto(`${e2e.url}/panel/quick-replies`)
    const form = operator.getByTestId("quick-reply-form")
    await form.locator("input[name=category]").fill("Orders")
    await form.locator("input[name=title]").fill("Order on its way")
    await form.locator("textarea[name=text]").fill("Hello {{client_name}}, this is {{operator_name}}: your order left the warehouse today.")
    await form.locator("button[type=submit]").click()
    await operator.getByTestId("quick-reply").filter({ hasText: "Order on its way" }).waitFor()

    await operator.goto(`${e2e.url}/panel/dialogs?folder=new`)
    await operator.getByTestId("dialog-row").filter({ hasText: "where is my order" }).click()
    await operator.getByTestId("dialog-view").filter({ hasText: "where is my order" }).waitFor()
    await operator.getByTestId("accept").click()
    const clientName = (await operator.locator(".pane-header h2").textContent())!.trim()
    const composer = operator.getByTestId("composer-text")
    await composer.click()
    await composer.pressSequentially("/ord")
    const choice = operator.getByTestId("quick-reply-choice").filter({ hasText: "Order on its way" })
    await choice.waitFor()
    await composer.press("Enter")
    const filled = `Hello ${clientName}, this is Anna: your order left the warehouse today.`
    await expect.poll(() => composer.inputValue()).toBe(filled)
    expect(await operator.getByTestId("quick-reply-choice").count()).toBe(0)
    await composer.press("Control+Enter")

    await operator.getByTestId("message").filter({ hasText: filled }).waitFor()
    await widget.locator('[data-testid="widget-message"][data-author="operator"]').filter({ hasText: filled }).waitFor()
    await operator.close()
    expect(errors).toEqual([])
  })

  it("Enter is a new line and Ctrl+Enter sends; once Enter is chosen on the account page, Enter sends and Shift+Enter is a new line", async () => {
    const page = await newPage("anna")
    const composer = await annaInADialog(page)
    await composer.click()
    await composer.pressSequentially("First line")
    await composer.press("Enter")
    await composer.pressSequentially("second line")
    expect(await composer.inputValue()).toBe("First line\nsecond line")
    expect(await page.getByTestId("message").filter({ hasText: "second line" }).count()).toBe(0)
    await composer.press("Control+Enter")
    await page.getByTestId("message").filter({ hasText: "second line" }).waitFor()
    await expect.poll(() => composer.inputValue()).toBe("")

    await page.goto(`${e2e.url}/panel/account`)
    await page.getByTestId("send-key-enter").check()
    await page.getByTestId("signature").fill("Anna, Switchboard support")
    await page.getByTestId("composer-preferences").locator("button[type=submit]").click()
    await page.getByTestId("composer-preferences-notice").filter({ hasText: "Composer settings saved." }).waitFor()

    const again = await annaInADialog(page)
    await again.click()
    await again.pressSequentially("Thanks for waiting")
    await again.press("Shift+Enter")
    await again.pressSequentially("we are on it")
    expect(await again.inputValue()).toBe("Thanks for waiting\nwe are on it")
    // The counter counts the signature too (characters without spaces).
    await expect.poll(() => page.getByTestId("composer-counter").textContent()).toBe(`${"Thanksforwaitingweareonit".length + "Anna,Switchboardsupport".length} / 2000`)
    await again.press("Enter")
    const sent = page.getByTestId("message").filter({ hasText: "we are on it" })
    await sent.waitFor()
    expect(await sent.locator(".text").textContent()).toBe("Thanks for waiting\nwe are on it\n\nAnna, Switchboard support")
    await page.close()
    expect(errors).toEqual([])
  })

  it("an image pasted into the text, or a file dropped on the composer, is sent as an attachment and the image previewed", async () => {
    const page = await newPage("anna")
    const composer = await annaInADialog(page)
    const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    await composer.evaluate((text: HTMLTextAreaElement, base64: string) => {
      const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0))
      const transfer = new DataTransfer()
      transfer.items.add(new File([bytes], "pasted.png", { type: "image/png" }))
      text.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }))
    }, png)
    const preview = page.getByTestId("message").locator('img[alt="pasted.png"]')
    await preview.waitFor()
    await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1)
    expect(await composer.inputValue()).toBe("")
    await page.getByTestId("composer").evaluate((form: HTMLFormElement) => {
      const transfer = new DataTransfer()
      transfer.items.add(new File(["order #1042"], "order.txt", { type: "text/plain" }))
      form.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }))
    })
    await page.getByTestId("message").locator('a[download="order.txt"]').waitFor()
    await page.close()
    expect(errors).toEqual([])
  })

  it("the emoji picker, from our own assets within the CSP, puts an emoji at the caret", async () => {
    const page = await newPage("anna")
    const outside: Array<string> = []
    page.on("request", (request) => {
      if (!request.url().startsWith(e2e.url) && !request.url().startsWith("data:")) outside.push(request.url())
    })
    const composer = await annaInADialog(page)
    await composer.fill("Thank you for your patience")
    // The caret after "Thank you".
    await composer.evaluate((text: HTMLTextAreaElement) => text.setSelectionRange(9, 9))
    await page.getByTestId("emoji-button").click()
    const picker = page.locator("emoji-picker")
    await picker.waitFor()
    const emoji = picker.locator('button[role="menuitem"]').filter({ hasText: "😀" }).first()
    await emoji.waitFor({ timeout: 20_000 })
    await emoji.click()
    await expect.poll(() => composer.inputValue()).toBe("Thank you😀 for your patience")
    expect(outside).toEqual([])
    await page.close()
    expect(errors).toEqual([])
  })
})
