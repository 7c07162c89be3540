import { Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import type { Channel } from "../channels/Channel.js"
import type * as Client from "../clients/Client.js"
import type * as Dialog from "../dialogs/Dialog.js"
import type * as Operator from "../operators/Operator.js"
import type { OutboxEntry } from "../ports/OutboxStore.js"
import type { StoredEvent, Versioned } from "../ports/Store.js"
import { type ChannelId, DialogId, type UserId } from "../shared/Ids.js"
import type { EnginePorts } from "./EnginePorts.js"

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

/**
 * What of a decision goes out to the client (MSG-02): every staff message that is not an internal
 * note, when the client is reachable in the channel. The commit that records the messages queues
 * them (`Commit.outbox`), so a reply is stored and queued for delivery together or not at all; the
 * outbox worker sends them.
 */
export const outboxOf = (events: ReadonlyArray<Dialog.DialogEvent>, channel: Channel, recipient: Option.Option<string>): ReadonlyArray<OutboxEntry> => {
  if (Option.isNone(recipient)) return []
  const entries: Array<OutboxEntry> = []
  for (const event of events) {
    if (event._tag === "StaffMessageSent" && !event.message.internal) entries.push({ message: event.message, channelId: channel.id, recipient: recipient.value })
  }
  return entries
}

const dialogIdOf = (stored: StoredEvent): DialogId => DialogId.make(stored.streamId.slice("dialog:".length))

/** What leaves the engine after a dialog's events are stored and published: bots hear of hand-offs to and from them. */
export const makeOutbound = ({ bot }: EnginePorts) =>
  (events: ReadonlyArray<StoredEvent>): Effect.Effect<void> =>
    Effect.gen(function* () {
      if (Option.isNone(bot)) return
      for (const stored of events) {
        const event = stored.event
        if (event._tag === "DialogAssigned" && Option.isSome(event.fromBotId)) {
          yield* bot.value.handoff({ direction: "transfer", botId: event.fromBotId.value, dialogId: dialogIdOf(stored) })
        }
        if (event._tag === "ReturnedToBot") yield* bot.value.handoff({ direction: "return", botId: event.botId, dialogId: dialogIdOf(stored) })
      }
    })

/** Tell bots of a dialog's stored events (`makeOutbound`). */
export type Outbound = ReturnType<typeof makeOutbound>
