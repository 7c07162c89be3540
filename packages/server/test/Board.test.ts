import { Effect } from "effect"
import { Access, Engine, Operator, UserId } from "@switchboard/core"
import { describe, expect, it } from "vitest"
import { BoardFeed } from "../src/live/BoardFeed.js"
import { attributeOf, seededPanel, sseReader, type Session } from "./PanelClient.js"

/**
 * The supervisor board over HTTP (issue 22): who may see it, what it shows, and its live pushes
 * through the page's own stream, rendered once per set of controls.
 */
describe("supervisor board", () => {
  const { server, sessions } = seededPanel("sue", "anna", "olha")

  const operatorRow = (html: string, id: string) => {
    const start = html.indexOf(`data-operator-id="${id}"`)
    return start < 0 ? "" : html.slice(start, html.indexOf("</tr>", start))
  }

  it("shows every operator's status, time in status, load against capacity and dialogs, and every queue, to supervisors only", async () => {
    const page = await (await server.get(sessions.sue, "/panel/board")).text()
    for (const id of ["anna", "boris", "sue", "olha"]) expect(operatorRow(page, id)).not.toBe("")
    expect(operatorRow(page, "anna")).toContain('data-testid="board-load"')
    expect(page).toContain('data-testid="board-queue"')
    expect(page).toContain('data-testid="nav-board"')
    const refused = await server.get(sessions.anna, "/panel/board")
    expect(refused.status).toBe(403)
  })

  it("links the board, settings, audit log, SLA editor and users in the header only for the roles that may use them", async () => {
    const links = async (who: Session) => [...(await (await server.get(who, "/panel/dialogs?folder=new")).text()).matchAll(/data-testid="nav-(\w+)"/g)].map((match) => match[1])
    expect(await links(sessions.anna)).toEqual([])
    expect(await links(sessions.sue)).toEqual(["board"])
    expect(await links(sessions.olha)).toEqual(["board", "settings", "audit", "sla", "users"])
  })

  it("pushes the board to the streams that show it when an operator goes on break, without a reload", async () => {
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: sessions.sue.cookie } }))
    const ready = await stream.until((read) => read.some((item) => item.event === "ready"))
    const streamId = ready.find((item) => item.event === "ready")!.data
    expect((await server.post(sessions.sue, "/panel/board/watch", { stream: streamId })).status).toBe(204)
    // Watching pushes the board as it is now.
    await stream.until((read) => read.some((item) => item.event === "board"))
    await server.runtime.runPromise(Effect.flatMap(Engine, (engine) =>
      engine.operator(new Access.UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" }), new Operator.SetStatus({ userId: UserId.make("anna"), statusId: "break" }))))
    const seen = await stream.until((read) => read.some((item) => item.event === "board" && attributeOf(item.data, 'data-operator-id="anna"', "data-status") === "break"))
    await stream.cancel()
    const pushed = seen.filter((item) => item.event === "board").at(-1)!.data
    expect(pushed).toContain('hx-swap-oob="true"')
    // One rendering serves every viewer: no session's CSRF token rides in it.
    expect(pushed).not.toContain(sessions.sue.csrf)
  })

  it("an operator cannot watch the board, nor change a colleague's status or take their dialogs (403, nothing changes)", async () => {
    const stream = sseReader(await server.app.request("/panel/events", { headers: { Cookie: sessions.anna.cookie } }))
    const ready = await stream.until((read) => read.some((item) => item.event === "ready"))
    expect((await server.post(sessions.anna, "/panel/board/watch", { stream: ready.find((item) => item.event === "ready")!.data })).status).toBe(403)
    await stream.cancel()
    expect((await server.post(sessions.anna, "/panel/board/operators/boris/status", { statusId: "lunch" })).status).toBe(403)
    expect((await server.post(sessions.anna, "/panel/board/operators/boris/redistribute")).status).toBe(403)
    const board = await (await server.get(sessions.sue, "/panel/board")).text()
    expect(attributeOf(board, 'data-operator-id="boris"', "data-status")).not.toBe("lunch")
    expect(await server.runtime.runPromise(Effect.flatMap(BoardFeed, (feed) => feed.watchers))).toBeLessThanOrEqual(1)
  })

  it("a supervisor sets a status from the board (204 for htmx) and sends an operator's dialogs back to the queue", async () => {
    expect((await server.post(sessions.sue, "/panel/board/operators/boris/status", { statusId: "lunch" })).status).toBe(204)
    const before = await (await server.get(sessions.sue, "/panel/board")).text()
    expect(attributeOf(before, 'data-operator-id="boris"', "data-status")).toBe("lunch")
    expect((await server.post(sessions.sue, "/panel/board/operators/anna/redistribute")).status).toBe(204)
    const after = await (await server.get(sessions.sue, "/panel/board")).text()
    expect(operatorRow(after, "anna")).toContain('data-testid="board-dialog-count">0<')
    expect((await server.post(sessions.sue, "/panel/board/operators/boris/status", { statusId: "<img src=x onerror=alert(1)>" })).status).toBe(409)
  })
})
