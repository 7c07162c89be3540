import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Option, Schema, TestClock, TestContext } from "effect"
import * as fc from "fast-check"
import { type Actor, BotActor, can, system } from "../../src/access/Access.js"
import { BlockClient, UnblockClient } from "../../src/clients/Client.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { decide } from "../../src/dialogs/decide.js"
import { evolve, fold, initial, unreadFor } from "../../src/dialogs/evolve.js"
import { Engine } from "../../src/engine/Engine.js"
import { storeService } from "../../src/ports/Store.js"
import { defaults, Settings } from "../../src/settings/Settings.js"
import { CloseReasonId, TopicId } from "../../src/shared/Ids.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import { anna, boris, engineLayer, inbound, owner, seed, supervisor } from "../../src/testing/fixtures.js"
import { bot, clientId, clientSaid, ctx, dialogId, input, mid, opened, operatorSaid, T0 } from "./helpers.js"
import { Delivery } from "../../src/messages/Message.js"

const actors: ReadonlyArray<Actor> = [anna, boris, supervisor, owner, system, new BotActor({ id: bot })]
const operators = [anna, boris, supervisor]

const arbCommand: fc.Arbitrary<Dialog.DialogCommand | "block" | "unblock"> = fc.oneof(
  fc.constant("block" as const),
  fc.constant("unblock" as const),
  fc.record({ text: fc.string({ maxLength: 8 }), payload: fc.constantFrom(undefined, "yes", "no", "rate:4") }).map(({ text, payload }) =>
    new Dialog.ReceiveClientMessage({ dialogId, input: input(text), ...(payload === undefined ? {} : { payload }) })
  ),
  fc.record({ internal: fc.boolean(), text: fc.constantFrom("ok", "", "x".repeat(2001)) }).map(({ internal, text }) => new Dialog.SendMessage({ dialogId, input: input(text), internal })),
  fc.constant(new Dialog.HandToQueue({ dialogId })),
  fc.constant(new Dialog.Accept({ dialogId })),
  fc.constant(new Dialog.Leave({ dialogId })),
  fc.constant(new Dialog.ReturnToBot({ dialogId })),
  fc.record({ force: fc.boolean(), reason: fc.boolean() }).map(({ force, reason }) => new Dialog.Close({ dialogId, force, ...(reason ? { reasonId: CloseReasonId.make("solved") } : {}) })),
  fc.constant(new Dialog.CloseForInactivity({ dialogId })),
  fc.constantFrom(...operators).map((to) => new Dialog.Reassign({ dialogId, to: { _tag: "Operator", userId: to.id } })),
  fc.constant(new Dialog.Reassign({ dialogId, to: { _tag: "Bot", botId: bot } })),
  fc.constant(new Dialog.MarkRead({ dialogId })),
  fc.constant(new Dialog.MarkUnread({ dialogId })),
  fc.string({ maxLength: 5 }).map((text) => new Dialog.SaveDraft({ dialogId, text })),
  fc.constant(new Dialog.SetTopics({ dialogId, topics: [TopicId.make("billing")] })),
  fc.constant(new Dialog.DetachClient({ dialogId })),
  fc.constantFrom(...operators).map((o) => new Dialog.OfferDialog({ dialogId, operatorId: o.id, expiresAt: T0 + 10 ** 9 })),
  fc.constant(new Dialog.DeclineOffer({ dialogId })),
  fc.constant(new Dialog.ExpireOffer({ dialogId })),
  fc.constant(new Dialog.RescindOffer({ dialogId })),
  fc.constantFrom(...operators).map((o) => new Dialog.RouteToOperator({ dialogId, operatorId: o.id })),
  fc.constant(new Dialog.Requeue({ dialogId, reason: "operator_unavailable" })),
  fc.boolean().map((onHold) => new Dialog.SetHold({ dialogId, onHold })),
  fc.constant(new Dialog.ResetExclusions({ dialogId }))
)

const arbSettings = fc.record({
  anyMoreQuestions: fc.boolean(),
  mandatoryRating: fc.boolean(),
  topicRequired: fc.boolean(),
  operatorsMayChangeManager: fc.boolean()
})

/** The invariants every reachable dialog state must satisfy. */
const checkState = (state: Dialog.DialogState) => {
  // One controller at a time: the bot, the queue, or exactly one operator.
  if (state.status === "bot") {
    expect(Option.isSome(state.botId)).toBe(true)
    expect(Option.isNone(state.assigneeId)).toBe(true)
  }
  if (state.status === "queued") expect(Option.isNone(state.assigneeId)).toBe(true)
  if (state.status === "active") expect(Option.isSome(state.assigneeId)).toBe(true)
  if (Option.isSome(state.offer)) expect(state.status).toBe("queued")
  for (const user of [anna, boris, supervisor, owner]) expect(unreadFor(state, user.id)).toBeGreaterThanOrEqual(0)
  expect(state.clientMessageCount).toBeLessThanOrEqual(state.messageSeq)
}

describe("dialog model (fast-check)", () => {
  it("random command sequences from several operators keep every invariant", () =>
    fc.assert(
      fc.property(
        fc.boolean(),
        arbSettings,
        fc.array(fc.record({ actor: fc.constantFrom(...actors), command: arbCommand, minutes: fc.nat({ max: 30 }) }), { maxLength: 60 }),
        (withBot, partial, steps) => {
          const settings = Settings.make({ ...defaults, ...partial })
          let state = evolve(initial(dialogId, opened().channelId, opened().queueId), opened(withBot))
          let blocked = false
          let now = T0
          for (const { actor, command, minutes } of steps) {
            now += minutes * 60_000
            if (command === "block" || command === "unblock") {
              blocked = command === "block"
              continue
            }
            const before = state
            const result = decide(state, command, { ...ctx({ actor, now, blocked }), settings })
            if (Either.isLeft(result)) continue
            for (const event of result.right) {
              if (event._tag === "StaffMessageSent" && !event.message.internal) {
                // A blocked (or detached) client never receives a message.
                expect(blocked).toBe(false)
                expect(Option.isSome(before.clientId)).toBe(true)
              }
              if (event._tag === "StaffMessageSent" && event.message.author._tag === "Operator") {
                // Nobody but the responsible operator (or staff allowed to intervene) writes into an active dialog.
                const author = event.message.author.userId
                const writer = [anna, boris, supervisor, owner].find((user) => user.id === author)!
                const reopening = result.right.some((e) => e._tag === "DialogReopened")
                if (before.status === "active" && !reopening) {
                  expect(Option.contains(before.assigneeId, author) || can(writer, "dialogs.intervene", settings) || event.message.internal).toBe(true)
                }
              }
            }
            state = fold(state, result.right)
            checkState(state)
          }
        }
      ),
      { numRuns: 300 }
    ))

  it("evolve is total: any event sequence folds without throwing and keeps the invariants' shape", () => {
    const arbEvent: fc.Arbitrary<Dialog.DialogEvent> = fc.oneof(
      fc.constant(opened()),
      fc.constant(opened(true)),
      fc.constantFrom(...operators).map((o) => new Dialog.DialogAssigned({ operatorId: o.id, mode: "reassign", previousAssigneeId: Option.none(), fromBotId: Option.none(), overCapacity: false, by: "x", at: T0 })),
      fc.constant(new Dialog.DialogClosed({ cause: "operator", reasonId: Option.none(), by: "x", at: T0 })),
      fc.constant(new Dialog.DialogReopened({ cause: "client", operatorId: Option.none(), at: T0 })),
      fc.constant(new Dialog.HandedToQueue({ botId: bot, at: T0 })),
      fc.constantFrom(...operators).map((o) => new Dialog.OfferEnded({ operatorId: o.id, outcome: "declined", at: T0 })),
      fc.constantFrom(...operators).map((o) => new Dialog.DialogOffered({ operatorId: o.id, at: T0, expiresAt: T0 })),
      fc.constant(new Dialog.MessageEdited({ messageId: mid(9), text: "x", by: "x", at: T0 })),
      fc.constant(new Dialog.DeliveryUpdated({ messageId: mid(9), delivery: new Delivery({ status: "read", at: T0 }) })),
      fc.constant(new Dialog.ClientDetached({ clientId, by: "x", at: T0 })),
      fc.constant(clientSaid(1)),
      fc.constant(operatorSaid(2)),
      fc.constant(new Dialog.DialogRead({ userId: anna.id, clientMessageCount: 1000, at: T0 })),
      fc.constant(new Dialog.DialogMarkedUnread({ userId: anna.id, at: T0 }))
    )
    fc.assert(
      fc.property(fc.array(arbEvent, { maxLength: 40 }), (events) => {
        const state = fold(initial(dialogId, opened().channelId, opened().queueId), events)
        for (const user of [anna, boris]) expect(unreadFor(state, user.id)).toBeGreaterThanOrEqual(0)
      }),
      { numRuns: 300 }
    )
  })

  it.effect("through the engine: folding the stored events reproduces the stored state", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ actor: fc.constantFrom(anna, boris, supervisor, owner), command: arbCommand, client: fc.constantFrom("c1", "c2") }), { minLength: 1, maxLength: 25 }),
          (steps) =>
            Effect.runPromise(
              Effect.gen(function* () {
                const engine = yield* Engine
                const store = yield* storeService
                const dialogs = new Map<string, Dialog.DialogState["id"]>()
                for (const step of steps) {
                  const received = yield* engine.receive(inbound(step.client, "hi"))
                  dialogs.set(step.client, received.dialogId)
                  if (step.command === "block" || step.command === "unblock") {
                    yield* Effect.either(engine.client(owner, step.command === "block" ? new BlockClient({ clientId: received.clientId }) : new UnblockClient({ clientId: received.clientId })))
                    continue
                  }
                  const command = Schema.decodeUnknownSync(Dialog.DialogCommand)({ ...Schema.encodeSync(Dialog.DialogCommand)(step.command), dialogId: received.dialogId })
                  yield* Effect.either(engine.execute(step.actor, command))
                  yield* TestClock.adjust("7 minutes")
                }
                for (const id of dialogs.values()) {
                  const stored = Option.getOrThrow(yield* store.loadDialog(id))
                  const events = yield* store.readStream(`dialog:${id}`)
                  expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
                  const first = stored.state
                  const refolded = fold(initial(first.id, first.channelId, first.queueId), events.map((e) => e.event as Dialog.DialogEvent))
                  expect(Schema.encodeSync(Dialog.DialogState)(refolded)).toEqual(Schema.encodeSync(Dialog.DialogState)(stored.state))
                  checkState(stored.state)
                }
              }).pipe((body) => Effect.zipRight(seed, body), Effect.provide(engineLayer(MemoryStore.layer)), Effect.provide(TestContext.TestContext))
            )
        ),
        { numRuns: 40 }
      )
    ))
})
