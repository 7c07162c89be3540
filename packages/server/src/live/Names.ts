import { Context, Effect, Layer, Option } from "effect"
import { ConfigStore, EventStore, type Operator, type Settings, type UserId } from "@switchboard/core"
import { type Directory, directoryOf } from "../panel/Directory.js"

/** The server's directory of names (`Names`). */
export interface NamesService {
  /**
   * The directory: operators from memory (read once, then kept current by `operatorChanged`), the
   * channels and tag catalog from one read of the configuration (its changes publish no events, so
   * it is read per use; the directory built from it is reused while its version stands).
   */
  readonly directory: Effect.Effect<Directory>
  /** The directory and the company settings from the same single read of the configuration (the live hub's per batch). */
  readonly current: Effect.Effect<{ readonly directory: Directory; readonly settings: Settings.Settings }>
  /** An operator's events were published: read that one operator again. */
  readonly operatorChanged: (id: UserId) => Effect.Effect<Option.Option<Operator.OperatorState>>
}

/**
 * The operator directory a server keeps in memory: before it, every list request and every live
 * bubble decoded the whole operator list. The live hub (`LiveHub`) tells it of every operator
 * event the bus brings, on every server, so names and roles stay current.
 */
export class Names extends Context.Tag("@switchboard/server/Names")<Names, NamesService>() {
  static readonly layer: Layer.Layer<Names, never, EventStore | ConfigStore> = Layer.effect(
    Names,
    Effect.gen(function* () {
      const eventStore = yield* EventStore
      const configStore = yield* ConfigStore
      let operators: Map<string, Operator.OperatorState> | undefined
      // Moves with every change of `operators`; with the configuration's version it names a built directory.
      let generation = 0
      let built: { readonly key: string; readonly directory: Directory } | undefined
      const lock = yield* Effect.makeSemaphore(1)
      const loaded = lock.withPermits(1)(
        Effect.suspend(() =>
          operators !== undefined
            ? Effect.succeed(operators)
            : Effect.map(eventStore.listOperators(), (list) => {
              operators = new Map(list.map((entry) => [entry.state.id as string, entry.state]))
              generation++
              return operators
            })
        )
      )
      const current = Effect.gen(function* () {
        const known = yield* loaded
        const config = yield* configStore.config()
        const key = `${generation}/${config.version}`
        if (built?.key !== key) built = { key, directory: directoryOf([...known.values()], config) }
        return { directory: built.directory, settings: config.settings }
      })
      return {
        directory: Effect.map(current, (found) => found.directory),
        current,
        operatorChanged: (id) =>
          Effect.map(eventStore.loadOperator(id), (found) => {
            const state = Option.map(found, (entry) => entry.state)
            if (operators !== undefined) {
              if (Option.isSome(state)) operators.set(id, state.value)
              else operators.delete(id)
              generation++
            }
            return state
          })
      } satisfies NamesService
    })
  )
}
