import { Ids } from "@switchboard/core"
import { Effect, Layer } from "effect"
import { randomUUID } from "node:crypto"

/**
 * Ids for real deployments: `dlg_` + 32 hex digits from `crypto.randomUUID()`. Unique across
 * any number of servers without coordination (sequential ids are for tests only).
 */
export const layer: Layer.Layer<Ids> = Layer.succeed(Ids, {
  next: (prefix) => Effect.sync(() => `${prefix}_${randomUUID().replaceAll("-", "")}`)
})
