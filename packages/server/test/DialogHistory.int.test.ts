import { Clock, Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { ChannelId, Engine, InboundMessage, Message } from "@switchboard/core"
import { seedIfEmpty } from "../src/Demo.js"
import { attributeOf, panelApp, rowIds, storages, type Session, unescapeHtml } from "./PanelClient.js"

/**
 * An open dialog's history over HTTP (MSG-07): the newest 50 messages, then "Show earlier
 * messages" page by page, with htmx and without; on the in-memory store and on PGlite.
 */

/** Messages the suite's client writes, "Line 1" … "Line 120". */
const lines = 120

/** The message ids of the bubbles in a page or fragment, in order. */
const messageIds = (html: string) => [...html.matchAll(/data-message-id="([^"]+)"/g)].map((match) => match[1]!)

/** A message's number in its dialog (ids end in `.m<seq>`). */
const seqOf = (messageId: string) => Number(messageId.slice(messageId.lastIndexOf(".m") + 2))

const texts = (html: string) => [...html.matchAll(/<p class="text">([^<]*)<\/p>/g)].map((match) => match[1]!)

const earlierLink = (html: string) => attributeOf(html, 'data-testid="show-earlier"', "hx-get")

describe.each(storages)("an open dialog's history on $name", ({ make }) => {
  const { storage, cleanup } = make()
  const { runtime, signIn, get, swap, inbound } = panelApp(storage.layer)
  let anna: Session
  let dialogId: string

  beforeAll(async () => {
    await runtime.runPromise(seedIfEmpty)
    for (let line = 1; line <= lines; line++) {
      const response = await inbound("telegram", { from: "history-1", profile: { name: "Hanna Long" }, message: { text: `Line ${line}` } })
      expect(response.status).toBe(202)
      dialogId = ((await response.json()) as { dialogId: string }).dialogId
    }
    anna = await signIn("anna")
  })

  afterAll(async () => {
    await runtime.dispose()
    cleanup()
  })

  it("shows the newest 50 messages, and earlier pages above them cover the rest with no overlap and no gap", async () => {
    const opened = await (await get(anna, `/panel/dialogs/${dialogId}?folder=new&q=hanna`)).text()
    const newest = messageIds(opened)
    expect(newest).toHaveLength(50)
    expect(texts(opened).at(-1)).toBe(`Line ${lines}`)
    // The newest page takes live messages; the link above it keeps the list beside the dialog.
    expect(attributeOf(opened, 'data-testid="messages"', "sse-swap")).toBe(`messages:${encodeURIComponent(dialogId)}`)
    let next = earlierLink(opened)
    expect(next).toBeDefined()
    const link = new URL(next!, "http://localhost")
    expect([link.pathname, link.searchParams.get("folder"), link.searchParams.get("q")]).toEqual([`/panel/dialogs/${dialogId}`, "new", "hanna"])
    expect(attributeOf(opened, 'data-testid="show-earlier"', "href")).toBe(next)

    // htmx swaps the link for the page before it: the older bubbles, and a new link while there are more.
    const target = attributeOf(opened, 'data-testid="show-earlier"', "hx-target")!.slice(1)
    const pages = [newest]
    while (next !== undefined) {
      const response = await swap(anna, next, target)
      expect(response.status).toBe(200)
      const html = await response.text()
      expect(html).not.toContain('data-testid="dialog-view"')
      expect(html).not.toContain("sse-swap")
      const ids = messageIds(html)
      // The link comes first: it stays at the top, above the bubbles it brought.
      if (earlierLink(html) !== undefined) expect(html.indexOf('data-testid="show-earlier"')).toBeLessThan(html.indexOf("data-message-id"))
      pages.push(ids)
      next = earlierLink(html)
      expect(pages.length).toBeLessThan(10)
    }
    expect(pages.map((page) => page.length)).toEqual([50, 50, 20])
    // Shown as the page builds up: each earlier page above the ones before it, oldest first.
    const shown = [...pages].reverse().flat()
    expect(shown.map(seqOf)).toEqual(Array.from({ length: lines }, (_, index) => index + 1))
    expect(new Set(shown).size).toBe(lines)
  })

  it("without JavaScript shows an earlier page as a page, with links to the page before and back to the latest", async () => {
    const opened = await (await get(anna, `/panel/dialogs/${dialogId}?folder=new`)).text()
    const older = await get(anna, earlierLink(opened)!)
    expect(older.status).toBe(200)
    const html = await older.text()
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true)
    expect(texts(html)).toEqual(Array.from({ length: 50 }, (_, index) => `Line ${index + 21}`))
    expect(earlierLink(html)).toBeDefined()
    // An earlier page is not live (a new message would land after a gap); it links back to the newest.
    expect(attributeOf(html, 'data-testid="messages"', "sse-swap")).toBeUndefined()
    expect(attributeOf(html, 'data-testid="latest-messages"', "href")).toBe(`/panel/dialogs/${dialogId}?folder=new&newest=1`)
    expect(attributeOf(opened, 'data-testid="latest-messages"', "href")).toBeUndefined()
  })

  it("opened from a list of a period, starts the history at the period's end, and links to the latest (DLG-21)", async () => {
    /** Noon, `offset` days from today, in the server's time zone. */
    const noon = (offset: number) => {
      const today = new Date()
      return new Date(today.getFullYear(), today.getMonth(), today.getDate() + offset, 12).getTime()
    }
    const day = (offset: number) => {
      const date = new Date(noon(offset))
      return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`
    }
    /** A clock stopped at `millis`, for messages written on other days. */
    const stoppedAt = (millis: number): Clock.Clock => ({
      [Clock.ClockTypeId]: Clock.ClockTypeId,
      unsafeCurrentTimeMillis: () => millis,
      currentTimeMillis: Effect.succeed(millis),
      unsafeCurrentTimeNanos: () => BigInt(millis) * 1_000_000n,
      currentTimeNanos: Effect.succeed(BigInt(millis) * 1_000_000n),
      sleep: () => Effect.void
    })
    const write = (offset: number, minute: number, text: string) =>
      runtime.runPromise(
        Effect.flatMap(Engine, (engine) =>
          engine.receive(InboundMessage.make({ channelId: ChannelId.make("telegram"), from: "period-1", profile: { name: "Pavlo Period" }, message: Message.MessageInput.make({ text }) }))
        ).pipe(Effect.withClock(stoppedAt(noon(offset) + minute * 60_000)))
      )
    const { dialogId: periodDialog } = await write(-7, 0, "A week ago, first")
    await write(-7, 1, "A week ago, second")
    await write(-1, 0, "Yesterday")
    await write(0, 0, "Today")
    const week = `folder=new&from=${day(-7)}&to=${day(-7)}`
    // The list of that day has the dialog, though it went on later; a day without its messages does not.
    expect(rowIds(await (await get(anna, `/panel/dialogs?${week}`)).text())).toContain(periodDialog)
    expect(rowIds(await (await get(anna, `/panel/dialogs?folder=new&from=${day(-3)}&to=${day(-2)}`)).text())).not.toContain(periodDialog)
    // Opened from it, the history ends with that day's last message, takes no live messages, and links to the latest.
    for (const html of [await (await get(anna, `/panel/dialogs/${periodDialog}?${week}`)).text(), await (await swap(anna, `/panel/dialogs/${periodDialog}?${week}`, "dialog-pane")).text()]) {
      expect(texts(html).slice(-2)).toEqual(["A week ago, first", "A week ago, second"])
      expect(texts(html)).not.toContain("Today")
      expect(attributeOf(html, 'data-testid="messages"', "sse-swap")).toBeUndefined()
      expect(attributeOf(html, 'data-testid="latest-messages"', "href")).toBe(`/panel/dialogs/${periodDialog}?${week}&newest=1`)
    }
    const latest = await (await get(anna, `/panel/dialogs/${periodDialog}?${week}&newest=1`)).text()
    expect(texts(latest).slice(-2)).toEqual(["Yesterday", "Today"])
    expect(attributeOf(latest, 'data-testid="messages"', "sse-swap")).toBe(`messages:${encodeURIComponent(periodDialog)}`)
    // A period up to today is the newest page anyway, live.
    const recent = await (await get(anna, `/panel/dialogs/${periodDialog}?folder=new&from=${day(-1)}&to=${day(0)}`)).text()
    expect(texts(recent).at(-1)).toBe("Today")
    expect(attributeOf(recent, 'data-testid="messages"', "sse-swap")).toBe(`messages:${encodeURIComponent(periodDialog)}`)
  })

  it("answers 400 with the reason for a page that is not one of this history", async () => {
    for (const before of ["garbage", "", "0", "-1", "1.5", "1e3", "99999999999999999999", " 7"]) {
      const path = `/panel/dialogs/${dialogId}?folder=new&before=${encodeURIComponent(before)}`
      const page = await get(anna, path)
      expect(page.status, before).toBe(400)
      expect(unescapeHtml(await page.text()), before).toContain("before: is not a page of this list; load it again")
      const fragment = await swap(anna, path, "earlier-x")
      expect(fragment.status, before).toBe(400)
      expect(fragment.headers.get("HX-Retarget"), before).toBe("#notice")
      // In Ukrainian for a Ukrainian user (issue 22).
      const inUkrainian = unescapeHtml(await (await swap(anna, path, "earlier-x", { "Accept-Language": "uk" })).text())
      expect(inUkrainian, before).toContain("before: не є сторінкою цього списку; завантажте його знову")
      expect(inUkrainian, before).not.toMatch(/not a page|load it again/)
    }
    // A page before the first message is just empty.
    const first = await (await swap(anna, `/panel/dialogs/${dialogId}?folder=new&before=1`, "earlier-x")).text()
    expect(messageIds(first)).toEqual([])
    expect(earlierLink(first)).toBeUndefined()
  })
})
