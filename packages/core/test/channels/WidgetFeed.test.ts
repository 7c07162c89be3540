import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc, Option } from "effect"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Delivery, Message } from "../../src/messages/Message.js"
import type { StoredEvent } from "../../src/ports/EventStore.js"
import { DialogId, MessageId, UserId } from "../../src/shared/Ids.js"
import { VisitorFeed } from "../../src/channels/WidgetFeed.js"

const dialogId = DialogId.make("dlg_1")

/** One step of a widget dialog's history, as a test draws it. */
type Step =
  | { readonly _tag: "visitor" }
  | { readonly _tag: "staff"; readonly internal: boolean }
  | { readonly _tag: "delivery"; readonly pick: number; readonly status: "sent" | "delivered" | "read" }
  | { readonly _tag: "read"; readonly count: number }
  | { readonly _tag: "edit"; readonly pick: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ _tag: "visitor" }),
  fc.boolean().map((internal): Step => ({ _tag: "staff", internal })),
  fc.record({ pick: fc.nat(), status: fc.constantFrom("sent" as const, "delivered" as const, "read" as const) }).map((value): Step => ({ _tag: "delivery", ...value })),
  fc.nat({ max: 20 }).map((count): Step => ({ _tag: "read", count })),
  fc.nat().map((pick): Step => ({ _tag: "edit", pick }))
)

/** The stored events of a drawn history, at increasing (gapped) store positions. */
const history = (steps: ReadonlyArray<Step>): ReadonlyArray<StoredEvent> => {
  const events: Array<StoredEvent> = []
  const messages: Array<Message> = []
  let position = 0
  const push = (event: Dialog.DialogEvent) => {
    position += 1 + (events.length % 3)
    events.push({ position, streamId: `dialog:${dialogId}`, version: events.length + 1, event })
  }
  for (const drawn of steps) {
    const seq = messages.length + 1
    const message = (author: Message["author"], internal: boolean) =>
      new Message({
        id: MessageId.make(`${dialogId}.m${seq}`),
        dialogId,
        seq,
        author,
        internal,
        text: internal ? `internal note ${seq}` : `text ${seq}`,
        attachments: [],
        quoteOf: Option.none(),
        createdAt: seq,
        editedAt: Option.none(),
        deletedAt: Option.none(),
        delivery: author._tag === "Client" ? Option.none() : Option.some(new Delivery({ status: "queued", at: seq })),
        rejected: false,
        externalId: Option.none()
      })
    switch (drawn._tag) {
      case "visitor": {
        const received = message({ _tag: "Client" }, false)
        messages.push(received)
        push(new Dialog.ClientMessageReceived({ message: received }))
        break
      }
      case "staff": {
        const sent = message({ _tag: "Operator", userId: UserId.make("anna") }, drawn.internal)
        messages.push(sent)
        push(new Dialog.StaffMessageSent({ message: sent }))
        break
      }
      case "delivery": {
        const target = messages[drawn.pick % Math.max(1, messages.length)]
        if (target !== undefined) push(new Dialog.DeliveryUpdated({ messageId: target.id, delivery: new Delivery({ status: drawn.status, at: 0 }) }))
        break
      }
      case "read":
        push(new Dialog.DialogRead({ userId: UserId.make("anna"), clientMessageCount: drawn.count, at: 0 }))
        break
      case "edit": {
        const target = messages[drawn.pick % Math.max(1, messages.length)]
        if (target !== undefined) push(new Dialog.MessageEdited({ messageId: target.id, text: `edited ${target.internal ? "internal note" : "text"}`, by: "anna", at: 0 }))
        break
      }
    }
  }
  return events
}

/** What the visitor is shown, without the delivery bookkeeping. */
const shown = (items: ReadonlyArray<{ readonly position: number; readonly event: unknown }>) => items.map((item) => [item.position, item.event])

describe("VisitorFeed", () => {
  it.prop("a stream cut after any event and resumed from its id shows every event once, in order", [fc.array(step, { maxLength: 40 }), fc.nat()], ([steps, cutAt]) => {
    const events = history(steps)
    const live = new VisitorFeed()
    const all = events.flatMap((stored) => Option.toArray(live.next(stored)))
    // The widget took everything up to the cut; the resumed stream replays the dialog after the last id it saw.
    const cut = events.length === 0 ? 0 : events[cutAt % events.length]!.position
    const before = all.filter((item) => item.position <= cut)
    const resumed = new VisitorFeed().replay(events, cut)
    expect(shown([...before, ...resumed])).toEqual(shown(all))
  })

  it.prop("internal notes, and edits or statuses of them, never reach the visitor", [fc.array(step, { maxLength: 40 })], ([steps]) => {
    const items = new VisitorFeed().replay(history(steps), 0)
    expect(JSON.stringify(items)).not.toContain("internal note")
  })

  it.prop("a replay marks delivered only our messages no later event delivered or read", [fc.array(step, { maxLength: 40 })], ([steps]) => {
    const events = history(steps)
    const marked = new VisitorFeed().replay(events, 0).flatMap((item) => Option.toArray(item.deliver))
    const advanced = new Set(events.flatMap((stored) => (stored.event._tag === "DeliveryUpdated" && stored.event.delivery.status !== "sent" ? [stored.event.messageId as string] : [])))
    for (const id of marked) expect(advanced.has(id)).toBe(false)
  })
})
