import { Option } from "effect"
import type { Message } from "../messages/Message.js"
import type { ChannelId, DialogId, QueueId } from "../shared/Ids.js"
import type { DialogEvent, DialogState } from "./Dialog.js"

/** The state of a dialog stream before its `DialogOpened` event. */
export const initial = (id: DialogId, channelId: ChannelId, queueId: QueueId): DialogState => ({
  id,
  clientId: Option.none(),
  channelId,
  status: "queued",
  deleted: false,
  assigneeId: Option.none(),
  previousAssigneeId: Option.none(),
  botId: Option.none(),
  queueId,
  priority: 0,
  language: Option.none(),
  enqueuedAt: Option.none(),
  excludedOperators: [],
  offer: Option.none(),
  onHold: false,
  overCapacity: false,
  topics: [],
  tags: [],
  closeReasonId: Option.none(),
  closedAt: Option.none(),
  createdAt: 0,
  lastActivityAt: 0,
  lastMessage: Option.none(),
  lastClientMessageAt: Option.none(),
  lastStaffMessageAt: Option.none(),
  firstResponseAt: Option.none(),
  awaitingReplySince: Option.none(),
  messageSeq: 0,
  clientMessageCount: 0,
  recentExternalIds: [],
  reads: {},
  markedUnread: [],
  drafts: {},
  pendingClose: Option.none(),
  ratingRequested: false,
  rating: Option.none(),
  reopenedFrom: Option.none(),
  waitingOnClient: false,
  slaTimeline: [],
  sla: Option.none()
})

const preview = (text: string): string => (text.length > 200 ? `${text.slice(0, 199)}…` : text)

/** The `seq` of a message id of this dialog (`<dialog>.m<seq>`), or undefined if it is not one. */
export const seqOfMessage = (dialogId: string, messageId: string): number | undefined => {
  const prefix = `${dialogId}.m`
  if (!messageId.startsWith(prefix)) return undefined
  const digits = messageId.slice(prefix.length)
  return /^[1-9][0-9]{0,8}$/.test(digits) ? Number(digits) : undefined
}

/**
 * Dialog events that change neither the status, the assignee, the offer nor deletion: who may see
 * the dialog, who owns it and which folder holds it stay as they were. Anything else (a new event
 * type too) may move it.
 */
export const placeNeutral: ReadonlySet<DialogEvent["_tag"]> = new Set<DialogEvent["_tag"]>([
  "ClientMessageReceived",
  "StaffMessageSent",
  "MessageEdited",
  "MessageDeleted",
  "DeliveryUpdated",
  "WaitingOnClientChanged",
  "SlaUpdated",
  "PriorityChanged",
  "LanguageSet"
])

/** How many inbound external ids a dialog remembers for de-duplication (channels redeliver within minutes). */
export const recentExternalIdsKept = 100

const withMessage = (state: DialogState, message: Message): DialogState => ({
  ...state,
  messageSeq: Math.max(state.messageSeq, message.seq),
  lastActivityAt: Math.max(state.lastActivityAt, message.createdAt)
})

type MarkKind = DialogState["slaTimeline"][number]["kind"]

/**
 * Append an SLA mark, keeping only what can change a measurement: a client message counts only
 * when it opens an exchange, an operator reply only when it answers one.
 */
const mark = (state: DialogState, kind: MarkKind, at: number): DialogState => {
  const timeline = state.slaTimeline
  if (kind === "ClientMessage" || kind === "OperatorReply") {
    for (let i = timeline.length - 1; i >= 0; i--) {
      const previous = timeline[i]!.kind
      if (previous === "ClientMessage" || previous === "OperatorReply") {
        if (previous === kind) return state
        break
      }
    }
  }
  return { ...state, slaTimeline: [...timeline, { kind, at }] }
}

/**
 * The dialog fold. Total: an event that cannot apply to the state (a duplicate, one out of
 * order) leaves it unchanged instead of throwing.
 */
export const evolve = (state: DialogState, event: DialogEvent): DialogState => {
  const next = apply(state, event)
  if (next === state) return state
  switch (event._tag) {
    case "DialogOpened":
      return mark(next, "Created", event.at)
    case "ClientMessageReceived":
      return mark(next, "ClientMessage", event.message.createdAt)
    case "StaffMessageSent":
      return event.message.author._tag === "Operator" && !event.message.internal ? mark(next, "OperatorReply", event.message.createdAt) : next
    case "DialogClosed":
      return mark({ ...next, waitingOnClient: false }, "Closed", event.at)
    case "DialogReopened":
      return mark(next, "Reopened", event.at)
    case "WaitingOnClientChanged":
      return mark(next, event.waiting ? "WaitingOn" : "WaitingOff", event.at)
    default:
      return next
  }
}

const apply = (state: DialogState, event: DialogEvent): DialogState => {
  switch (event._tag) {
    case "WaitingOnClientChanged":
      return state.status === "closed" || state.waitingOnClient === event.waiting ? state : { ...state, waitingOnClient: event.waiting }
    case "SlaUpdated":
      return { ...state, sla: Option.some(event.sla) }
    case "DialogOpened": {
      if (state.createdAt !== 0) return state
      const outgoing = Option.isSome(event.startedBy)
      return {
        ...state,
        clientId: Option.some(event.clientId),
        channelId: event.channelId,
        queueId: event.queueId,
        priority: event.priority,
        botId: event.botId,
        status: outgoing ? "active" : Option.isSome(event.botId) ? "bot" : "queued",
        assigneeId: event.startedBy,
        enqueuedAt: outgoing || Option.isSome(event.botId) ? Option.none() : Option.some(event.at),
        createdAt: event.at,
        lastActivityAt: event.at
      }
    }
    case "ClientMessageReceived": {
      const message = event.message
      if (message.seq <= state.messageSeq) return state
      const next = withMessage(state, message)
      const recentExternalIds = Option.match(message.externalId, {
        onNone: () => next.recentExternalIds,
        onSome: (externalId) => [...next.recentExternalIds.slice(1 - recentExternalIdsKept), [externalId, message.seq] as const]
      })
      if (message.rejected) return { ...next, recentExternalIds }
      return {
        ...next,
        recentExternalIds,
        clientMessageCount: state.clientMessageCount + 1,
        lastClientMessageAt: Option.some(message.createdAt),
        lastMessage: Option.some({ seq: message.seq, author: "Client", text: preview(message.text), at: message.createdAt }),
        // The client answered: no longer waiting on them (the SLA timeline reads it the same way).
        waitingOnClient: false,
        awaitingReplySince: Option.isSome(state.awaitingReplySince) ? state.awaitingReplySince : Option.some(message.createdAt)
      }
    }
    case "StaffMessageSent": {
      const message = event.message
      if (message.seq <= state.messageSeq) return state
      const next = withMessage(state, message)
      if (message.internal) return next
      const byOperator = message.author._tag === "Operator"
      return {
        ...next,
        lastMessage: Option.some({ seq: message.seq, author: message.author._tag, text: preview(message.text), at: message.createdAt }),
        lastStaffMessageAt: Option.some(message.createdAt),
        firstResponseAt: byOperator && Option.isNone(state.firstResponseAt) ? Option.some(message.createdAt) : state.firstResponseAt,
        awaitingReplySince: byOperator ? Option.none() : state.awaitingReplySince,
        drafts: byOperator ? withoutKey(state.drafts, message.author.userId) : state.drafts
      }
    }
    case "MessageEdited": {
      const seq = seqOfMessage(state.id, event.messageId)
      const lastMessage = Option.map(state.lastMessage, (last) => (last.seq === seq ? { ...last, text: preview(event.text) } : last))
      return { ...state, lastMessage }
    }
    case "MessageDeleted":
    case "DeliveryUpdated":
      // The message projection carries these; the dialog's own state does not change.
      return state
    case "HandedToQueue":
      if (state.status !== "bot") return state
      return { ...state, status: "queued", enqueuedAt: Option.some(event.at), lastActivityAt: event.at }
    case "DialogOffered":
      if (state.status !== "queued") return state
      return { ...state, offer: Option.some({ operatorId: event.operatorId, at: event.at, expiresAt: event.expiresAt }) }
    case "OfferEnded": {
      if (!Option.exists(state.offer, (offer) => offer.operatorId === event.operatorId)) return state
      const excluded = event.outcome === "rescinded" || state.excludedOperators.includes(event.operatorId)
        ? state.excludedOperators
        : [...state.excludedOperators, event.operatorId]
      return { ...state, offer: Option.none(), excludedOperators: excluded }
    }
    case "DialogAssigned": {
      const wasClosed = state.status === "closed"
      return {
        ...state,
        status: wasClosed ? "closed" : "active",
        reopenedFrom: Option.none(),
        assigneeId: Option.some(event.operatorId),
        previousAssigneeId: Option.isSome(event.previousAssigneeId) ? event.previousAssigneeId : state.previousAssigneeId,
        offer: Option.none(),
        onHold: false,
        overCapacity: event.overCapacity,
        // Others' exclusions outlive this assignment: an operator who left moments ago must not get the dialog back when the
        // next holder leaves it too (the sweep lifts them once their cooldown has run).
        excludedOperators: state.excludedOperators.filter((operator) => operator !== event.operatorId),
        lastActivityAt: Math.max(state.lastActivityAt, event.at)
      }
    }
    case "DialogRequeued": {
      if (state.status !== "active") return state
      // An operator who left is not offered the dialog again until the router's cooldown clears
      // the exclusions (ROUTING A3 "leaving must not bounce"); they may still accept it by hand.
      const leaver = event.reason === "left" ? Option.getOrUndefined(event.fromOperatorId) : undefined
      return {
        ...state,
        excludedOperators: leaver === undefined || state.excludedOperators.includes(leaver) ? state.excludedOperators : [...state.excludedOperators, leaver],
        status: "queued",
        queueId: event.queueId,
        reopenedFrom: Option.none(),
        assigneeId: Option.none(),
        previousAssigneeId: Option.isSome(event.fromOperatorId) ? event.fromOperatorId : state.previousAssigneeId,
        enqueuedAt: Option.some(event.enqueuedAt),
        onHold: false,
        overCapacity: false,
        lastActivityAt: Math.max(state.lastActivityAt, event.at)
      }
    }
    case "ReturnedToBot":
      return {
        ...state,
        status: "bot",
        botId: Option.some(event.botId),
        reopenedFrom: Option.none(),
        assigneeId: Option.none(),
        previousAssigneeId: Option.isSome(state.assigneeId) ? state.assigneeId : state.previousAssigneeId,
        offer: Option.none(),
        enqueuedAt: Option.none(),
        onHold: false,
        pendingClose: Option.none(),
        lastActivityAt: Math.max(state.lastActivityAt, event.at)
      }
    case "HoldChanged":
      return state.status === "active" ? { ...state, onHold: event.onHold } : state
    case "ExclusionsCleared":
      return { ...state, excludedOperators: [] }
    case "MoreQuestionsAsked":
      return { ...state, pendingClose: Option.some({ reasonId: event.reasonId, by: event.by, at: event.at }) }
    case "MoreQuestionsAnswered":
      return { ...state, pendingClose: Option.none() }
    case "DialogClosed":
      if (state.status === "closed") return state
      return {
        ...state,
        status: "closed",
        closeReasonId: event.reasonId,
        // A closed dialog keeps no draft: nothing can be sent from it until it reopens.
        drafts: {},
        reopenedFrom: Option.none(),
        closedAt: Option.some(event.at),
        offer: Option.none(),
        onHold: false,
        pendingClose: Option.none(),
        awaitingReplySince: Option.none(),
        lastActivityAt: Math.max(state.lastActivityAt, event.at)
      }
    case "DialogReopened":
      if (state.status !== "closed") return state
      return {
        ...state,
        status: Option.isSome(event.operatorId) ? "active" : "queued",
        assigneeId: Option.isSome(event.operatorId) ? event.operatorId : Option.none(),
        reopenedFrom: Option.isSome(event.operatorId) ? Option.none() : state.assigneeId,
        previousAssigneeId: Option.isSome(state.assigneeId) ? state.assigneeId : state.previousAssigneeId,
        enqueuedAt: Option.isSome(event.operatorId) ? state.enqueuedAt : Option.some(event.at),
        excludedOperators: [],
        closeReasonId: Option.none(),
        closedAt: Option.none(),
        ratingRequested: false,
        rating: Option.none(),
        lastActivityAt: Math.max(state.lastActivityAt, event.at)
      }
    case "RatingRequested":
      return { ...state, ratingRequested: true }
    case "RatingGiven":
      return { ...state, rating: Option.some(event.score) }
    case "TopicsSet":
      return { ...state, topics: event.topics }
    case "PriorityChanged":
      return { ...state, priority: event.priority }
    case "LanguageSet":
      return { ...state, language: event.language }
    case "TagsSet":
      return { ...state, tags: event.tags }
    case "DialogRead":
      return {
        ...state,
        reads: { ...state.reads, [event.userId]: Math.max(state.reads[event.userId] ?? 0, event.clientMessageCount) },
        markedUnread: state.markedUnread.filter((userId) => userId !== event.userId)
      }
    case "DialogMarkedUnread":
      return state.markedUnread.includes(event.userId) ? state : { ...state, markedUnread: [...state.markedUnread, event.userId] }
    case "DraftSaved":
      return { ...state, drafts: event.text === "" ? withoutKey(state.drafts, event.userId) : { ...state.drafts, [event.userId]: event.text } }
    case "DialogDeleted":
      return { ...state, deleted: true }
    case "ClientDetached":
      return { ...state, clientId: Option.none() }
    case "DialogClientMerged":
      return Option.contains(state.clientId, event.from) ? { ...state, clientId: Option.some(event.into) } : state
  }
}

const withoutKey = (record: Readonly<Record<string, string>>, key: string): Record<string, string> => {
  const { [key]: _, ...rest } = record
  return rest
}

/** Unread client messages of a dialog for one user (DLG-09); never negative. */
export const unreadFor = (state: DialogState, userId: string): number => {
  const unread = Math.max(0, state.clientMessageCount - (state.reads[userId] ?? 0))
  return state.markedUnread.includes(userId as DialogState["markedUnread"][number]) ? Math.max(1, unread) : unread
}

/** Fold a whole stream. */
export const fold = (state: DialogState, events: Iterable<DialogEvent>): DialogState => {
  let current = state
  for (const event of events) current = evolve(current, event)
  return current
}
