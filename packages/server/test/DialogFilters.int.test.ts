import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Access, BotId, Channel, ChannelId, Client, DialogId, Engine, storeService, TagId } from "@switchboard/core"
import { seedIfEmpty } from "../src/Demo.js"
import { attributeOf, panelApp, rowIds, storages, unescapeHtml, type Session } from "./PanelClient.js"

/**
 * The dialog list's filters over HTTP (DLG-21): each narrows the list as the store reads it, on
 * the in-memory store and on PGlite; they ride along like the search; bad values are 400s.
 */

/** Clients the suite adds to New in Telegram beyond the demo's, so a filtered list has pages. */
const extra = 60

const rowNames = (html: string) =>
  [...html.matchAll(/data-testid="dialog-row" data-dialog-id="[^"]+"[\s\S]*?<span class="client-name">([^<]*)<\/span>/g)].map((match) => unescapeHtml(match[1]!))

const sorted = (names: ReadonlyArray<string>) => [...names].sort()

/** A day in the server's time zone as a date input sends it, `offset` days from today. */
const day = (offset: number) => {
  const date = new Date()
  date.setDate(date.getDate() + offset)
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`
}

describe.each(storages)("the dialog list's filters on $name", ({ make }) => {
  const { storage, cleanup } = make()
  const { runtime, signIn, get, post, swap, inbound } = panelApp(storage.layer)
  let anna: Session
  let sue: Session

  /** Names of the rows of a list URL, as Anna (or `who`) sees them; the status must be 200. */
  const names = async (path: string, who: Session = anna) => {
    const response = await get(who, path)
    expect(response.status, path).toBe(200)
    return sorted(rowNames(await response.text()))
  }

  /** Set the tags of the client of a dialog in New, found by the client's name. */
  const tag = async (name: string, tags: ReadonlyArray<{ readonly id: string; readonly pinned: boolean }>) => {
    const page = await (await get(anna, `/panel/dialogs?folder=new&q=${encodeURIComponent(name)}`)).text()
    const [dialogId] = rowIds(page)
    await runtime.runPromise(
      Effect.gen(function* () {
        const engine = yield* Engine
        const dialog = yield* engine.dialog(Access.system, DialogId.make(dialogId!))
        const clientId = dialog.clientId.pipe((id) => (id._tag === "Some" ? id.value : undefined))!
        yield* engine.client(Access.system, new Client.SetClientTags({ clientId, tags: tags.map((entry) => Client.ClientTag.make({ tagId: TagId.make(entry.id), pinned: entry.pinned })) }))
      })
    )
  }

  beforeAll(async () => {
    await runtime.runPromise(seedIfEmpty)
    for (let index = 0; index < extra; index++) {
      const response = await inbound("telegram", { from: `filtered-${index}`, profile: { name: `Filtered ${index}` }, message: { text: `Question ${index}` } })
      expect(response.status).toBe(202)
    }
    anna = await signIn("anna")
    sue = await signIn("sue")
    await tag("Maria Kovalenko", [{ id: "vip", pinned: true }])
    await tag("Tom Becker", [{ id: "vip", pinned: false }, { id: "wholesale", pinned: false }])
    await tag("Priya Nair", [{ id: "wholesale", pinned: false }])
  })

  afterAll(async () => {
    await runtime.dispose()
    cleanup()
  })

  it("narrows by channel, by who wrote last and by the client's tags", async () => {
    const website = ["Daniel Cohen", "Jonas Berg", "Lukas Schmidt", "Tom Becker"]
    expect(await names("/panel/dialogs?folder=new&channel=website")).toEqual(website)
    expect(await names("/panel/dialogs?folder=new&channel=website&q=refund")).toEqual(["Jonas Berg"])
    // Anna's Mine: the client wrote last in two (they said thanks after her reply), she did in three.
    expect(await names("/panel/dialogs?folder=mine&writer=client")).toEqual(["Kenji Watanabe", "Marco Rossi"])
    expect(await names("/panel/dialogs?folder=mine&writer=staff")).toEqual(["Emma Wilson", "Olena Shevchenko", "Sofia Garcia"])
    // A tag (all of one), a pinned tag, no tags.
    expect(await names("/panel/dialogs?folder=new&tag=vip")).toEqual(["Maria Kovalenko", "Tom Becker"])
    expect(await names("/panel/dialogs?folder=new&tag=wholesale&channel=website")).toEqual(["Tom Becker"])
    expect(await names("/panel/dialogs?folder=new&tags=pinned")).toEqual(["Maria Kovalenko"])
    expect(await names("/panel/dialogs?folder=new&tags=none&channel=website")).toEqual(["Daniel Cohen", "Jonas Berg", "Lukas Schmidt"])
    expect(await names("/panel/dialogs?folder=new&tag=nobody-has-this")).toEqual([])
    // Several tags: clients with all of them.
    expect(await names("/panel/dialogs?folder=new&tag=" + encodeURIComponent("vip, wholesale"))).toEqual(["Tom Becker"])
    expect(await names("/panel/dialogs?folder=new&tag=" + encodeURIComponent("wholesale vip wholesale"))).toEqual(["Tom Becker"])
  })

  it("lists a folder's client tags with colour and dialog count, most used first; each toggles the tag in the filter (DLG-21)", async () => {
    /** The choices of a tag-choices answer: id, name, count, colour, and where choosing it leads (tag and tags of its URL). */
    const choices = async (path: string, who: Session = anna) => {
      const response = await swap(who, path, "tag-choices")
      expect(response.status, path).toBe(200)
      const html = await response.text()
      return [...html.matchAll(/<a class="tag-chip( selected)?" href="([^"]+)"[\s\S]*?data-tag="([^"]+)"[\s\S]*?fill="([^"]+)"[\s\S]*?<span class="tag-name">([^<]*)<\/span><span class="tag-count"[^>]*>(\d+)<\/span>/g)]
        .map(([, selected, href, id, fill, name, count]) => {
          const params = new URL(unescapeHtml(href!), "http://localhost").searchParams
          return { id, name: unescapeHtml(name!), dialogs: Number(count), color: fill, selected: selected !== undefined, tag: params.get("tag"), tags: params.get("tags") }
        })
    }
    // New, as tagged above: vip and wholesale twice each (equal counts by id); names and colours from the demo's catalog.
    expect(await choices("/panel/dialogs/tags?folder=new")).toEqual([
      { id: "vip", name: "VIP", dialogs: 2, color: "#d97706", selected: false, tag: "vip", tags: null },
      { id: "wholesale", name: "Wholesale", dialogs: 2, color: "#2563eb", selected: false, tag: "wholesale", tags: null }
    ])
    // Counted over the list as filtered: a chosen tag leads back out of the filter; another is added to it (AND).
    expect(await choices("/panel/dialogs/tags?folder=new&tag=vip&channel=website")).toEqual([
      { id: "vip", name: "VIP", dialogs: 1, color: "#d97706", selected: true, tag: null, tags: null },
      { id: "wholesale", name: "Wholesale", dialogs: 1, color: "#2563eb", selected: false, tag: "vip,wholesale", tags: null }
    ])
    expect(await choices("/panel/dialogs/tags?folder=new&tag=vip")).toEqual([
      { id: "vip", name: "VIP", dialogs: 2, color: "#d97706", selected: true, tag: null, tags: null },
      { id: "wholesale", name: "Wholesale", dialogs: 1, color: "#2563eb", selected: false, tag: "vip,wholesale", tags: null }
    ])
    // "A pinned tag" counts the pinned-tag clients' tags, and a tag chosen there replaces it; "no tags" leaves none to choose.
    expect((await choices("/panel/dialogs/tags?folder=new&tags=pinned")).map((choice) => [choice.id, choice.dialogs, choice.tag, choice.tags])).toEqual([["vip", 1, "vip", null]])
    const none = await (await swap(anna, "/panel/dialogs/tags?folder=new&tags=none", "tag-choices")).text()
    expect(none).toContain("Only clients without tags are shown")
    // Chosen tags move to the front.
    expect((await choices("/panel/dialogs/tags?folder=new&tag=wholesale")).map((choice) => [choice.id, choice.selected, choice.tag])).toEqual([
      ["wholesale", true, null],
      ["vip", false, "wholesale,vip"]
    ])
    // A tag of the filter no client here carries stays listed, at 0, grey when the catalog does not know it.
    expect((await choices("/panel/dialogs/tags?folder=new&tag=nobody-has-this")).at(0)).toEqual(
      { id: "nobody-has-this", name: "nobody-has-this", dialogs: 0, color: "#9aa3ae", selected: true, tag: null, tags: null }
    )
    // The folder as each user sees it: Anna's own active dialogs, everyone's for Sue.
    expect((await choices("/panel/dialogs/tags?folder=active")).map((choice) => [choice.id, choice.dialogs])).toEqual([["vip", 2], ["returning", 1], ["wholesale", 1]])
    expect((await choices("/panel/dialogs/tags?folder=active", sue)).map((choice) => [choice.id, choice.dialogs])).toEqual([["vip", 2], ["wholesale", 2], ["returning", 1]])
    expect((await choices("/panel/dialogs/tags?folder=archive", sue)).map((choice) => [choice.id, choice.dialogs])).toEqual([["returning", 2], ["vip", 1]])
    // A client's pinned tags show under their name in the rows, with the catalog's names and colours.
    const list = await (await get(anna, "/panel/dialogs?folder=new&tag=vip")).text()
    const pinnedUnder = (name: string) => {
      const row = list.slice(list.indexOf(`<span class="client-name">${name}</span>`)).split("</li>")[0]!
      return [...row.matchAll(/<span class="row-tag" data-tag="([^"]+)"><svg[^>]*><circle[^>]*fill="([^"]+)"[^>]*><\/circle><\/svg>([^<]*)<\/span>/g)].map(([, id, fill, name]) => [id, fill, name])
    }
    expect(pinnedUnder("Maria Kovalenko")).toEqual([["vip", "#d97706", "VIP"]])
    expect(pinnedUnder("Tom Becker")).toEqual([])
    // The list's filters offer them: loaded when the filters open, or at once when they open with the page.
    const closed = await (await get(anna, "/panel/dialogs?folder=new")).text()
    expect(attributeOf(closed, 'id="tag-choices"', "hx-get")).toBe("/panel/dialogs/tags?folder=new")
    expect(attributeOf(closed, 'id="tag-choices"', "hx-trigger")).toBe("toggle from:closest details once")
    const open = await (await get(anna, "/panel/dialogs?folder=new&tag=vip")).text()
    expect(attributeOf(open, 'id="tag-choices"', "hx-get")).toBe("/panel/dialogs/tags?folder=new&tag=vip")
    expect(attributeOf(open, 'id="tag-choices"', "hx-trigger")).toBe("load")
    // A bad list there is a 400 naming the parameter, as for the list itself.
    const bad = await swap(anna, "/panel/dialogs/tags?folder=everything", "tag-choices")
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain("folder")
  })

  it("narrows by a period with messages in it, in days of the server's time zone", async () => {
    const today = await names("/panel/dialogs?folder=new&channel=website")
    expect(await names(`/panel/dialogs?folder=new&channel=website&from=${day(0)}`)).toEqual(today)
    expect(await names(`/panel/dialogs?folder=new&channel=website&to=${day(0)}`)).toEqual(today)
    expect(await names(`/panel/dialogs?folder=new&channel=website&from=${day(0)}&to=${day(0)}`)).toEqual(today)
    expect(await names(`/panel/dialogs?folder=new&channel=website&from=${day(-30)}&to=${day(-1)}`)).toEqual([])
    expect(await names(`/panel/dialogs?folder=new&channel=website&from=${day(1)}`)).toEqual([])
    const page = await (await get(anna, "/panel/dialogs?folder=new")).text()
    expect(page).toContain(`Days in ${unescapeHtml(Intl.DateTimeFormat().resolvedOptions().timeZone)}, the server&#39;s time zone.`)
  })

  it("narrows by operator for a supervisor, who alone gets the operator filter", async () => {
    expect(await names("/panel/dialogs?folder=active&operator=boris", sue)).toEqual(["Chloé Martin", "Ivan Petrenko", "Noah Müller"])
    expect(await names("/panel/dialogs?folder=active&operator=boris&channel=website", sue)).toEqual(["Ivan Petrenko", "Noah Müller"])
    expect(await (await get(sue, "/panel/dialogs?folder=active")).text()).toContain('data-testid="filter-operator"')
    expect(await (await get(anna, "/panel/dialogs?folder=mine")).text()).not.toContain('data-testid="filter-operator"')
  })

  it("keeps the filters in the live refresh, the row links, Load more, the form and the pushed URL; a folder link drops them", async () => {
    const path = "/panel/dialogs?folder=new&channel=telegram&writer=client&tags=none&from=" + day(-1)
    const page = await (await get(anna, path)).text()
    const kept = (url: string | undefined) => {
      const params = new URL(url ?? "/missing", "http://localhost").searchParams
      return [params.get("folder"), params.get("channel"), params.get("writer"), params.get("tags"), params.get("from"), params.get("tag")]
    }
    const expected = ["new", "telegram", "client", "none", day(-1), null]
    expect(kept(attributeOf(page, 'id="dialog-results"', "hx-get"))).toEqual(expected)
    const [first] = rowIds(page)
    expect(kept(attributeOf(page, `/panel/dialogs/${first}?`, "href"))).toEqual(expected)
    // More than a page: "Load more" carries the filters, and the next page is filtered too.
    const more = attributeOf(page, 'data-testid="load-more"', "hx-get")
    expect(kept(more)).toEqual(expected)
    const next = await (await swap(anna, `${more}&shown=50`, "dialog-more")).text()
    const all = [...rowNames(page), ...rowNames(next)]
    expect(sorted(all)).toEqual(sorted(["Ana Silva", ...Array.from({ length: extra }, (_, index) => `Filtered ${index}`)]))
    expect(all).not.toContain("Maria Kovalenko")
    expect(all).not.toContain("Priya Nair")
    // The form shows them, open, with their count on its summary.
    expect(attributeOf(page, 'data-testid="filter-channel"', "name")).toBe("channel")
    expect(page).toMatch(/<option value="telegram" selected="">Telegram<\/option>/)
    expect(page).toMatch(/<option value="client" selected="">The client<\/option>/)
    expect(attributeOf(page, 'data-testid="filter-from"', "value")).toBe(day(-1))
    expect(attributeOf(page, 'data-testid="filters"', "open")).toBe("")
    expect(page).toMatch(/data-testid="filter-count"[^>]*>4<\/span>/)
    // Filtering from the form (htmx): the rows, the count out of band, the canonical URL pushed.
    const filtered = await swap(anna, `/panel/dialogs?folder=new&q=&channel=website&writer=&tag=&tags=&from=&to=`, "dialog-results", { "HX-Trigger": "dialog-search" })
    expect(filtered.headers.get("HX-Push-Url")).toBe("/panel/dialogs?folder=new&channel=website")
    const html = await filtered.text()
    expect(sorted(rowNames(html))).toEqual(["Daniel Cohen", "Jonas Berg", "Lukas Schmidt", "Tom Becker"])
    expect(html).toMatch(/<span id="filter-count" class="badge badge-info"[^>]*hx-swap-oob="true"[^>]*>1<\/span>/)
    // The dialog page lists the filtered folder beside the dialog, and its actions carry the filters.
    const opened = await (await get(anna, `/panel/dialogs/${first}?folder=new&channel=telegram&writer=client`)).text()
    expect(rowIds(opened)).toContain(first)
    expect(rowNames(opened)).not.toContain("Tom Becker")
    expect(kept(attributeOf(opened, `/panel/dialogs/${first}/unread?`, "action"))).toEqual(["new", "telegram", "client", null, null, null])
    // Folder links in the sidebar and "Clear filters" start without them.
    expect(attributeOf(page, 'data-testid="folder-mine"', "href")).toBe("/panel/dialogs?folder=mine")
    expect(attributeOf(page, 'data-testid="clear-filters"', "href")).toBe("/panel/dialogs?folder=new")
    const unfiltered = await (await get(anna, "/panel/dialogs?folder=new")).text()
    expect(attributeOf(unfiltered, 'data-testid="filters"', "open")).toBeUndefined()
    expect(unfiltered).toMatch(/data-testid="filter-count"[^>]*>0<\/span>/)
  })

  it("reads a form sent without JavaScript: empty fields are no filter", async () => {
    const all = await names("/panel/dialogs?folder=mine")
    expect(all).toHaveLength(5)
    expect(await names("/panel/dialogs?folder=mine&q=&channel=&writer=&tag=&tags=&from=&to=")).toEqual(all)
    expect(await names("/panel/dialogs?folder=mine&q=&channel=website&writer=&tag=&tags=&from=&to=")).toEqual(["Kenji Watanabe", "Marco Rossi"])
  })

  it("answers 400 naming the parameter for a filter it cannot apply", async () => {
    // Each with its English reason (the user's browser is English) and its Ukrainian one, from the catalogs (issue 22).
    const notADay = ["must be a real date, written YYYY-MM-DD", "має бути справжньою датою у форматі РРРР-ММ-ДД"] as const
    const cases: ReadonlyArray<readonly [Session, string, string, string]> = [
      [anna, "/panel/dialogs?folder=new&channel=nope", "Channel: no such channel", "Канал: такого каналу немає"],
      [anna, "/panel/dialogs?folder=new&writer=bot", "Last written by: must be one of: client, staff", "Останнім написав: має бути одним із: client, staff"],
      [anna, "/panel/dialogs?folder=new&tags=all", "Client tags: must be one of: none, pinned", "Теги клієнта: має бути одним із: none, pinned"],
      [anna, "/panel/dialogs?folder=new&tag=vip&tags=none", "Client tags: choose a tag or “no tags”, not both", "Теги клієнта: виберіть тег або «без тегів», але не обидва"],
      [anna, "/panel/dialogs?folder=new&tag=vip&tags=pinned", "Client tags: choose a tag or “a pinned tag”, not both", "Теги клієнта: виберіть тег або «закріпленим тегом», але не обидва"],
      [anna, `/panel/dialogs?folder=new&tag=${"t".repeat(101)}`, "Client tags: at most 100 characters", "Теги клієнта: щонайбільше 100 символів"],
      [anna, "/panel/dialogs?folder=new&from=2026-02-30", `from: ${notADay[0]}`, `from: ${notADay[1]}`],
      [anna, "/panel/dialogs?folder=new&from=20260101", `from: ${notADay[0]}`, `from: ${notADay[1]}`],
      [anna, "/panel/dialogs?folder=new&to=1969-12-31", `to: ${notADay[0]}`, `to: ${notADay[1]}`],
      [anna, `/panel/dialogs?folder=new&from=${day(0)}&to=${day(-1)}`, "to: the period ends before it starts", "to: період закінчується раніше, ніж починається"],
      [anna, "/panel/dialogs?folder=active&operator=boris", "Operator: you see only your own dialogs", "Оператор: вам видно лише ваші власні діалоги"],
      [sue, "/panel/dialogs?folder=active&operator=nobody", "Operator: no such operator", "Оператор: такого оператора немає"],
      [sue, "/panel/dialogs?folder=active&operator=%20boris", "Operator: is not in the expected format", "Оператор: має неправильний формат"],
      [anna, "/panel/dialogs/x?folder=new&channel=nope", "Channel: no such channel", "Канал: такого каналу немає"],
      [anna, "/panel/dialogs/x?folder=new&operator=boris", "Operator: you see only your own dialogs", "Оператор: вам видно лише ваші власні діалоги"]
    ]
    for (const [who, path, reason, ukrainian] of cases) {
      const page = await get(who, path)
      expect(page.status, path).toBe(400)
      expect(unescapeHtml(await page.text()), path).toContain(reason)
      const fragment = await swap(who, path, "dialog-results")
      expect(fragment.status, path).toBe(400)
      expect(fragment.headers.get("HX-Retarget"), path).toBe("#notice")
      // A Ukrainian user reads the reason in Ukrainian, not the route's English.
      const inUkrainian = await swap(who, path, "dialog-results", { "Accept-Language": "uk" })
      expect(inUkrainian.status, path).toBe(400)
      const text = unescapeHtml(await inUkrainian.text())
      expect(text, path).toContain(ukrainian)
      expect(text, path).not.toContain(reason.slice(reason.indexOf(":")))
    }
  })

  it("sets a client's tags from the open dialog: catalog tags, each pinned or not; the list shows the pinned ones (DLG-21)", async () => {
    const [olena] = rowIds(await (await get(anna, "/panel/dialogs?folder=mine&q=invoice")).text())
    /** The checkboxes of the pane's tag form: [tag id, checked] of the tag boxes, or the ids of the checked pinned boxes. */
    const boxes = (html: string, kind: "tag" | "pinned") =>
      [...html.matchAll(/<input [^>]*>/g)].map(([input]) => [/data-testid="client-tag-(pinned-)?([a-z-]+)"/.exec(input), input.includes(" checked")] as const)
        .filter(([testId]) => testId !== null && (testId[1] !== undefined) === (kind === "pinned"))
        .map(([testId, checked]) => [testId![2]!, checked] as const)
    const tagsOf = (html: string) => boxes(html, "tag").map(([id, checked]) => [id, checked])
    const pinnedOf = (html: string) => boxes(html, "pinned").filter(([, checked]) => checked).map(([id]) => id)
    const pane = await (await get(anna, `/panel/dialogs/${olena}?folder=mine`)).text()
    // The demo's Olena: VIP (pinned) and Wholesale of the catalog's three.
    expect(tagsOf(pane)).toEqual([["vip", true], ["wholesale", true], ["returning", false]])
    expect(pinnedOf(pane)).toEqual(["vip"])
    // A pinned box counts only for a chosen tag.
    const saved = await post(anna, `/panel/dialogs/${olena}/client-tags?folder=mine`, { tag: ["returning", "vip"], pinned: ["returning", "wholesale"] })
    expect(saved.status).toBe(200)
    const after = await saved.text()
    expect(tagsOf(after)).toEqual([["vip", true], ["wholesale", false], ["returning", true]])
    expect(pinnedOf(after)).toEqual(["returning"])
    const list = await (await get(anna, "/panel/dialogs?folder=mine&q=invoice")).text()
    expect(list).toContain('<span class="row-tag" data-tag="returning">')
    expect(list).not.toContain('<span class="row-tag" data-tag="vip">')
    // Nothing chosen takes every tag away; a tag the company does not have is a 400 naming it.
    const bad = await post(anna, `/panel/dialogs/${olena}/client-tags?folder=mine`, { tag: ["vip", "made-up"] })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain("The company has no tag “made-up”")
    expect(tagsOf(await (await post(anna, `/panel/dialogs/${olena}/client-tags?folder=mine`, {})).text()).filter(([, on]) => on)).toEqual([])
    // Boris may not see Anna's dialog, so he may not tag its client either.
    const boris = await signIn("boris")
    expect((await post(boris, `/panel/dialogs/${olena}/client-tags?folder=mine`, { tag: "vip" })).status).toBe(404)
    expect(tagsOf(await (await get(anna, `/panel/dialogs/${olena}?folder=mine`)).text()).filter(([, on]) => on)).toEqual([])
  })

  it("narrows by the bot answering, a filter offered once a channel hands dialogs to a bot (DLG-21)", async () => {
    expect(await (await get(anna, "/panel/dialogs?folder=bot")).text()).not.toContain('data-testid="filter-bot"')
    await runtime.runPromise(Effect.flatMap(storeService, (store) => store.putChannel(Channel.Channel.make({ id: ChannelId.make("viber"), kind: "viber", name: "Viber", botId: BotId.make("faq") }))))
    const response = await inbound("viber", { from: "bot-1", profile: { name: "Bohdan Botchenko" }, message: { text: "What does delivery cost?" } })
    expect(response.status).toBe(202)
    const page = await (await get(anna, "/panel/dialogs?folder=bot&bot=faq")).text()
    expect(sorted(rowNames(page))).toEqual(["Bohdan Botchenko"])
    expect(page).toMatch(/<option value="faq" selected="">Bot faq<\/option>/)
    expect(page).toMatch(/data-testid="filter-count"[^>]*>1<\/span>/)
    // Dialogs no bot holds are never a bot's.
    expect(await names("/panel/dialogs?folder=new&bot=faq")).toEqual([])
    const bad = await get(anna, "/panel/dialogs?folder=bot&bot=nobody")
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain("Bot: no channel hands dialogs to such a bot")
    expect(unescapeHtml(await (await swap(anna, "/panel/dialogs?folder=bot&bot=nobody", "dialog-results", { "Accept-Language": "uk" })).text())).toContain("Бот: жоден канал не передає діалоги такому боту")
  })
})
