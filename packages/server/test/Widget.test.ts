import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Effect, FastCheck as fc, Option, Redacted } from "effect"
import { HmacIdentityVerifier } from "@switchboard/adapters"
import { Access, Channel, ChannelId, ConfigStore, Dialog, type DialogId, Engine, EventStore, IdentityVerifier, Message, Settings, UserId, Widget, WidgetSessionStore } from "@switchboard/core"
import { I18n } from "@switchboard/ui-htmx"
import { demoSignIn, seedIfEmpty } from "../src/Demo.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp } from "./PanelClient.js"

const { runtime, app } = panelApp(memoryStorage.layer, { app: { demo: demoSignIn, widgetLimits: { sessionsPerMinute: 1000, messagesPerMinute: 1000, requestsPerMinute: 10_000 } } })
const anna = new Access.UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })
const secret = "widget-identity-secret"

beforeAll(async () => {
  await runtime.runPromise(seedIfEmpty)
  await runtime.runPromise(Effect.gen(function* () {
    const configStore = yield* ConfigStore
    // "Any more questions?" and the mandatory rating on (DLG-15, DLG-16); a second widget with an identity secret.
    yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...(yield* configStore.getSettings()), anyMoreQuestions: true, mandatoryRating: true }))
    yield* configStore.putChannel(Channel.Channel.make({ id: ChannelId.make("shop"), kind: "widget", name: "Shop" }))
    yield* (yield* WidgetSessionStore).saveSettings({ ...Widget.defaultSettings(ChannelId.make("shop")), identitySecret: Option.some(Redacted.make(secret)) })
  }))
})
afterAll(() => runtime.dispose())

const json = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.request(`/widget/v1${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) })

/** A new visitor on `channelId`: their token and bearer header. */
const visitor = async (channelId = "website", extra: Record<string, unknown> = {}) => {
  const response = await json("/sessions", { channelId, language: "uk", attributes: { plan: "pro" }, ...extra })
  expect(response.status).toBe(201)
  const { token } = (await response.json()) as { token: string }
  return { token, auth: { Authorization: `Bearer ${token}` } }
}

let sequence = 0
const say = (auth: Record<string, string>, text: string, payload?: string) =>
  json("/messages", { text, clientMessageId: `m${++sequence}`, ...(payload === undefined ? {} : { payload }) }, auth)

const run = <A, E>(program: Effect.Effect<A, E, Engine | EventStore | IdentityVerifier | WidgetSessionStore>) => runtime.runPromise(program as Effect.Effect<A, E, never>)

const messagesOf = (dialogId: string) =>
  run(Effect.map(Effect.flatMap(Engine, (engine) => engine.history(Access.system, { dialogId: dialogId as DialogId, limit: 50 })), (page) => [...page.items].reverse()))

const dialogOf = (dialogId: string) => run(Effect.flatMap(Engine, (engine) => engine.dialog(Access.system, dialogId as DialogId)))

/** An SSE response read event by event. */
const events = (response: Response) => {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ""
  const parsed: Array<{ id?: string; event: string; data: string }> = []
  const next = async (): Promise<{ id?: string; event: string; data: string }> => {
    for (;;) {
      const end = buffer.indexOf("\n\n")
      if (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        if (block.startsWith(":")) continue
        const fields = Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trimStart()]))
        const event = { event: fields["event"] ?? "message", data: fields["data"] ?? "", ...(fields["id"] === undefined ? {} : { id: fields["id"] }) }
        parsed.push(event)
        return event
      }
      const { value, done } = await reader.read()
      if (done) throw new Error("the stream ended")
      buffer += value
    }
  }
  /** Read until an event satisfies `found`. */
  const until = async (found: (event: { event: string; data: string }) => boolean) => {
    for (;;) {
      const event = await next()
      if (found(event)) return event
    }
  }
  return { next, until, parsed, close: () => reader.cancel() }
}

const stream = (token: string, headers: Record<string, string> = {}, after?: string) =>
  app.request(`/widget/v1/stream?token=${token}${after === undefined ? "" : `&after=${after}`}`, { headers })

describe("web widget sessions", () => {
  it("starts a session on a widget channel, with the token only in the answer", async () => {
    const response = await json("/sessions", { channelId: "website", language: "en" })
    expect(response.status).toBe(201)
    const body = (await response.json()) as { token: string; settings: Record<string, unknown> }
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(body.settings).toMatchObject({ channelId: "website", position: "right", identityVerification: false })
    expect(JSON.stringify(body.settings)).not.toContain("secret")
    const session = await app.request("/widget/v1/session", { headers: { Authorization: `Bearer ${body.token}` } })
    expect(session.status).toBe(200)
  })

  it("refuses what is not a widget session with a 4xx and its reason, storing nothing", async () => {
    const cases: Array<[Response, number, string]> = [
      [await json("/sessions", { channelId: "nope" }), 404, "no widget channel"],
      [await json("/sessions", { channelId: "telegram" }), 404, "no widget channel"],
      [await json("/sessions", { channelId: "website", language: 7 }), 422, "language"],
      [await json("/sessions", { channelId: "website", attributes: { "bad key!": "x" } }), 422, "attribute name"],
      [await json("/sessions", { channelId: "website", extra: true }), 422, "extra"],
      [await json("/sessions", "{not json"), 400, "not valid JSON"],
      [await app.request("/widget/v1/sessions", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hi" }), 415, "JSON"],
      [await json("/messages", { text: "hi", clientMessageId: "x" }), 401, "Bearer"],
      [await json("/messages", { text: "hi", clientMessageId: "x" }, { Authorization: "Bearer not-a-real-token" }), 401, "start a new one"],
      [await app.request("/widget/v1/stream?token=forged"), 401, "start a new one"]
    ]
    for (const [response, status, reason] of cases) {
      expect(response.status).toBe(status)
      expect(((await response.json()) as { message: string }).message).toContain(reason)
    }
  })

  it("refuses bad messages with 422 naming the field, and stores a resent message once", async () => {
    const { auth } = await visitor()
    for (const [body, path] of [
      [{ text: "   ", clientMessageId: "a" }, "text"],
      [{ text: "x".repeat(2001), clientMessageId: "a" }, "text"],
      [{ text: "hi", clientMessageId: "a", payload: "rate:9" }, "payload"],
      [{ text: "hi" }, "clientMessageId"]
    ] as const) {
      const response = await json("/messages", body, auth)
      expect(response.status).toBe(422)
      expect(((await response.json()) as { path: string }).path).toBe(path)
    }
    // The frame shows the refusal's message: in the widget's language, not core's English (issue 22).
    const tooLong = await json("/messages", { text: "x".repeat(2001), clientMessageId: "a" }, { ...auth, "Accept-Language": "uk" })
    const refused = (await tooLong.json()) as { message: string; issues: ReadonlyArray<{ code: string }> }
    expect(refused.message).toBe("text: щонайбільше 2000 символів")
    expect(refused.issues.map((issue) => issue.code)).toEqual(["tooLong"])
    const attributes = await json("/sessions", { channelId: "website", attributes: { "bad key!": "x" } }, { "Accept-Language": "uk" })
    expect(((await attributes.json()) as { message: string }).message).toBe("attributes: назва атрибута — від 1 до 64 літер, цифр, _, . або -, а не bad key!")
    const first = await json("/messages", { text: "Hello <b>there</b>", clientMessageId: "same" }, auth)
    const again = await json("/messages", { text: "Hello <b>there</b>", clientMessageId: "same" }, auth)
    expect([first.status, again.status]).toEqual([202, 202])
    const { dialogId, messageId } = (await first.json()) as { dialogId: string; messageId: string }
    expect(((await again.json()) as { messageId: string }).messageId).toBe(messageId)
    const stored = await messagesOf(dialogId)
    expect(stored.filter((message) => message.text === "Hello <b>there</b>")).toHaveLength(1)
  })

  it("passes the language and page attributes into the client's profile", async () => {
    const { auth } = await visitor()
    expect((await json("/attributes", { "page.url": "https://shop.example/cart", orderId: "4411" }, auth)).status).toBe(200)
    const sent = (await (await say(auth, "Where is my order?")).json()) as { dialogId: string }
    const client = await run(Effect.gen(function* () {
      const dialog = yield* (yield* Engine).dialog(Access.system, sent.dialogId as DialogId)
      return Option.getOrThrow(yield* (yield* EventStore).loadClient(Option.getOrThrow(dialog.clientId))).state
    }))
    expect(client.profile.language).toBe("uk")
    expect(client.profile.customFields).toMatchObject({ plan: "pro", "page.url": "https://shop.example/cart", orderId: "4411" })
    // Attributes set later reach the client too.
    await json("/attributes", { orderId: "4412" }, auth)
    const updated = await run(Effect.gen(function* () {
      return Option.getOrThrow(yield* (yield* EventStore).loadClient(client.id)).state
    }))
    expect(updated.profile.customFields).toMatchObject({ orderId: "4412", plan: "pro" })
  })
})

describe("web widget identity verification", () => {
  const hashOf = (userId: string, key = secret) =>
    run(Effect.flatMap(IdentityVerifier, (verifier) => verifier.sign(Redacted.make(key), userId)).pipe(Effect.provide(HmacIdentityVerifier.layer)))

  it("a valid identifier hash joins the visitor to that user's conversation on any device", async () => {
    const first = await visitor("shop")
    const answer = await json("/user", { id: "42", name: "Olena", email: "olena@example.com", identifierHash: await hashOf("42") }, first.auth)
    expect(answer.status).toBe(200)
    expect(await answer.json()).toMatchObject({ user: { id: "42", verified: true }, visitorChanged: true })
    const sent = (await (await say(first.auth, "From my laptop")).json()) as { dialogId: string }
    // Another device, proven the same way, continues the same dialog.
    const second = await visitor("shop")
    await json("/user", { id: "42", identifierHash: await hashOf("42") }, second.auth)
    const again = (await (await say(second.auth, "From my phone")).json()) as { dialogId: string }
    expect(again.dialogId).toBe(sent.dialogId)
  })

  it("a wrong, foreign or malformed hash is a 401 and changes nothing; no hash leaves the id unproven", async () => {
    const { auth } = await visitor("shop")
    for (const identifierHash of [await hashOf("43"), await hashOf("42", "another-secret"), "zz", "0".repeat(64)]) {
      const response = await json("/user", { id: "42", identifierHash }, auth)
      expect(response.status).toBe(401)
      expect(((await response.json()) as { error: string }).error).toBe("IdentityMismatch")
    }
    expect(((await (await app.request("/widget/v1/session", { headers: auth })).json()) as { user: unknown }).user).toBeNull()
    const unproven = await json("/user", { id: "42", name: "Someone" }, auth)
    expect(await unproven.json()).toMatchObject({ user: { id: "42", verified: false }, visitorChanged: false })
    // A channel without an identity secret takes no hash.
    const plain = await visitor("website")
    expect((await json("/user", { id: "42", identifierHash: await hashOf("42") }, plain.auth)).status).toBe(401)
  })
})

describe("web widget live stream", () => {
  it("shows the operator's reply live, marks it delivered, then read; resumes after Last-Event-ID with nothing lost or repeated", async () => {
    const { token, auth } = await visitor()
    const sent = (await (await say(auth, "Do you ship to Kyiv?")).json()) as { dialogId: string }
    const live = events(await stream(token))
    const own = await live.until((event) => event.event === "message")
    expect(JSON.parse(own.data)).toMatchObject({ _tag: "message", message: { author: "visitor", text: "Do you ship to Kyiv?", status: "sent" } })

    const dialogId = sent.dialogId as DialogId
    await run(Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.Accept({ dialogId }))))
    await run(Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Yes, in 2 days <i>tops</i>" }), internal: false }))))
    await run(Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "internal: check stock" }), internal: true }))))
    const reply = await live.until((event) => event.event === "message" && event.data.includes("2 days"))
    const replyMessage = (JSON.parse(reply.data) as { message: { id: string; seq: number } }).message
    // Delivered once the visitor's stream took it (MSG-02).
    await live.until((event) => event.event === "status" && event.data.includes(replyMessage.id) && event.data.includes("delivered"))
    expect((await messagesOf(dialogId)).find((message) => message.id === replyMessage.id)?.delivery.pipe(Option.map((delivery) => delivery.status))).toEqual(Option.some("delivered"))

    // The connection drops; meanwhile Anna writes again.
    const lastSeen = live.parsed.filter((event) => event.id !== undefined).at(-1)!.id!
    await live.close()
    await run(Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "Sent while you were away" }), internal: false }))))
    const resumed = events(await stream(token, { "Last-Event-ID": lastSeen }))
    await resumed.until((event) => event.event === "message" && event.data.includes("Sent while you were away"))
    await resumed.until((event) => event.event === "status" && event.data.includes("delivered"))
    const texts = resumed.parsed.filter((event) => event.event === "message").map((event) => (JSON.parse(event.data) as { message: { text: string } }).message.text)
    expect(texts).toEqual(["Sent while you were away"])
    expect(JSON.stringify(live.parsed) + JSON.stringify(resumed.parsed)).not.toContain("internal: check stock")

    // Read when the visitor saw them: both replies and the "Anna joined" notice.
    const read = await json("/read", { seq: 1_000 }, auth)
    expect(await read.json()).toEqual({ changed: 3 })
    await resumed.until((event) => event.event === "status" && event.data.includes("read"))
    const statuses = (await messagesOf(dialogId)).filter((message) => message.author._tag === "Operator" && !message.internal).map((message) => Option.getOrThrow(message.delivery).status)
    expect(statuses).toEqual(["read", "read"])
    await resumed.close()
  })

  it("asks 'any more questions?' with Yes/No; No closes the dialog, then the rating is asked and given", async () => {
    const { token, auth } = await visitor()
    const sent = (await (await say(auth, "Thanks for the help")).json()) as { dialogId: string }
    const dialogId = sent.dialogId as DialogId
    await run(Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.Accept({ dialogId }))))
    const live = events(await stream(token))
    await live.until((event) => event.event === "message")
    await run(Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.Close({ dialogId }))))
    await live.until((event) => event.event === "prompt" && event.data.includes("moreQuestions"))
    // The question itself comes as a system message in the visitor's language (uk).
    await live.until((event) => event.event === "message" && event.data.includes("Чи залишилися"))
    expect((await say(auth, "Ні", "no")).status).toBe(202)
    await live.until((event) => event.event === "prompt" && event.data.includes("rating"))
    expect((await dialogOf(dialogId)).status).toBe("closed")
    expect((await say(auth, "★★★★", "rate:4")).status).toBe(202)
    await live.until((event) => event.event === "prompt" && event.data.includes("none"))
    expect(Option.getOrNull((await dialogOf(dialogId)).rating)).toBe(4)
    await live.close()
  })
})

describe("web widget HTTP surface", () => {
  it("serves the frame embeddable anywhere under its own strict CSP, while the panel stays unframeable", async () => {
    const frame = await app.request("/widget/v1/frame?channel=website")
    expect(frame.status).toBe(200)
    const csp = frame.headers.get("Content-Security-Policy") ?? ""
    expect(csp).toContain("frame-ancestors *")
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toContain("unsafe")
    expect(frame.headers.get("X-Frame-Options")).toBeNull()
    expect(await frame.text()).toContain('data-channel="website"')
    // A refusal without a message of its own reads in the frame's language, with the status put in by the script.
    const ukrainian = await (await app.request("/widget/v1/frame?channel=website&lang=uk")).text()
    expect(ukrainian).toContain('data-t-server-error="сервер чату відповів помилкою {{status}}"')
    const loader = await app.request("/assets/widget.js")
    expect(loader.headers.get("Cross-Origin-Resource-Policy")).toBe("cross-origin")
    const login = await app.request("/login")
    expect(login.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'")
    expect(login.headers.get("X-Frame-Options")).toBe("SAMEORIGIN")
    expect((await app.request("/widget/v1/frame?channel=telegram")).status).toBe(404)
    const demo = await app.request("/demo/widget")
    expect(await demo.text()).toContain('src="/assets/widget.js" data-channel="website"')
  })

  it("gives the loader script its launcher's names and the frame's title in the widget's language, from the catalog", async () => {
    const labelsOf = async (query: string, headers: Record<string, string> = {}) => {
      const response = await app.request(`/widget/v1/channels/website/settings${query}`, { headers })
      expect(response.status).toBe(200)
      expect(response.headers.get("Vary")).toContain("Accept-Language")
      return ((await response.json()) as { labels: unknown }).labels
    }
    const { launcher: en } = I18n.catalogs.en.widget
    const { launcher: uk } = I18n.catalogs.uk.widget
    const english = { open: en.open, close: en.close, frame: I18n.catalogs.en.widget.frameTitle, locale: "en-GB", unread: { one: en.openUnread_one, other: en.openUnread_other } }
    const ukrainian = {
      open: uk.open,
      close: uk.close,
      frame: I18n.catalogs.uk.widget.frameTitle,
      locale: "uk-UA",
      unread: { one: uk.openUnread_one, few: uk.openUnread_few, many: uk.openUnread_many, other: uk.openUnread_other }
    }
    expect(ukrainian).toMatchObject({ open: "Відкрити чат", close: "Закрити чат", frame: "Чат", unread: { few: "Відкрити чат, {{count}} непрочитані повідомлення" } })
    // The tag's (or host page's) language first, then the browser's, then the channel's (English here).
    expect(await labelsOf("?lang=uk", { "Accept-Language": "en" })).toEqual(ukrainian)
    expect(await labelsOf("?lang=en", { "Accept-Language": "uk" })).toEqual(english)
    expect(await labelsOf("?lang=de", { "Accept-Language": "uk-UA,uk;q=0.9" })).toEqual(ukrainian)
    expect(await labelsOf("")).toEqual(english)
    // The launcher's name with unread replies, as the script builds it (the form of the count's
    // plural category, the count put in), is the catalog's text for that count.
    for (const language of ["en", "uk"] as const) {
      const labels = (await labelsOf(`?lang=${language}`)) as { readonly locale: string; readonly unread: Readonly<Record<string, string>> }
      const rules = new Intl.PluralRules(labels.locale)
      const locale = I18n.makeLocale(language)
      for (let count = 1; count <= 99; count++) {
        expect(labels.unread[rules.select(count)]!.replace("{{count}}", String(count)), `${language} ${count}`).toBe(locale.t("widget.launcher.openUnread", { count }))
      }
    }
    // The script itself carries no Ukrainian: its texts come from the answer.
    expect(await (await app.request("/assets/widget.js")).text()).not.toMatch(/[А-Яа-яІіЇїЄєҐґ]/)
  })

  it("answers a cross-origin preflight for what the widget sends, and nothing more", async () => {
    const preflight = await app.request("/widget/v1/messages", {
      method: "OPTIONS",
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type" }
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get("Access-Control-Allow-Methods")).toBe("GET,POST")
    expect(preflight.headers.get("Access-Control-Allow-Credentials")).toBeNull()
    const panel = await app.request("/api/channels/website/inbound", { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST" } })
    expect(panel.headers.get("Access-Control-Allow-Origin")).toBeNull()
  })

  it("limits how fast one address starts sessions and one visitor writes: 429 with Retry-After", async () => {
    const limited = panelApp(memoryStorage.layer, { app: { widgetLimits: { sessionsPerMinute: 2, messagesPerMinute: 2, requestsPerMinute: 100 } } })
    await limited.runtime.runPromise(seedIfEmpty)
    const start = () => limited.app.request("/widget/v1/sessions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ channelId: "website" }) })
    const first = (await (await start()).json()) as { token: string }
    expect((await start()).status).toBe(201)
    const refused = await start()
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0)
    const write = (n: number) =>
      limited.app.request("/widget/v1/messages", { method: "POST", headers: { "Content-Type": "application/json", Authorization: `Bearer ${first.token}` }, body: JSON.stringify({ text: `hi ${n}`, clientMessageId: `r${n}` }) })
    expect([(await write(1)).status, (await write(2)).status, (await write(3)).status]).toEqual([202, 202, 429])
    await limited.runtime.dispose()
  })

  it("answers any JSON body to its endpoints with a 2xx or a 4xx, never a 5xx (fast-check)", async () => {
    const { auth } = await visitor()
    const paths = ["/sessions", "/messages", "/user", "/attributes", "/read"]
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.record({ text: fc.string(), clientMessageId: fc.string(), payload: fc.string() }, { requiredKeys: [] }), fc.record({ id: fc.string(), identifierHash: fc.string(), email: fc.string() }, { requiredKeys: [] })), async (path, body) => {
        const response = await json(path, JSON.stringify(body), auth)
        expect(response.status).toBeLessThan(500)
      }),
      { numRuns: 150 }
    )
  })
})
