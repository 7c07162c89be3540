import { describe, expect, it } from "@effect/vitest"
import { Either, Option, Schema } from "effect"
import * as ClientCard from "../../src/clients/ClientCard.js"
import * as fc from "fast-check"
import { Tag } from "../../src/catalog/Catalog.js"
import { Settings } from "../../src/settings/Settings.js"
import * as Client from "../../src/clients/Client.js"
import { defaults } from "../../src/settings/Settings.js"
import { ChannelId, ClientId, TagId, UserId } from "../../src/shared/Ids.js"
import { deciderSpec } from "../../src/testing/deciderSpec.js"
import { anna, owner, supervisor } from "../../src/testing/fixtures.js"
import { system } from "../../src/access/Access.js"

const clientId = ClientId.make("c1")
const spec = deciderSpec({ initial: () => Client.initial(clientId), evolve: Client.evolve, decide: Client.decide })
const created = new Client.ClientCreated({ clientId, identity: new Client.Identity({ channelId: ChannelId.make("tg"), externalId: "42" }), profile: { name: "Ivan" }, at: 1 })
const ctx = (actor: Client.ClientContext["actor"], settings: Partial<Settings> = {}, seesClient = true): Client.ClientContext => ({ now: 2, actor, settings: Settings.make({ ...defaults, ...settings }), seesClient, isUser: () => true })

describe("client decider (DLG-10, CLI-01)", () => {
  it("supervisors block; operators only when the setting allows", () => {
    spec.given([created]).when(new Client.BlockClient({ clientId }), ctx(anna)).thenRejects("Forbidden")
    spec.given([created]).when(new Client.BlockClient({ clientId }), ctx(anna, { operatorsMayBlockClients: true })).then((_, state) => expect(state.blocked).toBe(true))
    spec.given([created]).when(new Client.BlockClient({ clientId }), ctx(supervisor)).then((_, state) => expect(state.blocked).toBe(true))
  })

  it("blocking twice or unblocking an unblocked client is rejected", () => {
    const blocked = new Client.ClientBlocked({ clientId, by: "owner", at: 1 })
    spec.given([created, blocked]).when(new Client.BlockClient({ clientId }), ctx(owner)).thenRejects("AlreadyBlocked")
    spec.given([created]).when(new Client.UnblockClient({ clientId }), ctx(owner)).thenRejects("NotBlocked")
    spec.given([created, blocked]).when(new Client.UnblockClient({ clientId }), ctx(owner)).then((_, state) => expect(state.blocked).toBe(false))
    spec.given([created, blocked]).when(new Client.UnblockClient({ clientId }), ctx(anna)).thenRejects("Forbidden")
  })

  it("profile updates merge; tags keep their pinned flag", () => {
    spec.given([created]).when(new Client.UpdateClientProfile({ clientId, profile: { email: "ivan@example.com" } }), ctx(anna)).then((_, state) => {
      expect(state.profile).toEqual({ name: "Ivan", email: "ivan@example.com" })
    })
    spec.given([created]).when(new Client.SetClientTags({ clientId, tags: [new Client.ClientTag({ tagId: TagId.make("vip"), pinned: true })] }), ctx(anna)).then((_, state) => {
      expect(state.tags.map((t) => [t.tagId, t.pinned])).toEqual([["vip", true]])
    })
  })

  it("staff change only the clients of dialogs they can see; the engine itself always may", () => {
    const commands = [
      new Client.UpdateClientProfile({ clientId, profile: { name: "Ivan P." } }),
      new Client.SetClientTags({ clientId, tags: [] }),
      new Client.BlockClient({ clientId })
    ]
    for (const command of commands) {
      spec.given([created]).when(command, ctx(owner, { operatorsMayBlockClients: true }, false)).thenRejects("Forbidden")
      spec.given([created]).when(command, ctx(system, {}, false)).then((events) => expect(events).toHaveLength(1))
    }
  })

  const tag = (id: string, pinned = false) => new Client.ClientTag({ tagId: TagId.make(id), pinned })
  const catalog = { tags: [Tag.make({ id: TagId.make("vip"), name: "VIP", color: "#d97706" }), Tag.make({ id: TagId.make("b2b"), name: "B2B", color: "#2563eb" })] }

  it("tags come from the company's catalog or the client's own; none twice; free without a catalog", () => {
    const tagged = new Client.ClientTagsSet({ clientId, tags: [tag("legacy", true)], at: 1 })
    spec.given([created, tagged]).when(new Client.SetClientTags({ clientId, tags: [tag("vip"), tag("legacy", true)] }), ctx(anna, catalog)).then((_, state) => {
      expect(state.tags.map((t) => t.tagId)).toEqual(["vip", "legacy"])
    })
    spec.given([created, tagged]).when(new Client.SetClientTags({ clientId, tags: [tag("vip"), tag("made-up")] }), ctx(anna, catalog)).thenRejects("UnknownTag")
    spec.given([created]).when(new Client.SetClientTags({ clientId, tags: [tag("vip"), tag("vip", true)] }), ctx(anna, catalog)).thenRejects("DuplicateTag")
    spec.given([created]).when(new Client.SetClientTags({ clientId, tags: [tag("made-up")] }), ctx(anna)).then((_, state) => expect(state.tags.map((t) => t.tagId)).toEqual(["made-up"]))
  })

  it("a tag list is accepted exactly when its tags are distinct and each is the catalog's or the client's (property)", () => {
    const ids = ["vip", "b2b", "legacy", "made-up", "other"]
    fc.assert(fc.property(fc.array(fc.constantFrom(...ids), { maxLength: 6 }), fc.boolean(), (chosen, withCatalog) => {
      const state = Client.evolve(Client.evolve(Client.initial(clientId), created), new Client.ClientTagsSet({ clientId, tags: [tag("legacy")], at: 1 }))
      const result = Client.decide(state, new Client.SetClientTags({ clientId, tags: chosen.map((id) => tag(id)) }), ctx(anna, withCatalog ? catalog : {}))
      const known = new Set(["vip", "b2b", "legacy"])
      const acceptable = new Set(chosen).size === chosen.length && (!withCatalog || chosen.every((id) => known.has(id)))
      expect(Either.isRight(result)).toBe(acceptable)
    }))
  })
})

describe("client card commands (CLI-01, CLI-04)", () => {
  const card = { fields: ["name", "custom:size", "custom:due"], customFields: [
    { id: "size", label: "Size", type: "number" as const },
    { id: "due", label: "Due", type: "date" as const }
  ] }
  const withCard = (actor: Client.ClientContext["actor"]) => ctx(actor, { clientCard: Schema.decodeUnknownSync(ClientCard.ClientCardConfig)(card) })

  it("custom values are checked against the card configuration, with the field's path", () => {
    spec.given([created]).when(new Client.UpdateClientProfile({ clientId, profile: { customFields: { size: 3, due: "2026-12-05" } } }), withCard(anna)).then((_, state) => expect(state.profile.customFields).toEqual({ size: 3, due: "2026-12-05" }))
    const refused = Client.decide(Client.evolve(Client.initial(clientId), created), new Client.UpdateClientProfile({ clientId, profile: { customFields: { due: "2026-02-30" } } }), withCard(anna))
    expect(Either.isLeft(refused) && [refused.left.reason, refused.left.path]).toEqual(["InvalidField", "customFields.due"])
    spec.given([created]).when(new Client.UpdateClientProfile({ clientId, profile: { customFields: { colour: "red" } } }), withCard(anna)).thenRejects("InvalidField")
  })

  it("the responsible manager: supervisors set it; operators only when they may change managers", () => {
    const set = new Client.SetClientManager({ clientId, managerId: Option.some(UserId.make("boris")) })
    spec.given([created]).when(set, ctx(anna)).thenRejects("Forbidden")
    spec.given([created]).when(set, ctx(anna, { operatorsMayChangeManager: true })).then((_, state) => expect(state.managerId).toEqual(Option.some("boris")))
    spec.given([created]).when(set, ctx(supervisor)).then((_, state) => expect(state.managerId).toEqual(Option.some("boris")))
    spec.given([created]).when(set, { ...ctx(supervisor), isUser: () => false }).thenRejects("UnknownManager")
  })
})
