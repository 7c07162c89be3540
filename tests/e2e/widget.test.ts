import { Effect } from "effect"
import type { FrameLocator } from "playwright-core"
import { beforeAll, describe, expect, it } from "vitest"
import { Access, ConfigStore, DialogId, Engine, Settings } from "@switchboard/core"
import { axeViolations } from "./support/axe.js"
import { runsInChromium, useE2e } from "./support/e2e.js"

/**
 * Acceptance 6 of issue 20 in a real browser (Debian's Chromium): a client writes in the widget's
 * demo page, the operator answers in the panel (another browser), the client sees it live and the reply
 * is marked delivered; the widget's connection is cut and resumed with nothing lost or repeated;
 * the client answers "No" to "any more questions?" and rates the dialog.
 */

describe.skipIf(!runsInChromium)("web widget in Chromium", () => {
  const e2e = useE2e()
  const { errors } = e2e

  beforeAll(async () => {
    // DLG-15 and DLG-16 on for this company: closing asks "any more questions?", then the rating.
    await e2e.server.runtime.runPromise(Effect.gen(function* () {
      const settings = yield* (yield* ConfigStore).getSettings()
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...settings, anyMoreQuestions: true, mandatoryRating: true }))
    }))
  })

  const widgetMessage = (widget: FrameLocator, author: string, text: string) =>
    widget.locator(`[data-testid="widget-message"][data-author="${author}"]`).filter({ hasText: text })

  it("a client chats with an operator live, survives a cut connection, answers No and rates the dialog", async () => {
    // The client's browser: every frame's EventSources kept, so the test can cut the widget's stream (the widget's frame included).
    const client = await e2e.newPage({ name: "client" })
    await client.context().addInitScript(() => {
      const Native = window.EventSource
      const sources: Array<EventSource> = []
      window.EventSource = class extends Native { constructor(...args: ConstructorParameters<typeof EventSource>) { super(...args); sources.push(this) } }
      Object.assign(window, { sources })
    })
    await client.goto(`${e2e.url}/demo/widget`)
    // The launcher is named in the widget's language (English here), for both its states.
    const launcher = client.getByTestId("widget-launcher")
    await expect.poll(() => launcher.getAttribute("aria-label")).toBe("Open chat")
    await launcher.click()
    expect(await launcher.getAttribute("aria-label")).toBe("Close chat")
    const widget = client.frameLocator('[data-testid="widget-frame"]')
    await widget.getByTestId("widget-greeting").filter({ hasText: "Hi!" }).waitFor()
    await widget.getByTestId("widget-text").fill("Hello! Do you ship to Kyiv? <b>asap</b>")
    await widget.getByTestId("widget-send").click()
    const own = widgetMessage(widget, "visitor", "Do you ship to Kyiv? <b>asap</b>")
    await own.waitFor()
    // Escaped, never interpreted: the text shows its tags as text.
    expect(await widget.locator("b").count()).toBe(0)

    // The operator, in another browser: Anna finds the new dialog, accepts it and answers.
    const operator = await e2e.newPage({ name: "operator" })
    await e2e.signIn(operator, "anna")
    await operator.getByTestId("folder-new").click()
    await operator.getByTestId("dialog-row").filter({ hasText: "Do you ship to Kyiv?" }).click()
    await operator.getByTestId("dialog-view").filter({ hasText: "Do you ship to Kyiv?" }).waitFor()
    await operator.getByTestId("accept").click()
    const composer = operator.getByTestId("composer-text")
    await composer.fill("Yes, we do: 2 days to Kyiv.")
    await composer.press("Control+Enter")

    // The client sees the reply live; the panel shows it delivered (read, once the open widget showed it).
    await widgetMessage(widget, "operator", "Yes, we do: 2 days to Kyiv.").waitFor()
    const reply = operator.getByTestId("message").filter({ hasText: "Yes, we do: 2 days to Kyiv." })
    await reply.locator('[data-delivery="delivered"], [data-delivery="read"]').waitFor()
    // And the client's own message is marked read once Anna opened it.
    await own.locator('[data-testid="widget-status"][data-status="read"]').waitFor()

    // The widget's connection fails for good; Anna writes meanwhile; the widget reopens it where it left off.
    const frame = client.frames().find((candidate) => candidate.url().includes("/widget/v1/frame"))!
    const before = await frame.evaluate(() => (window as unknown as { sources: Array<EventSource> }).sources.length)
    await frame.evaluate(() => {
      const source = (window as unknown as { sources: Array<EventSource> }).sources.at(-1)!
      source.close()
      source.onerror?.call(source, new Event("error"))
    })
    await composer.fill("Sent while your connection was down")
    await composer.press("Control+Enter")
    await operator.getByTestId("message").filter({ hasText: "Sent while your connection was down" }).waitFor()
    await widgetMessage(widget, "operator", "Sent while your connection was down").waitFor()
    const resumed = await frame.evaluate(() => (window as unknown as { sources: Array<EventSource> }).sources.map((source) => source.url))
    expect(resumed).toHaveLength(before + 1)
    expect(new URL(resumed.at(-1)!).searchParams.get("after")).toMatch(/^\d+$/)
    for (const text of ["Do you ship to Kyiv?", "Yes, we do: 2 days to Kyiv.", "Sent while your connection was down"]) {
      expect(await widget.getByTestId("widget-message").filter({ hasText: text }).count()).toBe(1)
    }

    // The client sends a photo with the attach button: the operator sees its preview in the dialog,
    // the widget shows it too (downloaded with the visitor's token).
    /**
     * The image's width once the browser loaded it (-1 while loading, 0 when it failed): a preview
     * that shows, not just a tag. Polled through the locator, because a live update may re-render
     * the bubble and replace the element (waiting on the old one's load event could hang).
     */
    const loadedWidth = (image: HTMLImageElement) => (image.complete ? image.naturalWidth : -1)
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64")
    await widget.getByTestId("widget-file").setInputFiles({ name: "parcel.png", mimeType: "image/png", buffer: png })
    const preview = operator.getByTestId("message").locator('img[alt="parcel.png"]')
    await preview.waitFor()
    expect(await preview.getAttribute("src")).toMatch(/^\/panel\/files\/[A-Za-z0-9_-]+$/)
    await expect.poll(() => preview.evaluate(loadedWidth), { timeout: 30_000 }).toBe(1)
    const shown = widget.getByTestId("widget-attachment").locator('img[alt="parcel.png"]')
    await shown.waitFor()
    await expect.poll(() => shown.evaluate(loadedWidth), { timeout: 30_000 }).toBe(1)

    // The client closes the chat and Anna writes again: the button's badge shows the unread reply,
    // and its name (what a screen reader says) counts it too; opened again, the reply is there.
    await launcher.click()
    await composer.fill("Anything else I can help with?")
    await composer.press("Control+Enter")
    await expect.poll(() => launcher.getAttribute("aria-label")).toBe("Open chat, 1 unread message")
    expect(await launcher.textContent()).toBe("💬 1")
    await launcher.click()
    expect(await launcher.getAttribute("aria-label")).toBe("Close chat")
    await widgetMessage(widget, "operator", "Anything else I can help with?").waitFor()

    // Anna closes: the client is asked "any more questions?", answers No, and rates the dialog.
    await operator.getByTestId("close").click()
    await widget.getByTestId("widget-no").click()
    await widget.getByTestId("widget-rate-5").click()
    await widget.getByTestId("widget-prompt").waitFor({ state: "hidden" })
    const dialogId = await operator.getByTestId("dialog-view").getAttribute("data-dialog-id")
    await widgetMessage(widget, "visitor", "★★★★★").waitFor()
    await operator.reload()
    await operator.getByTestId("dialog-status").filter({ hasText: "Closed" }).waitFor()
    const rated = await e2e.server.runtime.runPromise(Effect.flatMap(Engine, (engine) => engine.dialog(Access.system, DialogId.make(dialogId!))))
    expect([rated.status, rated.rating._tag === "Some" ? rated.rating.value : null]).toEqual(["closed", 5])
    expect(errors).toEqual([])
  })

  it("a Ukrainian page's widget names its launcher and its frame in Ukrainian, from the server's catalog", async () => {
    const client = await e2e.newPage({ name: "Ukrainian client", locale: "uk-UA" })
    await client.goto(`${e2e.url}/demo/widget`)
    expect(await client.evaluate(() => document.documentElement.lang)).toBe("uk")
    await client.getByRole("button", { name: "Відкрити чат" }).click()
    const launcher = client.getByTestId("widget-launcher")
    expect(await launcher.getAttribute("aria-expanded")).toBe("true")
    expect(await launcher.getAttribute("aria-label")).toBe("Закрити чат")
    expect(await client.getByTestId("widget-frame").getAttribute("title")).toBe("Чат")
    await client.frameLocator('[data-testid="widget-frame"]').getByTestId("widget-text").waitFor()
    expect(await axeViolations(client)).toEqual([])
    await client.getByRole("button", { name: "Закрити чат" }).click()
    await client.getByRole("button", { name: "Відкрити чат" }).waitFor()
    expect(errors).toEqual([])
  })
})
