import { Clock, Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import { can } from "../access/Access.js"
import * as Client from "../clients/Client.js"
import { canView } from "../dialogs/decide.js"
import type { Settings } from "../settings/Settings.js"
import type { DialogId } from "../shared/Ids.js"
import type { Decider } from "./CommandHandler.js"
import { type EnginePorts, loadClient } from "./EnginePorts.js"

/**
 * Whether the actor may see a dialog of the client: `via` if the command names one (it must be
 * the client's), else one of the client's latest dialogs. Staff who see every dialog reach every
 * client without a read. The client card (`Queries.client`) and every client command ask this.
 */
export const reachesClient = (eventStore: EnginePorts["eventStore"], actor: Actor, client: Client.ClientState, via: DialogId | undefined, settings: Settings) =>
  Effect.gen(function* () {
    if (actor._tag === "System" || can(actor, "dialogs.viewAll", settings)) return true
    for (const id of via === undefined ? Object.values(client.dialogs) : [via]) {
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

  return { client } as const
}
