import { Effect, Option, Schema } from "effect"
import { type Access, EventStore, Operator, UserId } from "@switchboard/core"

/** The signed-in user as an engine actor, if they exist and are active. */
export const actorOf = (userId: string) =>
  Effect.gen(function* () {
    const eventStore = yield* EventStore
    // Not an id at all (a NUL, a 10 MB string): no such user, without asking the store.
    if (!Schema.is(UserId)(userId)) return Option.none()
    const found = yield* eventStore.loadOperator(userId)
    return Option.flatMap(found, ({ state }): Option.Option<Access.UserActor> =>
      state.active ? Option.some(Operator.actorOf(state)) : Option.none()
    )
  })
