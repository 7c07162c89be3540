import { Effect, Option } from "effect"
import { type ConfigSnapshot, ConfigStore, EventStore, type Operator } from "@switchboard/core"
import type { TagView } from "@switchboard/ui-htmx"
import { Names } from "../live/Names.js"

/** Names the panel shows: operators by id, channels by id. */
export interface Directory {
  readonly operatorName: (id: string) => string
  readonly channelName: (id: string) => string
  readonly operator: (id: string) => Operator.OperatorState | undefined
  readonly operators: ReadonlyArray<Operator.OperatorState>
  readonly channels: ReadonlyArray<{ readonly id: string; readonly name: string }>
  /** The bots the channels hand dialogs to (there is no bot registry: a channel names its bot). */
  readonly bots: ReadonlyArray<{ readonly id: string; readonly name: string }>
  /** A client tag's name and colour from the company's catalog (its id and grey when the catalog lacks it). */
  readonly tag: (id: string) => TagView
}

/** The colour of a tag the company's catalog does not list. */
const unlistedTagColor = "#9aa3ae"

/** How the panel names a bot (no registry holds bot names yet). */
export const botName = (botId: string) => `Bot ${botId}`

/** The directory of the given operators and configuration (channels and the tag catalog). */
export const directoryOf = (operators: ReadonlyArray<Operator.OperatorState>, { channels, settings }: Pick<ConfigSnapshot, "channels" | "settings">): Directory => {
  const catalog = new Map(settings.tags.map((tag) => [tag.id as string, tag]))
  const byId = new Map(operators.map((state) => [state.id as string, state]))
  const channelNames = new Map(channels.map((channel) => [channel.id as string, channel.name]))
  return {
    operatorName: (id: string) => byId.get(id)?.name ?? id,
    channelName: (id: string) => channelNames.get(id) ?? id,
    operator: (id: string) => byId.get(id),
    operators,
    channels: channels.map((channel) => ({ id: channel.id, name: channel.name })),
    bots: [...new Set(channels.flatMap((channel) => (channel.botId === undefined ? [] : [channel.botId as string])))].sort().map((id) => ({ id, name: botName(id) })),
    tag: (id: string) => ({ id, name: catalog.get(id)?.name ?? id, color: catalog.get(id)?.color ?? unlistedTagColor })
  }
}

/** Read the directory of names (operators, channels, bots) from the stores. */
export const loadDirectory = Effect.gen(function* () {
  const operators = yield* (yield* EventStore).listOperators()
  // Channels and the tag catalog in one read.
  return directoryOf(operators.map((entry) => entry.state), yield* (yield* ConfigStore).config())
})

/**
 * The directory of names: the server's cache of it (`Names`, kept current by the operators' events)
 * when the runtime has one, else read from the stores.
 */
export const directory = Effect.flatMap(Effect.serviceOption(Names), Option.match({ onNone: () => loadDirectory, onSome: (names) => names.directory }))
