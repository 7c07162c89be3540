import type { DialogListView, DialogRowView, DialogView, MessageView, PanelChrome } from "../src/index.js"
import type { JSX } from "hono/jsx/jsx-runtime"
import { type HTMLElement, parse } from "node-html-parser"

/** Render a component to HTML, as the server sends it. */
export const html = async (node: JSX.Element): Promise<string> => String(await node.toString())

/** Render a component and parse the HTML, to query it as a browser's DOM would be. */
export const render = async (node: JSX.Element): Promise<HTMLElement> => parse(await html(node))

/** Every element with this `data-testid`. */
export const byTestId = (root: HTMLElement, testId: string): ReadonlyArray<HTMLElement> => root.querySelectorAll(`[data-testid="${testId}"]`)

/** The one element with this `data-testid`; fails the test when there is none or several. */
export const one = (root: HTMLElement, testId: string): HTMLElement => {
  const found = byTestId(root, testId)
  if (found.length !== 1) throw new Error(`expected one element with data-testid="${testId}", found ${found.length}`)
  return found[0]!
}

/** The text a user reads in an element: entities decoded, whitespace collapsed. */
export const textOf = (element: HTMLElement): string => element.text.replace(/\s+/g, " ").trim()

/** Text a client could send, which must reach the page as text, never as markup. */
export const hostile = `<img src=x onerror="alert(1)"> & "quotes"`

export const chrome = (overrides: Partial<PanelChrome> = {}): PanelChrome => ({
  user: { id: "anna", name: "Anna", role: "operator", status: "Online" },
  counters: { total: 0, new: 0, mine: 0 },
  folders: [
    { id: "new", unread: 0 },
    { id: "mine", unread: 2 },
    { id: "archive" }
  ],
  folder: "new",
  csrfToken: "token-123",
  position: 42,
  ...overrides
})

export const row = (overrides: Partial<DialogRowView> = {}): DialogRowView => ({
  id: "dlg_1",
  clientName: "Olena Shevchenko",
  channelName: "Telegram",
  status: "queued",
  preview: "Where is my parcel?",
  previewIsDraft: false,
  unread: 0,
  assigneeName: undefined,
  time: "09:15",
  timeIso: "2026-03-02T09:15:00.000Z",
  selected: false,
  sla: undefined,
  pinnedTags: [],
  folders: ["new"],
  sortActivity: "0 -1772442900000",
  sortProcessing: "0 1772442900000",
  channelId: "telegram",
  assigneeId: undefined,
  ...overrides
})

export const list = (overrides: Partial<DialogListView> = {}): DialogListView => ({
  folder: "new",
  q: "",
  filters: {},
  filterOptions: { channels: [{ id: "tg", name: "Telegram" }], operators: undefined, bots: [], timeZone: "Europe/Kyiv" },
  rows: [row()],
  nextCursor: undefined,
  shown: 1,
  ...overrides
})

export const message = (overrides: Partial<MessageView> = {}): MessageView => ({
  id: "msg_1",
  dialogId: "dlg_1",
  author: "client",
  authorName: "Olena Shevchenko",
  text: "Where is my parcel?",
  internal: false,
  time: "09:15",
  timeIso: "2026-03-02T09:15:00.000Z",
  delivery: undefined,
  edited: false,
  deleted: false,
  rejected: false,
  ...overrides
})

export const dialog = (overrides: Partial<DialogView> = {}): DialogView => ({
  id: "dlg_1",
  clientName: "Olena Shevchenko",
  channelName: "Telegram",
  status: "active",
  assigneeName: "Anna",
  messages: [message()],
  earlier: undefined,
  latest: true,
  canAccept: false,
  canLeave: true,
  canClose: true,
  canWrite: true,
  draft: "",
  closeReasons: [{ id: "solved", name: "Solved" }],
  list: { folder: "mine" },
  slaPolicy: undefined,
  sla: [],
  clientTags: undefined,
  ...overrides
})
