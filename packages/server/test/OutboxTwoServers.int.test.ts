import { Effect, Exit, Redacted, Scope } from "effect"
import { Channel, ChannelId, ChannelSecretStore, ConfigStore, OutboxStore } from "@switchboard/core"
import { CustomChannel, PgEventBus, SqlStore } from "@switchboard/adapters"
import { FakeCustomProvider } from "@switchboard/adapters/testing"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { panelApp } from "./PanelClient.js"

const url = process.env["DATABASE_URL"]
const channelId = ChannelId.make("twin-outbox")

/**
 * Two servers on one PostgreSQL database, both running the outbox worker (as every server of a
 * cluster may), against one provider that fails three times before it accepts: each message
 * reaches the client exactly once. Without DATABASE_URL this suite is reported as skipped.
 */
describe.skipIf(url === undefined || url === "")("the outbox on two servers sharing one PostgreSQL", () => {
  const scope = Effect.runSync(Scope.make())
  const provider = FakeCustomProvider.make()
  let servers: ReadonlyArray<ReturnType<typeof panelApp>> = []

  beforeAll(async () => {
    const schema = await Effect.runPromise(Scope.extend(SqlStore.scratchSchema(url ?? ""), scope))
    const adapter = CustomChannel.make({ fetch: (input, init) => provider.fetch(input, init) })
    servers = [0, 1].map(() =>
      panelApp(PgEventBus.storage({ url: url ?? "", schema, maxConnections: 3 }), {
        // Short real backoffs: the test waits on the provider's attempts, never on time.
        channels: { adapters: [adapter], outbox: { baseDelayMs: 5, maxDelayMs: 20, idleMs: 20 } }
      })
    )
    await servers[0]!.runtime.runPromise(Effect.gen(function* () {
      yield* seedIfEmpty
      yield* (yield* ConfigStore).putChannel(Channel.Channel.make({ id: channelId, kind: CustomChannel.make().kind, name: "Twin outbox" }))
      yield* (yield* ChannelSecretStore).putSecrets(channelId, Object.fromEntries(Object.entries(provider.settings).map(([name, value]) => [name, Redacted.make(value)])))
    }))
  })
  afterAll(async () => {
    for (const server of servers) await server.runtime.dispose()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("the provider fails 3 times, then accepts: the client gets the operator's messages exactly once", async () => {
    const [first, second] = [servers[0]!, servers[1]!]
    const request = provider.message({ id: "twin-1", from: "twin-client", text: "Is anyone there?" })
    const received = await first.app.request(`/api/channels/${channelId}/webhook`, { method: request.method, headers: request.headers, body: new TextDecoder().decode(request.body) })
    expect(received.status).toBe(202)
    const dialogId = ((await received.json()) as { received: ReadonlyArray<{ dialogId: string }> }).received[0]!.dialogId

    provider.failNext(3, { _tag: "Outage" })
    const anna = await second.signIn("anna")
    expect((await second.post(anna, `/panel/dialogs/${dialogId}/accept`)).status).toBeLessThan(400)
    expect((await second.post(anna, `/panel/dialogs/${dialogId}/messages`, { text: "Yes, Anna here." })).status).toBeLessThan(400)

    // Three refused attempts and two accepted ones (the "joined" notice and the reply).
    await provider.waitForAttempts(5)
    await vi.waitFor(async () => {
      const log = await first.runtime.runPromise(Effect.flatMap(OutboxStore, (outbox) => outbox.deliveryLog(channelId, 10)))
      expect(log.map((row) => row.status)).toEqual(["sent", "sent"])
    }, { timeout: 20_000, interval: 50 })
    expect(provider.accepted().map((sent) => [sent.to, sent.text])).toEqual(expect.arrayContaining([["twin-client", "Anna joined the conversation"], ["twin-client", "Yes, Anna here."]]))
    expect(provider.accepted()).toHaveLength(2)
    expect(provider.attempts()).toBe(5)
    const page = await (await first.get(anna, `/panel/dialogs/${dialogId}`)).text()
    expect(page).toContain('data-delivery="sent"')
    expect(page).not.toContain('data-delivery="failed"')
  })
})
