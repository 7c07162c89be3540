import { Clock, Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import { can } from "../access/Access.js"
import * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { canView } from "../dialogs/decide.js"
import { evolve as evolveDialog } from "../dialogs/evolve.js"
import type { StreamWrite } from "../ports/EventStore.js"
import type { Settings } from "../settings/Settings.js"
import type { DialogId } from "../shared/Ids.js"
import type { Decider } from "./CommandHandler.js"
import { type EnginePorts, loadClient, trusted } from "./EnginePorts.js"

/**
 * Whether the actor may see a dialog of the client: `via` if the command names one (it must be
 * the client's), else one of the client's latest dialogs. Staff who see every dialog reach every
 * client without a read. The client card (`Queries.client`) and every client command ask this.
 */
export const reachesClient = (eventStore: EnginePorts["eventStore"], actor: Actor, client: Client.ClientState, via: DialogId | undefined, settings: Settings) =>
  Effect.gen(function* () {
    if (actor._tag === "System" || can(actor, "dialogs.viewAll", settings)) return true
    for (const id of via === undefined ? Client.dialogsOf(client) : [via]) {
      const found = yield* eventStore.loadDialog(id)
      if (Option.isSome(found) && Option.contains(found.value.state.clientId, client.id) && canView(found.value.state, actor, settings)) return true
    }
    return false
  })

/** The client aggregate as the command handler runs it. */
export const clientDecider: Decider<"client", Client.ClientCommand, Client.ClientContext, Client.ClientRejected> = {
  write: (id, expectedVersion, events, state) => ({ kind: "client", id, expectedVersion, events, state }),
  decide: Client.decide,
  evolve: Client.evolve
}

/** The merge (CLI-01) as the command handler runs it: decided on the surviving client, with the other one in its context. */
export const mergeDecider: Decider<"client", Client.MergeClients, Client.MergeContext, Client.ClientRejected> = {
  write: clientDecider.write,
  decide: Client.decideMerge,
  evolve: Client.evolve
}

/** Client commands (profile, tags, block/unblock) by someone who reaches the client through a dialog they may see. */
export const makeClientCommands = ({ eventStore, configStore, handler }: EnginePorts) => {
  const load = (actor: Actor) => (command: Client.ClientCommand) =>
    Effect.gen(function* () {
      const client = yield* loadClient(eventStore, command.clientId)
      const settings = yield* configStore.getSettings()
      const seesClient = yield* reachesClient(eventStore, actor, client.state, command.via, settings)
      // Only a manager change asks who the users are.
      const users = command._tag === "SetClientManager" ? new Set<string>((yield* eventStore.listOperators()).map((operator) => operator.state.id)) : new Set<string>()
      const isUser = (id: string) => users.has(id)
      return { id: client.state.id, current: client, ctx: { now: yield* Clock.currentTimeMillis, actor, settings, seesClient, isUser } }
    })

  /** Execute a client command on behalf of `actor`. */
  const client = (actor: Actor, command: Client.ClientCommand) => handler.command({ decider: clientDecider, load: load(actor) })(command).pipe(Effect.withSpan("Engine.client", { attributes: { command: command._tag } }))

  /**
   * Merge `command.mergedId` into `command.clientId` (CLI-01) through the one command handler: the
   * decision is on the survivor, and the same commit writes the merged client's `ClientMergedInto`
   * and a `DialogClientMerged` on each of its dialogs, every stream at the version it was read.
   * So identities and dialogs move together or not at all, and a message received meanwhile
   * (which writes one of these streams) makes one of the two retry on fresh state.
   */
  const mergeClients = (actor: Actor, command: Client.MergeClients) =>
    handler.command({
      decider: mergeDecider,
      load: (input: Client.MergeClients) =>
        Effect.gen(function* () {
          const into = yield* loadClient(eventStore, input.clientId)
          const merged = input.mergedId === input.clientId ? into : yield* loadClient(eventStore, input.mergedId)
          const settings = yield* configStore.getSettings()
          // The merged client's dialogs that still name it: they move to the survivor.
          const found = yield* Effect.forEach(Client.dialogsOf(merged.state), (id) => eventStore.loadDialog(id))
          const dialogs = found.flatMap((dialog) => (Option.isSome(dialog) && Option.contains(dialog.value.state.clientId, merged.state.id) ? [dialog.value] : []))
          return { id: into.state.id, current: into, ctx: { now: yield* Clock.currentTimeMillis, actor, settings, merged: merged.state }, merged, dialogs }
        }),
      project: (loaded, write) =>
        Effect.sync(() => {
          const { now } = loaded.ctx
          const mergedEvents = Client.mergedIntoEvents(loaded.merged.state, loaded.id, actor, now)
          const by = Client.actorName(actor)
          const streams: Array<StreamWrite> = [
            write,
            clientDecider.write(loaded.merged.state.id, loaded.merged.version, mergedEvents, mergedEvents.reduce(Client.evolve, loaded.merged.state))
          ]
          for (const dialog of loaded.dialogs) {
            const moved = new Dialog.DialogClientMerged({ from: loaded.merged.state.id, into: loaded.id, by, at: now }, trusted)
            streams.push({ kind: "dialog", id: dialog.state.id, expectedVersion: dialog.version, events: [moved], state: evolveDialog(dialog.state, moved) })
          }
          return { streams, messages: [], timers: [] }
        })
    })(command).pipe(Effect.withSpan("Engine.mergeClients"))

  return { client, mergeClients } as const
}
