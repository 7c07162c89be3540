import { readFileSync } from "node:fs"
import { runInNewContext } from "node:vm"
import { describe, expect, it } from "vitest"
import { I18n } from "../src/index.js"

/**
 * The widget's loader script (`static/widget/widget.js`) on a host page, without a browser: the
 * script runs against a stand-in page (its button and frame are plain objects, the settings request
 * answers what a test says, timers run when the test runs them). What is checked is what a visitor
 * meets: whether there is a chat button, and its name as a screen reader says it.
 */

const source = readFileSync(new URL("../src/static/widget/widget.js", import.meta.url), "utf8")
const origin = "https://switchboard.example"

interface Element {
  readonly tag: string
  readonly attributes: Record<string, string>
  readonly listeners: Record<string, () => void>
  readonly style: Record<string, string>
  readonly contentWindow: { postMessage: () => void }
  textContent: string
  title: string
}

/** The settings endpoint's labels for `language`, as the server builds them from the catalog (server/test/Widget.test.ts checks the server's). */
const labelsFor = (language: I18n.InterfaceLanguage) => {
  const { launcher, frameTitle } = I18n.catalogs[language].widget
  const unread = Object.fromEntries(Object.entries(launcher).flatMap(([key, text]) => (key.startsWith("openUnread_") ? [[key.slice("openUnread_".length), text]] : [])))
  return { open: launcher.open, close: launcher.close, frame: frameTitle, locale: I18n.intlLocales[language], unread }
}

type Answer = { readonly ok: boolean; readonly status: number; readonly json: () => Promise<unknown> } | "offline"

/** A page in `lang` with the widget's tag; `answers` are the settings endpoint's answers, in turn. */
const page = (lang: string, answers: Array<Answer>) => {
  const appended: Array<Element> = []
  const timers: Array<() => void> = []
  const windowListeners: Record<string, (event: unknown) => void> = {}
  const requests: Array<string> = []
  const element = (tag: string): Element => {
    const attributes: Record<string, string> = {}
    const listeners: Record<string, () => void> = {}
    return {
      tag,
      attributes,
      listeners,
      style: {},
      contentWindow: { postMessage: () => undefined },
      textContent: "",
      title: "",
      setAttribute: (name: string, value: string) => {
        attributes[name] = value
      },
      addEventListener: (type: string, listener: () => void) => {
        listeners[type] = listener
      }
    } as Element
  }
  const window: Record<string, unknown> = {
    addEventListener: (type: string, listener: (event: unknown) => void) => {
      windowListeners[type] = listener
    }
  }
  const document = {
    currentScript: { src: `${origin}/assets/widget.js`, dataset: { channel: "website" } },
    documentElement: { lang },
    body: { appendChild: (child: Element) => appended.push(child) },
    createElement: element,
    addEventListener: () => undefined
  }
  const fetch = (url: string) => {
    requests.push(url)
    const answer = answers.shift() ?? "offline"
    return answer === "offline" ? Promise.reject(new TypeError("Failed to fetch")) : Promise.resolve(answer)
  }
  const setTimeout = (run: () => void) => timers.push(run)
  runInNewContext(source, { window, document, location: { href: "https://shop.example/" }, navigator: { language: "en-US" }, fetch, setTimeout, URL })
  const launcher = () => appended.find((child) => child.tag === "button")
  const frame = () => appended.find((child) => child.tag === "iframe")
  return {
    appended,
    requests,
    launcher,
    frame,
    /** The requests' and the script's promises settled. */
    settle: () => new Promise((resolve) => setImmediate(resolve)),
    /** Run the timers set so far (the retries). */
    runTimers: () => timers.splice(0).forEach((run) => run()),
    pendingTimers: () => timers.length,
    /** The host page's `window.Switchboard` (open, close, setUser…). */
    api: () => window["Switchboard"] as { readonly open: () => void; readonly close: () => void },
    /** The frame tells the page a reply came while the chat is closed. */
    reply: () => windowListeners["message"]!({ origin, source: frame()!.contentWindow, data: { type: "switchboard:unread" } })
  }
}

const settings = (language: I18n.InterfaceLanguage): Answer => ({ ok: true, status: 200, json: () => Promise.resolve({ colour: "#2563eb", position: "right", labels: labelsFor(language) }) })

/** Every text the page shows or says of the widget: the button's name and text, the frame's title. */
const texts = (appended: ReadonlyArray<Element>) => appended.flatMap((child) => [child.textContent, child.title, child.attributes["aria-label"] ?? ""]).join(" | ")

describe("the widget's launcher", () => {
  it("says how many replies wait unread in its name, in the page's language with its plural forms", async () => {
    const ukrainian = page("uk", [settings("uk")])
    await ukrainian.settle()
    expect(ukrainian.requests).toEqual([`${origin}/widget/v1/channels/website/settings?lang=uk`])
    const launcher = ukrainian.launcher()!
    expect(launcher.attributes["aria-label"]).toBe("Відкрити чат")
    const names: Record<number, string> = {}
    for (let count = 1; count <= 22; count++) {
      ukrainian.reply()
      names[count] = launcher.attributes["aria-label"]!
    }
    expect(launcher.textContent).toBe("💬 22")
    expect([names[1], names[2], names[5], names[11], names[21], names[22]]).toEqual([
      "Відкрити чат, 1 непрочитане повідомлення",
      "Відкрити чат, 2 непрочитані повідомлення",
      "Відкрити чат, 5 непрочитаних повідомлень",
      "Відкрити чат, 11 непрочитаних повідомлень",
      "Відкрити чат, 21 непрочитане повідомлення",
      "Відкрити чат, 22 непрочитані повідомлення"
    ])
    // Opened, the replies are read: the button closes the chat, and names no count when closed again.
    launcher.listeners["click"]!()
    expect(launcher.attributes["aria-label"]).toBe("Закрити чат")
    launcher.listeners["click"]!()
    expect(launcher.attributes["aria-label"]).toBe("Відкрити чат")

    const english = page("en", [settings("en")])
    await english.settle()
    english.reply()
    expect(english.launcher()!.attributes["aria-label"]).toBe("Open chat, 1 unread message")
    english.reply()
    expect(english.launcher()!.attributes["aria-label"]).toBe("Open chat, 2 unread messages")
  })

  it("past 99 unread replies says 99+, on the button and in its name", async () => {
    const english = page("en", [settings("en")])
    await english.settle()
    for (let count = 1; count <= 99; count++) english.reply()
    expect([english.launcher()!.textContent, english.launcher()!.attributes["aria-label"]]).toEqual(["💬 99", "Open chat, 99 unread messages"])
    english.reply()
    english.reply()
    expect([english.launcher()!.textContent, english.launcher()!.attributes["aria-label"]]).toEqual(["💬 99+", "Open chat, 99+ unread messages"])
  })

  it("opens the chat when the page asked for it before the launcher was there (its settings still being read)", async () => {
    const english = page("en", ["offline", settings("en")])
    await english.settle()
    english.api().open()
    english.runTimers()
    await english.settle()
    expect(english.frame()!.style["display"]).toBe("block")
    expect(english.launcher()!.attributes["aria-expanded"]).toBe("true")
    english.api().close()
    expect(english.frame()!.style["display"]).toBe("none")
  })

  it("is not shown, in English or any language, until the settings with its names are read; a failed read is tried again", async () => {
    const ukrainian = page("uk", ["offline", { ok: false, status: 503, json: () => Promise.resolve({}) }, settings("uk")])
    await ukrainian.settle()
    expect(ukrainian.appended).toEqual([])
    ukrainian.runTimers()
    await ukrainian.settle()
    expect(ukrainian.appended).toEqual([])
    ukrainian.runTimers()
    await ukrainian.settle()
    expect(ukrainian.requests).toHaveLength(3)
    expect(ukrainian.launcher()!.attributes["aria-label"]).toBe("Відкрити чат")
    expect(ukrainian.frame()!.title).toBe("Чат")
    expect(texts(ukrainian.appended)).not.toMatch(/[A-Za-z]{3}/)
    expect(ukrainian.pendingTimers()).toBe(0)
  })

  it("gives up on an unknown channel at once, and on an unreachable server after a few tries", async () => {
    const unknown = page("uk", [{ ok: false, status: 404, json: () => Promise.resolve({ error: "UnknownChannel" }) }])
    await unknown.settle()
    expect([unknown.appended, unknown.pendingTimers()]).toEqual([[], 0])
    const offline = page("uk", [])
    for (let turn = 0; turn < 20 && (turn === 0 || offline.pendingTimers() > 0); turn++) {
      offline.runTimers()
      await offline.settle()
    }
    expect(offline.requests).toHaveLength(8)
    expect([offline.appended, offline.pendingTimers()]).toEqual([[], 0])
  })
})
