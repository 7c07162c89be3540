import { Effect, Either, Option } from "effect"
import type { Actor } from "../access/Access.js"
import { system } from "../access/Access.js"
import type { Channel } from "../channels/Channel.js"
import type * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import type * as Operator from "../operators/Operator.js"
import type { StoredEvent, Versioned } from "../ports/Store.js"
import { type ChannelId, DialogId, type UserId } from "../shared/Ids.js"
import type { EnginePorts } from "./EnginePorts.js"

/** Runs a dialog command (the engine's `execute`), for the delivery status a send produces. */
export type ExecuteDialogCommand = (actor: Actor, command: Dialog.DialogCommand) => Effect.Effect<unknown, unknown>

/**
 * Names for system messages ("Anna joined the conversation"): the acting user's and the
 * target operator's, which the command already loaded; nothing else is read.
 */
export const namesFor = (actor: Actor, operator: Option.Option<Versioned<Operator.OperatorState>>) => (userId: UserId): string => {
  if (Option.isSome(operator) && operator.value.state.id === userId) return operator.value.state.name
  if (actor._tag === "User" && actor.id === userId) return actor.name
  return userId
}

/** The client's id in a channel (where replies go), if the client is known and reachable there. */
export const recipientOf = (client: Option.Option<Versioned<Client.ClientState>>, channelId: ChannelId): Option.Option<string> =>
  Option.flatMap(client, (found) => Option.fromNullable(found.state.identities.find((identity) => identity.channelId === channelId)?.externalId))

const dialogIdOf = (stored: StoredEvent): DialogId => DialogId.make(stored.streamId.slice("dialog:".length))

/**
 * What leaves the engine after a dialog's events are stored and published: staff messages go out
 * through the channel gateway (their delivery status follows as a command), and bots hear of
 * hand-offs to and from them.
 */
export const makeOutbound = ({ bot, gateway }: EnginePorts, execute: ExecuteDialogCommand) =>
  (events: ReadonlyArray<StoredEvent>, channel: Channel, recipient: Option.Option<string>): Effect.Effect<void> =>
    Effect.gen(function* () {
      for (const stored of events) {
        const event = stored.event
        if (Option.isSome(bot)) {
          if (event._tag === "DialogAssigned" && Option.isSome(event.fromBotId)) {
            yield* bot.value.handoff({ direction: "transfer", botId: event.fromBotId.value, dialogId: dialogIdOf(stored) })
          }
          if (event._tag === "ReturnedToBot") yield* bot.value.handoff({ direction: "return", botId: event.botId, dialogId: dialogIdOf(stored) })
        }
        if (event._tag === "StaffMessageSent" && !event.message.internal && Option.isSome(gateway) && Option.isSome(recipient)) {
          const message = event.message
          const delivered = yield* Effect.either(gateway.value.send(channel, recipient.value, message))
          const update = new Dialog.UpdateDelivery({
            dialogId: message.dialogId,
            messageId: message.id,
            status: Either.isRight(delivered) ? "sent" : "failed",
            ...(Either.isLeft(delivered) ? { reason: delivered.left.reason } : {})
          })
          yield* Effect.ignore(execute(system, update))
        }
      }
    })

/** Send a dialog's events out (`makeOutbound`). */
export type Outbound = ReturnType<typeof makeOutbound>
