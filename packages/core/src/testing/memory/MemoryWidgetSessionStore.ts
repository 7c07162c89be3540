import { Effect, Layer, Option } from "effect"
import type { SessionKey } from "../../ports/AccountStore.js"
import { type WidgetSession, WidgetSessionStore, type WidgetSessionStoreService, type WidgetSettings } from "../../ports/WidgetSessionStore.js"
import type { ChannelId } from "../../shared/Ids.js"

/** An in-memory `WidgetSessionStore` (passes `widgetSessionStoreContract`): tests and the in-memory demo. */
export const make = (): WidgetSessionStoreService => {
  const sessions = new Map<SessionKey, WidgetSession>()
  const settings = new Map<ChannelId, WidgetSettings>()
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
