import { Effect } from "effect"
import { EventStore } from "@switchboard/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp, type Session, type SseEvent, sseReader } from "./PanelClient.js"

/**
 * Acceptance 4 of issue 18: a stream cut in the middle of a burst and opened again with
 * `Last-Event-ID` gets every update once, in order; a client kept away past the replay bound gets
 * one `refresh`; a client that does not read is told to refresh past its queue's bound, and nobody
 * waits for it. Small bounds, so that the test needs few events.
 */
const replayBound = 200
const { runtime, app, signIn, get, inbound } = panelApp(memoryStorage.layer, { live: { replayBound } })
const slow = panelApp(memoryStorage.layer, { live: { queueBound: 5 } })
beforeAll(() => Promise.all([runtime.runPromise(seedIfEmpty), slow.runtime.runPromise(seedIfEmpty)]))
afterAll(() => Promise.all([runtime.dispose(), slow.runtime.dispose()]))

const lastPosition = () => runtime.runPromise(Effect.flatMap(EventStore, (store) => store.lastPosition))
const open = async (session: Session, headers: Record<string, string> = {}, client = app) => sseReader(await client.request("/panel/events", { headers: { Cookie: session.cookie, ...headers } }))
const newClient = async (from: string, client = inbound) => ((await (await client("telegram", { from, message: { text: `hello from ${from}` } })).json()) as { dialogId: string }).dialogId
const dialogOf = (item: SseEvent) => /data-dialog-id="([^"]+)"/.exec(item.data)?.[1]
/** A row's text as a reader sees it. */
const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim()

describe("live stream resume", () => {
  it("gets every update once and in order after a cut in the middle of a burst", async () => {
    const sue = await signIn("sue")
    const first = await open(sue)
    await first.until((read) => read.some((item) => item.event === "ready"))
    const dialogs: Array<string> = []
    const burst = (async () => {
      for (let i = 0; i < 25; i++) dialogs.push(await newClient(`resume-${i}`))
    })()
    // Cut once a few batches are in: what came after the last id seen is not acknowledged, so it comes again.
    const before = await first.until((read) => read.filter((item) => item.id !== undefined).length >= 5)
    await first.cancel()
    const lastId = before.filter((item) => item.id !== undefined).at(-1)!.id!
    const acknowledged = before.slice(0, before.findIndex((item) => item.id === lastId) + 1)
    await burst
    const end = await lastPosition()
    expect(end - Number(lastId)).toBeLessThanOrEqual(replayBound)
    const second = await open(sue, { "Last-Event-ID": lastId })
    const after = await second.until((read) => read.some((item) => item.id !== undefined && Number(item.id) >= end))
    await second.cancel()
    const combined = [...acknowledged, ...after].filter((item) => item.event === "row" || item.event === "row-remove" || item.event === "panel")
    // Once, in order: batch positions strictly rise across the cut.
    const ids = combined.flatMap((item) => (item.id === undefined ? [] : [Number(item.id)]))
    expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true)
    // Each batch names a dialog's row at most once.
    let batch = new Set<string>()
    for (const item of combined) {
      const dialogId = item.event === "row" ? dialogOf(item) : undefined
      if (dialogId !== undefined) {
        expect(batch.has(dialogId), `${dialogId} twice in one batch`).toBe(false)
        batch.add(dialogId)
      }
      if (item.id !== undefined) batch = new Set()
    }
    // Every dialog of the burst arrived, and its last row is what a fresh load of its folder renders.
    const lastRows = new Map(combined.filter((item) => item.event === "row").map((item) => [dialogOf(item)!, item.data]))
    expect(dialogs.filter((id) => !lastRows.has(id))).toEqual([])
    const fresh = await (await get(sue, "/panel/dialogs?folder=new&shown=500")).text()
    for (const id of dialogs) {
      const row = lastRows.get(id)!
      if (!row.includes('data-folders="new')) continue
      const rendered = new RegExp(`<li[^>]*data-dialog-id="${id}"[\\s\\S]*?</li>`).exec(fresh)?.[0]
      expect(rendered, id).toBeDefined()
      expect(text(row)).toBe(text(rendered!))
    }
  }, 60_000)

  it("gives a client kept away past the replay bound one refresh, not an unbounded replay", async () => {
    const anna = await signIn("anna")
    const reader = await open(anna)
    await reader.until((read) => read.some((item) => item.event === "ready"))
    await newClient("away-first")
    const seen = await reader.until((read) => read.some((item) => item.id !== undefined))
    await reader.cancel()
    const lastId = seen.filter((item) => item.id !== undefined).at(-1)!.id!
    for (let i = 0; (await lastPosition()) - Number(lastId) <= replayBound; i++) await newClient(`away-${i}`)
    const again = await open(anna, { "Last-Event-ID": lastId })
    // The stream ends after the refresh.
    const events = await again.until(() => false)
    expect(events.map((item) => item.event)).toEqual(["ready", "refresh"])
    expect(Number(events[1]!.id)).toBe(await lastPosition())
  }, 60_000)

  it("tells a client that stops reading to refresh once its queue is full, while the inbound API answers on", async () => {
    const sue = await slow.signIn("sue")
    const reader = await open(sue, {}, slow.app)
    await reader.until((read) => read.some((item) => item.event === "panel"))
    // The client reads nothing now; every new dialog is a batch for it.
    for (let i = 0; i < 30; i++) {
      const response = await slow.inbound("telegram", { from: `slow-${i}`, message: { text: "hello" } })
      expect(response.status).toBe(202)
    }
    const events = await reader.until(() => false)
    expect(events.filter((item) => item.event === "refresh")).toHaveLength(1)
    expect(events.at(-1)!.event).toBe("refresh")
  }, 60_000)
})
