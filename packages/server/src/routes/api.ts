import { Effect, Option } from "effect"
import { Hono } from "hono"
import { bearerAuth } from "hono/bearer-auth"
import { Engine } from "@switchboard/core"
import { readJson, jsonOnly } from "../RequestBody.js"
import { respondJson } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

/**
 * The integrators' JSON API. `POST /api/channels/:channelId/inbound` records a client's message
 * (the same path a channel adapter takes); bad input is a 422 naming the field's path, a body
 * that is not JSON a 415 (another content type) or a 400 naming `body` (malformed, nested too deeply).
 * If `apiToken` is set, requests need `Authorization: Bearer <token>` (compared in constant time;
 * 401 without it or with another token, 400 for a header that is no bearer token).
 */
/** What a bearer token may be made of (RFC 6750's b64token), as `bearerAuth` reads it. */
export const isBearerToken = (token: string): boolean => /^[A-Za-z0-9._~+/-]+=*$/.test(token)

export const apiRoutes = (runtime: PanelRuntime, apiToken: string | undefined) => {
  if (apiToken !== undefined && !isBearerToken(apiToken)) throw new Error("apiToken: use letters, digits and ._~+/- (then = padding only), so clients can send it as a bearer token")
  const guard = apiToken === undefined
    ? undefined
    : bearerAuth({
      token: apiToken,
      noAuthenticationHeader: { message: { error: "Unauthorized", message: "Send Authorization: Bearer <token>" } },
      invalidAuthenticationHeader: { message: { error: "BadRequest", message: "The Authorization header is not a bearer token" } },
      invalidToken: { message: { error: "Unauthorized", message: "The bearer token is not valid" } }
    })
  return new Hono()
    .use("*", (c, next) => (guard === undefined ? next() : guard(c, next)))
    .use("*", jsonOnly)
    .post("/channels/:channelId/inbound", (c) => {
      const program = Effect.gen(function* () {
        const body = yield* readJson(c)
        const input = typeof body === "object" && body !== null && !Array.isArray(body) ? { ...body, channelId: c.req.param("channelId") } : body
        const engine = yield* Engine
        const inbound = yield* engine.decodeInbound(input)
        return yield* engine.receive(inbound)
      })
      return respondJson(c, runtime, program, (received) =>
        c.json(
          {
            clientId: received.clientId,
            dialogId: received.dialogId,
            messageId: Option.getOrNull(received.messageId)
          },
          202
        )
      )
    })
}
