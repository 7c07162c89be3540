import { describe, expect, it } from "vitest"
import { Chunk, Duration, Effect, Exit, Fiber, Scope, TestClock, TestContext } from "effect"
import { Channel, ChannelId, Outbox } from "@switchboard/core"
import { FakeTelegram, TelegramAdapter } from "@switchboard/adapters"
import { ChannelCredentials } from "../src/ChannelCredentials.js"
import { seedIfEmpty } from "../src/Demo.js"
import { panelApp, storages } from "./PanelClient.js"

/** The start of a JPEG (what content sniffing looks for), as a client's photo would be. */
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xd9])
const olena = { id: 4242, first_name: "Olena", username: "olena_k" }
const channelId = ChannelId.make("tg-e2e")

/** Let the event loop run I/O (the fake's answers) without any timer. */
const tick = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

/** A panel app with a Telegram channel on a FakeTelegram (closed with `scope`); creating the channel registered its webhook with the channel's secret. */
const telegramPanel = async (make: (typeof storages)[number]["make"], scope: Scope.CloseableScope) => {
  const fake = await Effect.runPromise(Scope.extend(FakeTelegram.make(), scope))
  const panel = panelApp(make().storage.layer, {
    channels: { adapters: [TelegramAdapter.make({ apiRoot: fake.apiRoot })], runOutbox: false }
  })
  await panel.runtime.runPromise(seedIfEmpty)
  await panel.runtime.runPromise(Effect.gen(function* () {
    const credentials = yield* ChannelCredentials
    yield* credentials.create(Channel.Channel.make({ id: channelId, kind: "telegram", name: "Telegram bot" }), { botToken: fake.token })
    yield* credentials.register(channelId, "https://switchboard.example")
  }))
  return { fake, ...panel }
}

describe.each(storages)("Telegram end to end against FakeTelegram on $name", ({ make }) => {
  it("an inbound executable named .png is not kept: the client's text and the file's name reach the operator, nothing to download", async () => {
    const scope = Effect.runSync(Scope.make())
    try {
      const { fake, app, runtime, signIn, get } = await telegramPanel(make, scope)
      const webhook = fake.webhook()!
      // A Windows executable's first bytes ("MZ", then the PE header's offset).
      const exe = new Uint8Array(256)
      exe.set([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff])
      const update = fake.updates.document(olena, exe, { name: "receipt.png", mime: "image/png" }, "Here is the receipt")
      const accepted = await app.request(new URL(webhook.url).pathname, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": webhook.secret_token! },
        body: JSON.stringify(update)
      })
      expect(accepted.status).toBe(202)
      const { received } = await accepted.json() as { received: ReadonlyArray<{ dialogId: string }> }
      const page = await (await get(await signIn("anna"), `/panel/dialogs/${received[0]!.dialogId}`)).text()
      expect(page).toContain("Here is the receipt")
      expect(page).toContain('<span class="attachment-name">receipt.png</span>')
      expect(page).not.toContain("/panel/files/")
      await runtime.dispose()
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })

  it("an inbound photo appears in the operator's dialog; the reply reaches the chat as sendMessage, retried after Telegram's retry_after", async () => {
    const scope = Effect.runSync(Scope.make())
    try {
      const { fake, runtime, app, signIn, get, post } = await telegramPanel(make, scope)
      const webhook = fake.webhook()
      expect(webhook?.url).toBe("https://switchboard.example/api/channels/tg-e2e/webhook")
      expect(webhook?.secret_token).toMatch(/^[A-Za-z0-9_-]{1,256}$/)

      // Telegram delivers a photo to the registered webhook with the secret header.
      const update = fake.updates.photo(olena, jpeg, "My parcel arrived broken")
      const deliver = (secret: string) =>
        app.request(new URL(webhook!.url).pathname, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret },
          body: JSON.stringify(update)
        })
      expect((await deliver("not-the-secret")).status).toBe(401)
      const accepted = await deliver(webhook!.secret_token!)
      expect(accepted.status).toBe(202)
      const { received } = await accepted.json() as { received: ReadonlyArray<{ dialogId: string }> }
      const dialogId = received[0]!.dialogId

      // The operator sees the photo in the dialog, accepts it and answers.
      const anna = await signIn("anna")
      const page = await (await get(anna, `/panel/dialogs/${dialogId}`)).text()
      expect(page).toContain("My parcel arrived broken")
      expect(page).toContain('data-testid="attachment"')
      expect(page).toMatch(/<img src="[^"]+" alt="photo-[^"]+\.jpg"/)
      // The photo was fetched into the file store, typed from its bytes, linked to the dialog: the operator downloads it.
      const photoUrl = /<img src="([^"]+)"/.exec(page)![1]!
      expect(photoUrl).toMatch(/^\/panel\/files\//)
      const photo = await get(anna, photoUrl)
      expect([photo.status, photo.headers.get("content-type"), photo.headers.get("x-content-type-options")]).toEqual([200, "image/jpeg", "nosniff"])
      expect(new Uint8Array(await photo.arrayBuffer())).toEqual(jpeg)
      expect((await post(anna, `/panel/dialogs/${dialogId}/accept`)).status).toBeLessThan(400)
      // The client is told the operator joined (a system message through the outbox too).
      await runtime.runPromise(Effect.flatMap(Outbox.OutboxWorker, (worker) => worker.runOnce))
      expect(fake.callsOf("sendMessage").map((call) => call.params["text"])).toEqual(["Anna joined the conversation"])
      expect((await post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "Sorry! A new one is on its way." })).status).toBeLessThan(400)

      // Telegram answers the first sendMessage with 429 retry_after 3: the outbox waits 3 s, not less, then sends it once.
      fake.failNext("sendMessage", 1, FakeTelegram.tooManyRequests(3))
      const first = fake.waitFor("sendMessage", 2)
      await runtime.runPromise(Effect.gen(function* () {
        yield* TestClock.setTime(Date.now())
        const worker = yield* Outbox.OutboxWorker
        const sending = yield* Effect.fork(worker.runOnce)
        yield* Effect.promise(() => first)
        // The worker's pending sleeps: wait (on I/O, not time) until the retry's is among them.
        const retryDelay = Effect.gen(function* () {
          const now = yield* TestClock.currentTimeMillis
          const delays = Chunk.toReadonlyArray(yield* TestClock.sleeps()).map((wake) => wake - now)
          return delays.find((delay) => delay < 10_000)
        })
        let delay = yield* retryDelay
        while (delay === undefined) {
          yield* tick
          delay = yield* retryDelay
        }
        expect(delay).toBe(3000)
        yield* TestClock.adjust(Duration.millis(2999))
        expect(fake.callsOf("sendMessage")).toHaveLength(2)
        const second = fake.waitFor("sendMessage", 3)
        yield* TestClock.adjust(Duration.millis(1))
        yield* Effect.promise(() => second)
        yield* Fiber.join(sending)
      }).pipe(Effect.provide(TestContext.TestContext)))

      const sent = fake.callsOf("sendMessage").slice(1)
      expect(sent).toHaveLength(2)
      expect(sent.map((call) => [String(call.params["chat_id"]), call.params["text"]])).toEqual([
        ["4242", "Sorry! A new one is on its way."],
        ["4242", "Sorry! A new one is on its way."]
      ])
      // Telegram gives bots no delivery receipts: the reply shows sent, and no more.
      const after = await (await get(anna, `/panel/dialogs/${dialogId}`)).text()
      expect(after).toContain("Sorry! A new one is on its way.")
      expect(after).not.toContain("failed")
      await runtime.dispose()
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })

  it("a reply Telegram refuses for good (the user blocked the bot) shows failed, with Telegram's reason, in the operator's dialog", async () => {
    const scope = Effect.runSync(Scope.make())
    try {
      const { fake, runtime, app, signIn, get, post } = await telegramPanel(make, scope)
      const accepted = await app.request(`/api/channels/${channelId}/webhook`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": fake.webhook()!.secret_token! },
        body: JSON.stringify(fake.updates.text(olena, "Where is my order?"))
      })
      expect(accepted.status).toBe(202)
      const dialogId = ((await accepted.json()) as { received: ReadonlyArray<{ dialogId: string }> }).received[0]!.dialogId
      const anna = await signIn("anna")
      expect((await post(anna, `/panel/dialogs/${dialogId}/accept`)).status).toBeLessThan(400)
      fake.block(olena.id)
      expect((await post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "It left our warehouse today." })).status).toBeLessThan(400)
      // A 403 is final: one attempt, no retry, no clock to move.
      await runtime.runPromise(Effect.flatMap(Outbox.OutboxWorker, (worker) => Effect.repeat(worker.runOnce, { until: (count) => count === 0 })))
      const page = await (await get(anna, `/panel/dialogs/${dialogId}`)).text()
      const reply = page.slice(page.indexOf("It left our warehouse today."))
      const mark = /<span class="delivery delivery-failed"[^>]*data-delivery="failed"[^>]*>([^<]*)<\/span>/.exec(reply)
      expect(mark?.[1]).toContain("failed")
      expect(mark?.[1]).toContain("Forbidden: bot was blocked by the user")
      await runtime.dispose()
    } finally {
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  })
})
