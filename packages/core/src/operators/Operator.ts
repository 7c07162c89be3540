import { Either, Option, Schema } from "effect"
import * as Calendar from "../sla/Calendar.js"
import { Actor, can, Permission, Role } from "../access/Access.js"
import { ChannelKind } from "../channels/Channel.js"
import { Language, type Settings } from "../settings/Settings.js"
import { limits, StoredName, StoredText } from "../shared/StoredText.js"
import { DialogId, Instant, QueueId, TopicId, UserId } from "../shared/Ids.js"

/** Max concurrent dialogs per channel kind; a missing kind means 0 (never auto-routed). */
export const Capacity = Schema.partialWith(
  Schema.Struct(
    Object.fromEntries(ChannelKind.literals.map((kind) => [kind, Schema.Number.pipe(Schema.int(), Schema.nonNegative())])) as {
      [K in ChannelKind]: Schema.filter<typeof Schema.Number>
    }
  ),
  { exact: true }
)
export type Capacity = typeof Capacity.Type

export { defaultStatuses, OperatorStatus } from "./Status.js"
import type { OperatorStatus } from "./Status.js"

/** A panel user and their routing profile (OPS-01..04). */
export const OperatorState = Schema.Struct({
  id: UserId,
  name: Schema.String,
  role: Role,
  permissions: Schema.Array(Permission),
  active: Schema.Boolean,
  language: Language,
  statusId: Schema.String,
  /** Max concurrent dialogs per channel kind; missing = 0 = never auto-routed. */
  capacity: Capacity,
  /** Topics this operator may handle (skill groups flattened); empty = only dialogs without a topic need no skill. */
  skills: Schema.Array(TopicId),
  queues: Schema.Array(QueueId),
  lastAssignedAt: Schema.Record({ key: Schema.String, value: Instant }),
  /** Working hours as a calendar (ROUTING A0): outside them the operator is unavailable. None = always. */
  shift: Schema.optionalWith(Schema.OptionFromNullOr(Calendar.Config), { default: () => Option.none() }),
  /** Offers that expired in a row without an answer (ROUTING A3); any assignment or status change resets it. */
  consecutiveMisses: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  registeredAt: Instant
})
export type OperatorState = typeof OperatorState.Type

export class OperatorRegistered extends Schema.TaggedClass<OperatorRegistered>()("OperatorRegistered", {
  userId: UserId,
  name: Schema.String,
  role: Role,
  language: Language,
  at: Instant
}) {}
export class OperatorRoleChanged extends Schema.TaggedClass<OperatorRoleChanged>()("OperatorRoleChanged", {
  userId: UserId,
  role: Role,
  permissions: Schema.Array(Permission),
  at: Instant
}) {}
export class OperatorActivated extends Schema.TaggedClass<OperatorActivated>()("OperatorActivated", {
  userId: UserId,
  active: Schema.Boolean,
  at: Instant
}) {}
export class OperatorStatusChanged extends Schema.TaggedClass<OperatorStatusChanged>()("OperatorStatusChanged", {
  userId: UserId,
  statusId: Schema.String,
  receivesDialogs: Schema.Boolean,
  at: Instant
}) {}
export class OperatorRoutingChanged extends Schema.TaggedClass<OperatorRoutingChanged>()("OperatorRoutingChanged", {
  userId: UserId,
  capacity: Capacity,
  skills: Schema.Array(TopicId),
  queues: Schema.Array(QueueId),
  shift: Schema.optionalWith(Schema.OptionFromNullOr(Calendar.Config), { default: () => Option.none() }),
  at: Instant
}) {}
/**
 * A dialog was assigned or offered to the operator. Appending it with the operator stream's
 * expected version is what makes two concurrent routing passes unable to fill one last slot twice.
 */
export class OperatorLoadReserved extends Schema.TaggedClass<OperatorLoadReserved>()("OperatorLoadReserved", {
  userId: UserId,
  dialogId: DialogId,
  channelKind: ChannelKind,
  /** An assignment, or a pending offer (which counts as load and for round robin, but is no answer). */
  kind: Schema.optionalWith(Schema.Literal("assigned", "offered"), { default: () => "assigned" as const }),
  at: Instant
}) {}

/** An offer to the operator expired unanswered. */
export class OfferMissed extends Schema.TaggedClass<OfferMissed>()("OfferMissed", {
  userId: UserId,
  dialogId: DialogId,
  at: Instant
}) {}

export const OperatorEvent = Schema.Union(
  OfferMissed,
  OperatorRegistered,
  OperatorRoleChanged,
  OperatorActivated,
  OperatorStatusChanged,
  OperatorRoutingChanged,
  OperatorLoadReserved
)
export type OperatorEvent = typeof OperatorEvent.Type

export class RegisterOperator extends Schema.TaggedClass<RegisterOperator>()("RegisterOperator", {
  userId: UserId,
  name: StoredName(limits.name),
  role: Role,
  language: Schema.optionalWith(Language, { default: () => Language.make("en") })
}) {}
export class ChangeRole extends Schema.TaggedClass<ChangeRole>()("ChangeRole", {
  userId: UserId,
  role: Role,
  permissions: Schema.optionalWith(Schema.Array(Permission), { default: () => [] })
}) {}
export class SetActive extends Schema.TaggedClass<SetActive>()("SetActive", { userId: UserId, active: Schema.Boolean }) {}
export class SetStatus extends Schema.TaggedClass<SetStatus>()("SetStatus", { userId: UserId, statusId: StoredText(limits.id) }) {}
export class SetRouting extends Schema.TaggedClass<SetRouting>()("SetRouting", {
  userId: UserId,
  capacity: Capacity,
  skills: Schema.Array(TopicId),
  queues: Schema.Array(QueueId),
  /** Working hours (a calendar); omitted = no shift limits. */
  shift: Schema.optional(Calendar.Config)
}) {}

export const OperatorCommand = Schema.Union(RegisterOperator, ChangeRole, SetActive, SetStatus, SetRouting)
export type OperatorCommand = typeof OperatorCommand.Type

export class OperatorRejected extends Schema.TaggedError<OperatorRejected>()("OperatorRejected", {
  userId: UserId,
  reason: Schema.Literal("Forbidden", "AlreadyRegistered", "NotRegistered", "UnknownStatus", "Inactive"),
  message: Schema.String
}) {}

export interface OperatorContext {
  readonly now: Instant
  readonly actor: Actor
  readonly settings: Settings
  readonly statuses: ReadonlyArray<OperatorStatus>
}

export const initial = (id: UserId): OperatorState => ({
  id,
  name: "",
  role: "operator",
  permissions: [],
  active: false,
  language: Language.make("en"),
  statusId: "offline",
  capacity: {},
  skills: [],
  queues: [],
  lastAssignedAt: {},
  shift: Option.none(),
  consecutiveMisses: 0,
  registeredAt: 0
})

const shifts = new WeakMap<Calendar.Config, Calendar.Calendar>()

/** Whether `now` is within the operator's shift (always, without one). Compiled shifts are cached. */
export const onShift = (state: OperatorState, now: number): boolean =>
  Option.match(state.shift, {
    onNone: () => true,
    onSome: (config) => {
      let calendar = shifts.get(config)
      if (calendar === undefined) {
        calendar = Calendar.make(config)
        shifts.set(config, calendar)
      }
      return Calendar.isWorkingTime(calendar, new Date(now))
    }
  })

/** Whether the operator may be routed dialogs at `now`: active, a receiving status, and on shift. */
export const availableAt = (state: OperatorState, statuses: ReadonlyArray<OperatorStatus>, now: number): boolean =>
  receivesDialogs(state, statuses) && onShift(state, now)

/** Whether the operator's status lets them receive dialogs now. */
export const receivesDialogs = (state: OperatorState, statuses: ReadonlyArray<OperatorStatus>): boolean =>
  state.active && statuses.some((status) => status.id === state.statusId && status.receivesDialogs)

/** Operator decider: registration, roles (admins only), status (self or supervisors), routing profile. */
export const decide = (
  state: OperatorState,
  command: OperatorCommand,
  ctx: OperatorContext
): Either.Either<ReadonlyArray<OperatorEvent>, OperatorRejected> => {
  const reject = (reason: OperatorRejected["reason"], message: string) =>
    Either.left(new OperatorRejected({ userId: command.userId, reason, message }))
  const registered = state.registeredAt !== 0
  const self = ctx.actor._tag === "User" && ctx.actor.id === command.userId
  const manager = can(ctx.actor, "settings.manage", ctx.settings)
  switch (command._tag) {
    case "RegisterOperator":
      if (!manager) return reject("Forbidden", "Only admins add users")
      if (registered) return reject("AlreadyRegistered", "The user already exists")
      return Either.right([
        new OperatorRegistered({ userId: command.userId, name: command.name, role: command.role, language: command.language, at: ctx.now })
      ])
    case "ChangeRole":
      if (!registered) return reject("NotRegistered", "No such user")
      if (!manager) return reject("Forbidden", "Only admins change roles")
      return Either.right([new OperatorRoleChanged({ userId: command.userId, role: command.role, permissions: command.permissions, at: ctx.now })])
    case "SetActive":
      if (!registered) return reject("NotRegistered", "No such user")
      if (!manager) return reject("Forbidden", "Only admins activate users")
      return state.active === command.active ? Either.right([]) : Either.right([new OperatorActivated({ userId: command.userId, active: command.active, at: ctx.now })])
    case "SetStatus": {
      if (!registered) return reject("NotRegistered", "No such user")
      if (!self && !can(ctx.actor, "dialogs.reassign", ctx.settings)) return reject("Forbidden", "You may change only your own status")
      if (!state.active) return reject("Inactive", "The user is deactivated")
      const status = ctx.statuses.find((candidate) => candidate.id === command.statusId)
      if (status === undefined) return reject("UnknownStatus", `No status "${command.statusId}"`)
      if (state.statusId === status.id) return Either.right([])
      return Either.right([new OperatorStatusChanged({ userId: command.userId, statusId: status.id, receivesDialogs: status.receivesDialogs, at: ctx.now })])
    }
    case "SetRouting":
      if (!registered) return reject("NotRegistered", "No such user")
      if (!can(ctx.actor, "dialogs.reassign", ctx.settings) || (ctx.actor._tag === "User" && ctx.actor.role === "operator")) {
        return reject("Forbidden", "Only supervisors change capacity, skills and queues")
      }
      return Either.right([
        new OperatorRoutingChanged({ userId: command.userId, capacity: command.capacity, skills: command.skills, queues: command.queues, shift: Option.fromNullable(command.shift), at: ctx.now })
      ])
  }
}

/** Total fold. */
export const evolve = (state: OperatorState, event: OperatorEvent): OperatorState => {
  switch (event._tag) {
    case "OperatorRegistered":
      if (state.registeredAt !== 0) return state
      return { ...state, name: event.name, role: event.role, language: event.language, active: true, registeredAt: event.at }
    case "OperatorRoleChanged":
      return { ...state, role: event.role, permissions: event.permissions }
    case "OperatorActivated":
      return { ...state, active: event.active }
    case "OperatorStatusChanged":
      return { ...state, statusId: event.statusId, consecutiveMisses: 0 }
    case "OfferMissed":
      return { ...state, consecutiveMisses: state.consecutiveMisses + 1 }
    case "OperatorRoutingChanged":
      return { ...state, capacity: event.capacity, skills: event.skills, queues: event.queues, shift: event.shift }
    case "OperatorLoadReserved":
      return {
        ...state,
        lastAssignedAt: { ...state.lastAssignedAt, [event.channelKind]: event.at },
        consecutiveMisses: event.kind === "assigned" ? 0 : state.consecutiveMisses
      }
  }
}
