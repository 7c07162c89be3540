import { Context, Effect, Layer, TestClock } from "effect"
import { defaults, Settings } from "../settings/Settings.js"
import { UserActor } from "../access/Access.js"
import { Channel } from "../channels/Channel.js"
import { Engine, InboundMessage } from "../engine/Engine.js"
import { MessageInput } from "../messages/Message.js"
import { RegisterOperator, SetRouting, SetStatus } from "../operators/Operator.js"
import type { EventBus } from "../ports/EventBus.js"
import type { Ids } from "../ports/Ids.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import type { StorePorts } from "../ports/Store.js"
import { ChannelId, UserId } from "../shared/Ids.js"
import * as SlaClock from "../sla/SlaClock.js"
import * as MemoryEventBus from "./MemoryEventBus.js"
import * as SequentialIds from "./SequentialIds.js"

/** 2026-03-02 09:00 UTC, a Monday: tests start here. */
export const monday = Date.UTC(2026, 2, 2, 9, 0)

/** The company owner: every permission. */
export const owner = new UserActor({ id: UserId.make("owner"), name: "Olha", role: "owner" })
/** A supervisor: sees and reassigns every dialog, may not delete. */
export const supervisor = new UserActor({ id: UserId.make("sue"), name: "Sue", role: "supervisor" })
/** An operator (one of two, for who-holds-what tests). */
export const anna = new UserActor({ id: UserId.make("anna"), name: "Anna", role: "operator" })
/** A second operator. */
export const boris = new UserActor({ id: UserId.make("boris"), name: "Boris", role: "operator" })

/** A Telegram channel (`tg`). */
export const telegram = Channel.make({ id: ChannelId.make("tg"), kind: "telegram", name: "Telegram" })
/** A website widget channel (`web`). */
export const widget = Channel.make({ id: ChannelId.make("web"), kind: "widget", name: "Website" })

/**
 * The engine over a given store, with an in-process bus and sequential ids (and SLA tracking when
 * given settings). A test may wrap the store (`wrapStore`) and every port sees the wrapper.
 */
export const engineLayer = <E, R>(store: Layer.Layer<StorePorts, E, R>, sla?: SlaClock.SlaSettings): Layer.Layer<Engine | StorePorts | EventBus | Ids, E, R> =>
  Engine.Default.pipe(
    Layer.provideMerge(
      Layer.mergeAll(
        sla === undefined
          ? store
          : Layer.tap(store, (context) => Context.get(context, ConfigStore).saveSettings(Settings.make({ ...defaults, sla }))),
        MemoryEventBus.layer,
        SequentialIds.layer
      )
    )
  )

/** `store` with these company settings saved over the defaults (routing configuration, SLA…). */
export const storeWithSettings = <E, R>(store: Layer.Layer<StorePorts, E, R>, settings: Partial<ConstructorParameters<typeof Settings>[0]>): Layer.Layer<StorePorts, E, R> =>
  Layer.tap(store, (context) => Context.get(context, ConfigStore).saveSettings(Settings.make({ ...defaults, ...settings })))

/** Channels `tg` and `web`, and operators Anna and Boris online with capacity 3 on both, time set to `monday`. */
export const seed = Effect.gen(function* () {
  const config = yield* ConfigStore
  const engine = yield* Engine
  yield* TestClock.setTime(monday)
  yield* config.putChannel(telegram)
  yield* config.putChannel(widget)
  for (const user of [anna, boris, supervisor]) {
    yield* engine.operator(owner, new RegisterOperator({ userId: user.id, name: user.name, role: user.role }))
    yield* engine.operator(owner, new SetStatus({ userId: user.id, statusId: "online" }))
    yield* engine.operator(owner, new SetRouting({ userId: user.id, capacity: { telegram: 3, widget: 3 }, skills: [], queues: [] }))
  }
})

/** A client message through the engine's inbound path. */
export const inbound = (from: string, text: string, extra: Partial<{ channelId: string; externalId: string; payload: string; name: string }> = {}) =>
  InboundMessage.make({
    channelId: ChannelId.make(extra.channelId ?? "tg"),
    from,
    profile: extra.name === undefined ? {} : { name: extra.name },
    message: MessageInput.make({ text }),
    ...(extra.externalId === undefined ? {} : { externalId: extra.externalId }),
    ...(extra.payload === undefined ? {} : { payload: extra.payload })
  })

/** A plain text message input. */
export const text = (value: string) => MessageInput.make({ text: value })
