import { Effect, type Layer } from "effect"
import type { Engine } from "../../engine/Engine.js"
import type { DialogRow, Viewer } from "../../ports/DialogListStore.js"
import type { Page } from "../../ports/Page.js"
import type { StorePorts } from "../../ports/Store.js"
import type * as SlaClock from "../../sla/SlaClock.js"
import { engineLayer, seed } from "../fixtures.js"

/** Builds an empty store: every storage port (`storeLayer`). */
export type StoreLayer = () => Layer.Layer<StorePorts, unknown>

/** A user as the dialog list sees them. */
export const viewerOf = (actor: { readonly id: Viewer["userId"] }, seesAll = false): Viewer => ({ userId: actor.id, seesAll })

/** The dialog ids of a page, in order. */
export const ids = (page: Page<DialogRow>): Array<string> => page.items.map((row) => row.dialogId as string)

/** Runs a test body on a freshly built store, seeded (`fixtures.seed`), with the engine over it. */
export const runner = (makeStore: StoreLayer) =>
<A, E>(body: Effect.Effect<A, E, Engine | StorePorts>, sla?: SlaClock.SlaSettings) =>
  Effect.scoped(Effect.provide(Effect.zipRight(seed, body), engineLayer(makeStore(), sla)))
