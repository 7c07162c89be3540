import { Effect, Either, Option, Schema } from "effect"
import type { Actor } from "../access/Access.js"
import type { Channel } from "../channels/Channel.js"
import * as ChannelLimits from "../channels/ChannelLimits.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine, type Received } from "../engine/Engine.js"
import { Attachment, MessageInput } from "../messages/Message.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { FileNotFound, FileStore } from "../ports/FileStore.js"
import { InvalidInput, NotFound } from "../shared/Errors.js"
import type { DialogId, FileId, MessageId } from "../shared/Ids.js"
import * as AttachmentPolicy from "./AttachmentPolicy.js"
import * as ContentType from "./ContentType.js"
import * as FileName from "./FileName.js"

/** A file as it arrives: the name it came with and its bytes. A type the sender claims is not taken. */
export interface Upload {
  readonly name: string
  readonly bytes: Uint8Array
}

/** Where a stored file goes: out through a channel (its limits apply) and into a dialog (who may download it). */
export interface Destination {
  readonly channel?: Channel | undefined
  readonly dialogId?: DialogId | undefined
}

/** A staff message with files (MSG-06): text, the files, whether it is an internal note, the message it quotes. */
export interface MessageWithFiles {
  readonly text: string
  readonly files: ReadonlyArray<Upload>
  readonly internal: boolean
  readonly quoteOf?: MessageId | undefined
}

const decodeInput = (input: unknown) => Effect.mapError(Schema.decodeUnknown(MessageInput)(input), InvalidInput.fromParseError)

/**
 * Attachments through the `FileStore` (MSG-06, MSG-10, SET-02): every file's type is recognised
 * from its bytes (`ContentTypes`, then `ContentType.resolve`), checked against the company's file
 * settings and the channel's limits (`AttachmentPolicy.check`, the same check `decide` runs on the
 * message), and only then stored; a download is for those who may see one of the file's dialogs.
 * A file store failure is a defect (the server's fault, logged once), not the user's.
 */
export class Attachments extends Effect.Service<Attachments>()("@switchboard/core/Attachments", {
  effect: Effect.gen(function* () {
    const files = yield* FileStore
    const types = yield* ContentType.ContentTypes
    const engine = yield* Engine
    const configStore = yield* ConfigStore
    const limits = yield* ChannelLimits.current

    /** The file's cleaned name, detected type, size and kind, or why it may not go where it is going. */
    const inspect = Effect.fn("Attachments.inspect")(function* (upload: Upload, channel: Channel | undefined) {
      const settings = yield* configStore.getSettings()
      const name = FileName.clean(upload.name)
      const mime = ContentType.resolve(yield* types.detect(upload.bytes), name, upload.bytes)
      const facts = channel === undefined ? undefined : { label: ChannelLimits.channelLabel(channel), capabilities: limits.capabilities(channel) }
      const kind = yield* Either.match(AttachmentPolicy.check({ name, mime, size: upload.bytes.length }, settings.files, facts), {
        onLeft: Effect.fail,
        onRight: Effect.succeed
      })
      return { name, mime, size: upload.bytes.length, kind } as const
    })

    /** Check a file and store it; the answer is the attachment a message carries. Inbound files and the widget's uploads come here too. */
    const store = Effect.fn("Attachments.store")(function* (upload: Upload, destination: Destination) {
      const checked = yield* inspect(upload, destination.channel)
      const stored = yield* Effect.orDie(files.put({ name: checked.name, mime: checked.mime, bytes: upload.bytes, dialogId: destination.dialogId }))
      return Attachment.make({ name: checked.name, mime: checked.mime, size: checked.size, fileId: stored.id, kind: checked.kind })
    })

    /**
     * After the engine recorded a client's message (an inbound file, a widget visitor's upload):
     * link the files stored for it to its dialog, so whoever may see the dialog may download them;
     * a file the recorded message does not carry (a repeated delivery, recorded once already) is removed.
     */
    const keepReceived = Effect.fn("Attachments.keepReceived")(function* (stored: ReadonlyArray<FileId>, received: Received) {
      if (stored.length === 0) return
      const carried = new Set(received.events.flatMap(({ event }) =>
        event._tag === "ClientMessageReceived" ? event.message.attachments.flatMap((attachment) => (attachment.fileId === undefined ? [] : [attachment.fileId])) : []))
      for (const fileId of stored) {
        yield* Effect.orDie(carried.has(fileId) ? Effect.asVoid(files.link(fileId, received.dialogId)) : files.remove(fileId))
      }
    })

    /** Remove files stored for a message that was then not recorded. */
    const discard = (stored: ReadonlyArray<FileId>) => Effect.forEach(stored, (fileId) => Effect.ignoreLogged(files.remove(fileId)), { discard: true })

    /**
     * An operator's message with files in a dialog they may see: each file is checked and stored,
     * then the message goes through the engine (which checks it again with everything else a
     * message must pass). If anything is refused, the files already stored are removed.
     */
    const send = Effect.fn("Attachments.send")(function* (actor: Actor, dialogId: DialogId, message: MessageWithFiles) {
      const dialog = yield* engine.dialog(actor, dialogId)
      const channel = yield* Effect.flatMap(configStore.getChannel(dialog.channelId), Option.match({
        onNone: () => Effect.fail(new NotFound({ entity: "channel", id: dialog.channelId })),
        onSome: Effect.succeed
      }))
      const stored: Array<Attachment> = []
      const removeStored = Effect.forEach(stored, (attachment) => (attachment.fileId === undefined ? Effect.void : Effect.orDie(files.remove(attachment.fileId))), { discard: true })
      return yield* Effect.gen(function* () {
        for (const upload of message.files) stored.push(yield* store(upload, { channel: message.internal ? undefined : channel, dialogId }))
        const input = yield* decodeInput({ text: message.text, attachments: stored.map((attachment) => Schema.encodeSync(Attachment)(attachment)) })
        return yield* engine.execute(actor, new Dialog.SendMessage({ dialogId, input, internal: message.internal, quoteOf: message.quoteOf }))
      }).pipe(Effect.tapError(() => removeStored))
    })

    /** A file's metadata and bytes, if `actor` may see one of its dialogs; otherwise it does not exist for them. */
    const open = Effect.fn("Attachments.open")(function* (actor: Actor, id: FileId) {
      const file = yield* Effect.catchTag(files.head(id), "FileStoreError", Effect.die)
      const visible = yield* Effect.exists(file.dialogIds, (dialogId) =>
        engine.dialog(actor, dialogId).pipe(Effect.as(true), Effect.catchTag("NotFound", () => Effect.succeed(false))))
      if (!visible) return yield* Effect.fail(new FileNotFound({ id }))
      return yield* Effect.catchTag(files.get(id), "FileStoreError", Effect.die)
    })

    return { inspect, store, keepReceived, discard, send, open } as const
  })
}) {}
