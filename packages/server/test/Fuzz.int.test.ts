import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Either, Redacted } from "effect"
import fc from "fast-check"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { Webhook } from "standardwebhooks"
import { Channel, ChannelId, ChannelSecretStore, Engine, EventStore } from "@switchboard/core"
import { Contract } from "@switchboard/ui-htmx"
import { ChannelCredentials } from "../src/ChannelCredentials.js"
import { seedIfEmpty } from "../src/Demo.js"
import { pgliteStorage } from "../src/Storage.js"
import { apiAuthorization, panelApp, rowIds, type Session, testApiToken } from "./PanelClient.js"
import { attributedSince as attributedSinceIn } from "./support/attributed.js"

/**
 * The edge under adversarial input (issue 19, acceptance 3): every route of the app, the JSON API
 * and the panel's forms, driven with NUL characters, lone surrogates, index-sized and huge strings,
 * deep nesting, wrong types, unknown keys and wrong content types, on PGlite (the database that
 * refuses what the Schemas must catch first). Never a 5xx; a rejected request leaves the store
 * where it was and a GET stores nothing: no event since its start but the engine's own work, which
 * goes on meanwhile (`attributedSince`).
 */

const dir = mkdtempSync(join(tmpdir(), "switchboard-fuzz-"))
const { runtime, app, signIn, inbound } = panelApp(pgliteStorage(dir).layer)
const origin = "http://localhost"
let anna: Session
let sue: Session
/** Real dialog ids, so that fuzzed paths also reach the routes' actions, not only their 404s. */
let dialogIds: ReadonlyArray<string> = []
/** A custom and a Telegram channel with their secrets, for the provider webhook's fuzzing. */
const customChannel = ChannelId.make("fuzz-custom")
const telegramChannel = ChannelId.make("fuzz-telegram")
let customSecret = ""
let telegramSecret = ""

const position = () => runtime.runPromise(Effect.flatMap(EventStore, (store) => store.lastPosition))

const attributedSince = (before: number) => runtime.runPromise(attributedSinceIn(before))

/** Send a request; it must not be a 5xx, and if it is refused (4xx) or a GET, it stores nothing. */
const unchangedUnlessAccepted = async (send: () => Response | Promise<Response>, method = "POST"): Promise<Response> => {
  const before = await position()
  const response = await send()
  expect(response.status, `${method} answered ${response.status}`).toBeLessThan(500)
  if (response.status >= 400 || method === "GET") expect(await attributedSince(before), `${method} ${response.status} changed the store`).toEqual([])
  return response
}

const rawInbound = (body: string, contentType: string | null = "application/json", channel = "telegram") =>
  app.request(`/api/channels/${channel}/inbound`, {
    method: "POST",
    headers: contentType === null ? apiAuthorization : { "Content-Type": contentType, ...apiAuthorization },
    body
  })

/** The answer of a refused inbound request: its status and JSON error. */
const refusal = async (response: Response) => ({ status: response.status, ...((await response.json()) as { error: string; path?: string; message: string }) })

const nested = (depth: number, leaf: string) => "[".repeat(depth) + leaf + "]".repeat(depth)

beforeAll(async () => {
  await runtime.runPromise(seedIfEmpty)
  anna = await signIn("anna")
  sue = await signIn("sue")
  dialogIds = rowIds(await (await app.request("/panel/dialogs?folder=all", { headers: { Cookie: sue.cookie } })).text())
  dialogIds = [...dialogIds, ...rowIds(await (await app.request("/panel/dialogs?folder=new", { headers: { Cookie: sue.cookie } })).text())]
  expect(dialogIds.length).toBeGreaterThan(0)
  await runtime.runPromise(Effect.gen(function* () {
    const credentials = yield* ChannelCredentials
    const custom = yield* credentials.create(Channel.Channel.make({ id: customChannel, kind: "custom", name: "Fuzzed custom" }), { callbackUrl: "http://127.0.0.1:9/callback" })
    customSecret = Redacted.value(custom.signingSecret)
    yield* credentials.create(Channel.Channel.make({ id: telegramChannel, kind: "telegram", name: "Fuzzed Telegram" }), { botToken: "123456:FUZZ" })
    telegramSecret = Redacted.value((yield* (yield* ChannelSecretStore).getSecrets(telegramChannel))["webhookSecret"]!)
  }))
})
afterAll(async () => {
  await runtime.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe("the five causes of 500s, each now a 4xx naming the field, nothing stored", () => {
  it("cause 1: a NUL character in text, from, profile name, external id, custom-field keys and attachment names", async () => {
    const valid = { from: "nul-client", message: { text: "hello" } }
    const cases: ReadonlyArray<readonly [string, unknown]> = [
      ["message.text", { ...valid, message: { text: "a\u0000b" } }],
      ["from", { ...valid, from: "x\u0000" }],
      ["profile.name", { ...valid, profile: { name: "Eve\u0000" } }],
      ["externalId", { ...valid, externalId: "m\u00001" }],
      ["profile.customFields", { ...valid, profile: { customFields: { "k\u0000": 1 } } }],
      ["message.attachments[0].name", { ...valid, message: { text: "x", attachments: [{ name: "a\u0000.pdf", mime: "application/pdf", size: 1 }] } }]
    ]
    for (const [path, body] of cases) {
      const answer = await refusal(await unchangedUnlessAccepted(() => inbound("telegram", body)))
      expect(answer, path).toMatchObject({ status: 422, error: "InvalidInput", path })
      expect(answer.message, path).toContain("NUL")
    }
  })

  it("cause 1: a NUL character in a panel form, the tag filter and a dialog id in the URL", async () => {
    const dialogId = dialogIds[0]!
    const form = await unchangedUnlessAccepted(() =>
      app.request(`/panel/dialogs/${dialogId}/draft`, {
        method: "POST",
        headers: { Origin: origin, Cookie: sue.cookie, "HX-Request": "true", [Contract.csrf.header]: sue.csrf, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ text: "draft\u0000" })
      })
    )
    expect(form.status).toBe(422)
    expect(await form.text()).toContain("text: contains characters that cannot be saved")
    const tag = await unchangedUnlessAccepted(() => app.request("/panel/dialogs?folder=new&tag=vip%00", { headers: { Cookie: sue.cookie } }), "GET")
    expect(tag.status).toBe(400)
    expect(await tag.text()).toContain("Client tags: contains characters that cannot be saved")
    const id = await unchangedUnlessAccepted(() => app.request("/panel/dialogs/dlg%00x", { headers: { Cookie: sue.cookie } }), "GET")
    expect(id.status).toBe(422)
    expect(await id.text()).toContain("id: contains characters that cannot be saved")
  })

  it("cause 2: a lone UTF-16 surrogate", async () => {
    for (const [path, body] of [
      ["message.text", '{"from":"surrogate","message":{"text":"\\ud800"}}'],
      ["from", '{"from":"a\\udc00","message":{"text":"hi"}}'],
      ["profile.name", '{"from":"surrogate","profile":{"name":"\\ud83d"},"message":{"text":"hi"}}']
    ] as const) {
      const answer = await refusal(await unchangedUnlessAccepted(() => rawInbound(body)))
      expect(answer, path).toMatchObject({ status: 422, path })
      expect(answer.message).toContain("lone UTF-16 surrogate")
    }
    // A well-formed pair (an emoji) is fine.
    expect((await inbound("telegram", { from: "emoji-😀", message: { text: "😀" } })).status).toBe(202)
  })

  it("cause 3: from or externalId longer than PostgreSQL's index row limit (about 2,700 bytes)", async () => {
    for (const [path, body] of [
      ["from", { from: "f".repeat(2_800), message: { text: "hi" } }],
      ["from", { from: "я".repeat(1_000), message: { text: "hi" } }],
      ["externalId", { from: "long-external", externalId: "e".repeat(2_800), message: { text: "hi" } }]
    ] as const) {
      const answer = await refusal(await unchangedUnlessAccepted(() => inbound("telegram", body)))
      expect(answer, path).toMatchObject({ status: 422, path })
      expect(answer.message).toContain("longer than 512 characters")
    }
  })

  it("cause 4: JSON nested 2,200 levels deep, at the API (400 naming body) and in the engine (a path, no stack overflow)", async () => {
    const answer = await refusal(await unchangedUnlessAccepted(() => rawInbound(`{"from":"deep","message":{"text":${nested(2_200, '"x"')}}}`)))
    expect(answer).toMatchObject({ status: 400, parameter: "body" })
    expect(answer.message).toContain("nested deeper than")
    // Deeper than JSON.parse itself can go: still a 400.
    expect((await unchangedUnlessAccepted(() => rawInbound(nested(200_000, "1")))).status).toBe(400)
    // A library user hands the engine a deep value directly: the error names the field.
    let deep: unknown = "x"
    for (let level = 0; level < 2_200; level++) deep = { a: deep }
    const decoded = await runtime.runPromise(Effect.either(Effect.flatMap(Engine, (engine) => engine.decodeInbound({ channelId: "telegram", from: "deep", message: { text: deep } }))))
    expect(Either.isLeft(decoded) && decoded.left).toMatchObject({ _tag: "InvalidInput", path: "message.text" })
  })

  it("cause 5 (found by fuzzing): what PostgreSQL refuses inside jsonb and tsvector", async () => {
    for (const [path, body] of [
      // jsonb refuses \u0000 in a nested string value, not only in keys.
      ["profile.customFields", { from: "jsonb-nul", profile: { customFields: { note: { deeper: "a\u0000" } } }, message: { text: "hi" } }],
      // A non-http URL is stored, then rendered as a link: only http and https.
      ["profile.photoUrl", { from: "js-url", profile: { photoUrl: "javascript:alert(1)" }, message: { text: "hi" } }],
      ["message.attachments[0].url", { from: "file-url", message: { text: "x", attachments: [{ name: "a.pdf", mime: "application/pdf", size: 1, url: "file:///etc/passwd" }] } }],
      // A channel id in the URL is an id like any other.
      ["profile.customFields", { from: "wide", profile: { customFields: Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`k${index}`, index])) }, message: { text: "hi" } }]
    ] as const) {
      const answer = await refusal(await unchangedUnlessAccepted(() => inbound("telegram", body)))
      expect(answer, path).toMatchObject({ status: 422, path })
    }
    const channel = await refusal(await unchangedUnlessAccepted(() => rawInbound('{"from":"x","message":{"text":"hi"}}', "application/json", "tele%00gram")))
    expect(channel).toMatchObject({ status: 422, path: "channelId" })
  })
})

describe("limits of the edge", () => {
  it("a body over the limit is a 413 naming the limit; the limit is configurable", async () => {
    const huge = JSON.stringify({ from: "huge", message: { text: "x".repeat(10 * 1024 * 1024) } })
    const answer = await refusal(await unchangedUnlessAccepted(() => rawInbound(huge)))
    expect(answer).toMatchObject({ status: 413, error: "PayloadTooLarge" })
    expect(answer.message).toContain("1048576 bytes")
    const form = await unchangedUnlessAccepted(() =>
      app.request(`/panel/dialogs/${dialogIds[0]}/draft`, {
        method: "POST",
        headers: { Origin: origin, Cookie: sue.cookie, [Contract.csrf.header]: sue.csrf, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ text: "y".repeat(300 * 1024) })
      })
    )
    expect(form.status).toBe(413)
    expect(await form.text()).toContain("262144 bytes")
    const signIn = await unchangedUnlessAccepted(() =>
      app.request("/login", { method: "POST", headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" }, body: `userId=${"z".repeat(300 * 1024)}` })
    )
    expect(signIn.status).toBe(413)
  })

  it("a 10 MB field gets a short 422, never an echo of the value", async () => {
    const { makeApp } = await import("../src/App.js")
    const roomy = makeApp({ runtime, secret: "test-secret-test-secret-test-secret", apiToken: testApiToken, bodyLimits: { api: 32 * 1024 * 1024 } })
    const before = await position()
    for (const profile of [{ name: "n".repeat(10 * 1024 * 1024) }, { customFields: { big: "c".repeat(10 * 1024 * 1024) } }]) {
      const response = await roomy.request("/api/channels/telegram/inbound", {
        method: "POST",
        headers: { "Content-Type": "application/json", ...apiAuthorization },
        body: JSON.stringify({ from: "ten-megabytes", profile, message: { text: "hi" } })
      })
      expect(response.status).toBe(422)
      expect((await response.text()).length).toBeLessThan(1_000)
    }
    expect(await attributedSince(before)).toEqual([])
  })

  it("a body that is not JSON on the API is a 415; text/plain (a simple cross-site request) is refused", async () => {
    // Without a Content-Type a string body is sent as text/plain.
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", null]) {
      const answer = await refusal(await unchangedUnlessAccepted(() => rawInbound('{"from":"plain","message":{"text":"hi"}}', type)))
      expect(answer, String(type)).toMatchObject({ status: 415, error: "UnsupportedMediaType" })
    }
    expect((await rawInbound('{"from":"charset","message":{"text":"hi"}}', "application/json; charset=utf-8")).status).toBe(202)
  })

  it("a panel post that is not a form is a 415; a malformed multipart form is a 400", async () => {
    const headers = { Origin: origin, Cookie: sue.cookie, [Contract.csrf.header]: sue.csrf }
    const json = await unchangedUnlessAccepted(() =>
      app.request(`/panel/dialogs/${dialogIds[0]}/draft`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: '{"text":"x"}' })
    )
    expect(json.status).toBe(415)
    const broken = await unchangedUnlessAccepted(() =>
      app.request(`/panel/dialogs/${dialogIds[0]}/draft`, { method: "POST", headers: { ...headers, "Content-Type": "multipart/form-data; boundary=zz" }, body: "--zz\r\nnonsense" })
    )
    expect(broken.status).toBe(400)
  })
})

/** Strings that broke or might break something: NUL, lone surrogates, index-sized, control and format characters. Unknown keys come from the same pool. */
const nastyString = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "x\udc00y", "", " ", "\n\r", "\u202e", "\ufeff", "😀", "%00", "../..", "'; drop table events; --", "<b>"),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 12 }),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 2_600, max: 3_000 }).map((length) => "x".repeat(length)),
  fc.constant("ж".repeat(1_000))
)

/** A value of any JSON type, adversarial strings included, nested a little. */
const anyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    nastyString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(nastyString, tie("value"), { maxKeys: 3 })
  )
})).value

/** Sometimes the right kind of value, sometimes an adversarial one. */
const field = <A>(right: fc.Arbitrary<A>) => fc.oneof(right, nastyString, anyValue)

const inboundBody = fc.record(
  {
    from: field(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
    message: fc.oneof(
      fc.record(
        {
          text: field(fc.string({ maxLength: 30 })),
          attachments: fc.oneof(
            fc.array(fc.record({ name: field(fc.constant("a.pdf")), mime: field(fc.constant("application/pdf")), size: field(fc.nat()), url: field(fc.webUrl()) }, { requiredKeys: [] }), { maxLength: 2 }),
            anyValue
          )
        },
        { requiredKeys: ["text"] }
      ),
      anyValue
    ),
    profile: fc.oneof(
      fc.record(
        {
          name: field(fc.string({ maxLength: 20 })),
          email: field(fc.emailAddress()),
          phone: field(fc.constant("+380 44 123 45 67")),
          photoUrl: field(fc.webUrl()),
          language: field(fc.constantFrom("en", "uk")),
          notes: field(fc.string()),
          customFields: fc.oneof(fc.dictionary(nastyString, anyValue, { maxKeys: 4 }), anyValue)
        },
        { requiredKeys: [] }
      ),
      anyValue
    ),
    externalId: field(fc.uuid()),
    payload: field(fc.constantFrom("yes", "no", "rate:5")),
    unknown: anyValue
  },
  { requiredKeys: ["from", "message"] }
)

/** A 10 MB string (and a 1 MB one for forms), made once: a body carrying it meets the body limit (413). */
const tenMegabytes = "m".repeat(10 * 1024 * 1024)
const oneMegabyte = tenMegabytes.slice(0, 1024 * 1024)

const contentTypes = fc.constantFrom<string | null>(
  "application/json",
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=b",
  null
)

describe("fuzzing the JSON API", () => {
  it("an inbound message of random and adversarial shape: never a 5xx, nothing stored unless accepted", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { weight: 4, arbitrary: inboundBody.map((body) => JSON.stringify(body)) },
          { weight: 1, arbitrary: anyValue.map((body) => JSON.stringify(body) ?? "") },
          { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((depth) => nested(depth, "{}")) },
          { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
          { weight: 1, arbitrary: fc.constant(JSON.stringify({ from: "huge", message: { text: tenMegabytes } })) }
        ),
        contentTypes,
        fc.oneof(fc.constant("telegram"), fc.constant("website"), nastyString.map(encodeSegment)),
        async (body, contentType, channel) => {
          await unchangedUnlessAccepted(() => rawInbound(body, contentType, channel))
        }
      ),
      { numRuns: 150 }
    )
  })
})

/** Percent-encode a path segment; a lone surrogate (which UTF-8 cannot carry) becomes bytes that do not decode. */
function encodeSegment(segment: string): string {
  return [...segment].map((char) => (/\p{Cs}/u.test(char) ? "%ED%A0%80" : encodeURIComponent(char))).join("")
}

/** Every route the app serves, as Hono lists them (a new route is fuzzed without a change here). */
const routes = () =>
  [...new Map(app.routes.filter((route) => route.method !== "ALL").map((route) => [`${route.method} ${route.path}`, route] as const)).values()]

/** A path of `pattern` with its parameters filled: a real dialog id, one of a constrained parameter's words, or something nasty. */
const pathOf = (pattern: string) =>
  fc.tuple(...pattern.split("/").map((part) => {
    const constrained = /^:\w+\{(.+)\}$/.exec(part)
    if (constrained !== null) return fc.oneof(fc.constantFrom(...constrained[1]!.split("|")), nastyString.map(encodeSegment))
    if (part.startsWith(":")) return fc.oneof(fc.constantFrom(...dialogIds, "telegram", "panel.css"), nastyString.map(encodeSegment))
    return fc.constant(part)
  })).map((parts) => parts.join("/"))

const queryNames = [...Object.values(Contract.listQuery), ...Object.values(Contract.filterQuery), ...Object.values(Contract.dialogQuery), ...Object.values(Contract.eventsQuery)]
const formNames = ["text", "internal", "reasonId", "tag", "pinned", "userId"]

const queryOf = fc.dictionary(fc.oneof(fc.constantFrom(...queryNames), fc.string({ maxLength: 8 })), fc.oneof(fc.constantFrom("new", "mine", "1", "2026-01-01", "vip"), nastyString), { maxKeys: 3 }).map((query) =>
  Object.keys(query).length === 0 ? "" : `?${Object.entries(query).map(([name, value]) => `${name}=${encodeSegment(value)}`).join("&")}`
)

describe("fuzzing every route of the app", () => {
  it("the app has routes to fuzz, the panel's forms among them", () => {
    const paths = routes().map((route) => `${route.method} ${route.path}`)
    expect(paths).toEqual(expect.arrayContaining(["POST /api/channels/:channelId/inbound", "POST /panel/dialogs/:id/messages", "GET /panel/dialogs/:id"]))
  })

  for (const route of routes()) {
    it(`${route.method} ${route.path}: random paths, queries, forms and content types; never a 5xx, a refusal or a GET stores nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(
          pathOf(route.path),
          queryOf,
          fc.dictionary(
            fc.oneof(fc.constantFrom(...formNames), nastyString),
            fc.oneof({ weight: 8, arbitrary: fc.oneof(fc.constantFrom("true", "vip", dialogIds[0]!), nastyString) }, { weight: 1, arbitrary: fc.constant(oneMegabyte) }),
            { maxKeys: 3 }
          ),
          fc.constantFrom<string | undefined>("application/x-www-form-urlencoded", "application/x-www-form-urlencoded", "multipart/form-data; boundary=b", "application/json", "text/plain", undefined),
          fc.constantFrom<"anna" | "sue" | "nobody">("anna", "sue", "sue", "nobody"),
          async (path, query, form, contentType, who) => {
            const session = who === "anna" ? anna : who === "sue" ? sue : undefined
            const controller = new AbortController()
            const headers: Record<string, string> = { Origin: origin, ...(session === undefined ? {} : { Cookie: session.cookie, [Contract.csrf.header]: session.csrf }) }
            if (contentType !== undefined) headers["Content-Type"] = contentType
            const body = route.method === "GET" ? undefined : contentType === "application/json" ? JSON.stringify(form) : new URLSearchParams(form).toString()
            const response = await unchangedUnlessAccepted(
              () => app.request(`${path}${query}`, { method: route.method, headers, signal: controller.signal, ...(body === undefined ? {} : { body }) }),
              route.method
            )
            // The live stream never ends by itself: stop it once its status is known.
            controller.abort()
            await response.body?.cancel().catch(() => undefined)
          }
        ),
        { numRuns: 30 }
      )
    })
  }
})

/** A sender as the custom channel's integrator sends it, or not quite. */
const customSender = fc.oneof(fc.record({ id: field(fc.stringMatching(/^[a-z0-9-]{1,12}$/)), name: field(fc.string({ maxLength: 20 })), attributes: field(fc.dictionary(nastyString, nastyString, { maxKeys: 2 })) }, { requiredKeys: ["id"] }), anyValue)

/** The custom channel's events (docs/channels/custom.md) with fields right, wrong or nasty. */
const customEvent = fc.record(
  {
    type: field(fc.constantFrom("message", "message.edited", "message.status", "client.left")),
    data: fc.oneof(
      fc.record(
        {
          id: field(fc.uuid()),
          from: customSender,
          text: field(fc.string({ maxLength: 30 })),
          files: fc.oneof(fc.array(fc.record({ url: field(fc.constant("http://127.0.0.1:9/a.pdf")), name: field(fc.constant("a.pdf")), mime: field(fc.constant("application/pdf")), size: field(fc.nat()) }, { requiredKeys: [] }), { maxLength: 2 }), anyValue),
          replyTo: field(fc.uuid()),
          messageId: field(fc.string({ maxLength: 12 })),
          status: field(fc.constantFrom("delivered", "read", "failed")),
          reason: field(fc.string({ maxLength: 20 }))
        },
        { requiredKeys: [] }
      ),
      anyValue
    ),
    unknown: anyValue
  },
  { requiredKeys: ["type", "data"] }
)

/** A Telegram update with fields right, wrong or nasty. */
const telegramUpdate = fc.record(
  {
    update_id: field(fc.nat()),
    message: fc.oneof(
      fc.record(
        {
          message_id: field(fc.nat()),
          date: field(fc.nat()),
          chat: fc.oneof(fc.record({ id: field(fc.integer()), type: field(fc.constant("private")), first_name: field(fc.string({ maxLength: 12 })) }, { requiredKeys: [] }), anyValue),
          from: fc.oneof(fc.record({ id: field(fc.integer()), is_bot: field(fc.boolean()), first_name: field(fc.string({ maxLength: 12 })), username: field(fc.string({ maxLength: 12 })) }, { requiredKeys: [] }), anyValue),
          text: field(fc.string({ maxLength: 30 })),
          caption: field(fc.string({ maxLength: 30 })),
          photo: fc.oneof(fc.array(fc.record({ file_id: field(fc.string({ maxLength: 8 })), file_unique_id: field(fc.string({ maxLength: 8 })), width: field(fc.nat()), height: field(fc.nat()), file_size: field(fc.nat()) }), { maxLength: 2 }), anyValue),
          reply_to_message: anyValue
        },
        { requiredKeys: [] }
      ),
      anyValue
    ),
    edited_message: anyValue,
    my_chat_member: anyValue
  },
  { requiredKeys: [] }
)

/** A webhook body: mostly the provider's shape, sometimes any JSON, deep nesting or not JSON at all. */
const webhookBody = (shaped: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 5, arbitrary: shaped.map((body) => JSON.stringify(body)) },
    { weight: 1, arbitrary: anyValue.map((body) => JSON.stringify(body) ?? "") },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }).map((depth) => nested(depth, "{}")) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }
  )

const isJson = (contentType: string | null) => contentType?.startsWith("application/json") === true

/** POST to a channel's webhook: a refusal is a 4xx with its reason and leaves the store as it was; never a 5xx. */
const webhook = async (channelId: string, body: string, headers: Record<string, string>) => {
  const response = await unchangedUnlessAccepted(() => app.request(`/api/channels/${channelId}/webhook`, { method: "POST", headers, body }))
  if (response.status >= 300) {
    const answer = await refusal(response)
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.message.length, "a refusal names its reason").toBeGreaterThan(0)
  }
  return response
}

describe("fuzzing the provider webhook POST /api/channels/:id/webhook", () => {
  it("the custom channel: random events, signed rightly, wrongly, stale or not at all; never a 5xx, a refusal is a 4xx with its reason and stores nothing", async () => {
    const accepted = new Set<number>()
    await fc.assert(
      fc.asyncProperty(
        webhookBody(customEvent),
        fc.constantFrom("signed", "signed", "signed", "tampered", "other secret", "stale", "unsigned"),
        contentTypes,
        async (body, signing, contentType) => {
          const id = `msg_${crypto.randomUUID()}`
          const at = signing === "stale" ? new Date(Date.now() - 60 * 60_000) : new Date()
          const secret = signing === "other secret" ? `whsec_${Buffer.from("another-secret-another-secret").toString("base64")}` : customSecret
          const signature = new Webhook(secret).sign(id, at, body)
          const headers: Record<string, string> = {
            ...(contentType === null ? {} : { "Content-Type": contentType }),
            ...(signing === "unsigned" ? {} : { "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature })
          }
          const response = await webhook(customChannel, signing === "tampered" ? `${body} ` : body, headers)
          // A body that is not JSON is a 415 before any signature check; a JSON one is checked first of all.
          if (signing !== "signed" && isJson(contentType)) expect(response.status, signing).toBe(401)
          accepted.add(response.status)
        }
      ),
      { numRuns: 150 }
    )
    expect([...accepted]).toEqual(expect.arrayContaining([401, 415]))
    // The secret the property signs with is the channel's: a well-formed event signed with it is taken.
    const body = JSON.stringify({ type: "message", data: { id: "fuzz-valid", from: { id: "fuzz-client" }, text: "hello" } })
    const id = `msg_${crypto.randomUUID()}`
    const at = new Date()
    const signed = { "Content-Type": "application/json", "webhook-id": id, "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": new Webhook(customSecret).sign(id, at, body) }
    expect((await webhook(customChannel, body, signed)).status).toBe(202)
  })

  it("the Telegram channel: random updates, with the right secret header, a wrong one or none; never a 5xx, a refusal is a 4xx with its reason and stores nothing", async () => {
    const statuses = new Set<number>()
    await fc.assert(
      fc.asyncProperty(
        webhookBody(telegramUpdate),
        fc.constantFrom<string | undefined>(telegramSecret, telegramSecret, telegramSecret, `${telegramSecret}x`, "", undefined),
        contentTypes,
        async (body, secret, contentType) => {
          const headers: Record<string, string> = {
            ...(contentType === null ? {} : { "Content-Type": contentType }),
            ...(secret === undefined ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret })
          }
          const response = await webhook(telegramChannel, body, headers)
          if (secret !== telegramSecret && isJson(contentType)) expect(response.status).toBe(401)
          statuses.add(response.status)
        }
      ),
      { numRuns: 150 }
    )
    expect([...statuses]).toEqual(expect.arrayContaining([401, 415]))
    // The secret the property sends is the channel's: a well-formed update with it is taken.
    const update = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 77, type: "private" }, from: { id: 77, is_bot: false, first_name: "Fuzz" }, text: "hello" } }
    expect((await webhook(telegramChannel, JSON.stringify(update), { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": telegramSecret })).status).toBe(202)
    // Found by this property: an array nested 3,000 deep overflowed the stack while the refusal was worded (a 500).
    const deep = await webhook(telegramChannel, nested(3_000, "{}"), { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": telegramSecret })
    expect(deep.status).toBe(400)
  })
})
