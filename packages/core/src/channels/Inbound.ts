import { Effect, Option } from "effect"
import { system } from "../access/Access.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine, type InboundMessage, type Received } from "../engine/Engine.js"
import { ChannelSecretStore } from "../ports/ChannelSecretStore.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { FileStore, type FileStoreService } from "../ports/FileStore.js"
import { OutboxStore } from "../ports/OutboxStore.js"
import { type InvalidInput, NotFound } from "../shared/Errors.js"
import type { ChannelId } from "../shared/Ids.js"
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

/**
 * The files helper's hook: whether an inbound file's bytes may be kept (type from the content,
 * size per kind, SET-02). Until that policy lands every downloaded file is kept as the provider
 * described it; the call site stays here so the policy is applied in one place.
 */
export const checkInboundFile = (file: InboundFile, _bytes: Uint8Array): Effect.Effect<{ readonly mime: string }, InboundRejected> =>
  Effect.succeed({ mime: file.mime ?? "application/octet-stream" })

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
 * into the `FileStore` when there is one, and delivery statuses applied to the outgoing message
 * the provider names.
 */
export class ChannelInbound extends Effect.Service<ChannelInbound>()("@switchboard/core/ChannelInbound", {
  effect: Effect.gen(function* () {
    const engine = yield* Engine
    const configStore = yield* ConfigStore
    const secretStore = yield* ChannelSecretStore
    const outbox = yield* OutboxStore
    const adapters = yield* ChannelAdapters
    const files = yield* Effect.serviceOption(FileStore)

    /** The channel, its adapter and its context, or `NotFound` (a channel this server has no adapter for is unknown here). */
    const contextOf = (channelId: ChannelId): Effect.Effect<{ readonly adapter: ChannelAdapter; readonly context: ChannelContext }, NotFound> =>
      Effect.gen(function* () {
        const channel = yield* configStore.getChannel(channelId)
        const adapter = Option.flatMap(channel, (found) => Option.fromNullable(adapters.get(found.kind)))
        if (Option.isNone(channel) || Option.isNone(adapter)) return yield* Effect.fail(new NotFound({ entity: "channel", id: channelId }))
        return { adapter: adapter.value, context: { channel: channel.value, secrets: yield* secretStore.getSecrets(channelId) } }
      })

    /** A file of an inbound message as an attachment: stored in the FileStore when possible, else by reference. */
    const attachmentOf = (adapter: ChannelAdapter, context: ChannelContext, store: Option.Option<FileStoreService>) => (file: InboundFile) =>
      Effect.gen(function* () {
        const reference = {
          name: file.name,
          mime: file.mime ?? "application/octet-stream",
          size: file.size ?? 0,
          ...(isWebUrl(file.ref) ? { url: file.ref } : {})
        }
        if (Option.isNone(store) || adapter.download === undefined) return reference
        const bytes = yield* Effect.option(adapter.download(context, file))
        if (Option.isNone(bytes)) return reference
        const checked = yield* checkInboundFile(file, bytes.value)
        const stored = yield* Effect.option(store.value.put({ name: file.name, mime: checked.mime, bytes: bytes.value }))
        return Option.match(stored, {
          onNone: () => reference,
          onSome: (kept) => ({ name: file.name, mime: kept.mime, size: kept.size, fileId: kept.id })
        })
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
              const attachments = yield* Effect.forEach(event.files, attachmentOf(adapter, context, files))
              const inbound: InboundMessage = yield* messageOf(channelId, event, attachments)
              received.push(yield* Effect.catchTag(engine.receive(inbound), "VersionConflict", Effect.die))
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
