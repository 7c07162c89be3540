import { randomUUID } from "node:crypto"
import { Webhook } from "standardwebhooks"
import type { ProviderFake, ProviderFailure } from "./channelConformance.js"

const encoder = new TextEncoder()

/**
 * An in-process fake of an integrator's system behind a custom channel: its `fetch` answers the
 * channel's signed callbacks (checking each signature, recording each accepted message, failing
 * as scripted), and it signs inbound requests with the channel's secret. Pass `fetch` to
 * `CustomChannel.make({ fetch })` and the fake to `channelConformance`.
 */
export const make = (): ProviderFake & { readonly fetch: typeof globalThis.fetch } => {
  const signingSecret = `whsec_${Buffer.from("conformance-secret-conformance-secret").toString("base64")}`
  const webhook = new Webhook(signingSecret)
  const accepted: Array<{ readonly messageId: string; readonly to: string; readonly text: string; readonly providerMessageId: string }> = []
  const script: Array<ProviderFailure> = []
  const waiters: Array<{ readonly count: number; readonly resolve: () => void }> = []
  let attempts = 0

  const answer = (body: string, headers: Headers): Response => {
    attempts++
    for (const waiter of waiters.filter((entry) => entry.count <= attempts)) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve()
    }
    let payload: { readonly data: { readonly messageId: string; readonly to: string; readonly text: string } }
    try {
      payload = webhook.verify(body, Object.fromEntries(headers.entries())) as typeof payload
    } catch {
      return new Response("bad signature", { status: 401 })
    }
    const failure = script.shift()
    if (failure !== undefined) {
      switch (failure._tag) {
        case "Outage":
          return new Response("unavailable", { status: 503 })
        case "Permanent":
          return new Response(failure.reason, { status: 410 })
        case "RateLimited":
          return new Response("slow down", { status: 429, headers: { "retry-after": String(failure.retryAfterSeconds) } })
      }
    }
    const providerMessageId = `prov-${accepted.length + 1}`
    accepted.push({ messageId: payload.data.messageId, to: payload.data.to, text: payload.data.text, providerMessageId })
    return Response.json({ id: providerMessageId })
  }

  const signed = (event: unknown, options: { readonly secret?: string; readonly at?: Date; readonly id?: string; readonly tamper?: boolean; readonly raw?: string } = {}) => {
    const body = options.raw ?? JSON.stringify(event)
    const at = options.at ?? new Date()
    const id = options.id ?? `msg_${randomUUID()}`
    const signature = new Webhook(options.secret ?? signingSecret).sign(id, at, body)
    return {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature },
      body: encoder.encode(options.tamper === true ? body.replace("}", ',"x":1}') : body)
    }
  }

  return {
    settings: { signingSecret, callbackUrl: "https://provider.test/switchboard" },
    fetch: async (input, init) => answer(String(init?.body ?? ""), new Headers(init?.headers)),
    accepted: () => [...accepted],
    attempts: () => attempts,
    waitForAttempts: (count) => (attempts >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve }))),
    failNext: (count, failure) => {
      for (let n = 0; n < count; n++) script.push(failure)
    },
    message: (input) => signed({ type: "message", data: { id: input.id, from: { id: input.from }, text: input.text } }),
    status: (providerMessageId, status) => signed({ type: "message.status", data: { messageId: providerMessageId, status } }),
    forged: (input) => {
      const event = { type: "message", data: { id: input.id, from: { id: input.from }, text: input.text } }
      const replayedId = `msg_${randomUUID()}`
      const original = signed(event, { id: replayedId })
      return [
        { name: "tampered body", request: signed(event, { tamper: true }) },
        { name: "wrong secret", request: signed(event, { secret: `whsec_${Buffer.from("another-secret-another-secret").toString("base64")}` }) },
        { name: "stale timestamp", request: signed(event, { at: new Date(Date.now() - 60 * 60_000) }) },
        { name: "no signature", request: { ...original, headers: { "content-type": "application/json" } } },
        { name: "replayed id", replayOf: original, request: signed({ ...event, data: { ...event.data, text: `${input.text} (replayed)` } }, { id: replayedId }) }
      ]
    },
    malformed: () => [
      { name: "not JSON", request: signed(undefined, { raw: "{" }) },
      { name: "unknown type", request: signed({ type: "poke", data: {} }) },
      { name: "missing text", request: signed({ type: "message", data: { id: "m", from: { id: "x" } } }) }
    ]
  }
}
