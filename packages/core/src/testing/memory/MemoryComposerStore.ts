import { Effect, Layer, Option } from "effect"
import type { ComposerPreferences, QuickReply, QuickReplyId } from "../../composer/QuickReply.js"
import type { PersonalSettings } from "../../composer/PersonalSettings.js"
import { ComposerStore, type ComposerStoreService } from "../../ports/ComposerStore.js"
import type { UserId } from "../../shared/Ids.js"

/** Code-unit order, as the SQL adapter's `COLLATE "C"`. */
const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** An in-memory `ComposerStore` (passes `composerStoreContract`): tests and the in-memory demo. */
export const make = (): ComposerStoreService => makeOver(emptyState())

/** Everything the in-memory composer store holds. Records are replaced, never changed in place. */
export interface State {
  readonly replies: Map<QuickReplyId, QuickReply>
  readonly preferences: Map<UserId, ComposerPreferences>
  readonly personal: Map<UserId, PersonalSettings>
}

/** No quick replies, preferences or personal settings. */
export const emptyState = (): State => ({ replies: new Map(), preferences: new Map(), personal: new Map() })

/** A copy of `state` that shares nothing mutable with it: writes to one never show in the other. */
export const copyState = (state: State): State => ({ replies: new Map(state.replies), preferences: new Map(state.preferences), personal: new Map(state.personal) })

/** The in-memory composer store over a given `State` (which it reads and writes in place). */
export const makeOver = (state: State): ComposerStoreService => {
  const { personal, preferences, replies } = state
  return {
    quickReplies: (userId) =>
      Effect.sync(() =>
        [...replies.values()]
          .filter((reply) => Option.isNone(reply.owner) || Option.contains(reply.owner, userId))
          .sort((a, b) => byCode(a.category, b.category) || byCode(a.title, b.title) || byCode(a.id, b.id))
      ),
    quickReply: (id) => Effect.sync(() => Option.fromNullable(replies.get(id))),
    putQuickReply: (reply) => Effect.sync(() => void replies.set(reply.id, reply)),
    deleteQuickReply: (id) => Effect.sync(() => replies.delete(id)),
    preferences: (userId) => Effect.sync(() => Option.fromNullable(preferences.get(userId))),
    savePreferences: (value) => Effect.sync(() => void preferences.set(value.userId, value)),
    personal: (userId) => Effect.sync(() => Option.fromNullable(personal.get(userId))),
    savePersonal: (value) => Effect.sync(() => void personal.set(value.userId, value))
  }
}

/** A fresh in-memory `ComposerStore` per layer build. */
export const layer: Layer.Layer<ComposerStore> = Layer.sync(ComposerStore, make)

/** The composer store over `state` for every build of the layer (seed once, give each case a `copyState`). */
export const layerOver = (state: State): Layer.Layer<ComposerStore> => Layer.sync(ComposerStore, () => makeOver(state))
