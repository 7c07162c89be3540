/**
 * The engine's state cache: the next message of a conversation needs no read, and nothing another
 * writer changed behind this engine's back is ever decided on stale (the commit's checks catch it).
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Option, Schema } from "effect"
import { Channel } from "../../src/channels/Channel.js"
import * as Client from "../../src/clients/Client.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { storeContext, type StoreService } from "../../src/ports/Store.js"
import { Settings } from "../../src/settings/Settings.js"
import { QueueId } from "../../src/shared/Ids.js"
import * as SlaClock from "../../src/sla/SlaClock.js"
import * as MemoryEventBus from "../../src/testing/MemoryEventBus.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import * as SequentialIds from "../../src/testing/SequentialIds.js"
import { anna, inbound, owner, seed, telegram } from "../../src/testing/fixtures.js"

/** A store that counts the reads an inbound message can make. */
const counting = (inner: StoreService) => {
  const reads = { findInbound: 0, config: 0, loadDialog: 0, loadClient: 0, getSettings: 0, getChannel: 0 }
  const store: StoreService = {
    ...inner,
    findInbound: (...args) => Effect.zipRight(Effect.sync(() => reads.findInbound++), inner.findInbound(...args)),
    config: () => Effect.zipRight(Effect.sync(() => reads.config++), inner.config()),
    loadDialog: (id) => Effect.zipRight(Effect.sync(() => reads.loadDialog++), inner.loadDialog(id)),
    loadClient: (id) => Effect.zipRight(Effect.sync(() => reads.loadClient++), inner.loadClient(id)),
    getSettings: () => Effect.zipRight(Effect.sync(() => reads.getSettings++), inner.getSettings()),
    getChannel: (id) => Effect.zipRight(Effect.sync(() => reads.getChannel++), inner.getChannel(id))
  }
  return { store, reads }
}

/** Two engines (as on two servers) over one store; the first one's reads are counted. */
const twoEngines = Effect.gen(function* () {
  const shared = MemoryStore.make()
  const { store, reads } = counting(shared)
  const engineOver = (service: StoreService) =>
    Layer.build(Engine.Default.pipe(Layer.provide(Layer.mergeAll(Layer.succeedContext(storeContext(service)), MemoryEventBus.layer, SequentialIds.layer)))).pipe(
      Effect.map((context) => Context.get(context, Engine))
    )
  const first = yield* engineOver(store)
  const second = yield* engineOver(shared)
  yield* Effect.provide(seed, Layer.mergeAll(Layer.succeedContext(storeContext(shared)), Layer.succeed(Engine, second)))
  return { first, second, store: shared, reads }
})

describe("Engine state cache", () => {
  it.scoped("the next message of a conversation is decided without reading the store", () =>
    Effect.gen(function* () {
      const { first, reads } = yield* twoEngines
      const opened = yield* first.receive(inbound("c1", "hello"))
      const before = { ...reads }
      const next = yield* first.receive(inbound("c1", "are you there?"))
      expect(next.dialogId).toBe(opened.dialogId)
      expect(reads).toEqual(before)
    }))

  it.scoped("a client blocked through another engine is blocked for this engine's next message", () =>
    Effect.gen(function* () {
      const { first, second, store } = yield* twoEngines
      const opened = yield* first.receive(inbound("c1", "hello"))
      yield* second.client(owner, new Client.BlockClient({ clientId: opened.clientId }))
      const next = yield* first.receive(inbound("c1", "spam"))
      const page = yield* store.messages({ dialogId: next.dialogId, limit: 10, includeInternal: true })
      expect(page.items.find((message) => message.text === "spam")?.rejected).toBe(true)
    }))

  it.scoped("a dialog closed through another engine: this engine's next message opens it again instead of writing into the old state", () =>
    Effect.gen(function* () {
      const { first, second, store } = yield* twoEngines
      const opened = yield* first.receive(inbound("c1", "hello"))
      yield* second.execute(anna, new Dialog.Accept({ dialogId: opened.dialogId }))
      yield* second.execute(anna, new Dialog.Close({ dialogId: opened.dialogId, force: true }))
      yield* first.receive(inbound("c1", "one more thing"))
      const dialog = Option.getOrThrow(yield* store.loadDialog(opened.dialogId)).state
      expect(dialog.status).not.toBe("closed")
      expect(Option.isSome(dialog.reopenedFrom)).toBe(true)
      const versions = (yield* store.readStream(`dialog:${opened.dialogId}`)).map((event) => event.version)
      expect(versions).toEqual(versions.map((_, index) => index + 1))
    }))

  it.scoped("settings and channels changed in the store reach this engine's next message", () =>
    Effect.gen(function* () {
      const { first, store } = yield* twoEngines
      yield* first.receive(inbound("c1", "hello"))
      const settings = yield* store.getSettings()
      const sla = Schema.decodeUnknownSync(SlaClock.SlaSettings)({ policies: { policies: [], fallback: { name: "standard", targets: { firstResponse: 60 } } } })
      yield* store.saveSettings(Settings.make({ ...settings, sla }))
      const tracked = yield* first.receive(inbound("c2", "hello"))
      expect(Option.isSome(Option.getOrThrow(yield* store.loadDialog(tracked.dialogId)).state.sla)).toBe(true)
      yield* store.putChannel(Channel.make({ ...telegram, queueId: QueueId.make("vip") }))
      const routed = yield* first.receive(inbound("c3", "hello"))
      expect(Option.getOrThrow(yield* store.loadDialog(routed.dialogId)).state.queueId).toBe("vip")
    }))

  it.scoped("a new client's first message is committed without a read before it", () =>
    Effect.gen(function* () {
      const { first, store, reads } = yield* twoEngines
      yield* first.receive(inbound("c0", "warm-up: the engine reads the configuration once"))
      const before = { ...reads }
      const opened = yield* first.receive(inbound("c1", "hello"))
      expect(reads).toEqual(before)
      expect(Option.getOrThrow(yield* store.findInbound(telegram.id, "c1")).client.state.id).toBe(opened.clientId)
    }))

  it.scoped("a client this engine has not seen yet, created through another engine: their message joins their dialog, no second client", () =>
    Effect.gen(function* () {
      const { first, second, store, reads } = yield* twoEngines
      const opened = yield* second.receive(inbound("c1", "hello"))
      const next = yield* first.receive(inbound("c1", "it is me again"))
      expect([next.clientId, next.dialogId]).toEqual([opened.clientId, opened.dialogId])
      expect(reads.findInbound).toBe(0)
      const page = yield* store.messages({ dialogId: opened.dialogId, limit: 10, includeInternal: true })
      expect(page.items.map((message) => message.text)).toEqual(["it is me again", "hello"])
      const created = (yield* store.readAll(0, 1000)).filter((stored) => stored.event._tag === "ClientCreated")
      expect(created).toHaveLength(1)
      // Known now: the following message is decided from the cache.
      const before = { ...reads }
      yield* first.receive(inbound("c1", "anyone?"))
      expect(reads).toEqual(before)
    }))
})
