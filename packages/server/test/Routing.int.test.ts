import { Effect, Fiber, ManagedRuntime, Option, Stream } from "effect"
import { Access, Dialog, Engine, EventBus, Routing, storeService, UserId } from "@switchboard/core"
import { afterAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { servicesLayer } from "../src/Services.js"
import { memoryStorage } from "../src/testing.js"
import { cheapHasher } from "./PanelClient.js"

// The demo's users are hashed at seeding: at the production scrypt cost that is ~4 CPU s for nothing this file checks.
const runtime = ManagedRuntime.make(servicesLayer(memoryStorage.layer, { accounts: { hasher: cheapHasher } }))
afterAll(() => runtime.dispose())

const anna = new Access.UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })

describe("automatic distribution in the server's composition (OPS-04)", () => {
  it("when Anna closes a dialog, the oldest waiting dialog is connected to her without anyone picking it", async () => {
    await runtime.runPromise(seedIfEmpty)
    const router = runtime.runFork(Effect.flatMap(Routing.Router, (service) => service.run))
    try {
      const { mine, queued } = await runtime.runPromise(
        Effect.gen(function* () {
          const store = yield* storeService
          const mine = yield* store.listDialogs({ viewer: { userId: anna.id, seesAll: false }, folder: "mine", limit: 50 })
          return { mine: mine.items, queued: yield* store.queued(50) }
        })
      )
      expect(mine.length).toBe(5)
      expect(queued.length).toBeGreaterThan(0)
      // Capacity is per channel kind: closing a Telegram dialog frees a Telegram slot.
      const closing = mine.find((row) => row.channelId === "telegram")!
      const oldest = [...queued]
        .filter((entry) => entry.state.channelId === closing.channelId)
        .sort((a, b) => Option.getOrElse(a.state.enqueuedAt, () => 0) - Option.getOrElse(b.state.enqueuedAt, () => 0))[0]!
      // Anna's panel is open: its live stream beats for her (the server routes to present operators only).
      await runtime.runPromise(Effect.flatMap(Routing.Router, (service) => service.heartbeat(anna.id)))
      // The router reacts to the close on the bus: wait for the oldest dialog's assignment to be published.
      const assigned = await runtime.runPromise(Effect.scoped(Effect.gen(function* () {
        const events = yield* Effect.flatMap(EventBus, (bus) => bus.subscribe)
        yield* Effect.flatMap(Engine, (engine) => engine.execute(anna, new Dialog.Close({ dialogId: closing.dialogId, force: true })))
        return yield* events.pipe(
          Stream.filter((stored) => stored.streamId === `dialog:${oldest.state.id}` && stored.event._tag === "DialogAssigned"),
          Stream.runHead,
          Effect.timeout("20 seconds")
        )
      })))
      expect(Option.isSome(assigned)).toBe(true)
      const assignee = await runtime.runPromise(Effect.flatMap(storeService, (store) => Effect.map(store.loadDialog(oldest.state.id), (found) => Option.getOrThrow(found).state.assigneeId)))
      expect(Option.getOrUndefined(assignee)).toBe(anna.id)
    } finally {
      await runtime.runPromise(Fiber.interrupt(router))
    }
  })
})
