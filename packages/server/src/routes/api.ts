import { ChannelId, Engine, Inbound, InvalidInput } from "@switchboard/core"
import { Effect, Option, Schema } from "effect"
import { Hono } from "hono"
import type { Context } from "hono"
import { createHash, timingSafeEqual } from "node:crypto"
import { ChannelCredentials } from "../ChannelCredentials.js"
import { jsonOnly, readBytes, readJson } from "../RequestBody.js"
import { BadRequest, respondJson, Unauthorized } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

/** What a bearer token may be made of (RFC 6750's b64token). */
export const isBearerToken = (token: string): boolean => /^[A-Za-z0-9._~+/-]+=*$/.test(token)

const decodeChannel = Schema.decodeUnknown(Schema.Struct({ channelId: ChannelId }))

/** The channel id of the path; a malformed one is a 422 naming `channelId`. */
const channelIdOf = (c: Context): Effect.Effect<ChannelId, InvalidInput> =>
  Effect.mapBoth(decodeChannel({ channelId: c.req.param("channelId") }), { onFailure: InvalidInput.fromParseError, onSuccess: (decoded) => decoded.channelId })

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest()

/** The bearer token of a request: none, or a 400 for an Authorization header that is no bearer token. */
const bearerOf = (c: Context): Effect.Effect<Option.Option<string>, BadRequest> => {
  const header = c.req.header("Authorization")
  if (header === undefined) return Effect.succeed(Option.none())
  const match = /^Bearer +(\S+)$/i.exec(header)
  return match !== null && isBearerToken(match[1]!)
    ? Effect.succeed(Option.some(match[1]!))
    : Effect.fail(new BadRequest({ parameter: "Authorization", message: "The Authorization header is not a bearer token" }))
}

/**
 * The integrators' JSON API. Every request body is JSON (415 otherwise), within the API's size
 * limit (413).
 *
 * - `POST /api/channels/:channelId/inbound` records a client's message in Switchboard's own shape
 *   (`InboundMessage`). It needs `Authorization: Bearer <token>`: the channel's inbound token
 *   (generated with the channel, shown once) or the server's `apiToken` when one is set, compared
 *   in constant time; 401 with the reason without it, 400 for a header that is no bearer token.
 *   Bad input is a 422 naming the field's path, a malformed body a 400 naming `body`.
 * - `POST /api/channels/:channelId/webhook` is the provider's webhook for the channel's adapter
 *   (a custom channel's Standard Webhooks request, a Telegram update...): the adapter verifies
 *   it (401 with the reason for a missing, wrong, stale or replayed signature), then the inbound
 *   pipeline validates every message before it stores any (400 / 422 naming the path).
 */
export const apiRoutes = (runtime: PanelRuntime, apiToken: string | undefined) => {
  if (apiToken !== undefined && !isBearerToken(apiToken)) throw new Error("apiToken: use letters, digits and ._~+/- (then = padding only), so clients can send it as a bearer token")
  const serverToken = apiToken === undefined ? undefined : digest(apiToken)

  /** The server's token or the channel's own inbound token, or a 401 saying which is missing or wrong. */
  const authorize = (c: Context, channelId: ChannelId) =>
    Effect.gen(function* () {
      const token = yield* bearerOf(c)
      if (Option.isNone(token)) return yield* Effect.fail(new Unauthorized({ message: "Send Authorization: Bearer <the channel's inbound token>" }))
      if (serverToken !== undefined && timingSafeEqual(serverToken, digest(token.value))) return
      const credentials = yield* ChannelCredentials
      if (!(yield* credentials.verifyInboundToken(channelId, token.value))) {
        return yield* Effect.fail(new Unauthorized({ message: "The bearer token is not valid for this channel" }))
      }
    })

  return new Hono()
    .use("*", jsonOnly)
    .post("/channels/:channelId/inbound", (c) => {
      const program = Effect.gen(function* () {
        const channelId = yield* channelIdOf(c)
        yield* authorize(c, channelId)
        const body = yield* readJson(c)
        const input = typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body, channelId } : body
        const engine = yield* Engine
        const inbound = yield* engine.decodeInbound(input)
        return yield* engine.receive(inbound)
      })
      return respondJson(c, runtime, program, (received) =>
        c.json({ clientId: received.clientId, dialogId: received.dialogId, messageId: Option.getOrNull(received.messageId) }, 202)
      ).then((response) => {
        if (response.status === 401) response.headers.set("WWW-Authenticate", 'Bearer realm="switchboard"')
        return response
      })
    })
    .post("/channels/:channelId/webhook", (c) => {
      const program = Effect.gen(function* () {
        const body = yield* readBytes(c)
        const headers: Record<string, string> = {}
        c.req.raw.headers.forEach((value, name) => {
          headers[name.toLowerCase()] = value
        })
        const inbound = yield* Inbound.ChannelInbound
        return yield* inbound.handle(yield* channelIdOf(c), { method: c.req.method, headers, body })
      })
      return respondJson(c, runtime, program, (outcome) =>
        c.json(
          {
            received: outcome.received.map((received) => ({ clientId: received.clientId, dialogId: received.dialogId, messageId: Option.getOrNull(received.messageId) })),
            statuses: outcome.statuses,
            ignored: outcome.ignored
          },
          202
        )
      )
    })
}
