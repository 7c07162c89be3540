import { Effect, Option } from "effect"
import { type Access, AttachmentPolicy, type Client, type Dialog, type DialogId, Engine, EventStore, type Message } from "@switchboard/core"
import { Contract, type AttachmentView, type HistoryView, type MessageView } from "@switchboard/ui-htmx"
import { botName, type Directory, directory } from "./Directory.js"
import { displayTime } from "./Time.js"

/** Images shown as previews in a bubble (MSG-06: PNG/JPG/GIF under 2 MB); other files are links. */
const previewTypes: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif"])
const previewMaxBytes = 2 * 1024 * 1024

/** A file in a bubble: kept files link to the panel's download route, others to their own URL. */
export const attachmentView = (attachment: Message.Attachment): AttachmentView => ({
  name: attachment.name,
  url: attachment.fileId === undefined ? attachment.url : Contract.routes.file(attachment.fileId),
  preview: attachment.fileId !== undefined && previewTypes.has(attachment.mime) && attachment.size < previewMaxBytes,
  size: AttachmentPolicy.formatSize(attachment.size)
})

/** Who wrote a message, as the panel names them. */
export const authorName = (author: Message.Message["author"], names: Directory, clientName: string): string =>
  author._tag === "Client" ? clientName : author._tag === "Operator" ? names.operatorName(author.userId) : author._tag === "Bot" ? botName(author.botId) : "System"

/**
 * A message bubble's view model; `quoted` is the message it replies to (MSG-03) when it is at hand
 * (on the same page), else the bubble only says it quotes one.
 */
export const messageView = (message: Message.Message, names: Directory, clientName: string, quoted?: Message.Message): MessageView => {
  const author = message.author
  return {
    quote: Option.isNone(message.quoteOf)
      ? undefined
      : quoted === undefined || Option.isSome(quoted.deletedAt)
      ? { authorName: undefined, text: undefined }
      : { authorName: authorName(quoted.author, names, clientName), text: quoted.text },
    id: message.id,
    dialogId: message.dialogId,
    author: author._tag === "Client" ? "client" : author._tag === "Operator" ? "operator" : author._tag === "Bot" ? "bot" : "system",
    authorName: authorName(author, names, clientName),
    text: message.text,
    internal: message.internal,
    time: displayTime(message.createdAt),
    timeIso: new Date(message.createdAt).toISOString(),
    delivery: Option.match(message.delivery, { onNone: () => undefined, onSome: (delivery) => ({ status: delivery.status, reason: delivery.reason }) }),
    edited: Option.isSome(message.editedAt),
    deleted: Option.isSome(message.deletedAt),
    rejected: message.rejected,
    attachments: message.attachments.map(attachmentView)
  }
}

/** A dialog's client, if it still has one. */
export const clientOf = (state: Dialog.DialogState): Effect.Effect<Option.Option<Client.ClientState>, never, EventStore> =>
  Option.match(state.clientId, {
    onNone: () => Effect.succeed(Option.none()),
    onSome: (clientId) => Effect.map(Effect.flatMap(EventStore, (store) => store.loadClient(clientId)), Option.map((found) => found.state))
  })

/** The name a dialog's client goes by in the panel. */
export const nameOf = (state: Dialog.DialogState, client: Option.Option<Client.ClientState>): string =>
  Option.isNone(state.clientId)
    ? "Detached client"
    : Option.match(client, {
      onNone: () => "Unknown client",
      onSome: (found) => found.profile.name ?? found.profile.username ?? found.identities[0]?.externalId ?? found.id
    })

/** The client's display name for a dialog. */
export const clientNameOf = (state: Dialog.DialogState) => Effect.map(clientOf(state), (client) => nameOf(state, client))

/** Messages per page of an open dialog's history; "Show earlier messages" asks for the page before. */
export const historyPageSize = 50

/**
 * A page of a dialog's history as the panel shows it: oldest first, and the cursor of the page
 * before it. `before` is the history cursor of the page after it; none = the newest page.
 */
export const historyPage = (actor: Access.UserActor, state: Dialog.DialogState, before: string | undefined, beforeTime?: number) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const names = yield* directory
    const client = yield* clientOf(state)
    const clientName = nameOf(state, client)
    const page = yield* engine.history(actor, {
      dialogId: state.id,
      limit: historyPageSize,
      ...(before === undefined ? {} : { cursor: before }),
      ...(beforeTime === undefined ? {} : { beforeTime })
    })
    return {
      clientName,
      names,
      client,
      messages: [...page.items].reverse().map((message) => messageView(message, names, clientName, page.items.find((item) => Option.contains(message.quoteOf, item.id)))),
      /** The page's messages as stored (newest first): their authors decide the per-message controls. */
      items: page.items,
      /** The number of the page's newest message (`messageSeq` of the dialog when the page is its newest). */
      newestSeq: page.items[0]?.seq,
      earlier: Option.getOrUndefined(page.nextCursor)
    }
  })

/** An earlier page of an open dialog's history (MSG-07), for "Show earlier messages". */
export const historyView = (actor: Access.UserActor, dialogId: DialogId, list: Contract.ListParams, before: string) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const state = yield* engine.dialog(actor, dialogId)
    const page = yield* historyPage(actor, state, before)
    return { dialogId: state.id, list, messages: page.messages, earlier: page.earlier } satisfies HistoryView
  })
