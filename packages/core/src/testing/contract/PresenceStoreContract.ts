import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { system } from "../../access/Access.js"
import * as Dialog from "../../dialogs/Dialog.js"
import { Engine } from "../../engine/Engine.js"
import { DialogListStore } from "../../ports/DialogListStore.js"
import { EventStore } from "../../ports/EventStore.js"
import { PresenceStore } from "../../ports/PresenceStore.js"
import { UserId } from "../../shared/Ids.js"
import { anna, boris, inbound } from "../fixtures.js"
import { runner, type StoreLayer } from "./support.js"

/**
 * The behaviour every `PresenceStore` adapter must have: the newest presence record wins, and load follows the dialogs' assignments and offers.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const presenceStoreContract = (name: string, makeStore: StoreLayer) =>
  describe(`PresenceStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("presence: the newest record per operator wins, whatever order the records arrive in", () =>
      run(Effect.gen(function* () {
        const store = yield* PresenceStore
        const [annaId, borisId] = [UserId.make("anna"), UserId.make("boris")]
        expect(yield* store.presences()).toEqual(new Map())
        yield* store.recordPresence(annaId, "online", 1_000)
        yield* store.recordPresence(borisId, "away", 2_000)
        yield* store.recordPresence(annaId, "online", 5_000)
        // A record older than the stored one (a slow server's heartbeat) changes nothing.
        yield* store.recordPresence(annaId, "offline", 4_000)
        expect(yield* store.presences()).toEqual(new Map([[annaId, { presence: "online", lastHeartbeatAt: 5_000 }], [borisId, { presence: "away", lastHeartbeatAt: 2_000 }]]))
        yield* store.recordPresence(annaId, "offline", 5_000)
        expect((yield* store.presences()).get(annaId)).toEqual({ presence: "offline", lastHeartbeatAt: 5_000 })
      })))

    it.effect("presences in one write: each operator's newest record wins, against the stored one and within the write", () =>
      run(Effect.gen(function* () {
        const store = yield* PresenceStore
        const [annaId, borisId, vikaId] = [UserId.make("anna"), UserId.make("boris"), UserId.make("vika")]
        yield* store.recordPresences([])
        expect(yield* store.presences()).toEqual(new Map())
        yield* store.recordPresence(borisId, "away", 9_000)
        yield* store.recordPresences([
          { operatorId: annaId, presence: "online", at: 3_000 },
          { operatorId: annaId, presence: "away", at: 2_000 },
          // Older than boris's stored record: changes nothing.
          { operatorId: borisId, presence: "online", at: 8_000 },
          { operatorId: vikaId, presence: "online", at: 3_000 }
        ])
        expect(yield* store.presences()).toEqual(new Map([
          [annaId, { presence: "online", lastHeartbeatAt: 3_000 }],
          [borisId, { presence: "away", lastHeartbeatAt: 9_000 }],
          [vikaId, { presence: "online", lastHeartbeatAt: 3_000 }]
        ]))
      })))

    it.effect("operator load counts assignments and offers; the queue and the operators read back", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const listStore = yield* DialogListStore
        const eventStore = yield* EventStore
        const presenceStore = yield* PresenceStore
        const a = yield* engine.receive(inbound("c1", "one"))
        const b = yield* engine.receive(inbound("c2", "two"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: a.dialogId }))
        yield* engine.execute(system, new Dialog.OfferDialog({ dialogId: b.dialogId, operatorId: anna.id, expiresAt: 10 ** 13 }))
        const load = yield* presenceStore.loadOf(anna.id)
        const all = yield* presenceStore.loads()
        expect((all.get(anna.id) ?? []).map((entry) => entry.dialogId).sort()).toEqual([a.dialogId, b.dialogId].sort())
        expect(all.get(boris.id) ?? []).toEqual([])
        expect(load.map((entry) => [entry.dialogId, entry.kind]).sort()).toEqual([[a.dialogId, "assigned"], [b.dialogId, "offered"]].sort())
        expect((yield* listStore.queued(10)).map((d) => d.state.id)).toEqual([b.dialogId])
        const c = yield* engine.receive(inbound("c3", "three"))
        expect(yield* listStore.queuedVersions(10)).toEqual((yield* listStore.queued(10)).map((d) => ({ id: d.state.id, version: d.version })))
        expect(yield* listStore.queuedVersions(1)).toEqual((yield* listStore.queued(1)).map((d) => ({ id: d.state.id, version: d.version })))
        expect((yield* listStore.queuedVersions(10)).map((d) => d.id).sort()).toEqual([b.dialogId, c.dialogId].sort())
        const operator = Option.getOrThrow(yield* eventStore.loadOperator(anna.id))
        expect(operator.state.lastAssignedAt["telegram"]).toBeGreaterThan(0)
        expect((yield* eventStore.listOperators()).length).toBe(3)
      })))

    it.effect("loads of some operators: their whole load and every pending offer, nobody else's assignments", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const presenceStore = yield* PresenceStore
        const [a, b, c, d] = yield* Effect.forEach(["c1", "c2", "c3", "c4"], (from) => engine.receive(inbound(from, "hello")))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: a!.dialogId }))
        yield* engine.execute(system, new Dialog.OfferDialog({ dialogId: b!.dialogId, operatorId: anna.id, expiresAt: 10 ** 13 }))
        yield* engine.execute(boris, new Dialog.Accept({ dialogId: c!.dialogId }))
        yield* engine.execute(system, new Dialog.OfferDialog({ dialogId: d!.dialogId, operatorId: boris.id, expiresAt: 10 ** 13 }))
        const read = (scope?: { readonly operators: ReadonlyArray<UserId> }) =>
          Effect.map(presenceStore.loads(scope), (loads) =>
            Object.fromEntries([...loads].map(([operatorId, entries]) => [operatorId, entries.map((entry) => `${entry.dialogId}:${entry.kind}`).sort()])))
        const [assignedA, offeredB, assignedC, offeredD] = [`${a!.dialogId}:assigned`, `${b!.dialogId}:offered`, `${c!.dialogId}:assigned`, `${d!.dialogId}:offered`]
        expect(yield* read()).toEqual({ [anna.id]: [assignedA, offeredB].sort(), [boris.id]: [assignedC, offeredD].sort() })
        expect(yield* read({ operators: [anna.id] })).toEqual({ [anna.id]: [assignedA, offeredB].sort(), [boris.id]: [offeredD] })
        expect(yield* read({ operators: [boris.id, UserId.make("nobody")] })).toEqual({ [anna.id]: [offeredB], [boris.id]: [assignedC, offeredD].sort() })
        expect(yield* read({ operators: [] })).toEqual({ [anna.id]: [offeredB], [boris.id]: [offeredD] })
      })))
  })
