/**
 * Helpers for routing tests on the shipping path: the engine, the router and the scheduler over
 * a store (memory unless told), with the routing configuration saved in the store's settings.
 */
import { Effect, Layer, Option, TestClock } from "effect"
import { type Actor, UserActor } from "../../src/access/Access.js"
import { Engine } from "../../src/engine/Engine.js"
import { Scheduler } from "../../src/engine/Scheduler.js"
import { RegisterOperator, SetRouting, SetStatus } from "../../src/operators/Operator.js"
import { type StorePorts, storeService } from "../../src/ports/Store.js"
import { QueuePolicy, RoutingConfig } from "../../src/routing/Routing.js"
import { Router, type RouterOptions, RoutingSettings } from "../../src/routing/Router.js"
import { type DialogId, TopicId, UserId } from "../../src/shared/Ids.js"
import * as MemoryStore from "../../src/testing/MemoryStore.js"
import { anna, boris, engineLayer, inbound, monday, owner, storeWithSettings, telegram, widget } from "../../src/testing/fixtures.js"

export const carol = new UserActor({ id: UserId.make("carol"), name: "Carol", role: "operator" })
export const operators = [anna, boris, carol]

/** A routing configuration whose default policy offers (30 s) instead of assigning, plus `extra`. */
export const offers = (extra: Partial<ConstructorParameters<typeof QueuePolicy>[0]> = {}) =>
  RoutingConfig.make({
    defaultPolicy: QueuePolicy.make({ delivery: { _tag: "OFFER", timeoutSec: 30, missesBeforeAway: 3 }, ...extra })
  })

/** Router, scheduler and engine over `store`, with `config` saved as `Settings.routing`. */
export const layerFor = (config: RoutingConfig = RoutingConfig.make({}), options: Partial<RouterOptions> = {}, store: Layer.Layer<StorePorts> = MemoryStore.layer) =>
  Layer.mergeAll(Router.Default, Scheduler.Default).pipe(
    Layer.provideMerge(engineLayer(storeWithSettings(store, { routing: config }))),
    Layer.provideMerge(RoutingSettings.layer(options))
  )

/** One operator's routing profile for `given`. */
export interface Staff {
  readonly who: UserActor
  readonly capacity: { readonly telegram?: number; readonly widget?: number }
  readonly skills?: ReadonlyArray<string>
  readonly status?: string
}

/** Channels `tg` and `web`; the given operators registered with capacity per channel kind, online unless told otherwise. */
export const given = (staff: ReadonlyArray<Staff>) =>
  Effect.gen(function* () {
    const store = yield* storeService
    const engine = yield* Engine
    yield* TestClock.setTime(monday)
    yield* store.putChannel(telegram)
    yield* store.putChannel(widget)
    for (const { who, capacity, skills, status } of staff) {
      yield* engine.operator(owner, new RegisterOperator({ userId: who.id, name: who.name, role: who.role }))
      yield* engine.operator(owner, new SetStatus({ userId: who.id, statusId: status ?? "online" }))
      yield* engine.operator(owner, new SetRouting({ userId: who.id, capacity, skills: (skills ?? []).map((t) => TopicId.make(t)), queues: [] }))
    }
  })

/** `n` new clients (named `<prefix>-<channel>-<i>`) write on `channelId`; their dialogs' ids in order of arrival. */
export const arrive = (n: number, channelId = "tg", prefix = "client") =>
  Effect.flatMap(Engine, (engine) => Effect.forEach(Array.from({ length: n }, (_, i) => i), (i) => Effect.map(engine.receive(inbound(`${prefix}-${channelId}-${i}`, "hello", { channelId })), (r) => r.dialogId)))

/** The stored state of a dialog. */
export const dialogState = (id: DialogId) => Effect.flatMap(storeService, (store) => Effect.map(store.loadDialog(id), (found) => Option.getOrThrow(found).state))

/** The events of a stream. */
export const eventsOf = (streamId: string) => Effect.flatMap(storeService, (store) => Effect.map(store.readStream(streamId), (events) => events.map((e) => e.event)))

/** An owner sets an operator's status. */
export const setStatus = (who: Actor & { readonly id: UserId }, statusId: string) => Effect.flatMap(Engine, (engine) => engine.operator(owner, new SetStatus({ userId: who.id, statusId })))

/** The ids of the dialogs an operator holds (assigned or offered). */
export const heldBy = (who: UserActor) => Effect.flatMap(storeService, (store) => Effect.map(store.loadOf(who.id), (entries) => entries.map((e) => e.dialogId as string)))
