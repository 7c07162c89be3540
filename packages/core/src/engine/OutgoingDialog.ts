import { Clock, Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { decide as decideDialog, open as openDialog } from "../dialogs/decide.js"
import { evolve as evolveDialog, initial as initialDialog } from "../dialogs/evolve.js"
import type { MessageInput } from "../messages/Message.js"
import type { StoredEvent } from "../ports/Store.js"
import { NotFound } from "../shared/Errors.js"
import { type ChannelId, type ClientId, DialogId } from "../shared/Ids.js"
import type { Appended } from "./CommandHandler.js"
import { channelFacts, channelOf, type EnginePorts, loadClient, trusted } from "./EnginePorts.js"
import type { MessageProjection } from "./MessageProjection.js"
import { namesFor, type Outbound, outboxOf, recipientOf } from "./Outbound.js"
import { finishDialog } from "./Timers.js"

/** A new outgoing dialog and its stored events. */
export interface Opened {
  readonly dialogId: DialogId
  readonly events: ReadonlyArray<StoredEvent>
}

/**
 * Start an outgoing dialog with a known client (DLG-13): a new dialog stream and the client's
 * `ClientDialogStarted`, appended together, with the operator's first message decided on the
 * new dialog.
 */
export const makeOutgoingDialog = (ports: EnginePorts, projection: MessageProjection, outbound: Outbound) => {
  const { eventStore, configStore, ids, handler } = ports
  return (actor: Actor, params: { readonly clientId: ClientId; readonly channelId: ChannelId; readonly input: MessageInput }) =>
    handler.run(Effect.gen(function* () {
      if (actor._tag !== "User") return yield* Effect.fail(new Dialog.DialogRejected({ dialogId: DialogId.make("new"), reason: "Forbidden", message: "Only an operator starts outgoing dialogs" }))
      const at = yield* Clock.currentTimeMillis
      const settings = yield* configStore.getSettings()
      const channel = yield* channelOf(configStore, params.channelId)
      const client = yield* loadClient(eventStore, params.clientId)
      if (!client.state.identities.some((identity) => identity.channelId === channel.id)) {
        return yield* Effect.fail(new NotFound({ entity: "channel", id: `${params.clientId} has no identity in ${channel.id}` }))
      }
      const currentId = client.state.dialogs[channel.id]
      const current = currentId === undefined ? Option.none() : yield* eventStore.loadDialog(currentId)
      if (Option.isSome(current) && !current.value.state.deleted && current.value.state.status !== "closed") {
        return yield* Effect.fail(new Dialog.DialogRejected({ dialogId: current.value.state.id, reason: "AlreadyTaken", message: "The client already has an open dialog in this channel" }))
      }
      const dialogId = DialogId.make(yield* ids.next("dlg"))
      const opened = openDialog({ dialogId, clientId: client.state.id, channelId: channel.id, queueId: channel.queueId, priority: 0, botId: Option.none(), startedBy: Option.some(actor.id), at })
      const base = evolveDialog(initialDialog(dialogId, channel.id, channel.queueId), opened)
      const sent = yield* decideDialog(base, new Dialog.SendMessage({ dialogId, input: params.input, internal: false }), {
        now: at,
        actor,
        settings,
        client: { blocked: client.state.blocked, language: client.state.profile.language },
        channel: { ...channelFacts(ports.limits, channel), editMessages: true, deleteMessages: true },
        nameOf: namesFor(actor, Option.none())
      })
      const finished = finishDialog(base, sent, at, settings)
      const events = [opened, ...finished.events]
      const started = new Client.ClientDialogStarted({ clientId: client.state.id, channelId: channel.id, dialogId, at }, trusted)
      return {
        commit: {
          streams: [
            { kind: "client", id: client.state.id, expectedVersion: client.version, events: [started], state: Client.evolve(client.state, started) },
            { kind: "dialog", id: dialogId, expectedVersion: 0, events, state: finished.state }
          ],
          messages: yield* projection.projectMessages(dialogId, events),
          timers: finished.timers,
          outbox: outboxOf(events, channel, recipientOf(Option.some(client), channel.id))
        },
        then: (appended: Appended) => {
          const stored = appended._tag === "Committed" ? appended.events : []
          return Effect.as(outbound(stored), { dialogId, events: stored } satisfies Opened)
        }
      }
    })).pipe(Effect.withSpan("Engine.openOutgoing"))
}
