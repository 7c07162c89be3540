import { Effect, Layer } from "effect"
import { Ids } from "../ports/Ids.js"

/** Predictable ids for tests and examples: `dlg_1`, `cli_1`, `dlg_2`… */
export const layer: Layer.Layer<Ids> = Layer.sync(Ids, () => {
  const counters = new Map<string, number>()
  return {
    next: (prefix) =>
      Effect.sync(() => {
        const next = (counters.get(prefix) ?? 0) + 1
        counters.set(prefix, next)
        return `${prefix}_${next}`
      })
  }
})
