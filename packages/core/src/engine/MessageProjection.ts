import { Effect, Option } from "effect"
import type * as Dialog from "../dialogs/Dialog.js"
import { referencedMessageId } from "../dialogs/decide.js"
import { seqOfMessage } from "../dialogs/evolve.js"
import { Message } from "../messages/Message.js"
import type { HistoryStoreService } from "../ports/HistoryStore.js"
import type { DialogId, MessageId } from "../shared/Ids.js"
import { trusted } from "./EnginePorts.js"

/**
 * The message projection a dialog commit writes beside its events: the rows its events add or
 * change, and the stored messages a command refers to.
 */
export const makeMessageProjection = (historyStore: HistoryStoreService) => {
  /** A message of the dialog from the message projection, by id (`<dialog>.m<seq>`); undefined if there is none. */
  const findMessage = (dialogId: DialogId, messageId: MessageId): Effect.Effect<Message | undefined> => {
    const seq = seqOfMessage(dialogId, messageId)
    if (seq === undefined) return Effect.succeed(undefined)
    // `seq` is a message number (checked above), so the query is well-formed.
    return Effect.map(Effect.orDie(historyStore.messages({ dialogId, beforeSeq: seq + 1, limit: 1, includeInternal: true })), (page) =>
      page.items.find((message) => message.id === messageId)
    )
  }

  /** Messages whose projection rows change with these events. */
  const projectMessages = (dialogId: DialogId, events: ReadonlyArray<Dialog.DialogEvent>) =>
    Effect.gen(function* () {
      const changed = new Map<string, Message>()
      for (const event of events) {
        switch (event._tag) {
          case "ClientMessageReceived":
          case "StaffMessageSent":
            changed.set(event.message.id, event.message)
            break
          case "MessageEdited":
          case "MessageDeleted":
          case "DeliveryUpdated": {
            const current = changed.get(event.messageId) ?? (yield* findMessage(dialogId, event.messageId))
            if (current === undefined) break
            changed.set(
              event.messageId,
              new Message({
                ...current,
                ...(event._tag === "MessageEdited" ? { text: event.text, editedAt: Option.some(event.at) } : {}),
                ...(event._tag === "MessageDeleted" ? { deletedAt: Option.some(event.at) } : {}),
                ...(event._tag === "DeliveryUpdated" ? { delivery: Option.some(event.delivery) } : {})
              }, trusted)
            )
            break
          }
          default:
            break
        }
      }
      return [...changed.values()]
    })

  /** The message a command refers to, as `decide` needs it: read after the dialog, so it is at least as new. */
  const referencedMessage = (dialogId: DialogId, command: Dialog.DialogCommand): Effect.Effect<Dialog.MessageIndexEntry | undefined> => {
    const id = referencedMessageId(command)
    if (id === undefined) return Effect.succeed(undefined)
    return Effect.map(findMessage(dialogId, id), (message) =>
      message === undefined
        ? undefined
        : {
          seq: message.seq,
          author: message.author,
          internal: message.internal,
          deleted: Option.isSome(message.deletedAt),
          delivery: Option.map(message.delivery, (delivery) => delivery.status)
        })
  }

  return { projectMessages, referencedMessage } as const
}

/** The message projection of an engine (`makeMessageProjection`). */
export type MessageProjection = ReturnType<typeof makeMessageProjection>
