import { Effect, Either, Option, Schema } from "effect"
import { system } from "../access/Access.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine, type InboundMessage, type Received } from "../engine/Engine.js"
import { Attachments } from "../files/Attachments.js"
import { Attachment } from "../messages/Message.js"
import { ChannelSecretStore } from "../ports/ChannelSecretStore.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { OutboxStore } from "../ports/OutboxStore.js"
import { type InvalidInput, NotFound } from "../shared/Errors.js"
import type { ChannelId, FileId } from "../shared/Ids.js"
import { limits } from "../shared/StoredText.js"
import {
  type ChannelAdapter,
  ChannelAdapters,
  type ChannelContext,
  type InboundEvent,
  type InboundFile,
  InboundRejected,
  type InboundRequest
} from "./Adapter.js"

/** What one inbound request did: the messages it recorded, the statuses it applied, what it could not use. */
export interface InboundOutcome {
  readonly received: ReadonlyArray<Received>
  /** Delivery statuses applied to our outgoing messages. */
  readonly statuses: number
  /** Events the engine has no command for yet (a client's edit, a client who left), by tag. */
  readonly ignored: ReadonlyArray<InboundEvent["_tag"]>
}

const isWebUrl = (ref: string): boolean => /^https?:\/\/[^\s]+$/.test(ref) && ref.length <= limits.url

/**
 * The inbound pipeline (CHN-01): a provider's request for one channel → its adapter verifies and
 * parses it → every message is validated first (nothing is stored if any is malformed) → then
 * messages are recorded (a repeated `externalId` is stored once, by the engine), files fetched
 * and kept through `Attachments` when the server has it (type from the content, the company's file
 * settings, SET-02 / MSG-06) and linked to the dialog they arrived in (so whoever may see it may
 * download them), and delivery statuses applied to the outgoing message the provider names. A file
 * the settings refuse, or that cannot be fetched, stays on the message as its name, type and size
 * only (the client's text is never lost for it); its bytes are not kept.
 */
export class ChannelInbound extends Effect.Service<ChannelInbound>()("@switchboard/core/ChannelInbound", {
  effect: Effect.gen(function* () {
    const engine = yield* Engine
    const configStore = yield* ConfigStore
    const secretStore = yield* ChannelSecretStore
    const outbox = yield* OutboxStore
    const adapters = yield* ChannelAdapters
    const attachments = yield* Effect.serviceOption(Attachments)

    /** The channel, its adapter and its context, or `NotFound` (a channel this server has no adapter for is unknown here). */
    const contextOf = (channelId: ChannelId): Effect.Effect<{ readonly adapter: ChannelAdapter; readonly context: ChannelContext }, NotFound> =>
      Effect.gen(function* () {
        const channel = yield* configStore.getChannel(channelId)
        const adapter = Option.flatMap(channel, (found) => Option.fromNullable(adapters.get(found.kind)))
        if (Option.isNone(channel) || Option.isNone(adapter)) return yield* Effect.fail(new NotFound({ entity: "channel", id: channelId }))
        return { adapter: adapter.value, context: { channel: channel.value, secrets: yield* secretStore.getSecrets(channelId) } }
      })

    /**
     * A file of an inbound message as an attachment: fetched, checked and stored through
     * `Attachments` (not yet linked: the dialog may not exist before the message is received),
     * or by reference when it may not or cannot be kept.
     */
    const attachmentOf = (adapter: ChannelAdapter, context: ChannelContext) => (file: InboundFile) =>
      Effect.gen(function* () {
        const reference = {
          name: file.name,
          mime: file.mime ?? "application/octet-stream",
          size: file.size ?? 0,
          ...(isWebUrl(file.ref) ? { url: file.ref } : {})
        }
        if (Option.isNone(attachments) || adapter.download === undefined) return reference
        // A size the provider announces beyond the company's limit is not even fetched.
        const { files: policy } = yield* configStore.getSettings()
        if (file.size !== undefined && file.size > policy.maxBytes) {
          return yield* Effect.as(Effect.logInfo(`inbound: ${file.name} is larger than the files settings allow; kept by reference`), reference)
        }
        const bytes = yield* Effect.option(adapter.download(context, file))
        if (Option.isNone(bytes)) return reference
        const stored = yield* Effect.either(attachments.value.store({ name: file.name, bytes: bytes.value }, {}))
        if (Either.isLeft(stored)) {
          return yield* Effect.as(Effect.logInfo(`inbound: ${file.name} is not kept: ${stored.left.message}`).pipe(Effect.annotateLogs({ channelId: context.channel.id })), reference)
        }
        return Schema.encodeSync(Attachment)(stored.right)
      })

    /** The engine's inbound message for an adapter's message event, validated (`InvalidInput` names the field). */
    const messageOf = (channelId: ChannelId, event: Extract<InboundEvent, { _tag: "InboundMessage" }>, attachments: ReadonlyArray<unknown>) =>
      engine.decodeInbound({
        channelId,
        from: event.sender.from,
        profile: {
          ...(event.sender.name === undefined ? {} : { name: event.sender.name }),
          ...(event.sender.username === undefined ? {} : { username: event.sender.username }),
          ...(event.sender.language === undefined ? {} : { language: event.sender.language }),
          ...(event.sender.attributes === undefined ? {} : { customFields: event.sender.attributes })
        },
        message: { text: event.text, attachments },
        externalId: event.externalId
      })

    /** Handle one provider request for `channelId`. */
    const handle = (channelId: ChannelId, request: InboundRequest): Effect.Effect<InboundOutcome, NotFound | InboundRejected | InvalidInput> =>
      Effect.gen(function* () {
        const { adapter, context } = yield* contextOf(channelId)
        const events = yield* adapter.parseInbound(context, request)
        // Validate every message (without files) before anything is stored or fetched.
        for (const event of events) {
          if (event._tag === "InboundMessage") yield* messageOf(channelId, event, [])
        }
        const received: Array<Received> = []
        const ignored: Array<InboundEvent["_tag"]> = []
        let statuses = 0
        for (const event of events) {
          switch (event._tag) {
            case "InboundMessage": {
              const carried = yield* Effect.forEach(event.files, attachmentOf(adapter, context))
              const stored = carried.flatMap((attachment) => ("fileId" in attachment && attachment.fileId !== undefined ? [attachment.fileId as FileId] : []))
              const recorded = yield* Effect.flatMap(messageOf(channelId, event, carried), (inbound: InboundMessage) =>
                Effect.catchTag(engine.receive(inbound), "VersionConflict", Effect.die)).pipe(
                  // Not recorded: the files stored for it go too.
                  Effect.tapError(() => Option.isNone(attachments) ? Effect.void : attachments.value.discard(stored))
                )
              if (Option.isSome(attachments)) yield* attachments.value.keepReceived(stored, recorded)
              received.push(recorded)
              break
            }
            case "InboundStatus": {
              const sent = yield* outbox.findSent(channelId, event.providerMessageId)
              if (Option.isNone(sent)) break
              statuses++
              yield* Effect.ignoreLogged(engine.execute(system, new Dialog.UpdateDelivery({
                dialogId: sent.value.dialogId,
                messageId: sent.value.messageId,
                status: event.status,
                ...(event.reason === undefined ? {} : { reason: event.reason.slice(0, limits.notes) })
              })))
              break
            }
            case "InboundEdit":
            case "InboundClientLeft":
              ignored.push(event._tag)
              break
          }
        }
        return { received, statuses, ignored }
      }).pipe(Effect.withSpan("ChannelInbound.handle", { attributes: { channelId } }))

    return { handle } as const
  })
}) {}

export { InboundRejected }
