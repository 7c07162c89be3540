import { Effect, type Either, Schedule } from "effect"
import type { EventBusService } from "../ports/EventBus.js"
import type { Commit, DeliveredMessage, FirstContact, InboundAddress, EventStoreService, StoredEvent, StreamWrite, Unseen, Versioned } from "../ports/Store.js"
import type { VersionConflict } from "../shared/Errors.js"
import type { StateCache } from "./StateCache.js"

/**
 * How a command retries after a `VersionConflict`: the first retries at once (two commands of one
 * server raced: the fresh read settles it), then with jittered exponential backoff so servers
 * contending for one stream spread out; nine attempts in all.
 */
export const conflictRetries = Schedule.union(
  Schedule.recurs(3),
  Schedule.exponential("5 millis").pipe(Schedule.jittered)
).pipe(Schedule.intersect(Schedule.recurs(8)))

/** Retry `effect` on `VersionConflict` only (by `conflictRetries`); every other failure passes through. */
export const retryConflicts = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.retry(effect, { schedule: conflictRetries, while: (error) => error._tag === "VersionConflict" })

/**
 * How a decision's batch is appended: plainly, as a new client's first contact (only if the
 * address is still free, `EventStore.commitFirstContact`), or as a client message the dialog cannot
 * vouch for (only if not stored yet, `EventStore.commitUnseen`).
 */
export type Append =
  | { readonly _tag: "Append" }
  | { readonly _tag: "FirstContact"; readonly address: InboundAddress }
  | { readonly _tag: "Unseen"; readonly message: DeliveredMessage }

/** What appending did: the stored events (`Committed`), or, for the checked appends, why nothing was written. */
export type Appended = FirstContact | Unseen

/** A command's decision: the batch to append and what the command returns once it is stored and published. */
export interface Decision<A, E = never, R = never> {
  readonly commit: Commit
  /** Default: a plain append. */
  readonly append?: Append
  /** Side effects after publishing (delivery, bot hand-offs) and the command's result. */
  readonly then: (appended: Appended) => Effect.Effect<A, E, R>
}

/** A batch that writes nothing: the handler appends nothing and publishes nothing. */
export const nothing: Commit = { streams: [], messages: [], timers: [] }

/** The stream kinds the store keeps. */
export type StreamKind = StreamWrite["kind"]

/** The write of one stream of kind `K`. */
export type WriteOf<K extends StreamKind> = Extract<StreamWrite, { readonly kind: K }>

/**
 * One aggregate's decider as the handler runs it: its stream, a pure `decide` and a total
 * `evolve`. Tickets and QA evaluations add one of these and a stream kind, not another handler.
 */
export interface Decider<K extends StreamKind, C, Ctx, Rejection> {
  /** The write of the aggregate's stream (its kind) with these events at `expectedVersion`. */
  readonly write: (id: WriteOf<K>["id"], expectedVersion: number, events: ReadonlyArray<WriteOf<K>["events"][number]>, state: WriteOf<K>["state"]) => WriteOf<K>
  readonly decide: (state: WriteOf<K>["state"], command: C, ctx: Ctx) => Either.Either<ReadonlyArray<WriteOf<K>["events"][number]>, Rejection>
  readonly evolve: (state: WriteOf<K>["state"], event: WriteOf<K>["events"][number]) => WriteOf<K>["state"]
}

/** What a command loaded: its stream at the version it was read, and what `decide` needs besides. */
export interface Loaded<K extends StreamKind, Ctx> {
  readonly id: WriteOf<K>["id"]
  readonly current: Versioned<WriteOf<K>["state"]>
  readonly ctx: Ctx
}

/** A command over one aggregate: how to load it and, optionally, what its events write besides their stream. */
export interface CommandSpec<K extends StreamKind, C, Ctx, Rejection, L extends Loaded<K, Ctx>, E, R> {
  readonly decider: Decider<K, C, Ctx, Rejection>
  readonly load: (command: C) => Effect.Effect<L, E, R>
  /**
   * The batch for the decided events (`write` is the stream's own write): derived events, other
   * streams, projections, timers. Default: the stream's write alone.
   */
  readonly project?: (loaded: L, write: WriteOf<K>) => Effect.Effect<Commit, E, R>
  /** Side effects once the events are stored and published. */
  readonly after?: (loaded: L, stored: ReadonlyArray<StoredEvent>) => Effect.Effect<void, never, R>
}

/**
 * The one command handler (STYLE.md, "One path per rule"): load → decide → append with the
 * expected versions → publish, retrying conflicts. Every append goes through it, so the engine's
 * `StateCache` follows what this engine commits: a success remembers the written streams, a
 * conflict forgets everything the batch relied on and the retry reads it fresh.
 */
export const makeCommandHandler = (eventStore: EventStoreService, bus: EventBusService, cache: StateCache) => {
  const append = (how: Append, batch: Commit): Effect.Effect<Appended, VersionConflict> => {
    switch (how._tag) {
      case "Append":
        if (batch.streams.length === 0 && batch.messages.length === 0 && batch.timers.length === 0 && (batch.outbox ?? []).length === 0) {
          return Effect.succeed({ _tag: "Committed", events: [] })
        }
        return Effect.tapBoth(eventStore.commit(batch), {
          onFailure: () => Effect.sync(() => cache.conflicted(batch)),
          onSuccess: () => Effect.sync(() => cache.committed(batch))
        }).pipe(Effect.map((events): Appended => ({ _tag: "Committed", events })))
      case "FirstContact":
        return Effect.tapBoth(eventStore.commitFirstContact(how.address, batch), {
          onFailure: () => Effect.sync(() => cache.conflicted(batch)),
          onSuccess: (outcome) =>
            Effect.sync(() => {
              if (outcome._tag === "Committed") cache.committed(batch)
              else cache.rememberTarget(outcome.target)
            })
        })
      case "Unseen":
        return Effect.tapBoth(eventStore.commitUnseen(how.message, batch), {
          onFailure: () => Effect.sync(() => cache.conflicted(batch)),
          onSuccess: (outcome) => Effect.sync(() => outcome._tag === "Committed" && cache.committed(batch))
        })
    }
  }

  /** One attempt of a decided command, without retries: append, publish, then its `then`. */
  const attempt = <A, E, R, E2, R2>(decided: Effect.Effect<Decision<A, E2, R2>, E, R>): Effect.Effect<A, E | E2 | VersionConflict, R | R2> =>
    Effect.gen(function* () {
      const decision = yield* decided
      const appended = yield* append(decision.append ?? { _tag: "Append" }, decision.commit)
      if (appended._tag === "Committed" && appended.events.length > 0) yield* bus.publish(appended.events)
      return yield* decision.then(appended)
    })

  /** Run a decided command, retrying the whole of it (loads included) on `VersionConflict`. */
  const run = <A, E extends { readonly _tag: string }, R, E2 extends { readonly _tag: string }, R2>(decided: Effect.Effect<Decision<A, E2, R2>, E, R>) =>
    retryConflicts(attempt(decided))

  /** A command over one aggregate described by `spec`: returns the stored events (none when `decide` decided nothing). */
  const command = <K extends StreamKind, C, Ctx, Rejection extends { readonly _tag: string }, L extends Loaded<K, Ctx>, E extends { readonly _tag: string }, R>(
    spec: CommandSpec<K, C, Ctx, Rejection, L, E, R>
  ) =>
  (input: C): Effect.Effect<ReadonlyArray<StoredEvent>, Rejection | E | VersionConflict, R> =>
    run(Effect.gen(function* () {
      const loaded = yield* spec.load(input)
      const events = yield* spec.decider.decide(loaded.current.state, input, loaded.ctx)
      if (events.length === 0) return { commit: nothing, then: () => Effect.succeed<ReadonlyArray<StoredEvent>>([]) }
      const state = events.reduce(spec.decider.evolve, loaded.current.state)
      const write = spec.decider.write(loaded.id, loaded.current.version, events, state)
      const commit = spec.project === undefined ? { streams: [write], messages: [], timers: [] } : yield* spec.project(loaded, write)
      const after = spec.after
      return {
        commit,
        then: (appended: Appended) => {
          const stored = appended._tag === "Committed" ? appended.events : []
          return after === undefined ? Effect.succeed(stored) : Effect.as(after(loaded, stored), stored)
        }
      }
    }))

  return { append, attempt, run, command } as const
}

/** The command handler an engine runs on (`makeCommandHandler`). */
export type CommandHandler = ReturnType<typeof makeCommandHandler>
