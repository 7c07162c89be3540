import { Clock, Effect, Either, Option, Schema } from "effect"
import { system } from "../access/Access.js"
import * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { decide as decideDialog, messageIdOf, open as openDialog } from "../dialogs/decide.js"
import { evolve as evolveDialog, initial as initialDialog, recentExternalIdsKept } from "../dialogs/evolve.js"
import { MessageInput } from "../messages/Message.js"
import type { Commit, InboundTarget, StoredEvent, StreamWrite, Versioned } from "../ports/Store.js"
import { InvalidInput, NotFound, type VersionConflict } from "../shared/Errors.js"
import { ChannelId, ClientId, DialogId, type MessageId } from "../shared/Ids.js"
import { limits, StoredName, StoredText } from "../shared/StoredText.js"
import { type Append, type Appended, nothing, retryConflicts } from "./CommandHandler.js"
import { type EnginePorts, trusted } from "./EnginePorts.js"
import type { MessageProjection } from "./MessageProjection.js"
import { namesFor, type Outbound, outboxOf } from "./Outbound.js"
import { checksFor } from "./StateCache.js"
import { finishDialog } from "./Timers.js"

/** A client's message as a channel adapter hands it to the engine. */
export class InboundMessage extends Schema.Class<InboundMessage>("InboundMessage")({
  channelId: ChannelId,
  /** The client's id in the channel (chat id, phone, email address). */
  from: StoredName(limits.externalId),
  /** What the channel tells us about the client; used on first contact. */
  profile: Schema.optionalWith(Client.Profile, { default: () => ({}) }),
  message: MessageInput,
  /** The channel's id of this message: a repeated delivery is recorded once. */
  externalId: Schema.optional(StoredText(limits.externalId)),
  /** A pressed button: "yes", "no", "rate:5". */
  payload: Schema.optional(StoredText(limits.payload))
}) {}

/** Where an inbound message landed. */
export interface Received {
  readonly clientId: ClientId
  readonly dialogId: DialogId
  readonly messageId: Option.Option<MessageId>
  readonly events: ReadonlyArray<StoredEvent>
}

/** Decode an inbound message from untrusted JSON; the error names the bad field's path. */
export const decodeInbound = (input: unknown) =>
  Effect.mapError(Schema.decodeUnknown(InboundMessage)(input, { onExcessProperty: "error" }), InvalidInput.fromParseError)

/**
 * Whether the dialog's memory of its latest external ids (`recentExternalIds`) answers for
 * `externalId`: it holds every external id of a dialog until it is full (a new dialog's too),
 * and one it holds was decided as a repeat already.
 */
const vouchesFor = (dialog: Versioned<Dialog.DialogState>, externalId: string): boolean =>
  dialog.version === 0 ||
  dialog.state.recentExternalIds.length < recentExternalIdsKept ||
  dialog.state.recentExternalIds.some(([known]) => known === externalId)

type Outcome = { readonly _tag: "Received"; readonly received: Received } | { readonly _tag: "Known"; readonly target: InboundTarget }

/**
 * The receive path: a client's inbound message, recorded through the command handler with the
 * appends only it needs. A client the engine's cache does not know is most likely new, so their
 * first message is decided without a read and appended as a first contact (only if the address is
 * still free); a message the dialog's memory cannot vouch for is appended only if not stored yet.
 */
export const makeReceive = (ports: EnginePorts, projection: MessageProjection, outbound: Outbound) => {
  const { eventStore, configStore, ids, bot, cache, handler } = ports

  /**
   * The configuration: cached, since nearly every commit checks its version anyway (a change
   * elsewhere costs one conflict and a fresh read). A channel the cached copy does not know yet
   * is looked up fresh before it counts as missing.
   */
  const currentConfig = (channelId: ChannelId) =>
    Effect.gen(function* () {
      const cached = cache.getConfig()
      if (cached !== undefined && cached.channelsById.has(channelId)) return cached
      const config = cache.setConfig(yield* configStore.config())
      if (!config.channelsById.has(channelId)) return yield* Effect.fail(new NotFound({ entity: "channel", id: channelId }))
      return config
    })

  /**
   * The client at an inbound message's address and their current dialog, from the cache (a read
   * only when the client is cached but their dialog is not); `undefined` when the cache knows no
   * client there.
   */
  const cachedInbound = (channelId: ChannelId, from: string): Effect.Effect<Option.Option<InboundTarget> | undefined> =>
    Effect.suspend(() => {
      const client = cache.clientAt(channelId, from)
      if (client === undefined) return Effect.succeed(undefined)
      const dialogId = client.state.dialogs[channelId]
      if (dialogId === undefined) return Effect.succeed(Option.some<InboundTarget>({ client, dialog: Option.none() }))
      const dialog = cache.dialog(dialogId)
      if (dialog !== undefined) return Effect.succeed(Option.some<InboundTarget>({ client, dialog: Option.some(dialog) }))
      return Effect.tap(eventStore.findInbound(channelId, from), (found) => Effect.sync(() => Option.map(found, (target) => cache.rememberTarget(target))))
    })

  /**
   * An inbound message, decided for `target` (the client at its address and their dialog) or, when
   * `target` is `undefined` (the cache knows nobody there), as a new client's first message that is
   * committed only if the address is still free; if it is not, the store answers with who is there.
   */
  const receiveFor = (inbound: InboundMessage, target: Option.Option<InboundTarget> | undefined): Effect.Effect<Outcome, NotFound | VersionConflict> =>
    handler.attempt(Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      const config = yield* currentConfig(inbound.channelId)
      const settings = config.settings
      const channel = config.channelsById.get(inbound.channelId)!
      const existingClient = Option.map(target ?? Option.none<InboundTarget>(), (found) => found.client)
      const current = Option.flatMap(target ?? Option.none<InboundTarget>(), (found) => found.dialog)
      const clientId = Option.isSome(existingClient) ? existingClient.value.state.id : ClientId.make(yield* ids.next("cli"))
      const clientEvents: Array<Client.ClientEvent> = []
      let clientState = Option.isSome(existingClient) ? existingClient.value.state : Client.initial(clientId)
      const clientVersion = Option.isSome(existingClient) ? existingClient.value.version : 0
      if (Option.isNone(existingClient)) {
        const created = new Client.ClientCreated({ clientId, identity: new Client.Identity({ channelId: channel.id, externalId: inbound.from }, trusted), profile: inbound.profile, at }, trusted)
        clientEvents.push(created)
        clientState = Client.evolve(clientState, created)
      }
      let dialog: Versioned<Dialog.DialogState>
      const dialogEvents: Array<Dialog.DialogEvent> = []
      if (Option.isSome(current) && !current.value.state.deleted) {
        dialog = current.value
      } else {
        const dialogId = DialogId.make(yield* ids.next("dlg"))
        const opened = openDialog({
          dialogId,
          clientId,
          channelId: channel.id,
          queueId: channel.queueId,
          priority: 0,
          botId: Option.fromNullable(channel.botId),
          startedBy: Option.none(),
          at
        })
        dialogEvents.push(opened)
        dialog = { version: 0, state: evolveDialog(initialDialog(dialogId, channel.id, channel.queueId), opened) }
        const started = new Client.ClientDialogStarted({ clientId, channelId: channel.id, dialogId, at }, trusted)
        clientEvents.push(started)
        clientState = Client.evolve(clientState, started)
      }
      const decided = decideDialog(
        dialog.state,
        new Dialog.ReceiveClientMessage({
          dialogId: dialog.state.id,
          input: inbound.message,
          ...(inbound.externalId === undefined ? {} : { externalId: inbound.externalId }),
          ...(inbound.payload === undefined ? {} : { payload: inbound.payload })
        }, trusted),
        {
          now: at,
          actor: system,
          settings,
          client: { blocked: clientState.blocked, language: clientState.profile.language },
          channel: { maxTextLength: undefined, editMessages: true, deleteMessages: true },
          nameOf: namesFor(system, Option.none())
        }
      )
      // A client's message is never rejected: it is recorded (as rejected if the client is blocked).
      const messageEvents: ReadonlyArray<Dialog.DialogEvent> = Either.getOrElse(decided, () => [])
      dialogEvents.push(...messageEvents)
      const finished = finishDialog(dialog.state, dialogEvents, at, settings)
      const writes: Array<StreamWrite> = []
      if (clientEvents.length > 0) writes.push({ kind: "client", id: clientId, expectedVersion: clientVersion, events: clientEvents, state: clientState })
      if (dialogEvents.length > 0) writes.push({ kind: "dialog", id: dialog.state.id, expectedVersion: dialog.version, events: finished.events, state: finished.state })
      const batch: Commit = {
        streams: writes,
        messages: yield* projection.projectMessages(dialog.state.id, dialogEvents),
        timers: finished.timers,
        outbox: outboxOf(finished.events, channel, Option.some(inbound.from)),
        // What the decision relied on without writing it: the configuration, and the client unless written.
        checks: checksFor(config, clientEvents.length === 0 ? Option.getOrUndefined(existingClient) : undefined)
      }
      const append: Append = target === undefined
        ? { _tag: "FirstContact", address: { channelId: inbound.channelId, externalId: inbound.from } }
        : writes.length > 0 && inbound.externalId !== undefined && !vouchesFor(dialog, inbound.externalId)
        // A long dialog remembers only its latest external ids: the store checks the rest.
        ? { _tag: "Unseen", message: { dialogId: dialog.state.id, externalId: inbound.externalId } }
        : { _tag: "Append" }
      const received = messageEvents.find((event): event is Dialog.ClientMessageReceived => event._tag === "ClientMessageReceived")
      const then = (appended: Appended): Effect.Effect<Outcome> =>
        Effect.gen(function* () {
          if (appended._tag === "Known") return { _tag: "Known" as const, target: appended.target }
          if (appended._tag === "Seen") {
            return { _tag: "Received" as const, received: { clientId, dialogId: dialog.state.id, messageId: Option.some(appended.messageId), events: [] } }
          }
          const stored = appended.events
          yield* outbound(stored)
          if (received !== undefined && !received.message.rejected && finished.state.status === "bot" && Option.isSome(finished.state.botId) && Option.isSome(bot)) {
            yield* bot.value.deliver(finished.state.botId.value, received.message)
          }
          return {
            _tag: "Received" as const,
            received: {
              clientId,
              dialogId: dialog.state.id,
              messageId: received !== undefined
                ? Option.some(received.message.id)
                : Option.map(
                  Option.fromNullable(dialog.state.recentExternalIds.find(([externalId]) => externalId === inbound.externalId)),
                  ([, seq]) => messageIdOf(dialog.state.id, seq)
                ),
              events: stored
            }
          }
        })
      // Nothing to write (a repeated delivery): append nothing, whatever the timers say.
      return { commit: target !== undefined && writes.length === 0 ? nothing : batch, append, then }
    }))

  /** Record a client's inbound message: first contact creates the client and the dialog; a closed dialog reopens (DLG-07). */
  const receive = (inbound: InboundMessage): Effect.Effect<Received, NotFound | VersionConflict> =>
    // One retry covers both attempts: a conflict after "Known" starts again from the cache.
    retryConflicts(
      Effect.gen(function* () {
        const first = yield* receiveFor(inbound, yield* cachedInbound(inbound.channelId, inbound.from))
        if (first._tag === "Received") return first.received
        const again = yield* receiveFor(inbound, Option.some(first.target))
        return again._tag === "Received" ? again.received : yield* Effect.dieMessage("a receive for a known client asked who the client is")
      })
    ).pipe(Effect.withSpan("Engine.receive", { captureStackTrace: false }))

  return { receive } as const
}
