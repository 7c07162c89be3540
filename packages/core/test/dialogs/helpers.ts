import { Option } from "effect"
import type { Actor } from "../../src/access/Access.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { decide, referencedMessageId } from "../../src/dialogs/decide.js"
import { evolve, initial } from "../../src/dialogs/evolve.js"
import { Delivery, Message, MessageInput } from "../../src/messages/Message.js"
import { defaults, Settings } from "../../src/settings/Settings.js"
import { BotId, ChannelId, ClientId, DialogId, MessageId, QueueId, UserId } from "../../src/shared/Ids.js"
import { anna, boris } from "../../src/testing/fixtures.js"
import { deciderSpec } from "../../src/testing/deciderSpec.js"

export const dialogId = DialogId.make("d1")
export const channelId = ChannelId.make("tg")
export const clientId = ClientId.make("c1")
export const queueId = QueueId.make("default")
export const bot = BotId.make("faq-bot")
export const T0 = Date.UTC(2026, 2, 2, 9, 0)

/** The message a command refers to, as the engine reads it from the message projection: built here from the given events. */
const referenced = (events: ReadonlyArray<Dialog.DialogEvent>, command: Dialog.DialogCommand): Dialog.MessageIndexEntry | undefined => {
  const id = referencedMessageId(command)
  let entry: Dialog.MessageIndexEntry | undefined
  for (const event of events) {
    if ((event._tag === "ClientMessageReceived" || event._tag === "StaffMessageSent") && event.message.id === id) {
      entry = { seq: event.message.seq, author: event.message.author, internal: event.message.internal, deleted: false, delivery: Option.map(event.message.delivery, (d) => d.status) }
    }
    if (entry !== undefined && event._tag === "MessageDeleted" && event.messageId === id) entry = { ...entry, deleted: true }
    if (entry !== undefined && event._tag === "DeliveryUpdated" && event.messageId === id) entry = { ...entry, delivery: Option.some(event.delivery.status) }
  }
  return entry
}

export const spec = deciderSpec({
  initial: () => initial(dialogId, channelId, queueId),
  evolve,
  decide,
  enrich: (events, command, context) => (context.message === undefined ? { ...context, message: referenced(events, command) } : context)
})

export interface CtxOptions {
  readonly actor?: Actor
  readonly now?: number
  readonly settings?: Partial<Settings>
  readonly blocked?: boolean
  readonly language?: string
  readonly maxTextLength?: number
  readonly editMessages?: boolean
  readonly target?: Dialog.DecideContext["target"]
  readonly manualOverCapacity?: "allow" | "deny"
  readonly noClient?: boolean
  readonly files?: Dialog.DecideContext["channel"]["files"]
}

export const ctx = (options: CtxOptions = {}): Dialog.DecideContext => ({
  now: options.now ?? T0 + 60_000,
  actor: options.actor ?? anna,
  settings: Settings.make({ ...defaults, ...options.settings }),
  client: options.noClient === true ? undefined : { blocked: options.blocked ?? false, language: options.language },
  channel: { maxTextLength: options.maxTextLength, editMessages: options.editMessages ?? true, deleteMessages: true, files: options.files },
  nameOf: (id) => (id === anna.id ? "Anna" : id === boris.id ? "Boris" : id),
  target: options.target,
  ...(options.manualOverCapacity === undefined ? {} : { manualOverCapacity: options.manualOverCapacity })
})

export const opened = (withBot = false) =>
  new Dialog.DialogOpened({
    dialogId,
    clientId,
    channelId,
    queueId,
    priority: 0,
    botId: withBot ? Option.some(bot) : Option.none(),
    startedBy: Option.none(),
    at: T0
  })

const baseMessage = (seq: number, author: Message["author"], text: string, at: number, internal = false) =>
  new Message({
    id: MessageId.make(`${dialogId}.m${seq}`),
    dialogId,
    seq,
    author,
    internal,
    text,
    attachments: [],
    quoteOf: Option.none(),
    createdAt: at,
    editedAt: Option.none(),
    deletedAt: Option.none(),
    delivery: author._tag === "Client" || internal ? Option.none() : Option.some(new Delivery({ status: "queued", at })),
    rejected: false,
    externalId: Option.none()
  })

export const clientSaid = (seq: number, text = "hello", at = T0) => new Dialog.ClientMessageReceived({ message: baseMessage(seq, { _tag: "Client" }, text, at) })
export const operatorSaid = (seq: number, userId = anna.id, text = "hi", at = T0 + 1000, internal = false) =>
  new Dialog.StaffMessageSent({ message: baseMessage(seq, { _tag: "Operator", userId }, text, at, internal) })
export const assignedTo = (operatorId: UserId, at = T0 + 500) =>
  new Dialog.DialogAssigned({ operatorId, mode: "accept", previousAssigneeId: Option.none(), fromBotId: Option.none(), overCapacity: false, by: operatorId, at })
export const closed = (at = T0 + 5000) => new Dialog.DialogClosed({ cause: "operator", reasonId: Option.none(), by: "anna", at })

/** A queued dialog with one client message. */
export const queued = () => [opened(), clientSaid(1)]
/** Anna's active dialog: client said hello, Anna accepted. */
export const annas = () => [opened(), clientSaid(1), assignedTo(anna.id)]

export const input = (text: string) => MessageInput.make({ text })
export const mid = (seq: number) => MessageId.make(`${dialogId}.m${seq}`)
