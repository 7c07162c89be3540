import { Chunk, Clock, Effect, Option, Redacted, Schema, type Scope, Stream } from "effect"
import { system } from "../access/Access.js"
import * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine, InboundMessage } from "../engine/Engine.js"
import { Attachments, type Upload } from "../files/Attachments.js"
import { AttachmentRefused } from "../files/AttachmentPolicy.js"
import { FileNotFound, FileStore } from "../ports/FileStore.js"
import { InvalidInput } from "../shared/Errors.js"
import { issueAnnotation } from "../shared/Issue.js"
import { countedLength, deliveryRank, maxTextLength, MessageInput } from "../messages/Message.js"
import type { SessionKey } from "../ports/AccountStore.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { EventBus } from "../ports/EventBus.js"
import { EventStore, type StoredEvent } from "../ports/EventStore.js"
import { HistoryStore } from "../ports/HistoryStore.js"
import { IdentityVerifier } from "../ports/IdentityVerifier.js"
import { Ids } from "../ports/Ids.js"
import { SessionTokens } from "../ports/SessionTokens.js"
import {
  WidgetAttributes,
  type WidgetSession,
  WidgetSessionStore,
  type WidgetSettings
} from "../ports/WidgetSessionStore.js"
import { ChannelId, type ClientId, type DialogId, FileId, Language, MessageId } from "../shared/Ids.js"
import { limits, StoredName, StoredText } from "../shared/StoredText.js"
import { type FeedItem, VisitorFeed } from "./WidgetFeed.js"

export { type FeedItem, VisitorEvent, VisitorFeed, VisitorMessage } from "./WidgetFeed.js"

/**
 * The web widget channel (CHN-03): a visitor's session, their messages into the engine, who the
 * page says they are (`setUser`, optionally proven with an HMAC of the user id), custom attributes
 * into the client's profile, and the live feed of their dialog with delivery and read marks (MSG-02).
 */

/** Why a widget request is refused: an unknown channel (404), no valid session (401), a failed identity proof (401). */
export class WidgetRejected extends Schema.TaggedError<WidgetRejected>()("WidgetRejected", {
  reason: Schema.Literal("UnknownChannel", "Unauthorized", "IdentityMismatch"),
  message: Schema.String
}) {}

const email = StoredText(254).pipe(Schema.pattern(/^[^\s@]+@[^\s@]+$/, { message: () => "not an email address" }))

/** What a widget sends to start a session: the page's language and parameters, maybe a name. */
export const StartSession = Schema.Struct({
  language: Schema.optional(Language),
  attributes: Schema.optional(WidgetAttributes)
})
export type StartSession = typeof StartSession.Type

const withinTextLimit = (text: string) => countedLength(text) <= maxTextLength || `longer than ${maxTextLength} characters not counting spaces`

/** A visitor's message: text within the channel's limit, the widget's own id of it (a resend is stored once), maybe a pressed button. */
export const VisitorMessageInput = Schema.Struct({
  text: StoredName(limits.text).pipe(Schema.filter(withinTextLimit, issueAnnotation("tooLong", { max: maxTextLength }))),
  clientMessageId: StoredName(100),
  /** A pressed button: `yes`/`no` ("any more questions?", DLG-15) or `rate:1`..`rate:5` (DLG-16). */
  payload: Schema.optional(Schema.Literal("yes", "no", "rate:1", "rate:2", "rate:3", "rate:4", "rate:5"))
})
export type VisitorMessageInput = typeof VisitorMessageInput.Type

/** The form fields beside a visitor's file: an optional caption within the channel's limit, the widget's own id of the message. */
export const VisitorFileInput = Schema.Struct({
  text: Schema.optionalWith(StoredText(limits.text).pipe(Schema.filter(withinTextLimit, issueAnnotation("tooLong", { max: maxTextLength }))), { default: () => "" }),
  clientMessageId: StoredName(100)
})
export type VisitorFileInput = typeof VisitorFileInput.Type

/** `Switchboard.setUser`: the page's id of its user, a name and email, and the proof (`identifierHash`). */
export const SetUser = Schema.Struct({
  id: StoredName(limits.externalId),
  name: Schema.optional(StoredName(limits.name)),
  email: Schema.optional(email),
  identifierHash: Schema.optional(Schema.String.pipe(Schema.maxLength(128)))
})
export type SetUser = typeof SetUser.Type

/** A widget channel's settings when none were saved. */
export const defaultSettings = (channelId: ChannelId): WidgetSettings => ({
  channelId,
  colour: "#2563eb",
  position: "right",
  greetings: {
    [Language.make("en")]: "Hi! Ask us anything — we usually answer within minutes.",
    [Language.make("uk")]: "Вітаємо! Запитуйте що завгодно — зазвичай відповідаємо за кілька хвилин."
  },
  language: Language.make("en"),
  identitySecret: Option.none()
})

/** The visitor's client profile: what the page told about them, its attributes as custom fields. */
const profileOf = (session: WidgetSession): Client.Profile => ({
  ...Option.match(session.name, { onNone: () => ({}), onSome: (name) => ({ name }) }),
  ...Option.match(session.email, { onNone: () => ({}), onSome: (address) => ({ email: address }) }),
  ...Option.match(session.language, { onNone: () => ({}), onSome: (language) => ({ language }) }),
  customFields: {
    ...session.attributes,
    ...Option.match(session.user, { onNone: () => ({}), onSome: (user) => ({ userId: user.id, userVerified: user.verified }) })
  }
})

/** A server without a `FileStore` keeps no files: the visitor's upload is refused like a kind the channel does not take. */
const noFiles = new AttachmentRefused({ reason: "KindNotAccepted", message: "This server keeps no files; send the text instead" })

const unauthorized = new WidgetRejected({ reason: "Unauthorized", message: "No widget session with this token: start a new one" })

/**
 * The widget channel's service. Sessions live in the `WidgetSessionStore`; a visitor becomes a
 * client on their first message (as on any channel), through `Engine.receive`.
 */
export class Widget extends Effect.Service<Widget>()("@switchboard/core/Widget", {
  effect: Effect.gen(function* () {
    const store = yield* WidgetSessionStore
    const tokens = yield* SessionTokens
    const verifier = yield* IdentityVerifier
    const engine = yield* Engine
    const configStore = yield* ConfigStore
    const eventStore = yield* EventStore
    const historyStore = yield* HistoryStore
    const bus = yield* EventBus
    const ids = yield* Ids
    const attachments = yield* Effect.serviceOption(Attachments)
    const files = yield* Effect.serviceOption(FileStore)

    /** The channel if it is a widget; else `UnknownChannel`. */
    const widgetChannel = (channelId: string) =>
      Effect.flatMap(
        // An id that is not a channel id at all (too long, say) names no channel: the same answer, not a defect.
        Option.match(Schema.decodeUnknownOption(ChannelId)(channelId), { onNone: () => Effect.succeedNone, onSome: configStore.getChannel }),
        (found) =>
          Option.isSome(found) && found.value.kind === "widget"
            ? Effect.succeed(found.value)
            : Effect.fail(new WidgetRejected({ reason: "UnknownChannel", message: `There is no widget channel "${channelId.slice(0, 100)}"` }))
      )

    /** A widget channel's settings: the saved ones or the defaults. */
    const settings = Effect.fn("Widget.settings")(function* (channelId: string) {
      const channel = yield* widgetChannel(channelId)
      return Option.getOrElse(yield* store.settings(channel.id), () => defaultSettings(channel.id))
    })

    /** Start a visitor's session; the token goes to the widget only, the store keeps its hash. */
    const start = Effect.fn("Widget.start")(function* (channelId: string, input: StartSession) {
      const channel = yield* widgetChannel(channelId)
      const issued = yield* tokens.issue
      const now = yield* Clock.currentTimeMillis
      const session: WidgetSession = {
        key: issued.key,
        channelId: channel.id,
        visitorId: yield* ids.next("visitor"),
        user: Option.none(),
        name: Option.none(),
        email: Option.none(),
        language: Option.fromNullable(input.language),
        attributes: input.attributes ?? {},
        createdAt: now,
        lastSeenAt: now
      }
      if (!(yield* store.create(session))) return yield* Effect.dieMessage("a fresh widget session key was taken")
      return { token: issued.token, session }
    })

    /** The session a token opens (401 without one). */
    const authenticate = Effect.fn("Widget.authenticate")(function* (token: Redacted.Redacted<string>) {
      const key: SessionKey = yield* tokens.keyOf(Redacted.value(token))
      return yield* Effect.flatMap(store.find(key), Option.match({ onNone: () => Effect.fail(unauthorized), onSome: Effect.succeed }))
    })

    /** The visitor's client and current dialog, once they wrote. */
    const conversation = (session: WidgetSession) => eventStore.findInbound(session.channelId, session.visitorId)

    /** Copy the session's profile into the visitor's client, if they are one already. */
    const updateClient = (session: WidgetSession) =>
      Effect.gen(function* () {
        const target = yield* conversation(session)
        if (Option.isNone(target)) return
        const client = target.value.client.state
        const profile = profileOf(session)
        const merged = { ...client.profile, ...profile, customFields: { ...client.profile.customFields, ...profile.customFields } }
        yield* engine.client(system, new Client.UpdateClientProfile({ clientId: client.id, profile: merged }))
      })

    /**
     * `Switchboard.setUser`. With the channel's identity secret set, an `identifierHash` must be
     * the HMAC-SHA256 of the id (else `IdentityMismatch`), and a proven id moves the visitor to
     * that user's client (`user:<id>`), on any device. Without a proof the id is only an attribute.
     */
    const identify = Effect.fn("Widget.identify")(function* (session: WidgetSession, input: SetUser) {
      const secret = (yield* settings(session.channelId)).identitySecret
      let verified = false
      if (input.identifierHash !== undefined) {
        if (Option.isNone(secret)) {
          return yield* Effect.fail(new WidgetRejected({ reason: "IdentityMismatch", message: "This widget has no identity secret: send no identifierHash" }))
        }
        verified = yield* verifier.verify(secret.value, input.id, input.identifierHash)
        if (!verified) return yield* Effect.fail(new WidgetRejected({ reason: "IdentityMismatch", message: "identifierHash is not the HMAC of this user id" }))
      }
      const updated: WidgetSession = {
        ...session,
        visitorId: verified ? `user:${input.id}` : session.visitorId,
        user: Option.some({ id: input.id, verified }),
        name: input.name === undefined ? session.name : Option.some(input.name),
        email: input.email === undefined ? session.email : Option.some(input.email),
        lastSeenAt: yield* Clock.currentTimeMillis
      }
      yield* store.save(updated)
      yield* updateClient(updated)
      return { session: updated, visitorChanged: updated.visitorId !== session.visitorId }
    })

    /** `Switchboard.setAttributes`: merged into the session's (at most 50) and the client's custom fields. */
    const setAttributes = Effect.fn("Widget.setAttributes")(function* (session: WidgetSession, attributes: WidgetAttributes) {
      const merged = yield* Schema.decodeUnknown(WidgetAttributes)({ ...session.attributes, ...attributes })
      const updated: WidgetSession = { ...session, attributes: merged, lastSeenAt: yield* Clock.currentTimeMillis }
      yield* store.save(updated)
      yield* updateClient(updated)
      return updated
    })

    /** A visitor's message (or pressed button) into their dialog, through the engine like any channel's. */
    const send = Effect.fn("Widget.send")(function* (session: WidgetSession, input: VisitorMessageInput) {
      return yield* engine.receive(InboundMessage.make({
        channelId: session.channelId,
        from: session.visitorId,
        profile: profileOf(session),
        message: MessageInput.make({ text: input.text }),
        externalId: `${session.visitorId}/${input.clientMessageId}`,
        ...(input.payload === undefined ? {} : { payload: input.payload })
      }))
    })

    /** A visitor's message as the widget posts it (untrusted JSON): decoded (`InvalidInput` names the field), then `send`. */
    const post = Effect.fn("Widget.post")(function* (session: WidgetSession, body: unknown) {
      const input = yield* Effect.mapError(Schema.decodeUnknown(VisitorMessageInput)(body, { onExcessProperty: "error" }), InvalidInput.fromParseError)
      return yield* send(session, input)
    })

    /**
     * A visitor's file (MSG-06, SET-02): checked and kept through `Attachments` like every file —
     * the type from its bytes, the company's file settings, the widget channel's limits — then
     * recorded as the visitor's message (a resend with the same `clientMessageId` is stored once)
     * and linked to its dialog, where operators see it. A refusal names the limit; nothing is kept.
     */
    const sendFile = Effect.fn("Widget.sendFile")(function* (session: WidgetSession, input: VisitorFileInput, file: Upload) {
      if (Option.isNone(attachments)) return yield* Effect.fail(noFiles)
      const keeper = attachments.value
      const channel = yield* widgetChannel(session.channelId)
      // Into the visitor's open dialog, the file is linked before the message goes live, so the
      // panel and the widget can load it as soon as they show it (a new dialog links it after).
      const open = Option.filter(Option.flatMap(yield* conversation(session), (found) => found.dialog), (dialog) => dialog.state.status !== "closed")
      const stored = yield* keeper.store(file, { channel, dialogId: Option.getOrUndefined(Option.map(open, (dialog) => dialog.state.id)) })
      const fileIds = stored.fileId === undefined ? [] : [stored.fileId]
      const received = yield* engine.receive(InboundMessage.make({
        channelId: session.channelId,
        from: session.visitorId,
        profile: profileOf(session),
        message: MessageInput.make({ text: input.text, attachments: [stored] }),
        externalId: `${session.visitorId}/${input.clientMessageId}`
      })).pipe(Effect.tapError(() => keeper.discard(fileIds)))
      yield* keeper.keepReceived(fileIds, received)
      return received
    })

    /**
     * A file for the visitor to download: only one on a message they may see (never an internal
     * note's or a deleted message's) in a dialog of theirs on this channel. Anything else, to them,
     * does not exist (`FileNotFound`).
     */
    const openFile = Effect.fn("Widget.openFile")(function* (session: WidgetSession, id: string) {
      const notFound = new FileNotFound({ id: id.slice(0, 100) })
      const fileId = Schema.decodeUnknownOption(FileId)(id)
      if (Option.isNone(files) || Option.isNone(fileId)) return yield* Effect.fail(notFound)
      const file = yield* Effect.catchTag(files.value.head(fileId.value), "FileStoreError", Effect.die)
      const target = yield* conversation(session)
      if (Option.isNone(target)) return yield* Effect.fail(notFound)
      const clientId = target.value.client.state.id
      // The visitor's own file is linked to its dialog only once `receive` returned, but the
      // message is live (and its <img> requested) as soon as it is committed: their current
      // dialog is a candidate too. Either way the file must be on a message their feed shows.
      const current = Option.toArray(Option.map(target.value.dialog, (dialog) => dialog.state.id))
      for (const dialogId of new Set([...file.dialogIds, ...current])) {
        const dialog = yield* Effect.option(engine.dialog(system, dialogId))
        if (Option.isNone(dialog) || dialog.value.channelId !== session.channelId || !Option.contains(dialog.value.clientId, clientId)) continue
        const folder = new VisitorFeed()
        folder.replay(yield* eventStore.readStream(`dialog:${dialogId}`), Number.MAX_SAFE_INTEGER)
        if (folder.shows(fileId.value)) return yield* Effect.catchTag(files.value.get(fileId.value), "FileStoreError", Effect.die)
      }
      return yield* Effect.fail(notFound)
    })

    /** Our message reached the visitor's widget (its stream wrote it): `delivered` (MSG-02). */
    const delivered = (dialogId: DialogId, messageId: string) =>
      Effect.ignore(engine.execute(system, new Dialog.UpdateDelivery({ dialogId, messageId: MessageId.make(messageId), status: "delivered" })))

    /** The visitor saw our messages up to `seq`: each becomes `read` (MSG-02). How many changed. */
    const markRead = Effect.fn("Widget.markRead")(function* (session: WidgetSession, seq: number) {
      const target = yield* conversation(session)
      const dialog = Option.flatMap(target, (found) => found.dialog)
      if (Option.isNone(dialog)) return 0
      const dialogId = dialog.value.state.id
      const page = yield* Effect.orDie(historyStore.messages({ dialogId, beforeSeq: seq + 1, limit: 100, includeInternal: false }))
      let changed = 0
      for (const message of page.items) {
        const status = Option.getOrUndefined(message.delivery)?.status
        if (message.author._tag === "Client" || status === undefined || deliveryRank[status] >= deliveryRank.read) continue
        yield* Effect.ignore(engine.execute(system, new Dialog.UpdateDelivery({ dialogId, messageId: message.id, status: "read" })))
        changed++
      }
      return changed
    })

    /**
     * The visitor's live feed after store position `after` (0: from the start): their current
     * dialog's events replayed from the store, then live ones from the bus, each once, in position
     * order. It follows the visitor into a new dialog (their first message opens one). Subscribed
     * when the effect completes, so nothing committed meanwhile is lost; ends with the scope.
     */
    const feed = (session: WidgetSession, after: number): Effect.Effect<Stream.Stream<FeedItem & { readonly dialogId: DialogId }>, never, Scope.Scope> =>
      Effect.gen(function* () {
        const live = yield* bus.subscribe
        const target = yield* conversation(session)
        let clientId: Option.Option<ClientId> = Option.map(target, (found) => found.client.state.id)
        let dialogId: Option.Option<DialogId> = Option.flatMap(target, (found) => Option.map(found.dialog, (dialog) => dialog.state.id))
        let last = after
        let folder = new VisitorFeed()
        const tagged = (id: DialogId) => (item: FeedItem) => ({ ...item, dialogId: id })
        /** The dialog's stored events after `last`, folded from its start. */
        const replay = (id: DialogId) =>
          Effect.map(eventStore.readStream(`dialog:${id}`), (events) => {
            folder = new VisitorFeed()
            const items = folder.replay(events, last).map(tagged(id))
            last = Math.max(last, ...events.map((stored) => stored.position))
            return items
          })
        const first = Option.isSome(dialogId) ? yield* replay(dialogId.value) : []
        const onBatch = (batch: Chunk.Chunk<StoredEvent>) =>
          Effect.gen(function* () {
            const out: Array<FeedItem & { readonly dialogId: DialogId }> = []
            for (const stored of batch) {
              const event = stored.event
              if (Option.isNone(clientId) && event._tag === "ClientCreated" && event.identity.channelId === session.channelId && event.identity.externalId === session.visitorId) {
                clientId = Option.some(event.clientId)
              }
              if (event._tag === "ClientDialogStarted" && Option.contains(clientId, event.clientId) && event.channelId === session.channelId && !Option.contains(dialogId, event.dialogId)) {
                dialogId = Option.some(event.dialogId)
                out.push(...(yield* replay(event.dialogId)))
                continue
              }
              if (Option.isNone(dialogId) || stored.streamId !== `dialog:${dialogId.value}` || stored.position <= last) continue
              last = stored.position
              const item = folder.next(stored)
              if (Option.isSome(item)) out.push(tagged(dialogId.value)(item.value))
            }
            return Chunk.fromIterable(out)
          })
        return Stream.concat(Stream.fromIterable(first), live.pipe(Stream.mapChunksEffect(onBatch)))
      })

    return { settings, start, authenticate, identify, setAttributes, send, post, sendFile, openFile, delivered, markRead, feed, conversation } as const
  })
}) {}
