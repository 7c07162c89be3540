import { Context, Effect, Layer, Option } from "effect"
import { MB, productMaxBytes } from "../files/FileSettings.js"
import { maxTextLength } from "../messages/Message.js"
import { AdapterCapabilities, AttachmentLimit, type AttachmentKind, ChannelAdapters } from "./Adapter.js"
import type { Channel, ChannelKind } from "./Channel.js"

/**
 * What each channel accepts (MSG-05, MSG-06): the engine checks every outgoing message and
 * attachment against it. The default reads the channel's configured `Capabilities` and MSG-06's
 * table; a server with channel adapters answers from each adapter's `capabilities`.
 */
export interface ChannelLimitsService {
  readonly capabilities: (channel: Channel) => AdapterCapabilities
}

/** The `ChannelLimits` service's tag. */
export class ChannelLimits extends Context.Tag("@switchboard/core/ChannelLimits")<ChannelLimits, ChannelLimitsService>() {}

type Table = Readonly<Partial<Record<AttachmentKind, number>>>

const mb = (image: number | undefined, audio: number | undefined, video: number | undefined, document: number | undefined): Table => ({
  ...(image === undefined ? {} : { image: image * MB }),
  ...(audio === undefined ? {} : { audio: audio * MB }),
  ...(video === undefined ? {} : { video: video * MB }),
  ...(document === undefined ? {} : { document: document * MB })
})

/**
 * Per-kind size limits by channel, image/audio/video/other in MB, from MSG-06's table (WhatsApp
 * as the Business API; a missing kind is not accepted). Channels the table does not list accept
 * every kind up to the product's ceiling, so the company's file settings govern them; SMS carries
 * text only.
 */
const attachmentTable: Readonly<Record<ChannelKind, Table>> = {
  messenger: mb(8, 25, undefined, 25),
  instagram: mb(8, 25, undefined, 25),
  whatsapp: mb(5, 16, 16, 100),
  telegram: mb(10, 50, 50, 50),
  widget: mb(500, 500, 500, 500),
  viber: mb(500, 500, 500, 500),
  email: mb(500, 500, 500, 500),
  custom: mb(500, 500, 500, 500),
  sms: {}
}

const kinds: ReadonlyArray<AttachmentKind> = ["image", "audio", "video", "document"]

/** MSG-06's attachment limits of a channel kind. */
export const defaultAttachments = (kind: ChannelKind): ReadonlyArray<AttachmentLimit> =>
  kinds.flatMap((attachment) => {
    const maxBytes = attachmentTable[kind][attachment]
    return maxBytes === undefined ? [] : [AttachmentLimit.make({ kind: attachment, maxBytes: Math.min(maxBytes, productMaxBytes) })]
  })

/** A channel's capabilities from its configuration: its text limit and flags, MSG-06's attachment limits. */
export const configuredCapabilities = (channel: Channel): AdapterCapabilities =>
  AdapterCapabilities.make({
    maxTextLength: Math.min(channel.capabilities.maxTextLength ?? maxTextLength, maxTextLength),
    attachments: defaultAttachments(channel.kind),
    deliveryReceipts: false,
    readReceipts: channel.capabilities.readReceipts,
    editMessages: channel.capabilities.editMessages,
    deleteMessages: channel.capabilities.deleteMessages,
    quotes: false,
    buttons: false
  })

/** Limits from each channel's configuration (`configuredCapabilities`): the default without adapters. */
export const fromConfiguration: Layer.Layer<ChannelLimits> = Layer.succeed(ChannelLimits, { capabilities: configuredCapabilities })

/** Limits as each channel's adapter declares them (`ChannelAdapter.capabilities`); a kind without an adapter falls back to its configuration. */
export const fromAdapters = (adapters: ReadonlyMap<ChannelKind, { readonly capabilities: (channel: Channel) => AdapterCapabilities }>): ChannelLimitsService => ({
  capabilities: (channel) => adapters.get(channel.kind)?.capabilities(channel) ?? configuredCapabilities(channel)
})

/**
 * The limits the engine checks against: the `ChannelLimits` service if one is provided; else, when
 * the server runs channel adapters (`ChannelAdapters`), what they declare; else each channel's
 * configuration.
 */
export const current: Effect.Effect<ChannelLimitsService> = Effect.gen(function* () {
  const provided = yield* Effect.serviceOption(ChannelLimits)
  if (Option.isSome(provided)) return provided.value
  const adapters = yield* Effect.serviceOption(ChannelAdapters)
  return Option.isSome(adapters) ? fromAdapters(adapters.value) : { capabilities: configuredCapabilities }
})

const kindLabels: Readonly<Record<ChannelKind, string>> = {
  widget: "The web widget",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
  viber: "Viber",
  messenger: "Messenger",
  instagram: "Instagram",
  email: "Email",
  sms: "SMS",
  custom: "This channel"
}

/** How a refusal names the channel: "Telegram accepts documents up to 50 MB". */
export const channelLabel = (channel: Channel): string => (channel.kind === "custom" ? channel.name : kindLabels[channel.kind])
