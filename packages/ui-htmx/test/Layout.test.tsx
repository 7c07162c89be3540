import { describe, expect, it } from "vitest"
import { Contract, Document, PanelShell, Sidebar } from "../src/index.js"
import { chrome, hostile, html, one, render, textOf } from "./helpers.js"

describe("the document", () => {
  it("is standards mode, and htmx reads its settings from the page: same-origin requests only, rejections (413 too) swapped", async () => {
    const markup = await html(<Document title="Switchboard"><p>hi</p></Document>)
    expect(markup.startsWith("<!DOCTYPE html>")).toBe(true)
    const config = JSON.parse((await render(<Document title="t" />)).querySelector('meta[name="htmx-config"]')!.getAttribute("content")!)
    expect(config.selfRequestsOnly).toBe(true)
    expect(config.allowEval).toBe(false)
    expect(config.responseHandling).toContainEqual({ code: "(400|404|409|413|422)", swap: true, error: false })
  })

  it("sends the CSRF token with every htmx request of a signed-in page, and none without one", async () => {
    const signedIn = await render(<Document title="t" csrfToken="token-123" />)
    expect(JSON.parse(signedIn.querySelector("body")!.getAttribute("hx-headers")!)).toEqual({ [Contract.csrf.header]: "token-123" })
    const signedOut = await render(<Document title="t" />)
    expect(signedOut.querySelector("body")!.getAttribute("hx-headers")).toBeUndefined()
  })
})

describe("the panel shell", () => {
  it("counts unread dialogs in the title and the header, and connects the live stream after the page's position", async () => {
    const page = await render(<PanelShell chrome={chrome({ counters: { total: 3, new: 1, mine: 2 } })} list={<p />} pane={<p />} />)
    expect(textOf(page.querySelector("title")!)).toBe("(3) Switchboard")
    expect(textOf(one(page, Contract.testIds.unreadTotal))).toBe("3")
    expect(page.querySelector("[sse-connect]")!.getAttribute("sse-connect")).toBe(Contract.routes.eventsAfter(42))
    const quiet = await render(<PanelShell chrome={chrome()} list={<p />} pane={<p />} />)
    expect(textOf(quiet.querySelector("title")!)).toBe("Switchboard")
  })

  it("names the signed-in user as text and keeps the live-status banner hidden until the stream drops", async () => {
    const page = await render(<PanelShell chrome={chrome({ user: { id: "x", name: hostile, role: "operator", status: "Online" } })} list={<p />} pane={<p />} />)
    expect(textOf(one(page, Contract.testIds.user))).toBe(`${hostile} (operator, Online)`)
    expect(page.querySelectorAll("img")).toHaveLength(0)
    const status = one(page, Contract.testIds.liveStatus)
    expect(status.getAttribute("role")).toBe("status")
    expect(status.hasAttribute("hidden")).toBe(true)
  })
})

describe("the folder sidebar", () => {
  it("marks the current folder for assistive technology and shows unread badges only above zero", async () => {
    const nav = await render(<Sidebar folders={chrome().folders} current="mine" />)
    expect(one(nav, Contract.testIds.folder("mine")).getAttribute("aria-current")).toBe("page")
    expect(one(nav, Contract.testIds.folder("new")).getAttribute("aria-current")).toBeUndefined()
    const mine = one(nav, Contract.testIds.folderCount("mine"))
    expect(textOf(mine)).toBe("2")
    expect(mine.classList.contains("hidden")).toBe(false)
    expect(one(nav, Contract.testIds.folderCount("new")).classList.contains("hidden")).toBe(true)
    expect(one(nav, Contract.testIds.folderCount("archive")).classList.contains("hidden")).toBe(true)
  })

  it("links each folder as a real link that htmx enhances, pushing the folder's URL", async () => {
    const link = one(await render(<Sidebar folders={chrome().folders} current="new" />), Contract.testIds.folder("archive"))
    expect(link.getAttribute("href")).toBe(Contract.routes.folder("archive"))
    expect(link.getAttribute("hx-get")).toBe(Contract.routes.folder("archive"))
    expect(link.getAttribute("hx-push-url")).toBe("true")
  })

  it("renders for an out-of-band swap only when asked", async () => {
    expect((await render(<Sidebar folders={chrome().folders} current="new" oob />)).querySelector("nav")!.getAttribute("hx-swap-oob")).toBe("true")
    expect((await render(<Sidebar folders={chrome().folders} current="new" />)).querySelector("nav")!.getAttribute("hx-swap-oob")).toBeUndefined()
  })
})
