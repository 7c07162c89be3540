import { describe, expect, it } from "@effect/vitest"
import { Settings } from "../../src/settings/Settings.js"
import * as Client from "../../src/clients/Client.js"
import { defaults } from "../../src/settings/Settings.js"
import { ChannelId, ClientId, TagId } from "../../src/shared/Ids.js"
import { deciderSpec } from "../../src/testing/deciderSpec.js"
import { anna, owner, supervisor } from "../../src/testing/fixtures.js"

const clientId = ClientId.make("c1")
const spec = deciderSpec({ initial: () => Client.initial(clientId), evolve: Client.evolve, decide: Client.decide })
const created = new Client.ClientCreated({ clientId, identity: new Client.Identity({ channelId: ChannelId.make("tg"), externalId: "42" }), profile: { name: "Ivan" }, at: 1 })
const ctx = (actor: Client.ClientContext["actor"], settings: Partial<Settings> = {}): Client.ClientContext => ({ now: 2, actor, settings: Settings.make({ ...defaults, ...settings }) })

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
})
