import { Clock, Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import * as Operator from "../operators/Operator.js"
import type { Decider } from "./CommandHandler.js"
import type { EnginePorts } from "./EnginePorts.js"

/** The operator aggregate as the command handler runs it (a stream that does not exist yet starts from `initial`). */
export const operatorDecider: Decider<"operator", Operator.OperatorCommand, Operator.OperatorContext, Operator.OperatorRejected> = {
  write: (id, expectedVersion, events, state) => ({ kind: "operator", id, expectedVersion, events, state }),
  decide: Operator.decide,
  evolve: Operator.evolve
}

/** Operator commands: register, role, status (presence for routing), routing profile. */
export const makeOperatorCommands = ({ eventStore, configStore, handler }: EnginePorts) => {
  const load = (actor: Actor) => (command: Operator.OperatorCommand) =>
    Effect.gen(function* () {
      const found = yield* eventStore.loadOperator(command.userId)
      const current = Option.getOrElse(found, () => ({ version: 0, state: Operator.initial(command.userId) }))
      const settings = yield* configStore.getSettings()
      return { id: command.userId, current, ctx: { now: yield* Clock.currentTimeMillis, actor, settings, statuses: settings.operatorStatuses } }
    })

  /** Execute an operator command on behalf of `actor`. */
  const operator = (actor: Actor, command: Operator.OperatorCommand) => handler.command({ decider: operatorDecider, load: load(actor) })(command).pipe(Effect.withSpan("Engine.operator", { attributes: { command: command._tag } }))

  return { operator } as const
}
