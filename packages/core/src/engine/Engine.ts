import { Effect, Schema } from "effect"
import * as ChannelLimits from "../channels/ChannelLimits.js"
import * as Dialog from "../dialogs/Dialog.js"
import { BotPort } from "../ports/BotPort.js"
import { EventBus } from "../ports/EventBus.js"
import { Ids } from "../ports/Ids.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { DialogListStore } from "../ports/DialogListStore.js"
import { EventStore } from "../ports/EventStore.js"
import { HistoryStore } from "../ports/HistoryStore.js"
import { PresenceStore } from "../ports/PresenceStore.js"
import { InvalidInput } from "../shared/Errors.js"
import { makeClientCommands } from "./ClientCommands.js"
import { makeCommandHandler } from "./CommandHandler.js"
import { makeDialogCommands } from "./DialogCommands.js"
import type { EnginePorts } from "./EnginePorts.js"
import { makeMessageProjection } from "./MessageProjection.js"
import { makeOperatorCommands } from "./OperatorCommands.js"
import { makeOutgoingDialog } from "./OutgoingDialog.js"
import { makeOutbound } from "./Outbound.js"
import { makeQueries } from "./Queries.js"
import { decodeInbound, makeReceive } from "./Receive.js"
import { makeRedistribute } from "./Redistribute.js"
import { makeSettingsCommands } from "./SettingsCommands.js"
import { StateCache } from "./StateCache.js"
import { makeRefresh } from "./Timers.js"

export { type DialogError } from "./DialogCommands.js"
export { InboundMessage, type Received } from "./Receive.js"
export { TimerKind } from "./Timers.js"

/** How many dialogs (and, separately, clients) an engine keeps in its state cache. */
const cacheCapacity = 10_000

/** Decode a dialog command from untrusted JSON; the error names the bad field's path. */
const decodeCommand = (input: unknown) =>
  Effect.mapError(Schema.decodeUnknown(Dialog.DialogCommand)(input, { onExcessProperty: "error" }), InvalidInput.fromParseError)

/**
 * The engine: executes commands against the stores through the deciders, each through the one
 * command handler (load, decide, append with the expected version, publish, retry conflicts),
 * then runs side effects (bot hand-offs; outgoing messages are queued in the outbox by the commit itself). Every write path, the router's
 * included, goes through here. This file only wires the engine's parts together.
 */
export class Engine extends Effect.Service<Engine>()("@switchboard/core/Engine", {
  effect: Effect.gen(function* () {
    const eventStore = yield* EventStore
    const listStore = yield* DialogListStore
    const historyStore = yield* HistoryStore
    const presenceStore = yield* PresenceStore
    const configStore = yield* ConfigStore
    const bus = yield* EventBus
    const cache = new StateCache(cacheCapacity)
    const ports: EnginePorts = {
      eventStore,
      listStore,
      historyStore,
      presenceStore,
      configStore,
      bus,
      ids: yield* Ids,
      bot: yield* Effect.serviceOption(BotPort),
      limits: yield* ChannelLimits.current,
      cache,
      handler: makeCommandHandler(eventStore, bus, cache)
    }
    const projection = makeMessageProjection(historyStore)
    const outbound = makeOutbound(ports)
    const { execute } = makeDialogCommands(ports, projection, outbound)
    const refresh = makeRefresh(ports)
    const { receive } = makeReceive(ports, projection, outbound)
    const { client, mergeClients } = makeClientCommands(ports)
    const { operator } = makeOperatorCommands(ports)
    const { redistribute } = makeRedistribute(ports, execute)
    const { updateSettings, changeSettings, configureSla, settingsHistory } = makeSettingsCommands(ports, refresh)
    const { listDialogs, history, unread, tagCounts, dialog, client: clientCard } = makeQueries(ports)

    return {
      execute,
      receive,
      openOutgoing: makeOutgoingDialog(ports, projection, outbound),
      client,
      mergeClients,
      operator,
      redistribute,
      updateSettings,
      changeSettings,
      settingsHistory,
      listDialogs,
      history,
      unread,
      tagCounts,
      dialog,
      clientCard,
      refresh,
      configureSla,
      decodeCommand,
      decodeInbound
    } as const
  })
}) {}

export type { Commit } from "../ports/Store.js"
