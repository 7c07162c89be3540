import { Option } from "effect"
import { ChannelId, type Dialog, DialogId, type DialogRow, UserId } from "@switchboard/core"
import { DialogRow as DialogRowComponent } from "@switchboard/ui-htmx"
import { describe, expect, it } from "vitest"
import { type Directory } from "../src/panel/Directory.js"
import { rowView } from "../src/panel/ListView.js"
import { displayDue } from "../src/panel/Time.js"

const names: Directory = { channelName: () => "Telegram", operatorName: () => "Anna", operator: () => undefined, operators: [], channels: [], bots: [], tag: (id) => ({ id, name: id, color: "#9aa3ae" }) }

const row = (statuses: Dialog.SlaSnapshot["statuses"], status: DialogRow["status"] = "queued"): DialogRow => ({
  dialogId: DialogId.make("d1"),
  clientId: Option.none(),
  clientName: "Ivan <script>",
  channelId: ChannelId.make("tg"),
  status,
  assigneeId: Option.none(),
  preview: "hi",
  previewIsDraft: false,
  lastWriter: Option.some("Client"),
  lastActivityAt: 0,
  awaitingReplySince: Option.some(0),
  responseDueAt: Option.some(600_000),
  sla: Option.some({ policy: "Standard", statuses, responseDueAt: Option.some(600_000) }),
  unread: 1,
  tags: [],
  clientPinnedTags: [],
  topics: [],
  priority: 0
})

describe("SLA labels in the dialog list (SLA-04)", () => {
  it("yellow when a target is close, red when breached, nothing while running or once closed", async () => {
    expect(rowView(row({ firstResponse: "running", timeToClose: "running" }), names, undefined, { userId: UserId.make("anna"), seesAll: false }).sla).toBeUndefined()
    expect(rowView(row({ firstResponse: "warning", timeToClose: "running" }), names, undefined, { userId: UserId.make("anna"), seesAll: false }).sla).toBe("warning")
    expect(rowView(row({ firstResponse: "breached", timeToClose: "warning" }), names, undefined, { userId: UserId.make("anna"), seesAll: false }).sla).toBe("breached")
    expect(rowView(row({ firstResponse: "breached" }, "closed"), names, undefined, { userId: UserId.make("anna"), seesAll: false }).sla).toBeUndefined()
    const html = String(await (<ul><DialogRowComponent row={rowView(row({ firstResponse: "breached" }), names, undefined, { userId: UserId.make("anna"), seesAll: false })} list={{ folder: "new" }} /></ul>).toString())
    expect(html).toContain('data-sla="breached"')
    expect(html).toContain("SLA breached")
    expect(html).toContain("Ivan &lt;script&gt;")
  })
})

describe("deadlines in the dialog pane (SLA-05)", () => {
  it("show the time, with the day when it is not today", () => {
    const evening = new Date(2026, 10, 21, 23, 55).getTime()
    expect(displayDue(new Date(2026, 10, 21, 23, 58).getTime(), evening)).toBe("23:58")
    expect(displayDue(new Date(2026, 10, 22, 0, 5).getTime(), evening)).toBe("22 Nov 00:05")
  })
})
