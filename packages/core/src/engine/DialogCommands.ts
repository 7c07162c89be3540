import { Clock, Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import type { Channel } from "../channels/Channel.js"
import * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { decide as decideDialog } from "../dialogs/decide.js"
import { evolve as evolveDialog } from "../dialogs/evolve.js"
import type * as Operator from "../operators/Operator.js"
import type { StoredEvent, StreamWrite, Versioned } from "../ports/Store.js"
import type { Settings } from "../settings/Settings.js"
import type { NotFound, VersionConflict } from "../shared/Errors.js"
import type { Decider, Loaded } from "./CommandHandler.js"
import { channelFacts, channelOf, currentClient, type EnginePorts, loadDialog, trusted } from "./EnginePorts.js"
import type { MessageProjection } from "./MessageProjection.js"
import { makeOperatorLoad, reserveLoad, targetOf } from "./OperatorLoad.js"
import { namesFor, type Outbound, outboxOf, recipientOf } from "./Outbound.js"
import { finishDialog } from "./Timers.js"

/** What a dialog command can fail with. */
export type DialogError = Dialog.DialogRejected | NotFound | VersionConflict

/** The dialog aggregate as the command handler runs it. */
export const dialogDecider: Decider<"dialog", Dialog.DialogCommand, Dialog.DecideContext, Dialog.DialogRejected> = {
  write: (id, expectedVersion, events, state) => ({ kind: "dialog", id, expectedVersion, events, state }),
  decide: decideDialog,
  evolve: evolveDialog
}

/** What a dialog command loads besides the dialog: the facts its side writes and delivery need. */
interface DialogLoaded extends Loaded<"dialog", Dialog.DecideContext> {
  readonly at: number
  readonly settings: Settings
  readonly channel: Channel
  readonly client: Option.Option<Versioned<Client.ClientState>>
  readonly operator: Option.Option<Versioned<Operator.OperatorState>>
}

/**
 * Dialog commands on behalf of an actor: load the dialog with the facts `decide` needs (its
 * channel, client, target operator's load, the message referred to), decide, then complete the
 * write with the SLA review and timers, the operator streams routing touches, a detached client,
 * and the message projection; after publishing, deliver what goes out.
 */
export const makeDialogCommands = (ports: EnginePorts, projection: MessageProjection, outbound: Outbound) => {
  const { eventStore, configStore, handler } = ports
  const operatorLoad = makeOperatorLoad(ports)

  const load = (actor: Actor) => (command: Dialog.DialogCommand) =>
    Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      // Independent reads run side by side: on a connection pool that is one round trip each, not five in a row.
      const targetId = targetOf(command, actor)
      const { settings, dialog, operator } = yield* Effect.all({
        settings: configStore.getSettings(),
        dialog: loadDialog(eventStore, command.dialogId),
        operator: targetId === undefined ? Effect.succeed(Option.none<Versioned<Operator.OperatorState>>()) : eventStore.loadOperator(targetId)
      }, { concurrency: "unbounded" })
      const { channel, client } = yield* Effect.all({
        channel: channelOf(configStore, dialog.state.channelId),
        client: Option.isSome(dialog.state.clientId) ? currentClient(eventStore, dialog.state.clientId.value) : Effect.succeed(Option.none<Versioned<Client.ClientState>>())
      }, { concurrency: "unbounded" })
      const target = Option.isNone(operator) ? undefined : yield* operatorLoad.loadFacts(command, operator.value.state, channel, dialog, settings, at)
      const message = yield* projection.referencedMessage(dialog.state.id, command)
      const ctx: Dialog.DecideContext = {
        now: at,
        message,
        actor,
        settings,
        client: Option.match(client, {
          onNone: () => undefined,
          onSome: (found) => ({ blocked: found.state.blocked, language: found.state.profile.language })
        }),
        channel: channelFacts(ports.limits, channel),
        nameOf: namesFor(actor, operator),
        target
      }
      return { id: dialog.state.id, current: dialog, ctx, at, settings, channel, client, operator } satisfies DialogLoaded
    })

  const project = (loaded: DialogLoaded, write: Extract<StreamWrite, { kind: "dialog" }>) =>
    Effect.gen(function* () {
      const { at, settings, channel, client, operator } = loaded
      const dialog = loaded.current
      const { events, state, timers } = finishDialog(dialog.state, write.events, at, settings)
      const writes: Array<StreamWrite> = [{ ...write, events, state }]
      writes.push(...reserveLoad(events, dialog.state.id, channel, at, operator))
      writes.push(...(yield* operatorLoad.recordMiss(events, dialog.state.id, at, settings)))
      const detached = events.find((event) => event._tag === "ClientDetached")
      if (detached !== undefined && Option.isSome(client)) {
        const event = new Client.ClientDialogDetached({ clientId: client.value.state.id, channelId: channel.id, dialogId: dialog.state.id, at }, trusted)
        writes.push({ kind: "client", id: client.value.state.id, expectedVersion: client.value.version, events: [event], state: Client.evolve(client.value.state, event) })
      }
      // A dialog that has (still) its client after these events answers it in the channel.
      const attached = Option.isSome(dialog.state.clientId) && detached === undefined
      return {
        streams: writes,
        messages: yield* projection.projectMessages(dialog.state.id, events),
        timers,
        outbox: outboxOf(events, channel, attached ? recipientOf(client, channel.id) : Option.none())
      }
    })

  const after = (_loaded: DialogLoaded, stored: ReadonlyArray<StoredEvent>) => outbound(stored)

  /** Execute one dialog command on behalf of `actor`. */
  const execute = (actor: Actor, command: Dialog.DialogCommand): Effect.Effect<ReadonlyArray<StoredEvent>, DialogError> =>
    handler.command({ decider: dialogDecider, load: load(actor), project, after })(command).pipe(
      Effect.withSpan("Engine.execute", { attributes: { command: command._tag } })
    )

  return { execute } as const
}
