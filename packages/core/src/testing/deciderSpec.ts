import { Either } from "effect"

/**
 * Given / when / then for deciders (emmett's style):
 * `spec.given(events).when(command).then(expectedEvents)` or `.thenRejects(reason)`.
 * Assertions throw plain errors so it works with any test runner.
 */
export const deciderSpec = <S, C, E, R extends { readonly reason: string }, Ctx>(decider: {
  readonly initial: () => S
  readonly evolve: (state: S, event: E) => S
  readonly decide: (state: S, command: C, ctx: Ctx) => Either.Either<ReadonlyArray<E>, R>
  /** What the shell would read besides the state (projections), derived from the given events. */
  readonly enrich?: (events: ReadonlyArray<E>, command: C, ctx: Ctx) => Ctx
}) => ({
  /** The aggregate's history: the state is these events folded over `initial()`. */
  given: (events: ReadonlyArray<E>) => ({
    /**
     * The command decided against that state, with the shell's context (enriched from the events when the
     * decider says how).
     */
    when: (command: C, ctx: Ctx) => {
      const state = events.reduce(decider.evolve, decider.initial())
      const result = decider.decide(state, command, decider.enrich === undefined ? ctx : decider.enrich(events, command, ctx))
      return {
        result,
        state,
        /** The events decided, for finer assertions. */
        events: (): ReadonlyArray<E> => {
          if (Either.isLeft(result)) throw new Error(`expected events, got rejection ${result.left.reason}`)
          return result.right
        },
        /** Assert on the decided events and the state they fold into; fails on a rejection. */
        then: (check: (events: ReadonlyArray<E>, after: S) => void) => {
          if (Either.isLeft(result)) throw new Error(`expected events, got rejection ${result.left.reason}`)
          check(result.right, result.right.reduce(decider.evolve, state))
        },
        /** Assert that the command is rejected with `reason`; fails on events or another reason. */
        thenRejects: (reason: R["reason"]) => {
          if (Either.isRight(result)) throw new Error(`expected rejection ${reason}, got ${result.right.length} event(s)`)
          if (result.left.reason !== reason) throw new Error(`expected rejection ${reason}, got ${result.left.reason}`)
        }
      }
    }
  })
})
