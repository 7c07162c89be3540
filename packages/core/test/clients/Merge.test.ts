import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Layer, Option } from "effect"
import * as fc from "fast-check"
import * as Client from "../../src/clients/Client.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { EventStore } from "../../src/ports/EventStore.js"
import { defaults } from "../../src/settings/Settings.js"
import { ChannelId, ClientId, DialogId } from "../../src/shared/Ids.js"
import { deciderSpec } from "../../src/testing/deciderSpec.js"
import { anna, boris, engineLayer, inbound, owner, seed, supervisor, widget } from "../../src/testing/fixtures.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"

const keptId = ClientId.make("kept")
const otherId = ClientId.make("other")
const tg = ChannelId.make("tg")
const web = ChannelId.make("web")

const created = (clientId: ClientId, channelId: ChannelId, externalId: string) =>
  new Client.ClientCreated({ clientId, identity: new Client.Identity({ channelId, externalId }), profile: {}, at: 1 })
const started = (clientId: ClientId, channelId: ChannelId, dialogId: string) =>
  new Client.ClientDialogStarted({ clientId, channelId, dialogId: DialogId.make(dialogId), at: 1 })
const stateOf = (id: ClientId, events: ReadonlyArray<Client.ClientEvent>) => events.reduce(Client.evolve, Client.initial(id))

const otherHistory = [created(otherId, tg, "ivan-2"), started(otherId, tg, "d-other-tg")]
const other = stateOf(otherId, otherHistory)
const keptHistory = [created(keptId, tg, "ivan"), started(keptId, tg, "d-kept-tg")]

const spec = deciderSpec({ initial: () => Client.initial(keptId), evolve: Client.evolve, decide: Client.decideMerge })
const merge = new Client.MergeClients({ clientId: keptId, mergedId: otherId })
const ctx = (actor: Client.MergeContext["actor"], merged: Client.ClientState = other): Client.MergeContext => ({ now: 2, actor, settings: defaults, merged })

describe("merging clients (CLI-01)", () => {
  it("a supervisor merges: the survivor gets the other's identities; a channel both have keeps the survivor's dialog, the other's stays listed", () => {
    spec.given(keptHistory).when(merge, ctx(supervisor)).then((events, state) => {
      expect(events.map((event) => event._tag)).toEqual(["ClientsMerged"])
      expect(state.identities.map((identity) => identity.externalId)).toEqual(["ivan", "ivan-2"])
      expect(state.dialogs).toEqual({ tg: "d-kept-tg" })
      expect(Client.dialogsOf(state)).toEqual(["d-kept-tg", "d-other-tg"])
    })
  })

  it("a channel only the merged client had brings its dialog as the latest there (inbound messages go to it)", () => {
    const fromWeb = stateOf(otherId, [created(otherId, web, "visitor-1"), started(otherId, web, "d-other-web")])
    spec.given(keptHistory).when(merge, ctx(owner, fromWeb)).then((_, state) => {
      expect(state.dialogs).toEqual({ tg: "d-kept-tg", web: "d-other-web" })
      expect(state.mergedDialogs).toBeUndefined()
    })
  })

  it("the merged client keeps nothing and takes no command afterwards", () => {
    const merged = Client.mergedIntoEvents(other, keptId, owner, 2).reduce(Client.evolve, other)
    expect([merged.mergedInto, merged.identities, Client.dialogsOf(merged)]).toEqual([keptId, [], []])
    const after = Client.decide(merged, new Client.UpdateClientProfile({ clientId: otherId, profile: { name: "X" } }), { now: 3, actor: owner, settings: defaults, seesClient: true, isUser: () => true })
    expect(Either.isLeft(after) && after.left.reason).toBe("Merged")
  })

  it("refusals: an operator (no clients.merge), the same client, a client merged already on either side", () => {
    spec.given(keptHistory).when(merge, ctx(anna)).thenRejects("Forbidden")
    spec.given(keptHistory).when(new Client.MergeClients({ clientId: keptId, mergedId: keptId }), ctx(owner, stateOf(keptId, keptHistory))).thenRejects("SameClient")
    const gone = Client.mergedIntoEvents(other, ClientId.make("third"), owner, 2).reduce(Client.evolve, other)
    spec.given(keptHistory).when(merge, ctx(owner, gone)).thenRejects("Merged")
    spec.given([...keptHistory, new Client.ClientMergedInto({ clientId: keptId, into: ClientId.make("third"), by: "owner", at: 2 })]).when(merge, ctx(owner)).thenRejects("Merged")
    // The permission comes first: an operator learns nothing about the clients.
    spec.given(keptHistory).when(new Client.MergeClients({ clientId: keptId, mergedId: keptId }), ctx(anna, stateOf(keptId, keptHistory))).thenRejects("Forbidden")
  })

  it("after any sequence of merges every identity and every dialog belongs to exactly one unmerged client (property)", () => {
    const channels = [tg, web]
    const arbitrary = fc.record({
      // Per client: one identity and a dialog in each of 1–2 channels.
      clients: fc.array(fc.subarray(channels, { minLength: 1 }), { minLength: 2, maxLength: 6 }),
      merges: fc.array(fc.tuple(fc.nat(5), fc.nat(5)), { maxLength: 12 })
    })
    fc.assert(fc.property(arbitrary, ({ clients, merges }) => {
      const ids = clients.map((_, i) => ClientId.make(`c${i}`))
      const states = new Map<ClientId, Client.ClientState>(clients.map((chans, i) => {
        const id = ids[i]!
        const events = chans.flatMap((channelId, n) => [...(n === 0 ? [created(id, channelId, `x${i}-${channelId}`)] : []), started(id, channelId, `d${i}-${channelId}`)])
        const state = events.reduce(Client.evolve, Client.initial(id))
        // A second channel's identity arrives like the first (through a merge in real life; here directly).
        return [id, chans.length === 2 ? { ...state, identities: chans.map((channelId) => new Client.Identity({ channelId, externalId: `x${i}-${channelId}` })) } : state]
      }))
      const allIdentities = [...states.values()].flatMap((state) => state.identities.map((identity) => `${identity.channelId}/${identity.externalId}`))
      const allDialogs = [...states.values()].flatMap((state) => Client.dialogsOf(state))
      for (const [a, b] of merges) {
        const into = states.get(ids[a % ids.length]!)!
        const merged = states.get(ids[b % ids.length]!)!
        const decided = Client.decideMerge(into, new Client.MergeClients({ clientId: into.id, mergedId: merged.id }), ctx(supervisor, merged))
        const expected = into.id === merged.id ? "SameClient" : into.mergedInto !== undefined || merged.mergedInto !== undefined ? "Merged" : "ok"
        expect(Either.match(decided, { onLeft: (rejected) => rejected.reason, onRight: () => "ok" })).toBe(expected)
        if (Either.isLeft(decided)) continue
        states.set(into.id, decided.right.reduce(Client.evolve, into))
        states.set(merged.id, Client.mergedIntoEvents(merged, into.id, supervisor, 2).reduce(Client.evolve, merged))
      }
      const live = [...states.values()].filter((state) => state.mergedInto === undefined)
      const owners = (of: (state: Client.ClientState) => ReadonlyArray<string>) => (key: string) => live.filter((state) => of(state).includes(key)).length
      expect(allIdentities.map(owners((state) => state.identities.map((identity) => `${identity.channelId}/${identity.externalId}`)))).toEqual(allIdentities.map(() => 1))
      expect(allDialogs.map(owners(Client.dialogsOf))).toEqual(allDialogs.map(() => 1))
      for (const state of states.values()) if (state.mergedInto !== undefined) expect([state.identities, Client.dialogsOf(state)]).toEqual([[], []])
    }))
  })
})

describe("engine.mergeClients (CLI-01)", () => {
  const run = <A, E>(body: Effect.Effect<A, E, Engine | EventStore>) => Effect.provide(Effect.zipRight(seed, body), engineLayer(MemoryStore.layer).pipe(Layer.orDie))

  it.effect("moves identities and dialogs in one commit; the merged card points at the survivor; a later message lands on the survivor", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* EventStore
      const kept = yield* engine.receive(inbound("ivan", "hello", { name: "Ivan" }))
      const gone = yield* engine.receive(inbound("visitor-7", "hi from the site", { channelId: widget.id }))
      const before = yield* store.lastPosition
      yield* engine.mergeClients(supervisor, new Client.MergeClients({ clientId: kept.clientId, mergedId: gone.clientId }))
      const written = yield* store.readAll(before, 100)
      expect(written.map((event) => [event.streamId, event.event._tag])).toEqual([
        [`client:${kept.clientId}`, "ClientsMerged"],
        [`client:${gone.clientId}`, "ClientMergedInto"],
        [`dialog:${gone.dialogId}`, "DialogClientMerged"]
      ])
      expect((yield* engine.clientCard(supervisor, gone.clientId)).mergedInto).toBe(kept.clientId)
      const survivor = yield* engine.clientCard(supervisor, kept.clientId)
      expect(Client.dialogsOf(survivor).toSorted()).toEqual([kept.dialogId, gone.dialogId].toSorted())
      const later = yield* engine.receive(inbound("visitor-7", "anyone?", { channelId: widget.id }))
      expect([later.clientId, later.dialogId]).toEqual([kept.clientId, gone.dialogId])
      // The moved dialog names the survivor; replies go to the website visitor it came from.
      expect(Option.getOrThrow(yield* store.loadDialog(gone.dialogId)).state.clientId).toEqual(Option.some(kept.clientId))
    })))

  it.effect("an operator is refused in core, unknown ids are not found, a second merge of the same client is Merged; nothing is written", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      const store = yield* EventStore
      const kept = yield* engine.receive(inbound("a", "one"))
      const gone = yield* engine.receive(inbound("b", "two"))
      const command = new Client.MergeClients({ clientId: kept.clientId, mergedId: gone.clientId })
      const before = yield* store.lastPosition
      expect(yield* Effect.flip(engine.mergeClients(anna, command))).toMatchObject({ _tag: "ClientRejected", reason: "Forbidden" })
      expect(yield* Effect.flip(engine.mergeClients(owner, new Client.MergeClients({ clientId: kept.clientId, mergedId: ClientId.make("nobody") })))).toMatchObject({ _tag: "NotFound" })
      expect(yield* Effect.flip(engine.mergeClients(owner, new Client.MergeClients({ clientId: kept.clientId, mergedId: kept.clientId })))).toMatchObject({ reason: "SameClient" })
      expect(yield* store.readAll(before, 100)).toEqual([])
      yield* engine.mergeClients(owner, command)
      const merged = yield* store.lastPosition
      expect(yield* Effect.flip(engine.mergeClients(owner, command))).toMatchObject({ reason: "Merged" })
      expect(yield* Effect.flip(engine.mergeClients(owner, new Client.MergeClients({ clientId: gone.clientId, mergedId: kept.clientId })))).toMatchObject({ reason: "Merged" })
      expect(yield* store.lastPosition).toBe(merged)
    })))

  it.effect("staff still reach the survivor through a dialog that came with the merge", () =>
    run(Effect.gen(function* () {
      const engine = yield* Engine
      const kept = yield* engine.receive(inbound("p", "one"))
      const gone = yield* engine.receive(inbound("q", "two", { channelId: widget.id }))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: kept.dialogId }))
      yield* engine.execute(anna, new Dialog.Accept({ dialogId: gone.dialogId }))
      yield* engine.mergeClients(owner, new Client.MergeClients({ clientId: kept.clientId, mergedId: gone.clientId }))
      // Anna sees the moved dialog, so she reaches the survivor's card and may edit it through it.
      expect((yield* engine.clientCard(anna, kept.clientId)).id).toBe(kept.clientId)
      yield* engine.client(anna, new Client.UpdateClientProfile({ clientId: kept.clientId, profile: { name: "Ivan" }, via: gone.dialogId }))
      expect((yield* engine.clientCard(anna, gone.clientId)).mergedInto).toBe(kept.clientId)
      // Boris sees neither dialog (both are Anna's): neither card.
      expect(yield* Effect.flip(engine.clientCard(boris, gone.clientId))).toMatchObject({ _tag: "NotFound" })
      expect(yield* Effect.flip(engine.clientCard(boris, kept.clientId))).toMatchObject({ _tag: "NotFound" })
    })))
})
