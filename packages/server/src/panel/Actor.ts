import { Effect, Option } from "effect"
import { Access, EventStore, type UserId } from "@switchboard/core"

/** The signed-in user as an engine actor, if they exist and are active. */
export const actorOf = (userId: string) =>
  Effect.gen(function* () {
    const eventStore = yield* EventStore
    const found = yield* eventStore.loadOperator(userId as UserId)
    return Option.flatMap(found, ({ state }) =>
      state.active ? Option.some(new Access.UserActor({ id: state.id, name: state.name, role: state.role, permissions: state.permissions })) : Option.none()
    )
  })
