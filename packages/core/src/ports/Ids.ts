import { Context, type Effect } from "effect"

/** Makes new ids; core never calls `crypto.randomUUID()` itself. Tests use sequential ids. */
export interface IdsService {
  /** A new unique id with a readable prefix, e.g. `dlg_…`. */
  readonly next: (prefix: string) => Effect.Effect<string>
}

/** The `Ids` port's tag: how the engine makes new ids (random in production, sequential in tests). */
export class Ids extends Context.Tag("@switchboard/core/Ids")<Ids, IdsService>() {}
