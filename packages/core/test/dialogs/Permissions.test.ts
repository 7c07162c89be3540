import { it } from "@effect/vitest"
import { Either, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect } from "vitest"
import { type Actor, BotActor, Permission, Role, SystemActor, UserActor } from "../../src/access/Access.js"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { decide } from "../../src/dialogs/decide.js"
import { initial } from "../../src/dialogs/evolve.js"
import { can, DialogAction, refusal } from "../../src/dialogs/Permissions.js"
import { MessageInput } from "../../src/messages/Message.js"
import { BotId, TagId, UserId } from "../../src/shared/Ids.js"
import { bot, channelId, clientId, ctx, dialogId, queueId, T0 } from "./helpers.js"

const staff = ["anna", "boris", "carl"].map((id) => UserId.make(id))

const arbActor: fc.Arbitrary<Actor> = fc.oneof(
  fc.constant(new SystemActor()),
  fc.constantFrom(bot, BotId.make("other-bot")).map((id) => new BotActor({ id })),
  fc.record({
    id: fc.constantFrom(...staff),
    role: fc.constantFrom(...Role.literals),
    permissions: fc.subarray([...Permission.literals])
  }).map(({ id, role, permissions }) => new UserActor({ id, name: id, role, permissions }))
)

const arbState: fc.Arbitrary<Dialog.DialogState> = fc.record({
  status: fc.constantFrom(...Dialog.Status.literals),
  assignee: fc.option(fc.constantFrom(...staff), { nil: undefined }),
  offeredTo: fc.option(fc.constantFrom(...staff), { nil: undefined }),
  withBot: fc.boolean(),
  deleted: fc.boolean(),
  onHold: fc.boolean()
}).map(({ status, assignee, offeredTo, withBot, deleted, onHold }) => ({
  ...initial(dialogId, channelId, queueId),
  clientId: Option.some(clientId),
  status,
  assigneeId: Option.fromNullable(assignee),
  offer: offeredTo === undefined ? Option.none() : Option.some({ operatorId: offeredTo, at: T0, expiresAt: T0 + 60_000 }),
  botId: withBot ? Option.some(bot) : Option.none(),
  deleted,
  onHold
}))

/** For each action, a command whose content is valid, so that only who acts on which dialog decides. */
const commandFor = (action: DialogAction, state: Dialog.DialogState): Dialog.DialogCommand | undefined => {
  const input = MessageInput.make({ text: "Hello" })
  switch (action) {
    case "view":
      return undefined
    case "write":
      return new Dialog.SendMessage({ dialogId, input, internal: false })
    case "note":
      return new Dialog.SendMessage({ dialogId, input, internal: true })
    case "accept":
      return new Dialog.Accept({ dialogId })
    case "leave":
      return new Dialog.Leave({ dialogId })
    case "close":
      return new Dialog.Close({ dialogId, force: true })
    case "reassign":
      return new Dialog.Reassign({ dialogId, to: { _tag: "Operator", userId: UserId.make("zoe") } })
    case "returnToBot":
      return new Dialog.ReturnToBot({ dialogId, botId: bot })
    case "edit":
      return new Dialog.SetTags({ dialogId, tags: [TagId.make("vip")] })
    case "detachClient":
      return new Dialog.DetachClient({ dialogId })
    case "hold":
      return new Dialog.SetHold({ dialogId, onHold: !state.onHold })
    case "requeue":
      return new Dialog.Requeue({ dialogId, reason: "transfer" })
    case "handToQueue":
      return new Dialog.HandToQueue({ dialogId })
    case "prioritize":
      // No command yet (routing adds SetPriority); the panel may ask already.
      return undefined
    case "delete":
      return new Dialog.DeleteDialog({ dialogId })
    case "reopen":
      return new Dialog.Reopen({ dialogId })
  }
}

describe("dialog permissions: what the panel shows is what decide accepts", () => {
  it("for any actor, dialog state and company settings, decide rejects a valid command exactly when can says no, with can's reason", () => {
    fc.assert(fc.property(
      arbActor,
      arbState,
      fc.constantFrom(...DialogAction.literals),
      fc.record({ operatorsMayChangeManager: fc.boolean(), operatorsMayBlockClients: fc.boolean() }),
      (actor, state, action, flags) => {
      const context = ctx({ actor, settings: flags })
      const command = commandFor(action, state)
      const refused = refusal(actor, action, state, context.settings)
      if (command === undefined) return
      const decided = decide(state, command, context)
      expect(Either.isLeft(decided)).toBe(!can(actor, action, state, context.settings))
      if (Either.isLeft(decided)) expect(decided.left.reason).toBe(Option.getOrThrow(refused).reason)
      }
    ), { numRuns: 300 })
  })

  it("an operator sees Accept on a queued dialog, and Write and Close only once it is theirs", () => {
    const anna = new UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })
    const queued: Dialog.DialogState = { ...initial(dialogId, channelId, queueId), clientId: Option.some(clientId), status: "queued" }
    const settings = ctx().settings
    expect([can(anna, "accept", queued, settings), can(anna, "write", queued, settings), can(anna, "close", queued, settings)]).toEqual([true, false, false])
    const theirs: Dialog.DialogState = { ...queued, status: "active", assigneeId: Option.some(anna.id) }
    expect([can(anna, "accept", theirs, settings), can(anna, "write", theirs, settings), can(anna, "close", theirs, settings)]).toEqual([false, true, true])
  })

  it("Reopen: the closed dialog's operator or a supervisor reopens it and holds it; another operator may not, nor anyone an open dialog", () => {
    const anna = new UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })
    const boris = new UserActor({ id: UserId.make("boris"), name: "Boris", role: "operator" })
    const sue = new UserActor({ id: UserId.make("sue"), name: "Sue", role: "supervisor" })
    const closed: Dialog.DialogState = { ...initial(dialogId, channelId, queueId), clientId: Option.some(clientId), status: "closed", assigneeId: Option.some(anna.id) }
    const settings = ctx().settings
    expect([anna, boris, sue].map((actor) => can(actor, "reopen", closed, settings))).toEqual([true, false, true])
    expect(can(anna, "reopen", { ...closed, status: "active" }, settings)).toBe(false)
    const reopened = decide(closed, new Dialog.Reopen({ dialogId }), ctx({ actor: sue }))
    expect(Either.getOrThrow(reopened).map((event) => [event._tag, "operatorId" in event ? Option.getOrNull(event.operatorId as Option.Option<string>) : null])).toEqual([["DialogReopened", "sue"]])
  })
})
