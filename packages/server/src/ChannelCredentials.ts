import { Channel as Channels, ChannelAdapter, ChannelSecretStore, ConfigStore, type ChannelId, NotFound } from "@switchboard/core"
import { Effect, Option, Redacted } from "effect"
import { createHash, randomBytes, timingSafeEqual } from "node:crypto"

/** The name under which a channel's inbound API token is kept, as a SHA-256 hash (only verified, never used). */
export const inboundTokenHash = "inboundTokenHash"
/** The name of the secret a provider sends back with each webhook request (Telegram's `X-Telegram-Bot-Api-Secret-Token`). */
export const webhookSecret = "webhookSecret"
/** The name of a channel's signing secret (Standard Webhooks' `whsec_…`): kept as is, since it signs and verifies. */
export const signingSecret = "signingSecret"

/** What a new channel's credentials are, shown once: after this only their hashes or the store hold them. */
export interface IssuedCredentials {
  /** `Authorization: Bearer <inboundToken>` on `POST /api/channels/:id/inbound`. */
  readonly inboundToken: Redacted.Redacted<string>
  /** The channel's Standard Webhooks secret (custom channels sign and verify with it). */
  readonly signingSecret: Redacted.Redacted<string>
}

const sha256 = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest()

/**
 * Every channel's own credentials (CHN-01): generated at random when the channel is created and
 * shown once. The inbound API token is stored as its SHA-256 hash (a 256-bit random token needs no
 * slow hash), compared in constant time; the signing secret is stored as is, because it signs.
 * Settings an adapter reads by name (a callback URL, a bot token) are stored beside them.
 */
export class ChannelCredentials extends Effect.Service<ChannelCredentials>()("@switchboard/server/ChannelCredentials", {
  effect: Effect.gen(function* () {
    const secrets = yield* ChannelSecretStore
    const configStore = yield* ConfigStore
    const adapters = yield* ChannelAdapter.ChannelAdapters

    /** New credentials for a channel, replacing any it had; `settings` are kept beside them. */
    const issue = (channelId: ChannelId, settings: Readonly<Record<string, string>> = {}) =>
      Effect.gen(function* () {
        const token = randomBytes(32).toString("base64url")
        const secret = `whsec_${randomBytes(32).toString("base64")}`
        yield* secrets.putSecrets(channelId, {
          // A provider that sends a shared secret back with each webhook (Telegram's secret token: [A-Za-z0-9_-]) gets this one.
          [webhookSecret]: Redacted.make(randomBytes(32).toString("base64url")),
          ...Object.fromEntries(Object.entries(settings).map(([name, value]) => [name, Redacted.make(value)])),
          [inboundTokenHash]: Redacted.make(sha256(token).toString("hex")),
          [signingSecret]: Redacted.make(secret)
        })
        return { inboundToken: Redacted.make(token), signingSecret: Redacted.make(secret) } satisfies IssuedCredentials
      }).pipe(Effect.withSpan("ChannelCredentials.issue"))

    /** Create (or replace) a channel with fresh credentials. */
    const create = (channel: Channels.Channel, settings: Readonly<Record<string, string>> = {}) =>
      Effect.zipRight(configStore.putChannel(channel), issue(channel.id, settings))

    /** Whether `presented` is the channel's inbound API token (false for a channel without one). */
    const verifyInboundToken = (channelId: ChannelId, presented: string) =>
      Effect.map(secrets.getSecrets(channelId), (stored) => {
        const hash = stored[inboundTokenHash]
        if (hash === undefined) return false
        const expected = Buffer.from(Redacted.value(hash), "hex")
        const actual = sha256(presented)
        return expected.length === actual.length && timingSafeEqual(expected, actual)
      })

    /**
     * Tell the provider where the channel's webhook is (`POST <baseUrl>/api/channels/<id>/webhook`),
     * with the channel's current secrets: Telegram's `setWebhook`. Nothing to do for an adapter
     * without `register`; a provider's refusal fails with its reason.
     */
    const register = (channelId: ChannelId, baseUrl: string) =>
      Effect.gen(function* () {
        const channel = yield* configStore.getChannel(channelId)
        if (Option.isNone(channel)) return yield* Effect.fail(new NotFound({ entity: "channel", id: channelId }))
        const adapter = adapters.get(channel.value.kind)
        if (adapter?.register === undefined) return
        const context = { channel: channel.value, secrets: yield* secrets.getSecrets(channelId) }
        yield* adapter.register(context, `${baseUrl.replace(/\/+$/, "")}/api/channels/${encodeURIComponent(channelId)}/webhook`)
      }).pipe(Effect.withSpan("ChannelCredentials.register"))

    return { issue, create, verifyInboundToken, register } as const
  })
}) {}
