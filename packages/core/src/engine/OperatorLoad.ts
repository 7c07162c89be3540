import { Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import type { Channel } from "../channels/Channel.js"
import type * as Dialog from "../dialogs/Dialog.js"
import * as Operator from "../operators/Operator.js"
import * as RoutingProfile from "../routing/Profile.js"
import type { EnginePorts } from "./EnginePorts.js"
import type { StreamWrite, Versioned } from "../ports/Store.js"
import type { Settings } from "../settings/Settings.js"
import type { DialogId, UserId } from "../shared/Ids.js"
import { trusted } from "./EnginePorts.js"

/** The operator a dialog command would give the dialog to (accept, reassign, offer, route), if any. */
export const targetOf = (command: Dialog.DialogCommand, actor: Actor): UserId | undefined => {
  switch (command._tag) {
    case "Accept":
      return actor._tag === "User" ? actor.id : undefined
    case "Reassign":
      return command.to._tag === "Operator" ? command.to.userId : undefined
    case "OfferDialog":
    case "RouteToOperator":
      return command.operatorId
    default:
      return undefined
  }
}

/** When events add load to an operator, bump their stream so concurrent passes conflict (INV-14). */
export const reserveLoad = (
  events: ReadonlyArray<Dialog.DialogEvent>,
  dialogId: DialogId,
  channel: Channel,
  at: number,
  operator: Option.Option<Versioned<Operator.OperatorState>>
): ReadonlyArray<StreamWrite> => {
  const target = events.find((event): event is Dialog.DialogAssigned | Dialog.DialogOffered => event._tag === "DialogAssigned" || event._tag === "DialogOffered")
  if (target === undefined || Option.isNone(operator) || operator.value.state.id !== target.operatorId) return []
  const event = new Operator.OperatorLoadReserved({ userId: target.operatorId, dialogId, channelKind: channel.kind, kind: target._tag === "DialogOffered" ? "offered" : "assigned", seq: target.seq, at }, trusted)
  return [{
    kind: "operator",
    id: target.operatorId,
    expectedVersion: operator.value.version,
    events: [event],
    state: Operator.evolve(operator.value.state, event)
  }]
}

/** What a dialog's routing events do to its operators: their load and availability as `decide` sees them, and missed offers. */
export const makeOperatorLoad = ({ eventStore, presenceStore, configStore }: Pick<EnginePorts, "eventStore" | "presenceStore" | "configStore">) => {
  /**
   * An offer expired unanswered: count the miss on the operator's stream and, at the company's
   * threshold, switch them to the away status so the router stops offering them dialogs (A3).
   */
  const recordMiss = (events: ReadonlyArray<Dialog.DialogEvent>, dialogId: DialogId, at: number, settings: Settings) =>
    Effect.gen(function* () {
      const expired = events.find((event): event is Dialog.OfferEnded => event._tag === "OfferEnded" && event.outcome === "expired")
      if (expired === undefined) return []
      const found = yield* eventStore.loadOperator(expired.operatorId)
      if (Option.isNone(found)) return []
      const missed = new Operator.OfferMissed({ userId: expired.operatorId, dialogId, at }, trusted)
      const operatorEvents: Array<Operator.OperatorEvent> = [missed]
      const after = Operator.evolve(found.value.state, missed)
      const away = settings.operatorStatuses.find((status) => status.id === settings.awayStatusId)
      if (settings.offerMissesBeforeAway > 0 && after.consecutiveMisses >= settings.offerMissesBeforeAway && away !== undefined && after.statusId !== away.id) {
        operatorEvents.push(new Operator.OperatorStatusChanged({ userId: expired.operatorId, statusId: away.id, receivesDialogs: away.receivesDialogs, at }, trusted))
      }
      const write: StreamWrite = {
        kind: "operator",
        id: expired.operatorId,
        expectedVersion: found.value.version,
        events: operatorEvents,
        state: operatorEvents.reduce(Operator.evolve, found.value.state)
      }
      return [write]
    })

  /**
   * The target operator's availability and load on the dialog's channel kind (ROUTING A1): load
   * is derived from the dialogs and offers themselves, never from counters. Manual commands
   * (accept, reassign) are explicit choices, so availability does not block them.
   */
  const loadFacts = (command: Dialog.DialogCommand, operator: Operator.OperatorState, channel: Channel, dialog: Versioned<Dialog.DialogState>, settings: Settings, at: number) =>
    Effect.gen(function* () {
      const { channels, load } = yield* Effect.all({ channels: configStore.listChannels(), load: presenceStore.loadOf(operator.id) }, { concurrency: "unbounded" })
      const kinds = new Map(channels.map((known) => [known.id as string, known.kind]))
      return {
        available: command._tag === "Accept" || command._tag === "Reassign" || Operator.availableAt(operator, settings.operatorStatuses, at),
        load: load.filter((entry) => kinds.get(entry.channelId) === channel.kind).length,
        capacity: operator.capacity[channel.kind] ?? 0,
        // An operator with no queues serves every queue (as the router reads it).
        servesQueue: operator.queues.length === 0 || operator.queues.includes(dialog.state.queueId),
        skilled: RoutingProfile.isSkilled(operator, dialog, channel.kind, settings.routing, at)
      }
    })

  return { recordMiss, loadFacts } as const
}
