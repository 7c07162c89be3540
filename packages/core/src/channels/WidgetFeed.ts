import { Option, Schema } from "effect"
import type { DialogEvent } from "../dialogs/Dialog.js"
import { DeliveryStatus, deliveryRank, type Message } from "../messages/Message.js"
import type { StoredEvent } from "../ports/EventStore.js"

/**
 * What a widget visitor sees of their dialog (CHN-03), as the widget's live stream sends it: their
 * own and our messages (never internal notes), delivery marks of our messages (MSG-02), edits and
 * deletions, and which buttons to show ("any more questions?" Yes/No, DLG-15; the rating, DLG-16).
 * Every item carries the store position of its event: the stream's `id`, so a reconnect resumes
 * after the last one the widget took.
 */
export const VisitorMessage = Schema.Struct({
  id: Schema.String,
  seq: Schema.Number,
  author: Schema.Literal("visitor", "operator", "bot", "system"),
  text: Schema.String,
  at: Schema.Number,
  /**
   * Our messages: how far delivery got (MSG-02). The visitor's own: `sent` once stored, `read` once
   * an operator read the dialog that far (DLG-09).
   */
  status: DeliveryStatus,
  /** `fileId`: the file's id when Switchboard keeps its bytes; the visitor downloads it with their token (`/widget/v1/files/:fileId`). */
  attachments: Schema.Array(Schema.Struct({ name: Schema.String, mime: Schema.String, size: Schema.Number, fileId: Schema.optional(Schema.String) }))
})
export type VisitorMessage = typeof VisitorMessage.Type

/** One change a widget shows. */
export const VisitorEvent = Schema.Union(
  Schema.TaggedStruct("message", { message: VisitorMessage }),
  Schema.TaggedStruct("status", { ids: Schema.Array(Schema.String), status: DeliveryStatus }),
  Schema.TaggedStruct("edited", { id: Schema.String, text: Schema.String }),
  Schema.TaggedStruct("deleted", { id: Schema.String }),
  /** The buttons to show now: Yes/No, the 1–5 rating, or none. */
  Schema.TaggedStruct("prompt", { kind: Schema.Literal("moreQuestions", "rating", "none") })
)
export type VisitorEvent = typeof VisitorEvent.Type

/** A visitor event at its store position; `deliver` names our message the visitor now has (→ `delivered`). */
export interface FeedItem {
  readonly position: number
  readonly event: VisitorEvent
  readonly deliver: Option.Option<string>
}

const visitorMessage = (message: Message): VisitorMessage => ({
  id: message.id,
  seq: message.seq,
  author: message.author._tag === "Client" ? "visitor" : message.author._tag === "Operator" ? "operator" : message.author._tag === "Bot" ? "bot" : "system",
  text: Option.isSome(message.deletedAt) ? "" : message.text,
  at: message.createdAt,
  status: message.author._tag === "Client" ? "sent" : Option.match(message.delivery, { onNone: () => "queued" as const, onSome: (delivery) => delivery.status }),
  attachments: message.attachments.map((file) => ({ name: file.name, mime: file.mime, size: file.size, ...(file.fileId === undefined ? {} : { fileId: file.fileId }) }))
})

/**
 * Folds a dialog's stored events into visitor events. It remembers which messages the visitor may
 * see, so an edit, a deletion or a status of an internal note never reaches them, and the latest
 * status of each of our messages, so `deliver` names only what is not delivered yet.
 */
export class VisitorFeed {
  /** The messages the visitor may see, with the latest status of each. */
  private readonly visible = new Map<string, DeliveryStatus>()
  /** The visitor's own messages in order (an operator's read covers the first `clientMessageCount`). */
  private readonly own: Array<string> = []
  private readByOperators = 0
  /** The kept files of the messages the visitor may see, by message. */
  private readonly files = new Map<string, ReadonlyArray<string>>()

  /** Whether a file is on a message the visitor may see (not an internal note's, not a deleted message's): theirs to download. */
  shows(fileId: string): boolean {
    for (const ids of this.files.values()) if (ids.includes(fileId)) return true
    return false
  }

  /** The visitor event of one stored dialog event, if it shows them anything. */
  next(stored: StoredEvent): Option.Option<FeedItem> {
    const event = stored.event as DialogEvent
    const item = (visitor: VisitorEvent, deliver: Option.Option<string> = Option.none()) => Option.some<FeedItem>({ position: stored.position, event: visitor, deliver })
    switch (event._tag) {
      case "ClientMessageReceived":
      case "StaffMessageSent": {
        if (event.message.internal) return Option.none()
        const message = visitorMessage(event.message)
        this.visible.set(message.id, message.status)
        this.files.set(message.id, message.attachments.flatMap((file) => (file.fileId === undefined ? [] : [file.fileId])))
        if (event._tag === "ClientMessageReceived") {
          if (!event.message.rejected) this.own.push(message.id)
          return item({ _tag: "message", message })
        }
        return item({ _tag: "message", message }, deliveryRank[message.status] < deliveryRank.delivered ? Option.some(message.id) : Option.none())
      }
      case "DeliveryUpdated": {
        const current = this.visible.get(event.messageId)
        // A status never moves back (MSG-02), whatever order reports were stored in.
        if (current === undefined || deliveryRank[event.delivery.status] <= deliveryRank[current]) return Option.none()
        this.visible.set(event.messageId, event.delivery.status)
        return item({ _tag: "status", ids: [event.messageId], status: event.delivery.status })
      }
      case "DialogRead": {
        const covered = this.own.slice(this.readByOperators, event.clientMessageCount)
        this.readByOperators = Math.max(this.readByOperators, Math.min(event.clientMessageCount, this.own.length))
        for (const id of covered) this.visible.set(id, "read")
        return covered.length === 0 ? Option.none() : item({ _tag: "status", ids: covered, status: "read" })
      }
      case "MessageEdited":
        return this.visible.has(event.messageId) ? item({ _tag: "edited", id: event.messageId, text: event.text }) : Option.none()
      case "MessageDeleted":
        this.files.delete(event.messageId)
        return this.visible.has(event.messageId) ? item({ _tag: "deleted", id: event.messageId }) : Option.none()
      case "MoreQuestionsAsked":
        return item({ _tag: "prompt", kind: "moreQuestions" })
      case "RatingRequested":
        return item({ _tag: "prompt", kind: "rating" })
      case "MoreQuestionsAnswered":
      case "RatingGiven":
      case "DialogReopened":
        return item({ _tag: "prompt", kind: "none" })
      default:
        return Option.none()
    }
  }

  /**
   * The visitor events of a replayed stretch of the dialog after `after`: every event is folded (so
   * visibility is known from the start), only those after `after` are sent, and a message whose
   * delivery a later event of the stretch already advanced is not marked again.
   */
  replay(events: ReadonlyArray<StoredEvent>, after: number): ReadonlyArray<FeedItem> {
    const items: Array<FeedItem> = []
    for (const stored of events) {
      const item = this.next(stored)
      if (Option.isSome(item) && stored.position > after) items.push(item.value)
    }
    return items.map((item) =>
      Option.isSome(item.deliver) && !this.stillPending(item.deliver.value) ? { ...item, deliver: Option.none() } : item
    )
  }

  private stillPending(messageId: string): boolean {
    const status = this.visible.get(messageId)
    return status !== undefined && deliveryRank[status] < deliveryRank.delivered
  }
}
