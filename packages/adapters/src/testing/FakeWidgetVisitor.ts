import { randomBytes } from "node:crypto"
import { type ChannelAdapter, type ChannelId, EventStore, Inbound, InvalidInput, Widget, type WidgetSession } from "@switchboard/core"
import { Effect, Option, Redacted } from "effect"
import * as WidgetAdapter from "../channels/WidgetAdapter.js"
import type { ConformanceServices, ProviderFake } from "./channelConformance.js"

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** Which of the widget API's requests a fake request stands for: a message, the live stream (delivery), a read mark. */
const pathHeader = "x-widget-path"
/** The visitor a legitimate request comes from, by the suite's name for them; their session's token is used. */
const visitorHeader = "x-conformance-visitor"

const request = (path: string, body: unknown, headers: Record<string, string>): ChannelAdapter.InboundRequest => ({
  method: "POST",
  headers: { "content-type": "application/json", [pathHeader]: path, ...headers },
  body: encoder.encode(typeof body === "string" ? body : JSON.stringify(body))
})

/**
 * The web widget's side for `channelConformance` (`outbound: "feed"`): widget visitors instead of a
 * provider. A visitor's requests go through the `Widget` service as the widget's API sends them
 * (`/widget/v1/messages` through `Widget.post`, the session from its bearer token); "the provider
 * reports delivered" is the visitor's connection taking the messages it has not seen (the feed's
 * replay through `VisitorFeed`, each of ours marked with `Widget.delivered`, as the stream does),
 * "read" is `Widget.markRead`. The widget has no provider to fail: `failNext` is never called for a
 * feed channel, and `send` (the real adapter's, recorded) cannot fail.
 */
export const make = (): ProviderFake<Widget.Widget> & { readonly send: ChannelAdapter.ChannelAdapter["send"] } => {
  const accepted: Array<{ readonly messageId: string; readonly to: string; readonly text: string; readonly providerMessageId: string }> = []
  const sessions = new Map<string, { readonly token: string; readonly session: WidgetSession }>()
  const names = new Map<string, string>()
  let attempts = 0

  /** The visitor's session, started on the channel on their first request. */
  const sessionOf = (channelId: ChannelId, name: string) =>
    Effect.gen(function* () {
      const known = sessions.get(name)
      if (known !== undefined) return known
      const started = yield* Effect.orDie(Effect.flatMap(Widget.Widget, (widget) => widget.start(channelId, {})))
      const entry = { token: Redacted.value(started.token), session: started.session }
      sessions.set(name, entry)
      names.set(started.session.visitorId, name)
      return entry
    })

  /** The visitor's connection from `after`: the dialog's visitor events replayed, ours marked delivered. */
  const connect = (session: WidgetSession, after: number) =>
    Effect.gen(function* () {
      const widget = yield* Widget.Widget
      const target = yield* widget.conversation(session)
      const dialog = Option.flatMap(target, (found) => found.dialog)
      if (Option.isNone(dialog)) return { items: [], last: after }
      const events = yield* (yield* EventStore).readStream(`dialog:${dialog.value.state.id}`)
      const items = new Widget.VisitorFeed().replay(events, after)
      for (const item of items) if (Option.isSome(item.deliver)) yield* widget.delivered(dialog.value.state.id, item.deliver.value)
      return { items, last: Math.max(after, ...events.map((stored) => stored.position)) }
    })

  const handle = (channelId: ChannelId, incoming: ChannelAdapter.InboundRequest) =>
    Effect.gen(function* () {
      const widget = yield* Widget.Widget
      const name = incoming.headers[visitorHeader]
      const bearer = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(incoming.headers["authorization"] ?? "")
      const session = name !== undefined
        ? (yield* sessionOf(channelId, name)).session
        : bearer === null
        ? yield* Effect.fail(new Inbound.InboundRejected({ reason: "Send the widget session's token as Authorization: Bearer <token>", unauthorized: true }))
        : yield* Effect.catchTag(widget.authenticate(Redacted.make(bearer[1]!)), "WidgetRejected", (rejected) =>
          Effect.fail(new Inbound.InboundRejected({ reason: rejected.message, unauthorized: true })))
      let body: unknown
      try {
        body = JSON.parse(decoder.decode(incoming.body))
      } catch {
        return yield* Effect.fail(new Inbound.InboundRejected({ reason: "body: not valid JSON", unauthorized: false }))
      }
      switch (incoming.headers[pathHeader]) {
        case "/messages": {
          const received = yield* Effect.catchTag(widget.post(session, body), "VersionConflict", Effect.die)
          return { received: [received], statuses: 0, ignored: [] }
        }
        case "/stream":
          return { received: [], statuses: (yield* connect(session, 0)).items.length, ignored: [] }
        case "/read": {
          const { items } = yield* connect(session, 0)
          const id = (body as { readonly providerMessageId?: unknown }).providerMessageId
          const seq = items.flatMap((item) => (item.event._tag === "message" && item.event.message.id === id ? [item.event.message.seq] : []))[0] ?? 0
          return { received: [], statuses: yield* widget.markRead(session, seq), ignored: [] }
        }
        default:
          return yield* Effect.fail(new InvalidInput({ path: pathHeader, message: "not a widget API request" }))
      }
    }) as Effect.Effect<Inbound.InboundOutcome, Inbound.InboundRejected | InvalidInput, Widget.Widget | ConformanceServices>

  return {
    settings: {},
    send: (context, message) =>
      Effect.tap(WidgetAdapter.adapter.send(context, message), (sent) =>
        Effect.sync(() => {
          attempts++
          accepted.push({ messageId: message.messageId, to: names.get(message.recipient) ?? message.recipient, text: message.text, providerMessageId: sent.providerMessageId })
        })),
    accepted: () => [...accepted],
    attempts: () => attempts,
    waitForAttempts: () => Promise.reject(new Error("The web widget has no provider to wait on")),
    failNext: () => {
      throw new Error("The web widget has no provider to fail: its channel runs the suite with outbound: \"feed\"")
    },
    message: (input) => request("/messages", { text: input.text, clientMessageId: input.id }, { [visitorHeader]: input.from }),
    status: (providerMessageId, status) => {
      const to = accepted.find((sent) => sent.providerMessageId === providerMessageId)?.to ?? "client-1"
      return status === "delivered" ? request("/stream", {}, { [visitorHeader]: to }) : request("/read", { providerMessageId }, { [visitorHeader]: to })
    },
    forged: (input) => [
      { name: "no token", request: request("/messages", { text: input.text, clientMessageId: input.id }, {}) },
      { name: "an unknown token", request: request("/messages", { text: input.text, clientMessageId: input.id }, { authorization: `Bearer ${randomBytes(32).toString("base64url")}` }) },
      { name: "a token in another header", request: request("/messages", { text: input.text, clientMessageId: input.id }, { "x-widget-token": randomBytes(32).toString("base64url") }) }
    ],
    malformed: () => [
      { name: "not JSON", request: request("/messages", "{", { [visitorHeader]: "client-9" }) },
      { name: "no text", request: request("/messages", { clientMessageId: "m-1" }, { [visitorHeader]: "client-9" }) },
      { name: "an unknown field", request: request("/messages", { text: "hi", clientMessageId: "m-2", html: "<b>" }, { [visitorHeader]: "client-9" }) },
      { name: "over the text limit", request: request("/messages", { text: "x".repeat(2001), clientMessageId: "m-3" }, { [visitorHeader]: "client-9" }) }
    ],
    handle,
    catchUp: (from, after) =>
      Effect.gen(function* () {
        const known = sessions.get(from)
        if (known === undefined) return yield* Effect.dieMessage(`${from} never wrote: no widget session to connect`)
        const { items, last } = yield* connect(known.session, after)
        return { texts: items.flatMap((item) => (item.event._tag === "message" ? [item.event.message.text] : [])), last }
      })
  }
}
