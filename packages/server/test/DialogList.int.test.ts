import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { attributeOf, panelApp, rowIds, storages, unescapeHtml, type Session } from "./PanelClient.js"

/**
 * The panel's dialog list over HTTP: search (DLG-19) and keyset paging, on the in-memory store
 * and on PGlite (the SQL store turns the search box into a tsquery, so odd characters matter there).
 */

/** Dialogs the suite adds to New beyond the demo's, all mentioning one unusual word. */
const extra = 110
const extraWord = "zephyrine"

/** The client name of each row, by dialog id. */
const rowNames = (html: string) =>
  new Map([...html.matchAll(/data-testid="dialog-row" data-dialog-id="([^"]+)"[\s\S]*?<span class="client-name">([^<]*)<\/span>/g)].map((match) => [match[1]!, unescapeHtml(match[2]!)]))

/** The live-refresh URL of the rows (what the SSE `dialogs` event re-fetches). */
const refreshUrl = (html: string) => new URL(attributeOf(html, 'id="dialog-results"', "hx-get") ?? "/missing", "http://localhost")

const loadMoreUrl = (html: string) => attributeOf(html, 'data-testid="load-more"', "hx-get")

const shownOf = (html: string) => Number(attributeOf(html, 'id="dialog-shown"', "value"))

describe.each(storages)("the dialog list on $name", ({ make }) => {
  const { storage, cleanup } = make()
  const { runtime, signIn, get, post, swap, inbound } = panelApp(storage.layer)
  const added: Array<string> = []
  let anna: Session

  beforeAll(async () => {
    await runtime.runPromise(seedIfEmpty)
    for (let index = 0; index < extra; index++) {
      const response = await inbound("telegram", { from: `pager-${index}`, profile: { name: `Pager ${index}` }, message: { text: `Parcel ${index} waits at the ${extraWord} depot` } })
      expect(response.status).toBe(202)
      added.push(((await response.json()) as { dialogId: string }).dialogId)
    }
    anna = await signIn("anna")
  })

  afterAll(async () => {
    await runtime.dispose()
    cleanup()
  })

  it("a search narrows the list to the dialogs whose messages or client name match (DLG-19)", async () => {
    const mine = rowNames(await (await get(anna, "/panel/dialogs?folder=mine")).text())
    expect([...mine.values()].sort()).toEqual(["Emma Wilson", "Kenji Watanabe", "Marco Rossi", "Olena Shevchenko", "Sofia Garcia"])

    // A word of one message ("I need an invoice for my company"), in any case.
    for (const q of ["invoice", "INVOICE"]) {
      const searched = await get(anna, `/panel/dialogs?folder=mine&q=${q}`)
      expect(searched.status).toBe(200)
      expect([...rowNames(await searched.text()).values()]).toEqual(["Olena Shevchenko"])
    }
    // A client's name, as an htmx search swapping the rows only.
    const byName = await swap(anna, "/panel/dialogs?folder=new&q=kovalenko", "dialog-results")
    const html = await byName.text()
    expect(html).not.toContain('id="dialog-list"')
    expect([...rowNames(html).values()]).toEqual(["Maria Kovalenko"])
    // Only within the folder: Olena is in Mine, not New.
    expect(rowIds(await (await get(anna, "/panel/dialogs?folder=new&q=invoice")).text())).toEqual([])
  })

  it("keeps the folder and the search in the live refresh, the row links and the search box", async () => {
    for (const response of [await get(anna, "/panel/dialogs?folder=mine&q=invoice"), await swap(anna, "/panel/dialogs?folder=mine&q=invoice", "dialog-results")]) {
      const html = await response.text()
      const refresh = refreshUrl(html)
      expect(refresh.pathname).toBe("/panel/dialogs")
      expect(refresh.searchParams.get("folder")).toBe("mine")
      expect(refresh.searchParams.get("q")).toBe("invoice")
      const [dialogId] = rowIds(html)
      const link = new URL(attributeOf(html, `/panel/dialogs/${dialogId}?`, "href") ?? "/missing", "http://localhost")
      expect(link.searchParams.get("folder")).toBe("mine")
      expect(link.searchParams.get("q")).toBe("invoice")
    }
    // The full page: the search box shows the search, and the list refreshes with it.
    const page = await (await get(anna, "/panel/dialogs?folder=mine&q=invoice")).text()
    expect(attributeOf(page, 'data-testid="search-text"', "value")).toBe("invoice")
    expect(attributeOf(page, 'name="folder"', "value")).toBe("mine")
    // A dialog opened from a searched list lists the searched folder beside it.
    const [olena] = rowIds(page)
    const opened = await (await get(anna, `/panel/dialogs/${olena}?folder=mine&q=invoice`)).text()
    expect(opened).toContain('data-testid="dialog-view"')
    expect(rowIds(opened)).toEqual([olena])
    expect(refreshUrl(opened).searchParams.get("q")).toBe("invoice")
    // A search from the box pushes its canonical URL; clearing it pushes the plain folder.
    const typed = await swap(anna, "/panel/dialogs?folder=mine&q=invoice", "dialog-results", { "HX-Trigger": "dialog-search" })
    expect(typed.headers.get("HX-Push-Url")).toBe("/panel/dialogs?folder=mine&q=invoice")
    const cleared = await swap(anna, "/panel/dialogs?folder=mine&q=", "dialog-results", { "HX-Trigger": "dialog-search" })
    expect(cleared.headers.get("HX-Push-Url")).toBe("/panel/dialogs?folder=mine")
    expect(rowIds(await cleared.text()).length).toBe(5)
    expect(refreshUrl(await (await get(anna, "/panel/dialogs?folder=mine")).text()).searchParams.has("q")).toBe(false)
  })

  it("highlights the open dialog's row in a live refresh, which sends the pane's dialog along", async () => {
    const page = await (await get(anna, "/panel/dialogs?folder=mine")).text()
    const [first, second] = rowIds(page)
    const selectedRows = (html: string) => [...html.matchAll(/<li id="[^"]+" class="([^"]*)"[^>]*data-dialog-id="([^"]+)"/g)].filter((match) => match[1]!.split(" ").includes("selected")).map((match) => match[2])
    expect(selectedRows(page)).toEqual([])
    // The open dialog's page highlights its row, and its pane holds the id the list's requests include.
    const opened = await (await get(anna, `/panel/dialogs/${second}?folder=mine`)).text()
    expect(selectedRows(opened)).toEqual([second])
    expect(attributeOf(opened, 'id="dialog-selected"', "value")).toBe(second)
    expect(attributeOf(opened, 'name="selected"', "id")).toBe("dialog-selected")
    for (const marker of ['id="dialog-results"', 'data-testid="dialog-search"']) expect(attributeOf(opened, marker, "hx-include"), marker).toContain("#dialog-selected")
    expect(attributeOf(opened, 'id="dialog-results"', "hx-trigger")).toContain("dialog-opened from:body")
    // A live refresh (or a search) with the pane's dialog keeps its row highlighted.
    const refreshed = await (await swap(anna, `${refreshUrl(opened).pathname}${refreshUrl(opened).search}&shown=5&selected=${second}`, "dialog-results")).text()
    expect(selectedRows(refreshed)).toEqual([second])
    // Opening another dialog with htmx: once the pane is in, it marks the dialog read with a POST,
    // whose answer asks the list to re-read its rows.
    const pane = await (await get(anna, `/panel/dialogs/${first}?folder=mine`, true)).text()
    expect(attributeOf(pane, 'id="dialog-selected"', "value")).toBe(first)
    expect(attributeOf(pane, 'data-testid="mark-read"', "hx-post")).toBe(`/panel/dialogs/${first}/read`)
    expect(attributeOf(pane, 'data-testid="mark-read"', "hx-trigger")).toBe("load")
    const read = await post(anna, `/panel/dialogs/${first}/read`)
    expect(read.status).toBe(204)
    expect(read.headers.get("HX-Trigger")).toBe("dialog-opened")
    expect(selectedRows(await (await swap(anna, `/panel/dialogs?folder=mine&selected=${first}`, "dialog-results")).text())).toEqual([first])
  })

  it("opening a dialog (a GET) leaves it unread; the pane's POST marks it read and the counters drop (DLG-09)", async () => {
    const mineUnread = async () => Number(/id="folder-count-mine"[^>]*>(\d*)</.exec(await (await get(anna, "/panel/dialogs?folder=mine")).text())?.[1] || 0)
    const { dialogId } = (await (await inbound("telegram", { from: "read-by-post", message: { text: "First" } })).json()) as { dialogId: string }
    expect((await post(anna, `/panel/dialogs/${dialogId}/accept`)).status).toBe(200)
    expect((await post(anna, `/panel/dialogs/${dialogId}/read`)).status).toBe(204)
    const before = await mineUnread()
    expect((await inbound("telegram", { from: "read-by-post", message: { text: "Second" } })).status).toBe(202)
    expect(await mineUnread()).toBe(before + 1)
    for (const htmx of [false, true]) expect((await get(anna, `/panel/dialogs/${dialogId}?folder=mine`, htmx)).status).toBe(200)
    expect(await mineUnread()).toBe(before + 1)
    expect((await post(anna, `/panel/dialogs/${dialogId}/read`)).status).toBe(204)
    expect(await mineUnread()).toBe(before)
    // "Mark unread" re-renders the pane without the mark-read request, so it stays unread.
    const unread = await (await post(anna, `/panel/dialogs/${dialogId}/unread?folder=mine`)).text()
    expect(unread).not.toContain('data-testid="mark-read"')
    expect(await mineUnread()).toBe(before + 1)
  })

  it("pages by cursor with no overlap and no gap, and a live refresh re-reads the rows shown", async () => {
    for (const q of [extraWord, ""]) {
      const first = await (await get(anna, `/panel/dialogs?folder=new&q=${q}`)).text()
      const pages = [rowIds(first)]
      expect(pages[0]!.length).toBe(50)
      let shown = shownOf(first)
      expect(shown).toBe(50)
      let next = loadMoreUrl(first)
      while (next !== undefined) {
        expect(new URL(next, "http://localhost").searchParams.get("q") ?? "").toBe(q)
        // htmx sends the hidden row count along (`hx-include`) and swaps the "Load more" item.
        const response = await swap(anna, `${next}&shown=${shown}`, "dialog-more")
        expect(response.status).toBe(200)
        const more = await response.text()
        expect(more).not.toContain('id="dialog-results"')
        pages.push(rowIds(more))
        expect(shownOf(more)).toBe(shown + pages.at(-1)!.length)
        expect(more).toContain('hx-swap-oob="true"')
        shown = shownOf(more)
        next = loadMoreUrl(more)
        expect(pages.length).toBeLessThan(10)
      }
      const all = pages.flat()
      expect(new Set(all).size).toBe(all.length)
      if (q === extraWord) {
        expect(pages.map((page) => page.length)).toEqual([50, 50, 10])
        expect([...all].sort()).toEqual([...added].sort())
      } else {
        expect(all.length).toBe(extra + 7)
        expect(all).toEqual(expect.arrayContaining(added))
      }
      // The live refresh after "Load more": the same rows in the same order, in one read.
      const refreshed = await swap(anna, `${refreshUrl(first).pathname}${refreshUrl(first).search}&shown=${shown}`, "dialog-results")
      expect(rowIds(await refreshed.text())).toEqual(all)
    }
    // Without JavaScript "Load more" is a link to the next page.
    const first = await (await get(anna, `/panel/dialogs?folder=new&q=${extraWord}`)).text()
    const link = attributeOf(first, 'data-testid="load-more"', "href")
    expect(link).toBe(loadMoreUrl(first))
    const second = await get(anna, link!)
    expect(second.status).toBe(200)
    const secondHtml = await second.text()
    expect(secondHtml).toContain("<html")
    expect(rowIds(secondHtml)).toHaveLength(50)
    expect(rowIds(secondHtml).filter((id) => rowIds(first).includes(id))).toEqual([])
  })

  it("answers 400 with the reason for a garbled cursor, a bad row count, an unknown folder or an over-long search", async () => {
    // Each with its English reason (the user's browser is English) and its Ukrainian one, from the catalogs (issue 22).
    const badPage = ["cursor: is not a page of this list; load it again", "cursor: не є сторінкою цього списку; завантажте його знову"] as const
    const cases: ReadonlyArray<readonly [string, string, string]> = [
      ["/panel/dialogs?folder=new&cursor=garbage", ...badPage],
      ["/panel/dialogs?folder=new&cursor=", ...badPage],
      ["/panel/dialogs?folder=new&cursor=0~0.5~d1", ...badPage],
      ["/panel/dialogs?folder=new&cursor=0~99999999999999999999~d1", ...badPage],
      ["/panel/dialogs?folder=new&cursor=0~1~d%001", ...badPage],
      [`/panel/dialogs?folder=new&cursor=0~1~${"d".repeat(400)}`, ...badPage],
      ["/panel/dialogs?folder=new&shown=lots", "shown: must be a number", "shown: має бути числом"],
      ["/panel/dialogs?folder=new&shown=-1", "shown: must be from 0 to 1000000", "shown: має бути від 0 до 1000000"],
      [`/panel/dialogs?folder=new&selected=${"d".repeat(301)}`, "selected: is not in the expected format", "selected: має неправильний формат"],
      ["/panel/dialogs?folder=nope", "folder: must be one of: ", "folder: має бути одним із: "],
      [`/panel/dialogs?folder=new&q=${"a".repeat(201)}`, "q: at most 200 characters", "q: щонайбільше 200 символів"],
      [`/panel/dialogs/${"x"}?folder=new&q=${"a".repeat(201)}`, "q: at most 200 characters", "q: щонайбільше 200 символів"]
    ]
    for (const [path, reason, ukrainian] of cases) {
      const page = await get(anna, path)
      expect(page.status, path).toBe(400)
      const text = unescapeHtml(await page.text())
      expect(text.startsWith("<!DOCTYPE html><html"), path).toBe(true)
      expect(text, path).toContain(reason)
      // htmx gets the notice, retargeted to the notice area (the panel's htmx config swaps a 400).
      const fragment = await swap(anna, path, "dialog-more")
      expect(fragment.status, path).toBe(400)
      expect(fragment.headers.get("HX-Retarget"), path).toBe("#notice")
      expect(unescapeHtml(await fragment.text()), path).toContain(reason)
      // A Ukrainian user reads the same reason in Ukrainian, not core's or the route's English.
      const inUkrainian = unescapeHtml(await (await swap(anna, path, "dialog-more", { "Accept-Language": "uk" })).text())
      expect(inUkrainian, path).toContain(ukrainian)
      expect(inUkrainian, path).not.toContain(reason.slice(reason.indexOf(":")))
      expect(inUkrainian, path).not.toMatch(/Expected|actual|not a |longer than/)
    }
    expect((await get(anna, `/panel/dialogs?folder=new&q=${"a".repeat(200)}`)).status).toBe(200)
  })

  it("searches for odd characters without failing, and shows them escaped", async () => {
    const sue = await signIn("sue")
    const odd = [`'&|:*()!<>"\\`, "a & b", "foo:*", "!!", "(", "\\", "'", "--", "/*", "$1", "%", "%%25", "<script>alert(1)</script>", "Müller", "😀", "a'b | c", "   ", "x".repeat(200)]
    for (const q of odd) {
      const path = `/panel/dialogs?folder=active&q=${encodeURIComponent(q)}`
      for (const response of [await get(sue, path), await swap(sue, path, "dialog-results")]) {
        expect(response.status, q).toBe(200)
        const html = await response.text()
        expect(html, q).not.toContain("<script>alert")
        if (rowIds(html).length === 0 && q.trim() !== "") expect(html, q).toContain("No dialogs match “")
      }
    }
    const nothing = await (await get(anna, `/panel/dialogs?folder=new&q=${encodeURIComponent("<b>nothing like this</b>")}`)).text()
    expect(nothing).toContain("No dialogs match “&lt;b&gt;nothing like this&lt;/b&gt;”.")
    expect(nothing).toContain('value="&lt;b&gt;nothing like this&lt;/b&gt;"')
    // Markup in a message is text to search: "an error <500> when I pay by card".
    expect([...rowNames(await (await get(anna, `/panel/dialogs?folder=new&q=${encodeURIComponent("<500>")}`)).text()).values()]).toEqual(["Lukas Schmidt"])
    // Sue sees every active dialog; a name with an umlaut matches.
    expect([...rowNames(await (await get(sue, `/panel/dialogs?folder=active&q=${encodeURIComponent("Müller")}`)).text()).values()]).toEqual(["Noah Müller"])
  })
})
