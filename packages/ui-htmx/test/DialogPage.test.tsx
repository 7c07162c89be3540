import { describe, expect, it } from "vitest"
import { Contract, DialogPane, EarlierMessages, MessageBubble, Notice } from "../src/index.js"
import { byTestId, dialog, hostile, html, message, one, render, textOf } from "./helpers.js"

const pane = (overrides: Parameters<typeof dialog>[0] = {}) => render(<DialogPane dialog={dialog(overrides)} csrfToken="token-123" />)

describe("the open dialog's actions", () => {
  it("offers Accept, Leave and Close only when the view model allows them; Mark unread always", async () => {
    const queued = await pane({ status: "queued", canAccept: true, canLeave: false, canClose: false, canWrite: false })
    expect(byTestId(queued, Contract.testIds.accept)).toHaveLength(1)
    expect(byTestId(queued, Contract.testIds.leave)).toHaveLength(0)
    expect(byTestId(queued, Contract.testIds.close)).toHaveLength(0)
    expect(byTestId(queued, Contract.testIds.markUnread)).toHaveLength(1)
    const mine = await pane()
    expect(byTestId(mine, Contract.testIds.accept)).toHaveLength(0)
    expect(byTestId(mine, Contract.testIds.leave)).toHaveLength(1)
    expect(byTestId(mine, Contract.testIds.close)).toHaveLength(1)
    const closeOnly = await pane({ canLeave: false, canClose: true })
    expect([byTestId(closeOnly, Contract.testIds.leave).length, byTestId(closeOnly, Contract.testIds.close).length]).toEqual([0, 1])
    const leaveOnly = await pane({ canLeave: true, canClose: false })
    expect([byTestId(leaveOnly, Contract.testIds.leave).length, byTestId(leaveOnly, Contract.testIds.close).length]).toEqual([1, 0])
  })

  it("posts each action as a real form with the CSRF token, to the action's URL beside the same list", async () => {
    const leave = one(await pane(), Contract.testIds.leave).parentNode
    expect(leave.getAttribute("method")).toBe("post")
    expect(leave.getAttribute("action")).toBe(Contract.routes.action("dlg_1", "leave", { folder: "mine" }))
    expect(leave.querySelector(`input[name="${Contract.csrf.field}"]`)!.getAttribute("value")).toBe("token-123")
  })

  it("closes with a reason chosen from the company's list, or none", async () => {
    const reasons = one(await pane({ closeReasons: [{ id: "solved", name: "Solved" }, { id: "spam", name: hostile }] }), Contract.testIds.closeReason)
    expect(reasons.getAttribute("aria-label")).toBe("Close reason")
    expect(reasons.querySelectorAll("option").map((option) => [option.getAttribute("value"), textOf(option)])).toEqual([["", "No reason"], ["solved", "Solved"], ["spam", hostile]])
  })

  it("has a composer with the user's draft only when they may write; otherwise says how to", async () => {
    const writing = await pane({ draft: hostile })
    expect(one(writing, Contract.testIds.composerText).text).toBe(hostile)
    expect(byTestId(writing, Contract.testIds.send)).toHaveLength(1)
    const reading = await pane({ canWrite: false, canAccept: true })
    expect(byTestId(reading, Contract.testIds.composer)).toHaveLength(0)
    expect(textOf(reading.querySelector(".composer-off")!)).toBe("Accept the dialog to reply.")
    // Without an Accept button the note does not point at one (issue 21, live 6); a closed dialog has no composer.
    const watching = await pane({ canWrite: false, canAccept: false })
    expect(textOf(watching.querySelector(".composer-off")!)).toBe("Only the dialog's operator replies here.")
    const closed = await pane({ status: "closed", canWrite: true })
    expect(byTestId(closed, Contract.testIds.composer)).toHaveLength(0)
    expect(textOf(closed.querySelector(".composer-off")!)).toBe("The dialog is closed.")
  })
})

describe("the open dialog's history", () => {
  it("shows the client's name and messages as text, never as markup", async () => {
    const page = await pane({ clientName: hostile, messages: [message({ text: hostile, authorName: hostile })] })
    expect(textOf(page.querySelector("h2")!)).toBe(hostile)
    const bubble = one(page, Contract.testIds.message)
    expect(textOf(bubble.querySelector(".text")!)).toBe(hostile)
    expect(textOf(bubble.querySelector(".author")!)).toBe(hostile)
    expect(page.querySelectorAll("img")).toHaveLength(0)
  })

  it("appends live messages to the newest page only; an older page links back to the latest", async () => {
    const newest = (await pane()).querySelector(`#${Contract.ids.messages("dlg_1")}`)!
    expect(newest.getAttribute("sse-swap")).toBe(Contract.sse.dialog("dlg_1"))
    expect(newest.getAttribute("hx-swap")).toBe("beforeend")
    expect(byTestId(newest, Contract.testIds.latestMessages)).toHaveLength(0)
    const older = (await pane({ latest: false })).querySelector(`#${Contract.ids.messages("dlg_1")}`)!
    expect(older.getAttribute("sse-swap")).toBeUndefined()
    expect(one(older, Contract.testIds.latestMessages).getAttribute("href")).toBe(Contract.routes.dialog("dlg_1", { folder: "mine" }, { newest: true }))
  })

  it("links to earlier messages only when there are some (MSG-07)", async () => {
    const link = one(await pane({ earlier: "c9" }), Contract.testIds.showEarlier)
    expect(link.getAttribute("href")).toBe(Contract.routes.dialog("dlg_1", { folder: "mine" }, { before: "c9" }))
    expect(byTestId(await pane(), Contract.testIds.showEarlier)).toHaveLength(0)
    expect(await html(<EarlierMessages dialogId="dlg_1" list={{ folder: "mine" }} before={undefined} />)).toBe("")
  })
})

describe("a message bubble", () => {
  it("marks an internal note, and who wrote it", async () => {
    const note = one(await render(<MessageBubble message={message({ author: "operator", authorName: "Anna", internal: true })} />), Contract.testIds.message)
    expect(note.getAttribute("data-author")).toBe("operator")
    expect(note.getAttribute("data-internal")).toBe("true")
    expect(textOf(note.querySelector(".tag-internal")!)).toBe("internal note")
    const reply = one(await render(<MessageBubble message={message()} />), Contract.testIds.message)
    expect(reply.getAttribute("data-internal")).toBeUndefined()
    expect(reply.querySelectorAll(".tag-internal")).toHaveLength(0)
  })

  it("hides a deleted message's text, and never marks it edited", async () => {
    const bubble = one(await render(<MessageBubble message={message({ text: "secret", deleted: true, edited: true })} />), Contract.testIds.message)
    expect(textOf(bubble.querySelector(".text")!)).toBe("Message deleted")
    expect(bubble.text).not.toContain("secret")
    expect(bubble.querySelectorAll(".edited")).toHaveLength(0)
    const edited = one(await render(<MessageBubble message={message({ edited: true })} />), Contract.testIds.message)
    expect(textOf(edited.querySelector(".edited")!)).toBe("edited")
  })

  it("shows delivery and why it failed, and a blocked client's message as not delivered (DLG-10)", async () => {
    const failed = one(await render(<MessageBubble message={message({ author: "operator", delivery: { status: "failed", reason: "bot blocked" } })} />), Contract.testIds.message)
    const mark = failed.querySelector("[data-delivery]")!
    expect(mark.getAttribute("data-delivery")).toBe("failed")
    expect(textOf(mark)).toBe("⚠ failed (bot blocked)")
    const rejected = one(await render(<MessageBubble message={message({ rejected: true })} />), Contract.testIds.message)
    expect(textOf(rejected.querySelector(".rejected-mark")!)).toBe("not delivered: client blocked")
  })

  it("a changed bubble says so, so the page replaces the old one", async () => {
    expect(one(await render(<MessageBubble message={message()} change />), Contract.testIds.message).getAttribute("data-message-change")).toBe("true")
    expect(one(await render(<MessageBubble message={message()} />), Contract.testIds.message).getAttribute("data-message-change")).toBeUndefined()
  })
})

describe("a notice", () => {
  it("is announced as an alert, with the reason as text", async () => {
    const notice = one(await render(<Notice kind="error" title="Not yours" message={hostile} />), "notice-message")
    expect(notice.getAttribute("role")).toBe("alert")
    expect(textOf(notice)).toBe(`Not yours ${hostile}`)
  })
})
