import { Effect, Option } from "effect"
import type { Channel } from "../channels/Channel.js"
import { channelLabel, type ChannelLimitsService } from "../channels/ChannelLimits.js"
import type { DecideContext } from "../dialogs/Dialog.js"
import type { ClientState } from "../clients/Client.js"
import type { DialogState } from "../dialogs/Dialog.js"
import type { BotPortService } from "../ports/BotPort.js"
import type { EventBusService } from "../ports/EventBus.js"
import type { IdsService } from "../ports/Ids.js"
import type { ConfigStoreService } from "../ports/ConfigStore.js"
import type { DialogListStoreService } from "../ports/DialogListStore.js"
import type { EventStoreService, Versioned } from "../ports/EventStore.js"
import type { HistoryStoreService } from "../ports/HistoryStore.js"
import type { PresenceStoreService } from "../ports/PresenceStore.js"
import { NotFound } from "../shared/Errors.js"
import type { ChannelId, ClientId, DialogId } from "../shared/Ids.js"
import type { CommandHandler } from "./CommandHandler.js"
import type { StateCache } from "./StateCache.js"

/** What every part of the engine works with: its ports, its state cache and its one command handler. */
export interface EnginePorts {
  readonly eventStore: EventStoreService
  readonly listStore: DialogListStoreService
  readonly historyStore: HistoryStoreService
  readonly presenceStore: PresenceStoreService
  readonly configStore: ConfigStoreService
  readonly bus: EventBusService
  readonly ids: IdsService
  readonly bot: Option.Option<BotPortService>
  /** What each channel accepts (text limit, attachment kinds and sizes). */
  readonly limits: ChannelLimitsService
  readonly cache: StateCache
  readonly handler: CommandHandler
}

/** Values rebuilt from stored, already-valid ones skip Schema re-validation (see `decide.ts`). */
export const trusted = true

/** A channel by id, or `NotFound`. */
export const channelOf = (configStore: ConfigStoreService, id: ChannelId): Effect.Effect<Channel, NotFound> =>
  Effect.flatMap(configStore.getChannel(id), Option.match({
    onNone: () => Effect.fail(new NotFound({ entity: "channel", id })),
    onSome: Effect.succeed
  }))

/** What `decide` knows of a channel: its text limit, edit/delete flags and attachment limits (`ChannelLimits`). */
export const channelFacts = (limits: ChannelLimitsService, channel: Channel): DecideContext["channel"] => {
  const capabilities = limits.capabilities(channel)
  return {
    maxTextLength: capabilities.maxTextLength,
    editMessages: channel.capabilities.editMessages,
    deleteMessages: channel.capabilities.deleteMessages,
    files: { label: channelLabel(channel), capabilities }
  }
}

/** A dialog that exists and is not deleted, or `NotFound`. */
export const loadDialog = (eventStore: EventStoreService, id: DialogId): Effect.Effect<Versioned<DialogState>, NotFound> =>
  Effect.flatMap(eventStore.loadDialog(id), Option.match({
    onNone: () => Effect.fail(new NotFound({ entity: "dialog", id })),
    onSome: (found) => (found.state.deleted ? Effect.fail(new NotFound({ entity: "dialog", id })) : Effect.succeed(found))
  }))

/** A client by id, or `NotFound`. */
export const loadClient = (eventStore: EventStoreService, id: ClientId): Effect.Effect<Versioned<ClientState>, NotFound> =>
  Effect.flatMap(eventStore.loadClient(id), Option.match({
    onNone: () => Effect.fail(new NotFound({ entity: "client", id })),
    onSome: Effect.succeed
  }))

/**
 * The client a reference leads to today: `id`'s client or, if it was merged (CLI-01), the one it
 * was merged into (a chain followed to its end). A dialog the merge did not move (an older one,
 * no longer its client's latest in the channel) still names the merged client; its commands act
 * on the survivor, who has the identities now.
 */
export const currentClient = (eventStore: EventStoreService, id: ClientId): Effect.Effect<Option.Option<Versioned<ClientState>>> =>
  Effect.gen(function* () {
    let found = yield* eventStore.loadClient(id)
    // A merged client takes no command, so a chain cannot loop; bounded anyway.
    for (let hops = 0; hops < 64 && Option.isSome(found) && found.value.state.mergedInto !== undefined; hops++) {
      found = yield* eventStore.loadClient(found.value.state.mergedInto)
    }
    return found
  })
