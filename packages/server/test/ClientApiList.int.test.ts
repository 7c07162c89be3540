/**
 * A client card field of type "list from an API" (issue 22, CLI-04) against a real HTTP server on
 * 127.0.0.1: the card shows a select of the options the URL answers (labels escaped), a value
 * outside them is a 422 at `customFields.<id>` that stores nothing, an API that is down, slow, or
 * answers garbage leaves a text box with the reason (never a 500) and any text is then saved, and
 * the options are fetched once per URL for the cache's time to live (TestClock), anew when the card
 * configuration changes. The URL's query (it may hold a key) never reaches the logs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { it as effectIt } from "@effect/vitest"
import { Effect, Either, Fiber, HashMap, Logger, Schema, TestClock } from "effect"
import { Access, ClientCard, ConfigStore, Engine, Settings } from "@switchboard/core"
import { clientCard } from "@switchboard/ui-htmx"
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { ApiLists, type ApiListsOptions } from "../src/panel/ApiLists.js"
import { memoryStorage } from "../src/testing.js"
import { panelApp, rowIds, unescapeHtml } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

const xss = `<script>alert(1)</script><img src=x onerror="alert(2)">`

/** The fake options API: each path answers its own way; `hits` counts the requests per path. */
const hits = new Map<string, number>()
const held: Array<ServerResponse> = []
const answers: Record<string, (response: ServerResponse) => void> = {
  "/plans": (response) => json(response, [{ value: "basic", label: "Basic" }, { value: "pro", label: `Pro ${xss}` }, { value: "gold", label: "Gold", extra: 1 }]),
  "/strings": (response) => json(response, ["north", "south"]),
  "/garbage": (response) => response.writeHead(200, { "Content-Type": "application/json" }).end("<html>not json</html>"),
  "/object": (response) => json(response, { plans: ["basic"] }),
  "/error": (response) => response.writeHead(503).end("down for maintenance"),
  "/huge": (response) => json(response, Array.from({ length: 30_000 }, (_, index) => `option number ${index}`)),
  // Answers nothing until the test ends.
  "/slow": (response) => void held.push(response)
}
const json = (response: ServerResponse, body: unknown) => response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(body))

let api: Server
let base = ""
/** A port nothing listens on: the API is down. */
let downUrl = ""

beforeAll(async () => {
  api = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const answer = answers[path]
    if (answer === undefined) response.writeHead(404).end()
    else answer(response)
  })
  await new Promise<void>((resolve) => api.listen(0, "127.0.0.1", resolve))
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
  downUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/plans`
  await new Promise<void>((resolve) => closed.close(() => resolve()))
})
afterAll(async () => {
  for (const response of held.splice(0)) response.destroy()
  await new Promise<void>((resolve) => api.close(() => resolve()))
})
beforeEach(() => hits.clear())

const cardWith = (url: string, label = "Plan") =>
  Schema.decodeUnknownSync(ClientCard.ClientCardConfig)({
    fields: ["name", "custom:plan"],
    customFields: [{ id: "plan", label, type: "apiList", url }]
  })

describe("a list from an API on the client card (CLI-04)", () => {
  let server: ReturnType<typeof panelApp>
  afterEach(() => server.runtime.dispose())

  /** A company whose card has the `plan` list at `url`; anna, an operator, and the client of her dialog. */
  const company = async (url: string, apiLists: ApiListsOptions = {}) => {
    server = panelApp(memoryStorage.layer, { apiLists })
    await server.runtime.runPromise(seedIfEmpty)
    await configure(url)
    const anna = await server.signIn("anna")
    const annas = rowIds(await (await server.get(anna, "/panel/dialogs?folder=mine")).text())[0]!
    const pane = await (await server.get(anna, `/panel/dialogs/${annas}`)).text()
    const client = /href="\/panel\/clients\/([^"]+)"/.exec(pane)![1]!
    return { anna, client, position: () => server.runtime.runPromise(attributedPosition) }
  }
  const configure = (url: string, label?: string) =>
    server.runtime.runPromise(Effect.gen(function* () {
      const current = yield* (yield* ConfigStore).getSettings()
      yield* (yield* Engine).updateSettings(Access.system, Settings.Settings.make({ ...current, clientCard: cardWith(url, label) }))
    }))
  /** The `plan` field's paragraph of a card page. */
  const planField = (page: string) => /<p class="field" data-testid="client-field" data-field="custom.plan">[\s\S]*?<\/p>/.exec(page)?.[0] ?? ""

  it("shows a select of the options the URL answers, a label's markup as text", async () => {
    const { anna, client } = await company(`${base}/plans?key=s3cret`)
    const response = await server.get(anna, clientCard.routes.card(client))
    expect(response.status).toBe(200)
    const field = planField(await response.text())
    expect(field).toContain('<select id="client-field-custom.plan" name="custom.plan"')
    expect([...field.matchAll(/<option value="([^"]*)"/g)].map((match) => match[1])).toEqual(["", "basic", "pro", "gold"])
    expect(field).not.toContain("<script>")
    expect(field).not.toContain("<img")
    expect(unescapeHtml(field)).toContain(`Pro ${xss}`)
    expect(field).not.toContain(clientCard.testIds.optionsError)
  })

  it("an array of strings is each its own value and label", async () => {
    const { anna, client } = await company(`${base}/strings`)
    const field = planField(await (await server.get(anna, clientCard.routes.card(client))).text())
    expect(field).toContain('<option value="north">north</option>')
    expect(field).toContain('<option value="south">south</option>')
  })

  it("saves one of the options; a value outside them is a 422 at customFields.plan and stores nothing", async () => {
    const { anna, client, position } = await company(`${base}/plans`)
    const saved = await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "pro" })
    expect(saved.status).toBe(303)
    expect(planField(await (await server.get(anna, clientCard.routes.card(client))).text())).toMatch(/<option value="pro" selected="">/)
    const before = await position()
    const refused = await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "platinum" })
    expect(refused.status).toBe(422)
    expect(unescapeHtml(await refused.text())).toContain("customFields.plan:")
    expect(await position()).toBe(before)
    expect(planField(await (await server.get(anna, clientCard.routes.card(client))).text())).toMatch(/<option value="pro" selected="">/)
  })

  it("a stored value the list no longer offers stays selected, marked, and saving the card again keeps it", async () => {
    const { anna, client } = await company(`${base}/strings`)
    // Saved while the API was down (any text goes then)...
    await configure(downUrl)
    expect((await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "east" })).status).toBe(303)
    // ...and the list is back without it.
    await configure(`${base}/strings`)
    const field = planField(await (await server.get(anna, clientCard.routes.card(client))).text())
    expect(field).toMatch(/<option value="east" selected="">east \(no longer in the list\)<\/option>/)
    expect((await server.post(anna, clientCard.routes.profile(client), { name: "Renamed", "custom.plan": "east" })).status).toBe(303)
    expect((await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "west" })).status).toBe(422)
  })

  for (const [name, path, reason] of [
    ["is down", "down", "the list's address could not be reached"],
    ["answers garbage", "/garbage", "the answer is not JSON"],
    ["answers an object", "/object", "the answer is not a list of strings or of { value, label }"],
    ["answers HTTP 503", "/error", "the list's address answered HTTP 503"],
    ["answers more than 256 KiB", "/huge", "the answer is too large"],
    ["is too slow", "/slow", "the list's address did not answer in time"]
  ] as const) {
    // Only the slow API's case shortens the server's 2 s limit (real time); the others keep it, so a loaded machine cannot turn them into timeouts.
    it(`when the API ${name}: a text box with the reason, no 500, and any text is saved`, async () => {
      const { anna, client } = await company(path === "down" ? downUrl : `${base}${path}`, path === "/slow" ? { timeout: "300 millis" } : {})
      const response = await server.get(anna, clientCard.routes.card(client))
      expect(response.status).toBe(200)
      const field = planField(await response.text())
      expect(field).toContain('<input id="client-field-custom.plan" type="text" name="custom.plan"')
      expect(field).not.toContain("<select")
      expect(unescapeHtml(field)).toContain(`The options could not be loaded: ${reason}. Type the value instead.`)
      expect((await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "typed by hand" })).status).toBe(303)
      expect(planField(await (await server.get(anna, clientCard.routes.card(client))).text())).toContain('value="typed by hand"')
    })
  }

  it("speaks Ukrainian to a Ukrainian user", async () => {
    const { client } = await company(`${base}/garbage`)
    const anna = await server.signIn("anna")
    expect((await server.post(anna, "/panel/account/locale", { language: "uk", timeZone: "Europe/Kyiv" })).status).toBe(303)
    const field = unescapeHtml(planField(await (await server.get(anna, clientCard.routes.card(client))).text()))
    expect(field).toContain("Не вдалося завантажити варіанти: відповідь не у форматі JSON. Введіть значення вручну.")
  })

  it("asks the URL once for many cards and saves, and again once the card configuration changes", async () => {
    const { anna, client } = await company(`${base}/plans`)
    for (let round = 0; round < 3; round++) expect((await server.get(anna, clientCard.routes.card(client))).status).toBe(200)
    expect((await server.post(anna, clientCard.routes.profile(client), { "custom.plan": "basic" })).status).toBe(303)
    expect(hits.get("/plans")).toBe(1)
    await configure(`${base}/plans`, "Tariff")
    expect(planField(await (await server.get(anna, clientCard.routes.card(client))).text())).toContain("Tariff")
    expect(hits.get("/plans")).toBe(2)
  })
})

describe("ApiLists: the options kept per URL (TestClock)", () => {
  const card = (path: string, label?: string) => cardWith(`${base}${path}?key=s3cret`, label)
  const load = (config: ClientCard.ClientCardConfig) => Effect.flatMap(ApiLists, (lists) => lists.load(config, ["plan"]))
  const problemOf = (result: Either.Either<unknown, unknown> | undefined) => (result !== undefined && Either.isLeft(result) ? result.left : undefined)
  /** Wait (in real time) until the fake API has had `count` requests at `path`. */
  const requested = (path: string, count: number) => Effect.promise(async () => {
    while ((hits.get(path) ?? 0) < count) await new Promise((resolve) => setImmediate(resolve))
  })

  effectIt.effect("loaded options are reused for 60 s, then asked again; a failure is kept 10 s", () =>
    Effect.gen(function* () {
      const first = yield* load(card("/strings"))
      expect(Either.getOrThrow(first.get("plan")!).map((option) => option.value)).toEqual(["north", "south"])
      yield* TestClock.adjust("59 seconds")
      yield* load(card("/strings"))
      expect(hits.get("/strings")).toBe(1)
      yield* TestClock.adjust("2 seconds")
      yield* load(card("/strings"))
      expect(hits.get("/strings")).toBe(2)

      const broken = card("/garbage")
      expect(problemOf((yield* load(broken)).get("plan"))).toEqual({ reason: "notJson" })
      yield* TestClock.adjust("9 seconds")
      yield* load(broken)
      expect(hits.get("/garbage")).toBe(1)
      yield* TestClock.adjust("2 seconds")
      yield* load(broken)
      expect(hits.get("/garbage")).toBe(2)
    }).pipe(Effect.provide(ApiLists.Default)))

  effectIt.effect("a changed card configuration drops the kept options at once", () =>
    Effect.gen(function* () {
      yield* load(card("/strings"))
      yield* load(card("/strings", "Region"))
      expect(hits.get("/strings")).toBe(2)
      // Fields the card does not ask for are not fetched.
      yield* Effect.flatMap(ApiLists, (lists) => lists.load(card("/plans"), ["other"]))
      expect(hits.get("/plans")).toBeUndefined()
    }).pipe(Effect.provide(ApiLists.Default)))

  effectIt.effect("a slow API is given up after 2 s, and the log names the URL without its query", () =>
    Effect.gen(function* () {
      const logged: Array<string> = []
      const capture = Logger.replace(Logger.defaultLogger, Logger.make(({ annotations, message }) => void logged.push(JSON.stringify({ message, annotations: [...HashMap.toEntries(annotations)] }))))
      const fiber = yield* Effect.fork(load(card("/slow")).pipe(Effect.provide(capture)))
      yield* requested("/slow", 1)
      yield* TestClock.adjust("1999 millis")
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("1 millis")
      const result = yield* Fiber.join(fiber)
      expect(problemOf(result.get("plan"))).toEqual({ reason: "timeout" })
      expect(logged.join("\n")).toContain(`${base}/slow`)
      expect(logged.join("\n")).not.toContain("s3cret")
    }).pipe(Effect.provide(ApiLists.Default)))
})

describe("ClientCard.decodeApiOptions: what a list's URL may answer", () => {
  it("takes strings and { value, label } (other properties ignored), refuses anything else", () => {
    expect(Either.getOrThrow(ClientCard.decodeApiOptions(["a", { value: "b", label: "Bee", colour: "yellow" }]))).toEqual([{ value: "a", label: "a" }, { value: "b", label: "Bee" }])
    for (const bad of [{ a: 1 }, "a", [1], [""], [{ value: "b" }], [null], Array.from({ length: ClientCard.maxApiOptions + 1 }, (_, index) => `o${index}`)]) {
      expect(Either.isLeft(ClientCard.decodeApiOptions(bad))).toBe(true)
    }
  })
})
