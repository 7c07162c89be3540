import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Option, Ref, Schema, TestClock, TestContext } from "effect"
import * as fc from "fast-check"
import { BlockClient, SetClientTags, UpdateClientProfile } from "../../src/clients/Client.js"
import * as ChannelAdapter from "../../src/channels/Adapter.js"
import { Channel } from "../../src/channels/Channel.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine, type Received } from "../../src/engine/Engine.js"
import { Scheduler } from "../../src/engine/Scheduler.js"
import { storeContext, type StorePorts, storeService } from "../../src/ports/Store.js"
import { defaults, Settings } from "../../src/settings/Settings.js"
import { BotId, ChannelId } from "../../src/shared/Ids.js"
import * as FakeChannel from "../../src/testing/FakeChannel.js"
import { OutboxSettings, OutboxWorker } from "../../src/channels/OutboxWorker.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import * as TestBot from "../../src/testing/TestBot.js"
import { anna, boris, engineLayer, inbound, owner, seed, supervisor, text } from "../../src/testing/fixtures.js"

const layerWith = (outbox: Parameters<typeof OutboxSettings.layer>[0]) =>
  Layer.merge(Scheduler.Default, OutboxWorker.Default).pipe(
    Layer.provideMerge(engineLayer(MemoryStore.layer)),
    Layer.provideMerge(Layer.mergeAll(TestBot.layer, FakeChannel.layer(), OutboxSettings.layer({ maxRetries: 2, ...outbox })))
  )
const layer = layerWith({})

/** The in-memory store, but every call yields first: concurrent commands interleave between read and commit. */
const yieldingStore = Layer.syncContext(() => storeContext((() => {
  const inner = MemoryStore.make()
  const wrapped = Object.fromEntries(
    Object.entries(inner).map(([name, method]) => [name, (...args: ReadonlyArray<unknown>) => Effect.zipRight(Effect.yieldNow(), (method as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown>)(...args))])
  )
  return wrapped as unknown as typeof inner
})()))

const withEngine = <A, E>(body: Effect.Effect<A, E, Engine | StorePorts | Scheduler | OutboxWorker | TestBot.TestBot | FakeChannel.FakeChannel>, provided = layer) =>
  Effect.provide(Effect.zipRight(seed, body), provided)

const statusOf = (id: Dialog.DialogState["id"]) => Effect.flatMap(storeService, (store) => Effect.map(store.loadDialog(id), (found) => Option.getOrThrow(found).state.status))

describe("inactivity close with TestClock (DLG-14)", () => {
  it.effect("14:59 after the operator's last message: still open; 15:00: closed", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const scheduler = yield* Scheduler
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Anything else?") }))
      const loop = yield* Effect.fork(scheduler.run("1 hour"))
      yield* TestClock.adjust(Duration.sum(Duration.minutes(14), Duration.seconds(59)))
      expect(yield* statusOf(dialogId)).toBe("active")
      yield* TestClock.adjust("1 second")
      expect(yield* statusOf(dialogId)).toBe("closed")
      const events = yield* Effect.flatMap(storeService, (store) => store.readStream(`dialog:${dialogId}`))
      const closed = events.map((e) => e.event).find((e): e is Dialog.DialogClosed => e._tag === "DialogClosed")
      expect(closed?.cause).toBe("inactivity")
      yield* Fiber.interrupt(loop)
    })))

  it.effect("a client's answer restarts the wait", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const scheduler = yield* Scheduler
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Which order?") }))
      const loop = yield* Effect.fork(scheduler.run("1 hour"))
      yield* TestClock.adjust("10 minutes")
      yield* engine.receive(inbound("c1", "#123"))
      yield* TestClock.adjust("30 minutes")
      expect(yield* statusOf(dialogId)).toBe("active")
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Found it") }))
      yield* TestClock.adjust("15 minutes")
      expect(yield* statusOf(dialogId)).toBe("closed")
      yield* Fiber.interrupt(loop)
    })))

  it.effect("with the setting off, a dialog never closes for inactivity", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const scheduler = yield* Scheduler
      yield* store.saveSettings(Settings.make({ ...defaults, inactivityCloseMinutes: null }))
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Anything else?") }))
      const loop = yield* Effect.fork(scheduler.run("1 hour"))
      yield* TestClock.adjust("3 days")
      expect(yield* statusOf(dialogId)).toBe("active")
      expect(yield* store.nextDueAt()).toEqual(Option.none())
      yield* Fiber.interrupt(loop)
    })))

  it.effect("an offer expires through the scheduler and the operator is excluded", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const scheduler = yield* Scheduler
      const store = yield* storeService
      const { system } = yield* Effect.promise(() => import("../../src/access/Access.js"))
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      const now = yield* TestClock.currentTimeMillis
      yield* engine.execute(system, new Dialog.OfferDialog({ dialogId, operatorId: anna.id, expiresAt: now + 30_000 }))
      yield* TestClock.adjust("29 seconds")
      yield* scheduler.runDue()
      expect(Option.getOrThrow(yield* store.loadDialog(dialogId)).state.offer._tag).toBe("Some")
      yield* TestClock.adjust("1 second")
      expect(yield* scheduler.runDue()).toBe(1)
      const state = Option.getOrThrow(yield* store.loadDialog(dialogId)).state
      expect(state.offer).toEqual(Option.none())
      expect(state.excludedOperators).toEqual([anna.id])
    })))
})

describe("engine side effects", () => {
  it.effect("a bot channel: the bot gets client messages, the transfer on accept and the return (DLG-03, DLG-05)", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const bot = yield* TestBot.TestBot
      const botId = BotId.make("faq")
      yield* store.putChannel(Channel.make({ id: ChannelId.make("vb"), kind: "viber", name: "Viber", botId }))
      const { dialogId } = yield* engine.receive(inbound("c1", "price?", { channelId: "vb" }))
      expect((yield* Ref.get(bot.delivered)).map((m) => m.text)).toEqual(["price?"])
      expect(yield* statusOf(dialogId)).toBe("bot")
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.ReturnToBot({ dialogId }))
      expect(yield* Ref.get(bot.handoffs)).toEqual([
        { direction: "transfer", botId, dialogId },
        { direction: "return", botId, dialogId }
      ])
    })))

  it.effect("operator replies are queued with their commit, sent by the outbox worker, and their delivery status follows the provider", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const worker = yield* OutboxWorker
      const fake = yield* FakeChannel.FakeChannel
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Hi!") }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("for staff"), internal: true }))
      const queued = yield* store.messages({ dialogId, limit: 2, includeInternal: false })
      expect(Option.map(queued.items[0]!.delivery, (d) => d.status)).toEqual(Option.some("queued"))
      // One message per dialog at a time, in order.
      while ((yield* worker.runOnce) > 0) continue
      const sent = yield* Ref.get(fake.delivered)
      expect(sent.map((s) => [s.message.recipient, s.message.text])).toEqual([["c1", "Anna joined the conversation"], ["c1", "Hi!"]])
      const page = yield* store.messages({ dialogId, limit: 2, includeInternal: false })
      expect(Option.map(page.items[0]!.delivery, (d) => d.status)).toEqual(Option.some("sent"))
      yield* Ref.set(fake.failures, [new ChannelAdapter.SendFailed({ reason: "The client left the channel", retryable: false })])
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Are you there?") }))
      yield* worker.runOnce
      const failed = (yield* store.messages({ dialogId, limit: 1, includeInternal: false })).items[0]!
      expect(Option.map(failed.delivery, (d) => [d.status, d.reason])).toEqual(Option.some(["failed", "The client left the channel"]))
      const log = yield* store.deliveryLog(ChannelId.make("tg"), 10)
      expect(log.map((row) => [row.message.text, row.status, row.attempts])).toEqual([["Are you there?", "failed", 1], ["Hi!", "sent", 1], ["Anna joined the conversation", "sent", 1]])
    })))

  it.effect("a retryable failure is retried with backoff, never sooner than the provider's retry-after; then it gives up with the reason", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const worker = yield* OutboxWorker
      const fake = yield* FakeChannel.FakeChannel
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* Ref.set(fake.failures, [FakeChannel.outage(60_000)])
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      const sending = yield* Effect.fork(worker.runOnce)
      yield* TestClock.adjust(Duration.seconds(59))
      expect(yield* Ref.get(fake.delivered)).toEqual([])
      yield* TestClock.adjust(Duration.seconds(1))
      yield* Fiber.join(sending)
      expect((yield* Ref.get(fake.delivered)).map((s) => s.message.text)).toEqual(["Anna joined the conversation"])
      yield* Ref.set(fake.failures, [FakeChannel.outage(), FakeChannel.outage(), FakeChannel.outage()])
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Hi!") }))
      const giving = yield* Effect.fork(worker.runOnce)
      yield* TestClock.adjust(Duration.minutes(5))
      yield* Fiber.join(giving)
      const failed = (yield* store.messages({ dialogId, limit: 1, includeInternal: false })).items[0]!
      expect(Option.map(failed.delivery, (d) => [d.status, d.reason])).toEqual(Option.some(["failed", "The provider is unavailable (gave up after 3 attempts)"]))
      expect((yield* store.deliveryLog(ChannelId.make("tg"), 1))[0]!.attempts).toBe(3)
    })))

  it.effect("attempts count across claims: a row whose earlier server stopped mid-retry gets only the tries left, and none when they are spent", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const worker = yield* OutboxWorker
      const fake = yield* FakeChannel.FakeChannel
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      yield* worker.runOnce
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Hi!") }))
      // A server claims the reply, fails once and stops; its lease runs out.
      const [first] = yield* store.claimOutbox(yield* TestClock.currentTimeMillis, 10, 60_000)
      expect(first!.message.text).toBe("Hi!")
      expect(yield* store.outboxAttemptFailed(first!, "Bad gateway", 0, 60_000)).toBe(true)
      yield* TestClock.adjust(Duration.minutes(2))
      // The next claim has two tries left of the three (maxRetries 2): both fail, and the row ends failed after 3 in all.
      yield* Ref.set(fake.failures, [FakeChannel.outage(), FakeChannel.outage(), FakeChannel.outage(), FakeChannel.outage()])
      const giving = yield* Effect.fork(worker.runOnce)
      yield* TestClock.adjust(Duration.minutes(5))
      yield* Fiber.join(giving)
      expect((yield* Ref.get(fake.failures)).length).toBe(2)
      expect((yield* store.deliveryLog(ChannelId.make("tg"), 1))[0]!.attempts).toBe(3)
      // Another reply: three failed tries by servers that stopped, then a worker that never sends it.
      yield* Ref.set(fake.failures, [])
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId, input: text("Still there?") }))
      for (const _ of [1, 2, 3]) {
        const [claim] = yield* store.claimOutbox(yield* TestClock.currentTimeMillis, 10, 60_000)
        expect(claim!.message.text).toBe("Still there?")
        yield* store.outboxAttemptFailed(claim!, "Network request failed", yield* TestClock.currentTimeMillis, 0)
      }
      const sentBefore = (yield* Ref.get(fake.delivered)).length
      yield* worker.runOnce
      expect((yield* Ref.get(fake.delivered)).length).toBe(sentBefore)
      const failed = (yield* store.messages({ dialogId, limit: 1, includeInternal: false })).items[0]!
      expect(Option.map(failed.delivery, (d) => [d.status, d.reason])).toEqual(Option.some(["failed", "Network request failed (gave up after 3 attempts)"]))
    })))

  it.effect("the running worker keeps sending while one dialog waits for its retry; each dialog's replies still go out in order, once", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const worker = yield* OutboxWorker
      const fake = yield* FakeChannel.FakeChannel
      /** Let the worker's fibers run until `done` holds (events, not time: the TestClock stands still). */
      const until = (done: Effect.Effect<boolean>) =>
        Effect.gen(function* () {
          for (let turn = 0; turn < 10_000 && !(yield* done); turn++) yield* Effect.yieldNow()
          expect(yield* done).toBe(true)
        })
      const textsTo = (recipient: string) => Effect.map(Ref.get(fake.delivered), (all) => all.filter((s) => s.message.recipient === recipient).map((s) => s.message.text))
      const slow = yield* engine.receive(inbound("c1", "hello"))
      const other = yield* engine.receive(inbound("c2", "hi"))
      // The provider is down for c1's first message and asks for an hour.
      yield* Ref.set(fake.failures, [FakeChannel.outage(3_600_000)])
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: slow.dialogId }))
      yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: slow.dialogId, input: text("Hi!") }))
      // Idle polls every 10 minutes (of the TestClock), so that moving it an hour wakes the worker six times, not 14,400.
      const running = yield* Effect.fork(worker.run)
      yield* until(Effect.map(Ref.get(fake.attempts), (n) => n === 1))
      // c2's replies are committed after: the worker's next poll sends them, c1's retry still waiting.
      yield* engine.execute(boris, new Dialog.Accept({ dialogId: other.dialogId }))
      yield* engine.execute(boris, new Dialog.SendMessage({ dialogId: other.dialogId, input: text("Hello from Boris") }))
      yield* TestClock.adjust(Duration.minutes(10))
      yield* until(Effect.map(textsTo("c2"), (sent) => sent.length === 2))
      expect(yield* textsTo("c2")).toEqual(["Boris joined the conversation", "Hello from Boris"])
      expect(yield* textsTo("c1")).toEqual([])
      yield* TestClock.adjust(Duration.hours(1))
      yield* until(Effect.map(textsTo("c1"), (sent) => sent.length === 2))
      expect(yield* textsTo("c1")).toEqual(["Anna joined the conversation", "Hi!"])
      expect(yield* Ref.get(fake.attempts)).toBe(5)
      yield* Fiber.interrupt(running)
    }), layerWith({ idleMs: 600_000 })))

  it.effect("a blocked client's messages are recorded as rejected and nothing is sent to them (DLG-10)", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const fake = yield* FakeChannel.FakeChannel
      const worker = yield* OutboxWorker
      const first = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
      const blocked = yield* Effect.flip(engine.client(anna, new BlockClient({ clientId: first.clientId })))
      expect(blocked._tag === "ClientRejected" && blocked.reason).toBe("Forbidden")
      yield* engine.client(owner, new BlockClient({ clientId: first.clientId }))
      yield* engine.receive(inbound("c1", "spam"))
      const page = yield* store.messages({ dialogId: first.dialogId, limit: 1, includeInternal: true })
      expect([page.items[0]!.text, page.items[0]!.rejected]).toEqual(["spam", true])
      const rejected = yield* Effect.flip(engine.execute(anna, new Dialog.SendMessage({ dialogId: first.dialogId, input: text("hi") })))
      expect(rejected._tag === "DialogRejected" && rejected.reason).toBe("ClientBlocked")
      while ((yield* worker.runOnce) > 0) continue
      expect((yield* Ref.get(fake.delivered)).map((s) => s.message.text)).toEqual(["Anna joined the conversation"])
    })))

  it.effect("an operator changes a client only through a dialog they may see; supervisors any client", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const first = yield* engine.receive(inbound("c1", "hello"))
      const other = yield* engine.receive(inbound("c2", "hi"))
      const rename = (name: string, via?: Dialog.DialogState["id"]) =>
        new UpdateClientProfile({ clientId: first.clientId, profile: { name }, ...(via === undefined ? {} : { via }) })
      // Queued: every operator sees it, so Boris may.
      yield* engine.client(boris, rename("Ivan"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
      // Now it is Anna's: Boris no longer reaches the client, whether or not he names a dialog.
      const refused = yield* Effect.flip(engine.client(boris, rename("Ivan B.")))
      expect(refused._tag === "ClientRejected" && refused.reason).toBe("Forbidden")
      const viaOther = yield* Effect.flip(engine.client(boris, new SetClientTags({ clientId: first.clientId, tags: [], via: other.dialogId })))
      expect(viaOther._tag === "ClientRejected" && viaOther.reason).toBe("Forbidden")
      yield* engine.client(anna, rename("Ivan A.", first.dialogId))
      yield* engine.client(supervisor, rename("Ivan S."))
      const client = Option.getOrThrow(yield* store.loadClient(first.clientId))
      expect(client.state.profile.name).toBe("Ivan S.")
    })))

  it.effect("a closed dialog reopens when the client writes; the same external id twice is stored once", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const first = yield* engine.receive(inbound("c1", "hello", { externalId: "e1" }))
      const again = yield* engine.receive(inbound("c1", "hello", { externalId: "e1" }))
      expect(again.messageId).toEqual(first.messageId)
      expect(again.events).toEqual([])
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
      yield* engine.execute(anna, new Dialog.Close({ dialogId: first.dialogId }))
      const later = yield* engine.receive(inbound("c1", "me again"))
      expect(later.dialogId).toBe(first.dialogId)
      expect(yield* statusOf(first.dialogId)).toBe("queued")
      expect(Option.getOrThrow(yield* store.loadDialog(first.dialogId)).state.previousAssigneeId).toEqual(Option.some(anna.id))
    })))

  it.effect("a long dialog's state does not grow with its history; redeliveries within the last 100 are recorded once", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      let sent = 0
      const sizeAfter = (n: number) =>
        Effect.gen(function* () {
          let last: Received | undefined
          for (const end = sent + n; sent < end; sent++) last = yield* engine.receive(inbound("c1", `message ${sent}`, { externalId: `e${sent}` }))
          const state = Option.getOrThrow(yield* store.loadDialog(last!.dialogId)).state
          return JSON.stringify(Schema.encodeSync(Dialog.DialogState)(state)).length
        })
      const at150 = yield* sizeAfter(150)
      const at300 = yield* sizeAfter(150)
      expect(at300).toBeLessThan(at150 * 1.1)
      const redelivered = yield* engine.receive(inbound("c1", "message 200", { externalId: "e200" }))
      expect(redelivered.events).toEqual([])
      expect(Option.map(redelivered.messageId, (id) => id.endsWith(".m201"))).toEqual(Option.some(true))
      const page = yield* store.messages({ dialogId: redelivered.dialogId, limit: 500, includeInternal: true })
      expect(page.items.length).toBe(300)
    })))

  it.effect("whatever a channel redelivers, and however long ago, each external id is stored once, in the order first delivered (property)", () =>
    Effect.promise(() =>
      fc.assert(
        // A run of fresh messages (up to past what a dialog remembers), then any mix of new ones and repeats.
        fc.asyncProperty(fc.integer({ min: 0, max: 140 }), fc.array(fc.integer({ min: 0, max: 199 }), { minLength: 1, maxLength: 60 }), (fresh, mixed) =>
          Effect.runPromise(withEngine(Effect.gen(function* () {
            const deliveries = [...Array.from({ length: fresh }, (_, n) => n), ...mixed]
            const engine = yield* Engine
            const store = yield* storeService
            const ids = new Map<number, Received["messageId"]>()
            let dialogId: Dialog.DialogState["id"] | undefined
            for (const n of deliveries) {
              const received = yield* engine.receive(inbound("c1", `message ${n}`, { externalId: `e${n}` }))
              dialogId = received.dialogId
              // A repeat answers with the message first stored for that id.
              if (ids.has(n)) expect(received.messageId).toEqual(ids.get(n))
              else ids.set(n, received.messageId)
            }
            const page = yield* store.messages({ dialogId: dialogId!, limit: 500, includeInternal: true })
            expect(page.items.map((message) => message.text).reverse()).toEqual([...new Set(deliveries)].map((n) => `message ${n}`))
          })).pipe(Effect.provide(TestContext.TestContext)))
        ),
        { numRuns: 40 }
      )
    ))

  it.effect("an outgoing dialog starts active with the operator's message (DLG-13)", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const first = yield* engine.receive(inbound("c1", "hello"))
      const refused = yield* Effect.flip(engine.openOutgoing(anna, { clientId: first.clientId, channelId: ChannelId.make("tg"), input: text("Hi") }))
      expect(refused._tag === "DialogRejected" && refused.reason).toBe("AlreadyTaken")
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
      yield* engine.execute(anna, new Dialog.Close({ dialogId: first.dialogId }))
      const outgoing = yield* engine.openOutgoing(boris, { clientId: first.clientId, channelId: ChannelId.make("tg"), input: text("Your order shipped") })
      expect(outgoing.dialogId).not.toBe(first.dialogId)
      expect(yield* statusOf(outgoing.dialogId)).toBe("active")
      const next = yield* engine.receive(inbound("c1", "thanks"))
      expect(next.dialogId).toBe(outgoing.dialogId)
    })))

  it.effect("detaching the client: the next message from them opens a new dialog (DLG-23)", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const first = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
      yield* engine.execute(anna, new Dialog.DetachClient({ dialogId: first.dialogId }))
      const next = yield* engine.receive(inbound("c1", "hello again"))
      expect(next.clientId).toBe(first.clientId)
      expect(next.dialogId).not.toBe(first.dialogId)
    })))

  it.effect("an operator cannot read someone else's dialog history; the owner can", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId }))
      const denied = yield* Effect.flip(engine.history(boris, { dialogId, limit: 10 }))
      expect(denied._tag).toBe("NotFound")
      expect((yield* engine.history(owner, { dialogId, limit: 10 })).items.length).toBe(2)
    })))

  it.effect("two operators accepting the same dialog at the same moment: exactly one wins", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const { dialogId } = yield* engine.receive(inbound("c1", "hello"))
      const results = yield* Effect.all([anna, boris].map((who) => Effect.either(engine.execute(who, new Dialog.Accept({ dialogId })))), { concurrency: "unbounded" })
      const wins = results.filter((r) => r._tag === "Right")
      const losses = results.flatMap((r) => (r._tag === "Left" && r.left._tag === "DialogRejected" ? [r.left.reason] : []))
      expect(wins.length).toBe(1)
      expect(losses).toEqual(["AlreadyTaken"])
    })))
})

describe("capacity guard (ROUTING INV-1, INV-14)", () => {
  it.effect("load counts per channel kind; concurrent routing never fills one last slot twice", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const { system } = yield* Effect.promise(() => import("../../src/access/Access.js"))
      const { SetRouting } = yield* Effect.promise(() => import("../../src/operators/Operator.js"))
      yield* engine.operator(owner, new SetRouting({ userId: anna.id, capacity: { telegram: 1, widget: 1 }, skills: [], queues: [] }))
      const dialogs = yield* Effect.all(["a", "b", "c", "d"].map((who) => engine.receive(inbound(who, "hi"))))
      const web = yield* engine.receive(inbound("w", "hi", { channelId: "web" }))
      const attempts = yield* Effect.all(
        dialogs.map(({ dialogId }) => Effect.either(engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id })))),
        { concurrency: "unbounded" }
      )
      expect(attempts.filter((r) => r._tag === "Right").length).toBe(1)
      expect(attempts.flatMap((r) => (r._tag === "Left" && r.left._tag === "DialogRejected" ? [r.left.reason] : []))).toEqual(["OverCapacity", "OverCapacity", "OverCapacity"])
      yield* engine.execute(system, new Dialog.RouteToOperator({ dialogId: web.dialogId, operatorId: anna.id }))
      expect((yield* store.loadOf(anna.id)).length).toBe(2)
    })))

  it.effect("with reads and commits interleaved, the operator stream's version check turns the race into one winner", () =>
    Effect.gen(function* () {
      yield* seed
      const engine = yield* Engine
      const store = yield* storeService
      const { system } = yield* Effect.promise(() => import("../../src/access/Access.js"))
      const { SetRouting } = yield* Effect.promise(() => import("../../src/operators/Operator.js"))
      yield* engine.operator(owner, new SetRouting({ userId: anna.id, capacity: { telegram: 1 }, skills: [], queues: [] }))
      const dialogs = yield* Effect.all(["a", "b", "c", "d"].map((who) => engine.receive(inbound(who, "hi"))))
      const attempts = yield* Effect.all(
        dialogs.map(({ dialogId }) => Effect.either(engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id })))),
        { concurrency: "unbounded" }
      )
      expect(attempts.filter((r) => r._tag === "Right").length).toBe(1)
      expect((yield* store.loadOf(anna.id)).length).toBe(1)
      const operatorStream = yield* store.readStream(`operator:${anna.id}`)
      expect(operatorStream.filter((e) => e.event._tag === "OperatorLoadReserved").length).toBe(1)
    }).pipe(Effect.provide(engineLayer(yieldingStore))))
})

describe("operator statuses and shifts (OPS-02, ROUTING A0)", () => {
  it.effect("the company's status list decides who receives dialogs; unknown statuses are refused", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const { system } = yield* Effect.promise(() => import("../../src/access/Access.js"))
      const { OperatorStatus, SetStatus } = yield* Effect.promise(() => import("../../src/operators/Operator.js"))
      yield* store.saveSettings(Settings.make({
        ...defaults,
        operatorStatuses: [
          OperatorStatus.make({ id: "chats-only", name: "Chats only", receivesDialogs: true }),
          OperatorStatus.make({ id: "training", name: "Training", receivesDialogs: false })
        ]
      }))
      const refused = yield* Effect.flip(engine.operator(anna, new SetStatus({ userId: anna.id, statusId: "online" })))
      expect(refused._tag === "OperatorRejected" && refused.reason).toBe("UnknownStatus")
      yield* engine.operator(anna, new SetStatus({ userId: anna.id, statusId: "training" }))
      const { dialogId } = yield* engine.receive(inbound("c1", "hi"))
      const busy = yield* Effect.flip(engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id })))
      expect(busy._tag === "DialogRejected" && busy.reason).toBe("OverCapacity")
      yield* engine.operator(anna, new SetStatus({ userId: anna.id, statusId: "chats-only" }))
      yield* engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }))
    })))

  it.effect("outside their shift an operator is not routed dialogs", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const { system } = yield* Effect.promise(() => import("../../src/access/Access.js"))
      const { SetRouting } = yield* Effect.promise(() => import("../../src/operators/Operator.js"))
      const weekdays = [["10:00", "18:00"]] as const
      yield* engine.operator(owner, new SetRouting({
        userId: anna.id,
        capacity: { telegram: 3 },
        skills: [],
        queues: [],
        shift: { name: "Anna", timezone: "UTC", week: { mon: weekdays, tue: weekdays, wed: weekdays, thu: weekdays, fri: weekdays, sat: [], sun: [] }, holidays: [], specialDays: [] }
      }))
      const { dialogId } = yield* engine.receive(inbound("c1", "hi"))
      const early = yield* Effect.flip(engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id })))
      expect(early._tag === "DialogRejected" && early.reason).toBe("OverCapacity")
      yield* TestClock.adjust("1 hour")
      yield* engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id }))
    })))
})

describe("missed offers (ROUTING A3)", () => {
  it.effect("three offers expiring in a row switch the operator to the away status; an assignment resets the count", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const scheduler = yield* Scheduler
      const { system } = yield* Effect.promise(() => import("../../src/access/Access.js"))
      const offerAndExpire = (client: string) =>
        Effect.gen(function* () {
          const { dialogId } = yield* engine.receive(inbound(client, "hi"))
          const now = yield* TestClock.currentTimeMillis
          yield* engine.execute(system, new Dialog.OfferDialog({ dialogId, operatorId: anna.id, expiresAt: now + 30_000 }))
          yield* TestClock.adjust("30 seconds")
          yield* scheduler.runDue()
          return dialogId
        })
      const operator = Effect.map(store.loadOperator(anna.id), (found) => Option.getOrThrow(found).state)
      yield* offerAndExpire("c1")
      yield* offerAndExpire("c2")
      expect(yield* Effect.map(operator, (o) => [o.statusId, o.consecutiveMisses])).toEqual(["online", 2])
      const third = yield* engine.receive(inbound("c3", "hi"))
      yield* engine.execute(system, new Dialog.RouteToOperator({ dialogId: third.dialogId, operatorId: anna.id }))
      expect(yield* Effect.map(operator, (o) => o.consecutiveMisses)).toBe(0)
      for (const client of ["c4", "c5", "c6"]) yield* offerAndExpire(client)
      expect(yield* Effect.map(operator, (o) => [o.statusId, o.consecutiveMisses])).toEqual(["break", 0])
      const { dialogId } = yield* engine.receive(inbound("c7", "hi"))
      const refused = yield* Effect.flip(engine.execute(system, new Dialog.RouteToOperator({ dialogId, operatorId: anna.id })))
      expect(refused._tag === "DialogRejected" && refused.reason).toBe("OverCapacity")
    })))
})

describe("bad input", () => {
  it.effect("a malformed command names the field path", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const error = yield* Effect.flip(engine.decodeCommand({ _tag: "SendMessage", dialogId: "d1", input: { text: 42 } }))
      expect(error._tag).toBe("InvalidInput")
      expect(error.path).toBe("input.text")
      const unknown = yield* Effect.flip(engine.decodeCommand({ _tag: "Explode", dialogId: "d1" }))
      expect(unknown.path).toBe("_tag")
    })))

  it.effect("a malformed inbound message names the field path; nothing is stored", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* storeService
      const error = yield* Effect.flip(engine.decodeInbound({ channelId: "tg", from: "c1", message: { text: "hi", attachments: [{ name: "a.png", mime: "image/png", size: -1 }] } }))
      expect(error.path).toBe("message.attachments[0].size")
      const empty = yield* Effect.flip(engine.decodeInbound({ channelId: "", from: "c1", message: { text: "hi" } }))
      expect(empty.path).toBe("channelId")
      expect(yield* store.readAll(0, 100)).toHaveLength(9)
    })))

  it.effect("an unknown channel is NotFound, not a crash", () =>
    withEngine(Effect.gen(function* () {
      const engine = yield* Engine
      const error = yield* Effect.flip(engine.receive(inbound("c1", "hi", { channelId: "nope" })))
      expect(error._tag).toBe("NotFound")
    })))
})

describe("the scheduler under a slow handler", () => {
  it.effect("a claimed timer fires only in the first half of its lease; the rest fire later, each once", () =>
    withEngine(Effect.gen(function* () {
      const store = yield* storeService
      const scheduler = yield* Scheduler
      const fired = new Map<string, number>()
      let slowOnce = true
      yield* scheduler.register("test.tick", (timer) =>
        Effect.gen(function* () {
          fired.set(timer.key, (fired.get(timer.key) ?? 0) + 1)
          // The first handler takes 31 seconds of the claim's 60-second lease.
          if (slowOnce) {
            slowOnce = false
            yield* TestClock.adjust("31 seconds")
          }
        }))
      yield* store.commit({
        streams: [],
        messages: [],
        timers: Array.from({ length: 30 }, (_, i) => ({ _tag: "Set" as const, timer: { key: `test.tick:${i}`, kind: "test.tick", subject: String(i), dueAt: 0 } }))
      })
      // Past half its lease, the pass stops: the other 24 timers of its claim wait for the lease to run out.
      expect(yield* scheduler.runDue()).toBe(1)
      // The 5 timers nobody claimed yet fire; the 24 are still leased.
      expect(yield* scheduler.runDue()).toBe(5)
      yield* TestClock.adjust("30 seconds")
      expect(yield* scheduler.runDue()).toBe(24)
      expect(fired.size).toBe(30)
      expect([...fired.values()].every((count) => count === 1)).toBe(true)
    })))
})
