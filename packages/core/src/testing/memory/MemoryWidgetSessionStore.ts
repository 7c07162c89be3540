import { Effect, Layer, Option } from "effect"
import type { SessionKey } from "../../ports/AccountStore.js"
import { type WidgetSession, WidgetSessionStore, type WidgetSessionStoreService, type WidgetSettings } from "../../ports/WidgetSessionStore.js"
import type { ChannelId } from "../../shared/Ids.js"

/** An in-memory `WidgetSessionStore` (passes `widgetSessionStoreContract`): tests and the in-memory demo. */
export const make = (): WidgetSessionStoreService => makeOver(emptyState())

/** Everything the in-memory widget session store holds. Records are replaced, never changed in place. */
export interface State {
  readonly sessions: Map<SessionKey, WidgetSession>
  readonly settings: Map<ChannelId, WidgetSettings>
}

/** No widget sessions or settings. */
export const emptyState = (): State => ({ sessions: new Map(), settings: new Map() })

/** A copy of `state` that shares nothing mutable with it: writes to one never show in the other. */
export const copyState = (state: State): State => ({ sessions: new Map(state.sessions), settings: new Map(state.settings) })

/** The in-memory widget session store over a given `State` (which it reads and writes in place). */
export const makeOver = (state: State): WidgetSessionStoreService => {
  const { sessions, settings } = state
  return {
    create: (session) =>
      Effect.sync(() => {
        if (sessions.has(session.key)) return false
        sessions.set(session.key, session)
        return true
      }),
    find: (key) => Effect.sync(() => Option.fromNullable(sessions.get(key))),
    save: (session) =>
      Effect.sync(() => {
        const stored = sessions.get(session.key)
        if (stored !== undefined) sessions.set(session.key, { ...session, channelId: stored.channelId, createdAt: stored.createdAt })
      }),
    settings: (channelId) => Effect.sync(() => Option.fromNullable(settings.get(channelId))),
    saveSettings: (value) => Effect.sync(() => void settings.set(value.channelId, value))
  }
}

/** A fresh in-memory `WidgetSessionStore` per layer build. */
export const layer: Layer.Layer<WidgetSessionStore> = Layer.sync(WidgetSessionStore, make)

/** The widget session store over `state` for every build of the layer (seed once, give each case a `copyState`). */
export const layerOver = (state: State): Layer.Layer<WidgetSessionStore> => Layer.sync(WidgetSessionStore, () => makeOver(state))
