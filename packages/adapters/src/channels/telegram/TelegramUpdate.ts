import { ChannelAdapter } from "@switchboard/core"
import { Either, ParseResult, Schema } from "effect"

/**
 * The part of Telegram's `Update` (https://core.telegram.org/bots/api#update) the adapter reads:
 * new messages (text, photo, document and other files, replies), edits, and a private chat whose
 * user blocked the bot. Fields the adapter does not read are ignored, so Telegram may add any.
 */

const User = Schema.Struct({
  id: Schema.Number,
  first_name: Schema.String,
  last_name: Schema.optional(Schema.String),
  username: Schema.optional(Schema.String),
  language_code: Schema.optional(Schema.String)
})

const Chat = Schema.Struct({
  id: Schema.Number,
  type: Schema.String,
  title: Schema.optional(Schema.String),
  first_name: Schema.optional(Schema.String),
  last_name: Schema.optional(Schema.String),
  username: Schema.optional(Schema.String)
})

const PhotoSize = Schema.Struct({
  file_id: Schema.String,
  file_unique_id: Schema.String,
  width: Schema.Number,
  height: Schema.Number,
  file_size: Schema.optional(Schema.Number)
})

/** Documents, audio, video and voice notes share these fields. */
const FileFields = Schema.Struct({
  file_id: Schema.String,
  file_unique_id: Schema.String,
  file_name: Schema.optional(Schema.String),
  mime_type: Schema.optional(Schema.String),
  file_size: Schema.optional(Schema.Number)
})

/** A Telegram message as the adapter reads it. */
export const TelegramMessage = Schema.Struct({
  message_id: Schema.Number.pipe(Schema.int()),
  from: Schema.optional(User),
  chat: Chat,
  date: Schema.Number,
  text: Schema.optional(Schema.String),
  caption: Schema.optional(Schema.String),
  photo: Schema.optional(Schema.Array(PhotoSize).pipe(Schema.minItems(1))),
  document: Schema.optional(FileFields),
  audio: Schema.optional(FileFields),
  video: Schema.optional(FileFields),
  voice: Schema.optional(FileFields),
  reply_to_message: Schema.optional(Schema.Struct({ message_id: Schema.Number.pipe(Schema.int()) }))
})
export type TelegramMessage = typeof TelegramMessage.Type

const ChatMemberUpdated = Schema.Struct({
  chat: Chat,
  from: User,
  new_chat_member: Schema.Struct({ status: Schema.String })
})

/** One webhook delivery from Telegram. */
export const TelegramUpdate = Schema.Struct({
  update_id: Schema.Number.pipe(Schema.int()),
  message: Schema.optional(TelegramMessage),
  edited_message: Schema.optional(TelegramMessage),
  my_chat_member: Schema.optional(ChatMemberUpdated)
})
export type TelegramUpdate = typeof TelegramUpdate.Type

const decodeUpdate = Schema.decodeUnknownEither(Schema.parseJson(TelegramUpdate))

/**
 * The id the engine keeps for a Telegram message. Telegram numbers messages per chat, so the chat is
 * part of it: `<chat id>:<message id>`. `send` answers the same form, and a quote's `replyTo` is read back.
 */
export const messageRef = (chatId: number | string, messageId: number): string => `${chatId}:${messageId}`

/** The message id inside a `messageRef` of the given chat, if it is one. */
export const messageIdIn = (chatId: string, ref: string): number | undefined => {
  const [chat, id] = ref.split(":")
  const messageId = Number(id)
  return chat === chatId && Number.isSafeInteger(messageId) ? messageId : undefined
}

const sender = (chat: typeof Chat.Type, from: typeof User.Type | undefined): ChannelAdapter.InboundSender => {
  const person = from ?? { first_name: chat.title ?? chat.first_name, last_name: chat.last_name, username: chat.username, language_code: undefined }
  const name = [person.first_name, person.last_name].filter((part) => part !== undefined && part !== "").join(" ")
  return {
    // Replies go to the chat, which for a private chat is the user.
    from: String(chat.id),
    ...(name === "" ? {} : { name }),
    ...(person.username === undefined ? {} : { username: person.username }),
    ...(person.language_code === undefined ? {} : { language: person.language_code })
  }
}

/** Photos come in several sizes; the engine keeps the largest. Telegram serves photos as JPEG. */
const largestPhoto = (sizes: ReadonlyArray<typeof PhotoSize.Type>): ChannelAdapter.InboundFile => {
  const largest = sizes.reduce((best, size) => (size.width * size.height > best.width * best.height ? size : best))
  return {
    ref: largest.file_id,
    name: `photo-${largest.file_unique_id}.jpg`,
    mime: "image/jpeg",
    ...(largest.file_size === undefined ? {} : { size: largest.file_size })
  }
}

const fileOf = (file: typeof FileFields.Type, fallbackName: string): ChannelAdapter.InboundFile => ({
  ref: file.file_id,
  name: file.file_name ?? `${fallbackName}-${file.file_unique_id}`,
  ...(file.mime_type === undefined ? {} : { mime: file.mime_type }),
  ...(file.file_size === undefined ? {} : { size: file.file_size })
})

const filesOf = (message: TelegramMessage): Array<ChannelAdapter.InboundFile> => [
  ...(message.photo === undefined ? [] : [largestPhoto(message.photo)]),
  ...(message.document === undefined ? [] : [fileOf(message.document, "document")]),
  ...(message.audio === undefined ? [] : [fileOf(message.audio, "audio")]),
  ...(message.video === undefined ? [] : [fileOf(message.video, "video")]),
  ...(message.voice === undefined ? [] : [fileOf(message.voice, "voice")])
]

const messageEvents = (message: TelegramMessage): Array<ChannelAdapter.InboundEvent> => {
  const text = message.text ?? message.caption ?? ""
  const files = filesOf(message)
  // Stickers, locations, polls...: nothing the engine can show yet, so nothing is stored.
  if (text === "" && files.length === 0) return []
  return [{
    _tag: "InboundMessage",
    externalId: messageRef(message.chat.id, message.message_id),
    sender: sender(message.chat, message.from),
    text,
    files,
    ...(message.reply_to_message === undefined ? {} : { replyTo: messageRef(message.chat.id, message.reply_to_message.message_id) })
  }]
}

const editEvents = (message: TelegramMessage): Array<ChannelAdapter.InboundEvent> => {
  const text = message.text ?? message.caption
  if (text === undefined) return []
  return [{ _tag: "InboundEdit", externalId: messageRef(message.chat.id, message.message_id), sender: sender(message.chat, message.from), text }]
}

/** A private chat's user blocked the bot (or deleted the chat): the client has left. */
const memberEvents = (update: NonNullable<TelegramUpdate["my_chat_member"]>): Array<ChannelAdapter.InboundEvent> =>
  update.chat.type === "private" && (update.new_chat_member.status === "kicked" || update.new_chat_member.status === "left")
    ? [{ _tag: "InboundClientLeft", sender: sender(update.chat, update.from) }]
    : []

/** What one update means in the engine's terms; update kinds the engine has no use for give no events. */
export const toInboundEvents = (update: TelegramUpdate): ReadonlyArray<ChannelAdapter.InboundEvent> => [
  ...(update.message === undefined ? [] : messageEvents(update.message)),
  ...(update.edited_message === undefined ? [] : editEvents(update.edited_message)),
  ...(update.my_chat_member === undefined ? [] : memberEvents(update.my_chat_member))
]

/** Parse a webhook body: the events it carries, or a 400 reason naming what is malformed. */
export const parseUpdate = (body: Uint8Array): Either.Either<ReadonlyArray<ChannelAdapter.InboundEvent>, ChannelAdapter.InboundRejected> => {
  const text = new TextDecoder("utf-8", { fatal: false }).decode(body)
  return Either.match(decodeUpdate(text), {
    onLeft: (error) => Either.left(new ChannelAdapter.InboundRejected({ reason: `Not a Telegram update: ${describe(error)}`, unauthorized: false })),
    onRight: (update) => Either.right(toInboundEvents(update))
  })
}

/** The decoding error in words; the formatter prints the value it got, which overflows the stack when that is nested thousands deep. */
const describe = (error: ParseResult.ParseError): string => {
  try {
    return ParseResult.TreeFormatter.formatErrorSync(error)
  } catch {
    return "not an object of Telegram's shape (and nested too deep to show)"
  }
}
