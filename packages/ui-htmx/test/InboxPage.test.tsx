import { describe, expect, it } from "vitest"
import { Contract, DialogList, DialogMore, DialogRow, InboxPage, TagChoices } from "../src/index.js"
import { byTestId, chrome, dialog, hostile, list, one, render, row, textOf } from "./helpers.js"

const rowOf = async (overrides: Parameters<typeof row>[0]) => one(await render(<ul><DialogRow row={row(overrides)} list={{ folder: "new" }} /></ul>), Contract.testIds.dialogRow)

describe("a dialog list row", () => {
  it("shows the client's name and last message as text, never as markup", async () => {
    const line = await rowOf({ clientName: hostile, preview: hostile })
    expect(textOf(line.querySelector(".client-name")!)).toBe(hostile)
    expect(textOf(line.querySelector(".preview")!)).toBe(hostile)
    expect(line.querySelectorAll("img")).toHaveLength(0)
  })

  it("links to the dialog beside the same list, as a real link htmx enhances", async () => {
    const link = (await rowOf({ id: "dlg 1/2" })).querySelector("a")!
    expect(link.getAttribute("href")).toBe(Contract.routes.dialog("dlg 1/2", { folder: "new" }))
    expect(link.getAttribute("href")).toBe("/panel/dialogs/dlg%201%2F2?folder=new")
    expect(link.getAttribute("hx-get")).toBe(link.getAttribute("href"))
  })

  it("marks the viewer's draft as a draft and shows an unread badge only for unread dialogs (DLG-09, DLG-11)", async () => {
    const draft = await rowOf({ preview: "let me check", previewIsDraft: true, unread: 2 })
    expect(textOf(draft.querySelector(".preview")!)).toBe("Draft: let me check")
    expect(textOf(one(draft, "row-unread"))).toBe("2")
    expect(draft.classList.contains("unread")).toBe(true)
    const read = await rowOf({ preview: "hello" })
    expect(textOf(read.querySelector(".preview")!)).toBe("hello")
    expect(byTestId(read, "row-unread")).toHaveLength(0)
    expect(read.classList.contains("unread")).toBe(false)
  })

  it("labels an SLA close to or past its target, and nothing otherwise (SLA-04)", async () => {
    expect(textOf(one(await rowOf({ sla: "warning" }), "row-sla"))).toBe("SLA soon")
    expect(textOf(one(await rowOf({ sla: "breached" }), "row-sla"))).toBe("SLA breached")
    expect(byTestId(await rowOf({}), "row-sla")).toHaveLength(0)
  })

  it("shows the client's pinned tags with their colours, the swatch hidden from screen readers (DLG-21)", async () => {
    const line = await rowOf({ pinnedTags: [{ id: "vip", name: "VIP", color: "#d4a017" }] })
    const tags = one(line, Contract.testIds.rowTags)
    expect(textOf(tags)).toBe("VIP")
    expect(tags.querySelector("circle")!.getAttribute("fill")).toBe("#d4a017")
    expect(tags.querySelector("svg")!.getAttribute("aria-hidden")).toBe("true")
    expect(byTestId(await rowOf({}), Contract.testIds.rowTags)).toHaveLength(0)
  })
})

describe("the dialog list", () => {
  it("says why it is empty: nothing in the folder, nothing matching the search, nothing matching the filters", async () => {
    const empty = async (overrides: Parameters<typeof list>[0]) => textOf(one(await render(<DialogList list={list({ rows: [], ...overrides })} />), Contract.testIds.listEmpty))
    expect(await empty({})).toBe("No dialogs here.")
    expect(await empty({ q: hostile })).toBe(`No dialogs match “${hostile}”.`)
    expect(await empty({ q: "parcel", filters: { channel: "tg" } })).toBe("No dialogs match “parcel” with these filters.")
    expect(await empty({ filters: { writer: "client" } })).toBe("No dialogs match these filters.")
    expect(byTestId(await render(<DialogList list={list()} />), Contract.testIds.listEmpty)).toHaveLength(0)
    // The list with rows carries the same text, for when live updates take its last row away (panel.js).
    const results = one(await render(<DialogList list={list({ q: "parcel", filters: { channel: "tg" } })} />), Contract.testIds.dialogResults)
    expect(results.getAttribute("data-empty")).toBe("No dialogs match “parcel” with these filters.")
  })

  it("keeps the search text in the box, as a value and not markup", async () => {
    const box = one(await render(<DialogList list={list({ q: hostile })} />), Contract.testIds.searchText)
    expect(box.getAttribute("value")).toBe(hostile)
    expect(box.getAttribute("maxlength")).toBe(String(Contract.searchMaxLength))
    expect(box.getAttribute("aria-label")).toBe("Search dialogs by client name or message text")
  })

  it("offers Load more only when there may be more, linking to the next page of the same list", async () => {
    const more = one(await render(<DialogList list={list({ q: "parcel", nextCursor: "c2" })} />), Contract.testIds.loadMore)
    expect(more.getAttribute("href")).toBe(Contract.routes.list({ folder: "new", q: "parcel", filters: {} }, { cursor: "c2" }))
    expect(byTestId(await render(<DialogList list={list()} />), Contract.testIds.loadMore)).toHaveLength(0)
  })

  it("a Load more answer brings the next rows and updates how many the list shows, out of band", async () => {
    const page = await render(<DialogMore list={list({ rows: [row({ id: "a" }), row({ id: "b" })], shown: 52 })} />)
    expect(byTestId(page, Contract.testIds.dialogRow).map((line) => line.getAttribute("data-dialog-id"))).toEqual(["a", "b"])
    const shown = page.querySelector(`#${Contract.ids.dialogShown}`)!
    expect(shown.getAttribute("value")).toBe("52")
    expect(shown.getAttribute("hx-swap-oob")).toBe("true")
  })

  it("folds the filters away until one is on, and counts the ones on", async () => {
    const closed = await render(<DialogList list={list()} />)
    expect(one(closed, Contract.testIds.filters).hasAttribute("open")).toBe(false)
    expect(one(closed, Contract.testIds.filterCount).classList.contains("hidden")).toBe(true)
    const open = await render(<DialogList list={list({ filters: { channel: "tg", from: "2026-03-01", to: "2026-03-02" } })} />)
    expect(one(open, Contract.testIds.filters).hasAttribute("open")).toBe(true)
    expect(textOf(one(open, Contract.testIds.filterCount))).toBe("2")
    expect(one(open, Contract.testIds.filter("channel")).querySelector("option[selected]")!.getAttribute("value")).toBe("tg")
  })

  it("offers the operator filter only to those who see other operators' dialogs, and the bot filter only with a bot", async () => {
    const operator = await render(<DialogList list={list()} />)
    expect(byTestId(operator, Contract.testIds.filter("operator"))).toHaveLength(0)
    expect(byTestId(operator, Contract.testIds.filter("bot"))).toHaveLength(0)
    const options = { channels: [], operators: [{ id: "anna", name: "Anna" }], bots: [{ id: "faq", name: "FAQ bot" }], timeZone: "UTC" }
    const supervisor = await render(<DialogList list={list({ filterOptions: options })} />)
    expect(one(supervisor, Contract.testIds.filter("operator")).querySelectorAll("option").map(textOf)).toEqual(["Any operator", "Anna"])
    expect(one(supervisor, Contract.testIds.filter("bot")).querySelectorAll("option").map(textOf)).toEqual(["Any or none", "FAQ bot"])
  })

  it("shows each tag choice as a link that says whether it is on (aria-current, not aria-pressed: a link is no toggle button) (DLG-21)", async () => {
    const choices = [
      { id: "vip", name: "VIP", color: "#d4a017", dialogs: 3, selected: true, toggled: { folder: "new" as const } },
      { id: "b2b", name: "B2B", color: "#3366cc", dialogs: 1, selected: false, toggled: { folder: "new" as const, filters: { tag: "vip b2b" } } }
    ]
    const chips = byTestId(await render(<TagChoices choices={choices} />), Contract.testIds.tagChoice)
    expect(chips.map((chip) => [chip.getAttribute("data-tag"), chip.getAttribute("aria-current")])).toEqual([["vip", "true"], ["b2b", undefined]])
    expect(chips[1]!.getAttribute("href")).toBe(Contract.routes.list({ folder: "new", filters: { tag: "vip b2b" } }))
    expect(textOf(one(await render(<TagChoices choices={[]} />), Contract.testIds.tagChoices))).toBe("No client in this list has a tag.")
  })
})

describe("the inbox page", () => {
  it("shows the open dialog beside the list, or asks to choose one", async () => {
    const open = await render(<InboxPage chrome={chrome()} list={list()} dialog={dialog()} />)
    expect(one(open, Contract.testIds.dialogView).getAttribute("data-dialog-id")).toBe("dlg_1")
    expect(byTestId(open, Contract.testIds.dialogRow)).toHaveLength(1)
    const none = await render(<InboxPage chrome={chrome()} list={list()} dialog={undefined} />)
    expect(textOf(one(none, Contract.testIds.dialogView))).toBe("Choose a dialog on the left.")
  })
})
