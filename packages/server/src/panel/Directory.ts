import { Effect } from "effect"
import { ConfigStore, EventStore, type Operator } from "@switchboard/core"
import type { TagView } from "@switchboard/ui-htmx"

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

/** Load the directory of names (operators, channels, bots). */
export const directory = Effect.gen(function* () {
  const eventStore = yield* EventStore
  const configStore = yield* ConfigStore
  const operators = yield* eventStore.listOperators()
  // Channels and the tag catalog in one read.
  const { channels, settings } = yield* configStore.config()
  const catalog = new Map(settings.tags.map((tag) => [tag.id as string, tag]))
  const byId = new Map(operators.map((entry) => [entry.state.id as string, entry.state]))
  const channelNames = new Map(channels.map((channel) => [channel.id as string, channel.name]))
  return {
    operatorName: (id: string) => byId.get(id)?.name ?? id,
    channelName: (id: string) => channelNames.get(id) ?? id,
    operator: (id: string) => byId.get(id),
    operators: operators.map((entry) => entry.state),
    channels: channels.map((channel) => ({ id: channel.id, name: channel.name })),
    bots: [...new Set(channels.flatMap((channel) => (channel.botId === undefined ? [] : [channel.botId as string])))].sort().map((id) => ({ id, name: botName(id) })),
    tag: (id: string) => ({ id, name: catalog.get(id)?.name ?? id, color: catalog.get(id)?.color ?? unlistedTagColor })
  } satisfies Directory
})
