import { Clock, Effect, Either, Option, Schema } from "effect"
import type { Actor } from "../access/Access.js"
import { can, system } from "../access/Access.js"
import type { Channel } from "../channels/Channel.js"
import * as Client from "../clients/Client.js"
import * as Dialog from "../dialogs/Dialog.js"
import { canView, decide as decideDialog, inactivitySince, messageIdOf, open as openDialog, referencedMessageId } from "../dialogs/decide.js"
import { evolve as evolveDialog, fold, initial as initialDialog, recentExternalIdsKept, seqOfMessage } from "../dialogs/evolve.js"
import { Message, MessageInput } from "../messages/Message.js"
import * as Operator from "../operators/Operator.js"
import { BotPort } from "../ports/BotPort.js"
import { ChannelGateway } from "../ports/ChannelGateway.js"
import { EventBus } from "../ports/EventBus.js"
import { Ids } from "../ports/Ids.js"
import type { Commit, DeliveredMessage, DialogQuery, FirstContact, Unseen, TagCountQuery, InboundAddress, InboundTarget, MessageQuery, Page, StoredEvent, StreamWrite, Timer, TimerChange, Versioned } from "../ports/Store.js"
import { Store } from "../ports/Store.js"
import * as SlaClock from "../sla/SlaClock.js"
import { Settings } from "../settings/Settings.js"
import { checksFor, StateCache } from "./StateCache.js"
import { Forbidden, InvalidInput, NotFound, VersionConflict } from "../shared/Errors.js"
import { ChannelId, ClientId, DialogId, type MessageId, UserId } from "../shared/Ids.js"
import { limits, StoredName, StoredText } from "../shared/StoredText.js"

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

export type DialogError = Dialog.DialogRejected | NotFound | VersionConflict

const retryConflicts = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.retry(effect, { times: 8, while: (error) => error._tag === "VersionConflict" })

/** Values rebuilt from stored, already-valid ones skip Schema re-validation (see `decide.ts`). */
const trusted = true

/** How many dialogs (and, separately, clients) an engine keeps in its state cache. */
const cacheCapacity = 10_000

/** Timer kinds the engine itself sets. */
export const TimerKind = { inactivity: "dialog.inactivity", offer: "dialog.offer", sla: "dialog.sla" } as const

/** The inactivity and offer-expiry timers a dialog state implies. */
const dialogTimers = (state: Dialog.DialogState, settings: Settings): ReadonlyArray<Timer> => {
  const timers: Array<Timer> = []
  const since = state.status === "active" && !state.deleted ? inactivitySince(state) : undefined
  const minutes = settings.inactivityCloseMinutes
  if (since !== undefined && minutes !== null) {
    timers.push({ key: `${TimerKind.inactivity}:${state.id}`, kind: TimerKind.inactivity, subject: state.id, dueAt: since + minutes * 60_000 })
  }
  if (Option.isSome(state.offer) && !state.deleted) {
    timers.push({ key: `${TimerKind.offer}:${state.id}`, kind: TimerKind.offer, subject: state.id, dueAt: state.offer.value.expiresAt })
  }
  return timers
}

/**
 * Timer writes from `before` to `after`: only what changed, so a message costs no timer writes
 * unless it moves a deadline. With `before` undefined every timer is written (a full refresh,
 * which also repairs a timer set under older settings).
 */
const timerChanges = (before: Dialog.DialogState | undefined, after: Dialog.DialogState, settings: Settings): ReadonlyArray<TimerChange> => {
  const next = new Map(dialogTimers(after, settings).map((timer) => [timer.key, timer]))
  const changes: Array<TimerChange> = []
  if (before === undefined) {
    for (const kind of [TimerKind.inactivity, TimerKind.offer]) {
      const key = `${kind}:${after.id}`
      const timer = next.get(key)
      changes.push(timer === undefined ? { _tag: "Cancel", key } : { _tag: "Set", timer })
    }
    return changes
  }
  const previous = new Map(dialogTimers(before, settings).map((timer) => [timer.key, timer]))
  for (const [key, timer] of next) if (previous.get(key)?.dueAt !== timer.dueAt) changes.push({ _tag: "Set", timer })
  for (const key of previous.keys()) if (!next.has(key)) changes.push({ _tag: "Cancel", key })
  return changes
}

/**
 * The engine: executes commands against the stores through the deciders. Load state, decide,
 * append with the expected version (retrying on conflict), publish, then run side effects
 * (channel delivery, bot hand-offs). Every write path, the router's included, goes through here.
 */
export class Engine extends Effect.Service<Engine>()("@switchboard/core/Engine", {
  effect: Effect.gen(function* () {
    const store = yield* Store
    const bus = yield* EventBus
    const ids = yield* Ids
    const bot = yield* Effect.serviceOption(BotPort)
    const gateway = yield* Effect.serviceOption(ChannelGateway)

    const now = Clock.currentTimeMillis
    const cache = new StateCache(cacheCapacity)

    /** Every write goes through here, so the cache follows what this engine commits. */
    const commit = (batch: Commit): Effect.Effect<ReadonlyArray<StoredEvent>, VersionConflict> =>
      Effect.tapBoth(store.commit(batch), {
        onFailure: () => Effect.sync(() => cache.conflicted(batch)),
        onSuccess: () => Effect.sync(() => cache.committed(batch))
      })

    /** A new client's first message, committed only if the address is still free (`Store.commitFirstContact`). */
    const commitFirstContact = (address: InboundAddress, batch: Commit): Effect.Effect<FirstContact, VersionConflict> =>
      Effect.tapBoth(store.commitFirstContact(address, batch), {
        onFailure: () => Effect.sync(() => cache.conflicted(batch)),
        onSuccess: (outcome) =>
          Effect.sync(() => {
            if (outcome._tag === "Committed") cache.committed(batch)
            else cache.rememberTarget(outcome.target)
          })
      })

    /** A client's message the dialog's memory cannot vouch for, committed only if not stored yet (`Store.commitUnseen`). */
    const commitUnseen = (message: DeliveredMessage, batch: Commit): Effect.Effect<Unseen, VersionConflict> =>
      Effect.tapBoth(store.commitUnseen(message, batch), {
        onFailure: () => Effect.sync(() => cache.conflicted(batch)),
        onSuccess: (outcome) => Effect.sync(() => outcome._tag === "Committed" && cache.committed(batch))
      })

    const channelOf = (id: ChannelId) =>
      Effect.flatMap(store.getChannel(id), Option.match({
        onNone: () => Effect.fail(new NotFound({ entity: "channel", id })),
        onSome: Effect.succeed
      }))

    const loadDialog = (id: DialogId) =>
      Effect.flatMap(store.loadDialog(id), Option.match({
        onNone: () => Effect.fail(new NotFound({ entity: "dialog", id })),
        onSome: (found) => (found.state.deleted ? Effect.fail(new NotFound({ entity: "dialog", id })) : Effect.succeed(found))
      }))

    /**
     * Names for system messages ("Anna joined the conversation"): the acting user's and the
     * target operator's, which the command already loaded; nothing else is read.
     */
    const namesFor = (actor: Actor, operator: Option.Option<Versioned<Operator.OperatorState>>) => (userId: UserId): string => {
      if (Option.isSome(operator) && operator.value.state.id === userId) return operator.value.state.name
      if (actor._tag === "User" && actor.id === userId) return actor.name
      return userId
    }

    /** Messages whose projection rows change with these events. */
    const projectMessages = (dialogId: DialogId, events: ReadonlyArray<Dialog.DialogEvent>) =>
      Effect.gen(function* () {
        const changed = new Map<string, Message>()
        for (const event of events) {
          switch (event._tag) {
            case "ClientMessageReceived":
            case "StaffMessageSent":
              changed.set(event.message.id, event.message)
              break
            case "MessageEdited":
            case "MessageDeleted":
            case "DeliveryUpdated": {
              const current = changed.get(event.messageId) ?? (yield* findMessage(dialogId, event.messageId))
              if (current === undefined) break
              changed.set(
                event.messageId,
                new Message({
                  ...current,
                  ...(event._tag === "MessageEdited" ? { text: event.text, editedAt: Option.some(event.at) } : {}),
                  ...(event._tag === "MessageDeleted" ? { deletedAt: Option.some(event.at) } : {}),
                  ...(event._tag === "DeliveryUpdated" ? { delivery: Option.some(event.delivery) } : {})
                }, trusted)
              )
              break
            }
            default:
              break
          }
        }
        return [...changed.values()]
      })

    /** A message of the dialog from the message projection, by id (`<dialog>.m<seq>`); undefined if there is none. */
    const findMessage = (dialogId: DialogId, messageId: MessageId): Effect.Effect<Message | undefined> => {
      const seq = seqOfMessage(dialogId, messageId)
      if (seq === undefined) return Effect.succeed(undefined)
      // `seq` is a message number (checked above), so the query is well-formed.
      return Effect.map(Effect.orDie(store.messages({ dialogId, beforeSeq: seq + 1, limit: 1, includeInternal: true })), (page) =>
        page.items.find((message) => message.id === messageId)
      )
    }

    /** The message a command refers to, as `decide` needs it: read after the dialog, so it is at least as new. */
    const referencedMessage = (dialogId: DialogId, command: Dialog.DialogCommand): Effect.Effect<Dialog.MessageIndexEntry | undefined> => {
      const id = referencedMessageId(command)
      if (id === undefined) return Effect.succeed(undefined)
      return Effect.map(findMessage(dialogId, id), (message) =>
        message === undefined
          ? undefined
          : {
            seq: message.seq,
            author: message.author,
            internal: message.internal,
            deleted: Option.isSome(message.deletedAt),
            delivery: Option.map(message.delivery, (delivery) => delivery.status)
          })
    }

    /** When events add load to an operator, bump their stream so concurrent passes conflict (INV-14). */
    const reserveLoad = (events: ReadonlyArray<Dialog.DialogEvent>, dialogId: DialogId, channel: Channel, at: number, operator: Option.Option<Versioned<Operator.OperatorState>>) => {
      const target = events.find((event): event is Dialog.DialogAssigned | Dialog.DialogOffered => event._tag === "DialogAssigned" || event._tag === "DialogOffered")
      if (target === undefined || Option.isNone(operator) || operator.value.state.id !== target.operatorId) return []
      const event = new Operator.OperatorLoadReserved({ userId: target.operatorId, dialogId, channelKind: channel.kind, kind: target._tag === "DialogOffered" ? "offered" : "assigned", at }, trusted)
      const write: StreamWrite = {
        kind: "operator",
        id: target.operatorId,
        expectedVersion: operator.value.version,
        events: [event],
        state: Operator.evolve(operator.value.state, event)
      }
      return [write]
    }

    /**
     * An offer expired unanswered: count the miss on the operator's stream and, at the company's
     * threshold, switch them to the away status so the router stops offering them dialogs (A3).
     */
    const recordMiss = (events: ReadonlyArray<Dialog.DialogEvent>, dialogId: DialogId, at: number, settings: Settings) =>
      Effect.gen(function* () {
        const expired = events.find((event): event is Dialog.OfferEnded => event._tag === "OfferEnded" && event.outcome === "expired")
        if (expired === undefined) return []
        const found = yield* store.loadOperator(expired.operatorId)
        if (Option.isNone(found)) return []
        const missed = new Operator.OfferMissed({ userId: expired.operatorId, dialogId, at }, trusted)
        const operatorEvents: Array<Operator.OperatorEvent> = [missed]
        const after = Operator.evolve(found.value.state, missed)
        const away = settings.operatorStatuses.find((status) => status.id === settings.awayStatusId)
        if (settings.offerMissesBeforeAway > 0 && after.consecutiveMisses >= settings.offerMissesBeforeAway && away !== undefined && after.statusId !== away.id) {
          operatorEvents.push(new Operator.OperatorStatusChanged({ userId: expired.operatorId, statusId: away.id, receivesDialogs: away.receivesDialogs, at }, trusted))
        }
        const write: StreamWrite = {
          kind: "operator",
          id: expired.operatorId,
          expectedVersion: found.value.version,
          events: operatorEvents,
          state: operatorEvents.reduce(Operator.evolve, found.value.state)
        }
        return [write]
      })

    /**
     * The target operator's availability and load on the dialog's channel kind (ROUTING A1): load
     * is derived from the dialogs and offers themselves, never from counters. Manual commands
     * (accept, reassign) are explicit choices, so availability does not block them.
     */
    const loadFacts = (command: Dialog.DialogCommand, operator: Operator.OperatorState, channel: Channel, queueId: Dialog.DialogState["queueId"], settings: Settings, at: number) =>
      Effect.gen(function* () {
        const { channels, load } = yield* Effect.all({ channels: store.listChannels(), load: store.loadOf(operator.id) }, { concurrency: "unbounded" })
        const kinds = new Map(channels.map((known) => [known.id as string, known.kind]))
        return {
          available: command._tag === "Accept" || command._tag === "Reassign" || Operator.availableAt(operator, settings.operatorStatuses, at),
          load: load.filter((entry) => kinds.get(entry.channelId) === channel.kind).length,
          capacity: operator.capacity[channel.kind] ?? 0,
          // An operator with no queues serves every queue (as the router reads it).
          servesQueue: operator.queues.length === 0 || operator.queues.includes(queueId)
        }
      })

    const targetOf = (command: Dialog.DialogCommand, actor: Actor): UserId | undefined => {
      switch (command._tag) {
        case "Accept":
          return actor._tag === "User" ? actor.id : undefined
        case "Reassign":
          return command.to._tag === "Operator" ? command.to.userId : undefined
        case "OfferDialog":
        case "RouteToOperator":
          return command.operatorId
        default:
          return undefined
      }
    }

    const publishAndNotify = (events: ReadonlyArray<StoredEvent>, channel: Channel, recipient: Option.Option<string>) =>
      Effect.gen(function* () {
        yield* bus.publish(events)
        for (const stored of events) {
          const event = stored.event
          if (Option.isSome(bot)) {
            if (event._tag === "DialogAssigned" && Option.isSome(event.fromBotId)) {
              yield* bot.value.handoff({ direction: "transfer", botId: event.fromBotId.value, dialogId: dialogIdOf(stored) })
            }
            if (event._tag === "ReturnedToBot") yield* bot.value.handoff({ direction: "return", botId: event.botId, dialogId: dialogIdOf(stored) })
          }
          if (event._tag === "StaffMessageSent" && !event.message.internal && Option.isSome(gateway) && Option.isSome(recipient)) {
            const message = event.message
            const delivered = yield* Effect.either(gateway.value.send(channel, recipient.value, message))
            const update = new Dialog.UpdateDelivery({
              dialogId: message.dialogId,
              messageId: message.id,
              status: Either.isRight(delivered) ? "sent" : "failed",
              ...(Either.isLeft(delivered) ? { reason: delivered.left.reason } : {})
            })
            yield* Effect.ignore(execute(system, update))
          }
        }
      })

    /**
     * Complete a dialog write: re-evaluate its SLA (appending `SlaUpdated` when what users see
     * changed) and compute its timers (inactivity, offer expiry, next SLA warning or breach).
     */
    const finishDialog = (before: Dialog.DialogState, decided: ReadonlyArray<Dialog.DialogEvent>, at: number, settings: Settings, options: { readonly refresh?: boolean } = {}) => {
        let events = decided
        let state = fold(before, decided)
        const timers: Array<TimerChange> = [...timerChanges(options.refresh === true ? undefined : before, state, settings)]
        const slaKey = `${TimerKind.sla}:${state.id}`
        const compiled = SlaClock.fromSettings(settings)
        let slaTimer: TimerChange | undefined = options.refresh === true || (Option.isSome(before.sla) && Option.isNone(compiled)) ? { _tag: "Cancel", key: slaKey } : undefined
        if (Option.isSome(compiled) && !state.deleted) {
          const review = SlaClock.review(compiled.value, state, at)
          if (Option.isSome(review.update)) {
            const update = new Dialog.SlaUpdated({ sla: review.update.value.snapshot, changed: review.update.value.changed, at }, trusted)
            events = [...events, update]
            state = evolveDialog(state, update)
          }
          // The next warning or breach moves only when what the snapshot shows moves.
          if (Option.isSome(review.update) || options.refresh === true) {
            slaTimer = Option.match(review.nextAt, {
              onNone: (): TimerChange | undefined => (Option.isSome(before.sla) || options.refresh === true ? { _tag: "Cancel", key: slaKey } : undefined),
              onSome: (dueAt): TimerChange => ({ _tag: "Set", timer: { key: slaKey, kind: TimerKind.sla, subject: state.id, dueAt } })
            })
          }
        } else if (state.deleted && Option.isSome(before.sla)) {
          slaTimer = { _tag: "Cancel", key: slaKey }
        }
        if (slaTimer !== undefined) timers.push(slaTimer)
        return { events, state, timers }
    }

    const dialogIdOf = (stored: StoredEvent): DialogId => DialogId.make(stored.streamId.slice("dialog:".length))

    const recipientOf = (client: Option.Option<Versioned<Client.ClientState>>, channelId: ChannelId): Option.Option<string> =>
      Option.flatMap(client, (found) => Option.fromNullable(found.state.identities.find((identity) => identity.channelId === channelId)?.externalId))

    /** Execute one dialog command on behalf of `actor`. */
    const execute = (actor: Actor, command: Dialog.DialogCommand): Effect.Effect<ReadonlyArray<StoredEvent>, DialogError> =>
      retryConflicts(
        Effect.gen(function* () {
          const at = yield* now
          // Independent reads run side by side: on a connection pool that is one round trip each, not five in a row.
          const targetId = targetOf(command, actor)
          const { settings, dialog, operator } = yield* Effect.all({
            settings: store.getSettings(),
            dialog: loadDialog(command.dialogId),
            operator: targetId === undefined ? Effect.succeed(Option.none<Versioned<Operator.OperatorState>>()) : store.loadOperator(targetId)
          }, { concurrency: "unbounded" })
          const { channel, client } = yield* Effect.all({
            channel: channelOf(dialog.state.channelId),
            client: Option.isSome(dialog.state.clientId) ? store.loadClient(dialog.state.clientId.value) : Effect.succeed(Option.none<Versioned<Client.ClientState>>())
          }, { concurrency: "unbounded" })
          const target = Option.isNone(operator) ? undefined : yield* loadFacts(command, operator.value.state, channel, dialog.state.queueId, settings, at)
          const message = yield* referencedMessage(dialog.state.id, command)
          const decided = yield* decideDialog(dialog.state, command, {
            now: at,
            message,
            actor,
            settings,
            client: Option.match(client, {
              onNone: () => undefined,
              onSome: (found) => ({ blocked: found.state.blocked, language: found.state.profile.language })
            }),
            channel: {
              maxTextLength: channel.capabilities.maxTextLength,
              editMessages: channel.capabilities.editMessages,
              deleteMessages: channel.capabilities.deleteMessages
            },
            nameOf: namesFor(actor, operator),
            target
          })
          if (decided.length === 0) return []
          const { events, state, timers } = finishDialog(dialog.state, decided, at, settings)
          const writes: Array<StreamWrite> = [{ kind: "dialog", id: dialog.state.id, expectedVersion: dialog.version, events, state }]
          writes.push(...reserveLoad(events, dialog.state.id, channel, at, operator))
          writes.push(...(yield* recordMiss(events, dialog.state.id, at, settings)))
          const detached = events.find((event) => event._tag === "ClientDetached")
          if (detached !== undefined && Option.isSome(client)) {
            const event = new Client.ClientDialogDetached({ clientId: client.value.state.id, channelId: channel.id, dialogId: dialog.state.id, at }, trusted)
            writes.push({ kind: "client", id: client.value.state.id, expectedVersion: client.value.version, events: [event], state: Client.evolve(client.value.state, event) })
          }
          const stored = yield* commit({ streams: writes, messages: yield* projectMessages(dialog.state.id, events), timers })
          yield* publishAndNotify(stored, channel, Option.isSome(state.clientId) ? recipientOf(client, channel.id) : Option.none())
          return stored
        })
      ).pipe(Effect.withSpan("Engine.execute", { attributes: { command: command._tag } }))

    /**
     * The configuration: cached, since nearly every commit checks its version anyway (a change
     * elsewhere costs one conflict and a fresh read). A channel the cached copy does not know yet
     * is looked up fresh before it counts as missing.
     */
    const currentConfig = (channelId: ChannelId) =>
      Effect.gen(function* () {
        const cached = cache.getConfig()
        if (cached !== undefined && cached.channelsById.has(channelId)) return cached
        const config = cache.setConfig(yield* store.config())
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
        return Effect.tap(store.findInbound(channelId, from), (found) => Effect.sync(() => Option.map(found, (target) => cache.rememberTarget(target))))
      })

    /**
     * Whether the dialog's memory of its latest external ids (`recentExternalIds`) answers for
     * `externalId`: it holds every external id of a dialog until it is full (a new dialog's too),
     * and one it holds was decided as a repeat already.
     */
    const vouchesFor = (dialog: Versioned<Dialog.DialogState>, externalId: string): boolean =>
      dialog.version === 0 ||
      dialog.state.recentExternalIds.length < recentExternalIdsKept ||
      dialog.state.recentExternalIds.some(([known]) => known === externalId)

    /**
     * An inbound message, decided for `target` (the client at its address and their dialog) or, when
     * `target` is `undefined` (the cache knows nobody there), as a new client's first message that is
     * committed only if the address is still free; if it is not, the store answers with who is there.
     */
    const receiveFor = (
      inbound: InboundMessage,
      target: Option.Option<InboundTarget> | undefined
    ): Effect.Effect<{ readonly _tag: "Received"; readonly received: Received } | { readonly _tag: "Known"; readonly target: InboundTarget }, NotFound | VersionConflict> =>
        Effect.gen(function* () {
          const at = yield* now
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
          const state = finished.state
          const writes: Array<StreamWrite> = []
          if (clientEvents.length > 0) writes.push({ kind: "client", id: clientId, expectedVersion: clientVersion, events: clientEvents, state: clientState })
          if (dialogEvents.length > 0) writes.push({ kind: "dialog", id: dialog.state.id, expectedVersion: dialog.version, events: finished.events, state })
          const batch: Commit = {
            streams: writes,
            messages: yield* projectMessages(dialog.state.id, dialogEvents),
            timers: finished.timers,
            // What the decision relied on without writing it: the configuration, and the client unless written.
            checks: checksFor(config, clientEvents.length === 0 ? Option.getOrUndefined(existingClient) : undefined)
          }
          let stored: ReadonlyArray<StoredEvent> = []
          if (target === undefined) {
            const outcome = yield* commitFirstContact({ channelId: inbound.channelId, externalId: inbound.from }, batch)
            if (outcome._tag === "Known") return { _tag: "Known" as const, target: outcome.target }
            stored = outcome.events
          } else if (writes.length > 0 && inbound.externalId !== undefined && !vouchesFor(dialog, inbound.externalId)) {
            // A long dialog remembers only its latest external ids: the store checks the rest.
            const outcome = yield* commitUnseen({ dialogId: dialog.state.id, externalId: inbound.externalId }, batch)
            if (outcome._tag === "Seen") {
              return { _tag: "Received" as const, received: { clientId, dialogId: dialog.state.id, messageId: Option.some(outcome.messageId), events: [] } }
            }
            stored = outcome.events
          } else if (writes.length > 0) {
            stored = yield* commit(batch)
          }
          const received = messageEvents.find((event): event is Dialog.ClientMessageReceived => event._tag === "ClientMessageReceived")
          yield* publishAndNotify(stored, channel, Option.some(inbound.from))
          if (received !== undefined && !received.message.rejected && state.status === "bot" && Option.isSome(state.botId) && Option.isSome(bot)) {
            yield* bot.value.deliver(state.botId.value, received.message)
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

    /** Record a client's inbound message: first contact creates the client and the dialog; a closed dialog reopens (DLG-07). */
    const receive = (inbound: InboundMessage): Effect.Effect<Received, NotFound | VersionConflict> =>
      retryConflicts(
        Effect.gen(function* () {
          // A client the cache does not know is most likely new: no read before their first message.
          const first = yield* receiveFor(inbound, yield* cachedInbound(inbound.channelId, inbound.from))
          if (first._tag === "Received") return first.received
          const again = yield* receiveFor(inbound, Option.some(first.target))
          return again._tag === "Received" ? again.received : yield* Effect.dieMessage("a receive for a known client asked who the client is")
        })
      ).pipe(Effect.withSpan("Engine.receive", { captureStackTrace: false }))

    /** Start an outgoing dialog with a known client (DLG-13). */
    const openOutgoing = (actor: Actor, params: { readonly clientId: ClientId; readonly channelId: ChannelId; readonly input: MessageInput }) =>
      retryConflicts(
        Effect.gen(function* () {
          if (actor._tag !== "User") return yield* Effect.fail(new Dialog.DialogRejected({ dialogId: DialogId.make("new"), reason: "Forbidden", message: "Only an operator starts outgoing dialogs" }))
          const at = yield* now
          const settings = yield* store.getSettings()
          const channel = yield* channelOf(params.channelId)
          const client = yield* Effect.flatMap(store.loadClient(params.clientId), Option.match({
            onNone: () => Effect.fail(new NotFound({ entity: "client", id: params.clientId })),
            onSome: Effect.succeed
          }))
          if (!client.state.identities.some((identity) => identity.channelId === channel.id)) {
            return yield* Effect.fail(new NotFound({ entity: "channel", id: `${params.clientId} has no identity in ${channel.id}` }))
          }
          const currentId = client.state.dialogs[channel.id]
          const current = currentId === undefined ? Option.none() : yield* store.loadDialog(currentId)
          if (Option.isSome(current) && !current.value.state.deleted && current.value.state.status !== "closed") {
            return yield* Effect.fail(new Dialog.DialogRejected({ dialogId: current.value.state.id, reason: "AlreadyTaken", message: "The client already has an open dialog in this channel" }))
          }
          const dialogId = DialogId.make(yield* ids.next("dlg"))
          const opened = openDialog({ dialogId, clientId: client.state.id, channelId: channel.id, queueId: channel.queueId, priority: 0, botId: Option.none(), startedBy: Option.some(actor.id), at })
          const base = evolveDialog(initialDialog(dialogId, channel.id, channel.queueId), opened)
          const sent = yield* decideDialog(base, new Dialog.SendMessage({ dialogId, input: params.input, internal: false }), {
            now: at,
            actor,
            settings,
            client: { blocked: client.state.blocked, language: client.state.profile.language },
            channel: { maxTextLength: channel.capabilities.maxTextLength, editMessages: true, deleteMessages: true },
            nameOf: namesFor(actor, Option.none())
          })
          const finished = finishDialog(base, sent, at, settings)
          const events = [opened, ...finished.events]
          const state = finished.state
          const started = new Client.ClientDialogStarted({ clientId: client.state.id, channelId: channel.id, dialogId, at }, trusted)
          const stored = yield* commit({
            streams: [
              { kind: "client", id: client.state.id, expectedVersion: client.version, events: [started], state: Client.evolve(client.state, started) },
              { kind: "dialog", id: dialogId, expectedVersion: 0, events, state }
            ],
            messages: yield* projectMessages(dialogId, events),
            timers: finished.timers
          })
          yield* publishAndNotify(stored, channel, recipientOf(Option.some(client), channel.id))
          return { dialogId, events: stored }
        })
      )

    /**
     * Re-evaluate one dialog now and rewrite all its timers: fired by the scheduler at SLA warning
     * and breach instants, and after a stale timer (one set under older settings) fired early.
     */
    const refresh = (dialogId: DialogId): Effect.Effect<ReadonlyArray<StoredEvent>, NotFound | VersionConflict> =>
      retryConflicts(
        Effect.gen(function* () {
          const at = yield* now
          const { settings, dialog } = yield* Effect.all({ settings: store.getSettings(), dialog: loadDialog(dialogId) }, { concurrency: "unbounded" })
          const { events, state, timers } = finishDialog(dialog.state, [], at, settings, { refresh: true })
          const stored = yield* commit({
            streams: events.length === 0 ? [] : [{ kind: "dialog", id: dialogId, expectedVersion: dialog.version, events, state }],
            messages: [],
            timers
          })
          yield* bus.publish(stored)
          return stored
        })
      ).pipe(Effect.withSpan("Engine.refresh"))

    /**
     * Change the SLA calendar and policies (owners and admins) and recompute every open dialog's
     * due instants and statuses. Returns how many dialogs were re-evaluated.
     */
    const configureSla = (actor: Actor, sla: SlaClock.SlaSettings) =>
      Effect.gen(function* () {
        const settings = yield* store.getSettings()
        if (!can(actor, "settings.manage", settings)) {
          return yield* Effect.fail(new Forbidden({ action: "settings.manage", message: "You may not change SLA settings" }))
        }
        yield* store.saveSettings(Settings.make({ ...settings, sla }))
        cache.dropConfig()
        let count = 0
        for (const folder of ["new", "active", "bot"] as const) {
          let cursor: string | undefined
          for (;;) {
            // The cursor is the store's own, from the page before.
            const page = yield* Effect.orDie(store.listDialogs({ viewer: { userId: UserId.make("system"), seesAll: true }, folder, limit: 200, ...(cursor === undefined ? {} : { cursor }) }))
            for (const row of page.items) {
              yield* Effect.catchTag(refresh(row.dialogId), "NotFound", () => Effect.succeed([]))
              count++
            }
            if (Option.isNone(page.nextCursor)) break
            cursor = page.nextCursor.value
          }
        }
        return count
      })

    /**
     * Whether the actor may see a dialog of the client: `via` if the command names one (it must be
     * the client's), else one of the client's latest dialogs. Staff who see every dialog reach every
     * client without a read.
     */
    const reachesClient = (actor: Actor, client: Client.ClientState, via: DialogId | undefined, settings: Settings) =>
      Effect.gen(function* () {
        if (actor._tag === "System" || can(actor, "dialogs.viewAll", settings)) return true
        for (const id of via === undefined ? Object.values(client.dialogs) : [via]) {
          const found = yield* store.loadDialog(id)
          if (Option.isSome(found) && Option.contains(found.value.state.clientId, client.id) && canView(found.value.state, actor, settings)) return true
        }
        return false
      })

    /** Execute a client command (profile, tags, block/unblock) by someone who reaches the client. */
    const clientCommand = (actor: Actor, command: Client.ClientCommand) =>
      retryConflicts(
        Effect.gen(function* () {
          const client = yield* Effect.flatMap(store.loadClient(command.clientId), Option.match({
            onNone: () => Effect.fail(new NotFound({ entity: "client", id: command.clientId })),
            onSome: Effect.succeed
          }))
          const settings = yield* store.getSettings()
          const seesClient = yield* reachesClient(actor, client.state, command.via, settings)
          const events = yield* Client.decide(client.state, command, { now: yield* now, actor, settings, seesClient })
          if (events.length === 0) return []
          const state = events.reduce(Client.evolve, client.state)
          const stored = yield* commit({ streams: [{ kind: "client", id: client.state.id, expectedVersion: client.version, events, state }], messages: [], timers: [] })
          yield* bus.publish(stored)
          return stored
        })
      )

    /** Execute an operator command (register, role, status, routing profile). */
    const operatorCommand = (actor: Actor, command: Operator.OperatorCommand) =>
      retryConflicts(
        Effect.gen(function* () {
          const current = yield* store.loadOperator(command.userId)
          const version = Option.match(current, { onNone: () => 0, onSome: (found) => found.version })
          const base = Option.match(current, { onNone: () => Operator.initial(command.userId), onSome: (found) => found.state })
          const settings = yield* store.getSettings()
          const events = yield* Operator.decide(base, command, { now: yield* now, actor, settings, statuses: settings.operatorStatuses })
          if (events.length === 0) return []
          const state = events.reduce(Operator.evolve, base)
          const stored = yield* commit({ streams: [{ kind: "operator", id: command.userId, expectedVersion: version, events, state }], messages: [], timers: [] })
          yield* bus.publish(stored)
          return stored
        })
      )

    /** Change company settings (owners and admins). */
    const updateSettings = (actor: Actor, settings: Settings) =>
      Effect.gen(function* () {
        const current = yield* store.getSettings()
        if (!can(actor, "settings.manage", current)) {
          return yield* Effect.fail(new Forbidden({ action: "settings.manage", message: "You may not change company settings" }))
        }
        yield* store.saveSettings(settings)
        cache.dropConfig()
      })

    const viewerOf = (actor: Actor, settings: Settings) =>
      actor._tag === "User" ? Option.some({ userId: actor.id, seesAll: can(actor, "dialogs.viewAll", settings) }) : Option.none()

    /** The dialog list for a user: a folder, filters, sort, a keyset page. */
    const listDialogs = (actor: Actor, query: Omit<DialogQuery, "viewer">) =>
      Effect.gen(function* () {
        const settings = yield* store.getSettings()
        const viewer = viewerOf(actor, settings)
        if (Option.isNone(viewer)) return { items: [], nextCursor: Option.none() } as Page<never>
        return yield* store.listDialogs({ ...query, viewer: viewer.value })
      })

    /** A dialog's history page, newest first, if the actor may see the dialog; notes for staff only. */
    const history = (actor: Actor, query: Omit<MessageQuery, "includeInternal">) =>
      Effect.gen(function* () {
        const settings = yield* store.getSettings()
        const dialog = yield* loadDialog(query.dialogId)
        if (!canView(dialog.state, actor, settings)) return yield* Effect.fail(new NotFound({ entity: "dialog", id: query.dialogId }))
        return yield* store.messages({ ...query, includeInternal: actor._tag !== "Bot" })
      })

    /**
     * The client tags of a folder as the actor sees it, with their dialog counts, most used first
     * (DLG-21's tag filter); none for an actor who sees no dialogs.
     */
    const tagCounts = (actor: Actor, query: Omit<TagCountQuery, "viewer">) =>
      Effect.gen(function* () {
        const settings = yield* store.getSettings()
        const viewer = viewerOf(actor, settings)
        return Option.isNone(viewer) ? [] : yield* store.tagCounts({ ...query, viewer: viewer.value })
      })

    /** Header and folder unread counters for a user (DLG-09). */
    const unread = (actor: Actor) =>
      Effect.gen(function* () {
        const settings = yield* store.getSettings()
        const viewer = viewerOf(actor, settings)
        return Option.isNone(viewer) ? { total: 0, new: 0, mine: 0 } : yield* store.unread(viewer.value)
      })

    /** Decode a command from untrusted JSON; the error names the bad field's path. */
    const decodeCommand = (input: unknown) =>
      Effect.mapError(Schema.decodeUnknown(Dialog.DialogCommand)(input, { onExcessProperty: "error" }), InvalidInput.fromParseError)

    /** Decode an inbound message from untrusted JSON. */
    const decodeInbound = (input: unknown) =>
      Effect.mapError(Schema.decodeUnknown(InboundMessage)(input, { onExcessProperty: "error" }), InvalidInput.fromParseError)

    const dialog = (actor: Actor, id: DialogId) =>
      Effect.gen(function* () {
        const settings = yield* store.getSettings()
        const found = yield* loadDialog(id)
        if (!canView(found.state, actor, settings)) return yield* Effect.fail(new NotFound({ entity: "dialog", id }))
        return found.state
      })

    return {
      execute,
      receive,
      openOutgoing,
      client: clientCommand,
      operator: operatorCommand,
      updateSettings,
      listDialogs,
      history,
      unread,
      tagCounts,
      dialog,
      refresh,
      configureSla,
      decodeCommand,
      decodeInbound
    } as const
  })
}) {}

export type { Commit }
