import { Option } from "effect"
import { Access, type Channel, type Client, type Dialog, DialogPermissions, type Message, type Settings } from "@switchboard/core"
import type { DialogControlsView, MessageControlView } from "@switchboard/ui-htmx"
import type { Directory } from "./Directory.js"

/** The priority catalog's level a dialog's numeric priority goes by: the highest at or below it, else the lowest. */
export const priorityLevel = (priority: number, catalog: Settings.Settings["priorities"]): number => {
  const sorted = [...catalog].sort((a, b) => a.level - b.level)
  return (sorted.filter((entry) => entry.level <= priority).at(-1) ?? sorted[0])?.level ?? 0
}

/** A topic's name under its parent's (the topic tree, DLG-18): "Billing › Refunds". */
const topicPath = (topic: Settings.Settings["topics"][number], topics: Settings.Settings["topics"]): string => {
  const parent = Option.flatMap(topic.parentId, (id) => Option.fromNullable(topics.find((candidate) => candidate.id === id)))
  return Option.match(parent, { onNone: () => topic.name, onSome: (found) => `${found.name} › ${topic.name}` })
}

/**
 * The open dialog's further controls for `actor` (`DialogControlsView`): each is the answer of the
 * core's permission rules (`DialogPermissions.can`, `messageRefusal`, and `Access.can` for the
 * client's block, which the client decider also asks); choices come from the company's catalogs.
 */
export const controlsView = (params: {
  readonly actor: Access.UserActor
  readonly state: Dialog.DialogState
  readonly settings: Settings.Settings
  readonly names: Directory
  readonly client: Option.Option<Client.ClientState>
  readonly channel: Channel.Channel | undefined
  readonly messages: ReadonlyArray<Message.Message>
}): DialogControlsView => {
  const { actor, state, settings, names, client } = params
  const may = (action: DialogPermissions.DialogAction) => DialogPermissions.can(actor, action, state, settings)
  const assignee = Option.getOrUndefined(state.assigneeId)
  const reassigns = may("reassign") && state.status !== "closed"
  const capabilities = { editMessages: params.channel?.capabilities.editMessages ?? false, deleteMessages: params.channel?.capabilities.deleteMessages ?? false }
  const writes = may("write") || may("note")
  const messageControl = (message: Message.Message): MessageControlView => {
    const facts = { author: message.author, internal: message.internal, deleted: Option.isSome(message.deletedAt) }
    return {
      quote: writes && !facts.deleted && message.author._tag !== "System" && state.status !== "closed",
      edit: DialogPermissions.canChangeMessage(actor, "editMessage", state, facts, settings, capabilities),
      delete: DialogPermissions.canChangeMessage(actor, "deleteMessage", state, facts, settings, capabilities)
    }
  }
  return {
    reassignTo: reassigns ? names.operators.filter((operator) => operator.id !== assignee && operator.active).map((operator) => ({ id: operator.id, name: operator.name })) : undefined,
    toQueue: may("requeue"),
    returnToBot: may("returnToBot") && (Option.isSome(state.botId) || params.channel?.botId !== undefined),
    clientBlocked: Option.match(client, { onNone: () => undefined, onSome: (found) => found.blocked }),
    canBlock: Option.isSome(client) && Access.can(actor, "clients.block", settings),
    priority: may("prioritize")
      ? { current: String(priorityLevel(state.priority, settings.priorities)), choices: settings.priorities.map((entry) => ({ id: String(entry.level), name: entry.name })) }
      : undefined,
    topics: settings.topicsEnabled && settings.topics.length > 0 && may("edit")
      ? { chosen: state.topics, choices: settings.topics.map((topic) => ({ id: topic.id, name: topicPath(topic, settings.topics) })), required: settings.topicRequired }
      : undefined,
    canDelete: may("delete"),
    canDetach: Option.isSome(state.clientId) && may("detachClient"),
    closeNow: Option.isSome(state.pendingClose) && may("close"),
    // Where the client can be written to first (DLG-13): not this dialog's channel while it is open (the core refuses a second open dialog).
    outgoingChannels: Option.match(client, {
      onNone: () => [],
      onSome: (found) =>
        [...new Set(found.identities.map((identity) => identity.channelId as string))]
          .filter((channelId) => state.status === "closed" || channelId !== state.channelId)
          .map((channelId) => ({ id: channelId, name: names.channelName(channelId) }))
    }),
    messages: Object.fromEntries(params.messages.map((message) => [message.id, messageControl(message)]))
  }
}
