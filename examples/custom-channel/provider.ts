/**
 * The integrator's side of a custom channel (docs/channels/custom.md): your system receives
 * Switchboard's replies on a callback URL and posts your clients' messages to the channel's
 * webhook, both signed per Standard Webhooks with the channel's signing secret.
 */
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { Webhook } from "standardwebhooks"

/** A reply from Switchboard, as your callback receives it. */
export interface Reply {
  readonly messageId: string
  readonly dialogId: string
  readonly to: string
  readonly text: string
}

/** Your answer to a callback: accept it with your id, or refuse it with a status (and Retry-After seconds). */
export type Answer = { readonly status: 200; readonly id: string } | { readonly status: number; readonly retryAfter?: number; readonly error?: string }

const bodyOf = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = ""
    request.setEncoding("utf8")
    request.on("data", (chunk: string) => (body += chunk))
    request.on("end", () => resolve(body))
    request.on("error", reject)
  })

/** Start your side; `useSecret` takes the channel's signing secret (shown once when the channel is created). */
export const startProvider = async (options: { readonly switchboardUrl: string; readonly channelId: string }) => {
  let webhook = new Webhook("whsec_" + Buffer.from(randomUUID()).toString("base64"))
  /** Every reply delivered to your clients, once each (Switchboard may retry: its messageId is the key). */
  const delivered = new Map<string, Reply & { readonly id: string }>()
  let calls = 0
  /** Decide how to answer a callback (a test makes some fail); by default, deliver it. */
  let answer = (reply: Reply): Answer => ({ status: 200, id: delivered.get(reply.messageId)?.id ?? `crm-${delivered.size + 1}` })

  const server = createServer(async (request, response) => {
    const body = await bodyOf(request)
    calls++
    let reply: Reply
    try {
      reply = (webhook.verify(body, request.headers as Record<string, string>) as { data: Reply }).data
    } catch {
      return response.writeHead(401).end()
    }
    const answered = answer(reply)
    if (answered.status !== 200 || !("id" in answered)) {
      const headers = "retryAfter" in answered && answered.retryAfter !== undefined ? { "retry-after": String(answered.retryAfter) } : {}
      return response.writeHead(answered.status, headers).end(("error" in answered && answered.error) || "refused")
    }
    delivered.set(reply.messageId, { ...reply, id: answered.id })
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: answered.id }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))

  /** POST one event to the channel's webhook, signed. */
  const post = async (event: { readonly type: string; readonly data: unknown }, id = `msg_${randomUUID()}`) => {
    const body = JSON.stringify(event)
    const at = new Date()
    return fetch(`${options.switchboardUrl}/api/channels/${options.channelId}/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": webhook.sign(id, at, body) },
      body
    })
  }

  return {
    useSecret: (signingSecret: string) => void (webhook = new Webhook(signingSecret)),
    callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/switchboard`,
    delivered: () => [...delivered.values()],
    calls: () => calls,
    answerWith: (next: (reply: Reply) => Answer) => void (answer = next),
    /** A client of yours writes. */
    message: (from: { readonly id: string; readonly name?: string }, id: string, text: string) => post({ type: "message", data: { id, from, text } }),
    /** Your client received (or read) one of Switchboard's replies. */
    status: (messageId: string, status: "delivered" | "read") => post({ type: "message.status", data: { messageId, status } }),
    post,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
