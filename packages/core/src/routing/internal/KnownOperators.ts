import { Effect, Option } from "effect"
import * as Operator from "../../operators/Operator.js"
import type { EventStoreService } from "../../ports/EventStore.js"
import type { StoredEvent, Versioned } from "../../ports/Store.js"
import type { UserId } from "../../shared/Ids.js"

/**
 * The operators as a router that follows the event bus knows them: read whole once, then each
 * operator event the bus brings folded onto its operator (`Operator.evolve`, the same fold every
 * operator write stores), so a routing pass decodes no operator. Before it, every pass (and the
 * sweep before it) decoded the whole operator list: at 1,000 operators and 5 new dialogs a second
 * that was most of the server's Schema work (`bench/panel/results.md`, "operator directory").
 *
 * An event the cache already holds (its version is not past the cached one) changes nothing; one
 * that skips a version is answered by reading that operator again from the store. Staleness is bounded by the bus's delivery: a pass planned on an operator that
 * changed meanwhile loses its decision at the engine's commit (which loads the operator afresh),
 * and the operator's event triggers the next pass after it has been folded in here.
 */
export interface KnownOperators {
  /** Every operator, in id order (as `EventStore.listOperators` answers). */
  readonly all: () => ReadonlyArray<Versioned<Operator.OperatorState>>
  /** Fold one event from the bus in (events of other streams are ignored). */
  readonly apply: (stored: StoredEvent) => Effect.Effect<void>
  /**
   * Read every operator again (the router's safety tick: a state written without an event, by hand
   * or by another tool, is seen within a tick, as before); an operator folded meanwhile to a newer
   * version keeps the newer state.
   */
  readonly refresh: Effect.Effect<void>
}

const prefix = "operator:"

/** Read every operator once and answer a `KnownOperators` over them. */
export const make = (eventStore: EventStoreService): Effect.Effect<KnownOperators> =>
  Effect.map(eventStore.listOperators(), (list) => {
    const known = new Map<string, Versioned<Operator.OperatorState>>(list.map((entry) => [entry.state.id, entry]))
    let sorted: ReadonlyArray<Versioned<Operator.OperatorState>> | undefined = list
    const put = (id: string, entry: Option.Option<Versioned<Operator.OperatorState>>) => {
      if (Option.isSome(entry)) known.set(id, entry.value)
      else known.delete(id)
      sorted = undefined
    }
    return {
      refresh: Effect.map(eventStore.listOperators(), (fresh) => {
        for (const entry of fresh) {
          const cached = known.get(entry.state.id)
          if (cached === undefined || cached.version <= entry.version) known.set(entry.state.id, entry)
        }
        sorted = undefined
      }),
      all: () => (sorted ??= [...known.values()].sort((a, b) => (a.state.id < b.state.id ? -1 : a.state.id > b.state.id ? 1 : 0))),
      apply: (stored) =>
        Effect.suspend(() => {
          if (!stored.streamId.startsWith(prefix)) return Effect.void
          const id = stored.streamId.slice(prefix.length)
          const cached = known.get(id)
          const version = cached?.version ?? 0
          if (stored.version <= version) return Effect.void
          if (stored.version === version + 1) {
            const state = cached?.state ?? Operator.initial(id as UserId)
            put(id, Option.some({ version: stored.version, state: Operator.evolve(state, stored.event as Operator.OperatorEvent) }))
            return Effect.void
          }
          return Effect.map(eventStore.loadOperator(id as UserId), (found) => put(id, found))
        })
    }
  })
