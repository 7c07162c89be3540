import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import * as Dialog from "../../dialogs/Dialog.js"
import { Engine } from "../../engine/Engine.js"
import { ChannelSecretStore } from "../../ports/ChannelSecretStore.js"
import { OutboxStore } from "../../ports/OutboxStore.js"
import { ChannelId } from "../../shared/Ids.js"
import { anna, boris, inbound, monday, text } from "../fixtures.js"
import { runner, type StoreLayer } from "./support.js"

const tg = ChannelId.make("tg")
const later = monday + 60_000

/**
 * The behaviour every `OutboxStore` and `ChannelSecretStore` adapter must have: rows queued by the
 * commits that record outgoing messages (and only by commits that land), claimed with a lease, one
 * per dialog and oldest first, settled only by the claim that holds them, found by the provider's
 * id, listed per channel; secrets replaced and read back whole.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const outboxStoreContract = (name: string, makeStore: StoreLayer) =>
  describe(`OutboxStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("a reply is queued by its commit; claims hold a lease; one row per dialog, oldest first; stale claims change nothing", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const outbox = yield* OutboxStore
        const first = yield* engine.receive(inbound("c1", "hello"))
        const second = yield* engine.receive(inbound("c2", "hi"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
        yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: first.dialogId, input: text("Hi c1") }))
        yield* engine.execute(anna, new Dialog.SendMessage({ dialogId: first.dialogId, input: text("note"), internal: true }))
        yield* engine.execute(boris, new Dialog.Accept({ dialogId: second.dialogId }))
        const claimed = yield* outbox.claimOutbox(later, 10, 1000)
        expect(claimed.map((row) => [row.recipient, row.message.text, row.attempts])).toEqual([
          ["c1", "Anna joined the conversation", 0],
          ["c2", "Boris joined the conversation", 0]
        ])
        expect(yield* outbox.claimOutbox(later + 999, 10, 1000)).toEqual([])
        const [c1, c2] = claimed
        expect(yield* outbox.settleOutbox(c1!, { _tag: "Sent", providerMessageId: "p-1" }, later + 10)).toBe(true)
        expect(yield* outbox.settleOutbox(c1!, { _tag: "Sent", providerMessageId: "p-1" }, later + 10)).toBe(false)
        // c1's next reply is due now; c2's row is still leased.
        const next = yield* outbox.claimOutbox(later + 20, 10, 1000)
        expect(next.map((row) => row.message.text)).toEqual(["Hi c1"])
        expect(yield* outbox.outboxAttemptFailed(next[0]!, "timeout", later + 30, later + 5000)).toBe(true)
        // The lease of c2 ran out: another worker claims it; the first claim can no longer settle it.
        const retaken = yield* outbox.claimOutbox(later + 2000, 10, 1000)
        expect(retaken.map((row) => row.message.text)).toEqual(["Boris joined the conversation"])
        expect(yield* outbox.settleOutbox(c2!, { _tag: "Sent", providerMessageId: "p-2" }, later + 2000)).toBe(false)
        expect(yield* outbox.outboxAttemptFailed(c2!, "late", later + 2000, later + 3000)).toBe(false)
        expect(yield* outbox.settleOutbox(retaken[0]!, { _tag: "Failed", reason: "blocked by the user" }, later + 2100)).toBe(true)
        expect(yield* outbox.findSent(tg, "p-1")).toEqual(Option.some({ messageId: c1!.message.id, dialogId: first.dialogId }))
        expect(yield* outbox.findSent(tg, "p-2")).toEqual(Option.none())
        const log = yield* outbox.deliveryLog(tg, 10)
        expect(log.map((row) => [row.message.text, row.status, row.attempts, Option.getOrNull(row.lastError), Option.getOrNull(row.providerMessageId)])).toEqual([
          ["Boris joined the conversation", "failed", 0, "blocked by the user", null],
          ["Hi c1", "pending", 1, "timeout", null],
          ["Anna joined the conversation", "sent", 1, null, "p-1"]
        ])
        expect(yield* outbox.deliveryLog(ChannelId.make("web"), 10)).toEqual([])
        // A claim says how many attempts the row had and the last one's error: a new claim of "Hi c1" after its lease.
        const again = yield* outbox.claimOutbox(later + 5000, 10, 1000)
        expect(again.map((row) => [row.message.text, row.attempts, row.lastError])).toEqual([["Hi c1", 1, "timeout"]])
        expect(claimed.map((row) => row.lastError)).toEqual([undefined, undefined])
      })))

    it.effect("a commit that conflicts queues nothing", () =>
      run(Effect.gen(function* () {
        const engine = yield* Engine
        const outbox = yield* OutboxStore
        const first = yield* engine.receive(inbound("c1", "hello"))
        yield* engine.execute(anna, new Dialog.Accept({ dialogId: first.dialogId }))
        const claimed = yield* outbox.claimOutbox(later, 10, 1000)
        expect(claimed.length).toBe(1)
        const refused = yield* Effect.flip(engine.execute(boris, new Dialog.SendMessage({ dialogId: first.dialogId, input: text("not mine") })))
        expect(refused._tag).toBe("DialogRejected")
        yield* outbox.settleOutbox(claimed[0]!, { _tag: "Sent", providerMessageId: "p" }, later)
        expect(yield* outbox.claimOutbox(later + 5000, 10, 1000)).toEqual([])
      })))

    it.effect("channel secrets: replaced whole, read back by name, redacted", () =>
      run(Effect.gen(function* () {
        const secrets = yield* ChannelSecretStore
        expect(yield* secrets.getSecrets(tg)).toEqual({})
        yield* secrets.putSecrets(tg, { signingSecret: Redacted.make("whsec_a"), tokenHash: Redacted.make("h1") })
        yield* secrets.putSecrets(tg, { signingSecret: Redacted.make("whsec_b") })
        const read = yield* secrets.getSecrets(tg)
        expect(Object.keys(read)).toEqual(["signingSecret"])
        expect(Redacted.value(read["signingSecret"]!)).toBe("whsec_b")
        expect(String(read["signingSecret"])).not.toContain("whsec_b")
        expect(yield* secrets.getSecrets(ChannelId.make("web"))).toEqual({})
      })))
  })
