import type { Option } from "effect"

/** One keyset page of a list (dialogs, a dialog's history). */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** Present when there may be more. */
  readonly nextCursor: Option.Option<string>
}
