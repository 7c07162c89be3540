import { Either, Option, Schema } from "effect"
import * as Calendar from "../sla/Calendar.js"
import { Actor, can, Permission, Role, UserActor } from "../access/Access.js"
import { ChannelKind } from "../channels/Channel.js"
import { SkillGroupId, SkillLevels } from "../routing/Routing.js"
import { Language, type Settings } from "../settings/Settings.js"
import { limits, StoredName, StoredText } from "../shared/StoredText.js"
import { DialogId, Instant, QueueId, TopicId, UserId } from "../shared/Ids.js"
import { issueAnnotation } from "../shared/Issue.js"

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

/**
 * The routing profile beyond capacity, topics and queues (OPS-03, ROUTING A0): the named skill
 * groups (`Settings.routing.skillGroups`) the operator belongs to, their level per skill group or
 * language (`BEST_SKILL` sums the levels of the dialog's groups), and the languages they answer in.
 * Each defaults to empty, which is also how operators stored before these fields read.
 */
const routingProfile = {
  skillGroups: Schema.optionalWith(Schema.Array(SkillGroupId), { default: () => [] }),
  skillLevels: Schema.optionalWith(SkillLevels, { default: () => ({}) }),
  languages: Schema.optionalWith(Schema.Array(Language), { default: () => [] })
}

/** A panel user and their routing profile (OPS-01..04). */
export const OperatorState = Schema.Struct({
  id: UserId,
  name: Schema.String,
  role: Role,
  permissions: Schema.Array(Permission),
  /** The custom role (`Settings.roles`) the user holds besides `role`, if any (OPS-01). */
  customRole: Schema.optional(Schema.String),
  active: Schema.Boolean,
  language: Language,
  statusId: Schema.String,
  /** Since when the operator has been in `statusId` (their registration for the first status); 0 = not known. */
  statusSince: Schema.optionalWith(Instant, { default: () => 0 }),
  /** Max concurrent dialogs per channel kind; missing = 0 = never auto-routed. */
  capacity: Capacity,
  /** Topics this operator may handle beside their skill groups' (a personal skill group). */
  skills: Schema.Array(TopicId),
  queues: Schema.Array(QueueId),
  ...routingProfile,
  lastAssignedAt: Schema.Record({ key: Schema.String, value: Instant }),
  /** Per channel kind: the router's order of the last assignment among those at the same instant (round robin). */
  lastAssignedSeq: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Number }), { default: () => ({}) }),
  /** Working hours as a calendar (ROUTING A0): outside them the operator is unavailable. None = always. */
  shift: Schema.optionalWith(Schema.OptionFromNullOr(Calendar.Config), { default: () => Option.none() }),
  /** Offers that expired in a row without an answer (ROUTING A3); any assignment or status change resets it. */
  consecutiveMisses: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  /** The interface language the user chose (Account page); none = the company's, else the browser's. */
  interfaceLanguage: Schema.optionalWith(Schema.OptionFromNullOr(Language), { default: () => Option.none() }),
  /** The IANA time zone the panel shows times in for this user; none = the server's. */
  timeZone: Schema.optionalWith(Schema.OptionFromNullOr(Schema.String), { default: () => Option.none() }),
  registeredAt: Instant
})
export type OperatorState = typeof OperatorState.Type

/** First event of an operator stream: a panel user with a role and language (OPS-01). */
export class OperatorRegistered extends Schema.TaggedClass<OperatorRegistered>()("OperatorRegistered", {
  userId: UserId,
  name: Schema.String,
  role: Role,
  language: Language,
  at: Instant
}) {}
/** The user chose their interface language and time zone (none = the company's language, the server's zone). */
export class OperatorLocaleSet extends Schema.TaggedClass<OperatorLocaleSet>()("OperatorLocaleSet", {
  userId: UserId,
  language: Schema.OptionFromNullOr(Language),
  timeZone: Schema.OptionFromNullOr(Schema.String),
  at: Instant
}) {}
/** The user's role and extra permissions were replaced. */
export class OperatorRoleChanged extends Schema.TaggedClass<OperatorRoleChanged>()("OperatorRoleChanged", {
  userId: UserId,
  role: Role,
  permissions: Schema.Array(Permission),
  customRole: Schema.optional(Schema.String),
  at: Instant
}) {}
/** The user was activated or deactivated; an inactive user receives no dialogs. */
export class OperatorActivated extends Schema.TaggedClass<OperatorActivated>()("OperatorActivated", {
  userId: UserId,
  active: Schema.Boolean,
  at: Instant
}) {}
/** The operator chose a configured status (OPS-02); `receivesDialogs` is that status's flag at the time. */
export class OperatorStatusChanged extends Schema.TaggedClass<OperatorStatusChanged>()("OperatorStatusChanged", {
  userId: UserId,
  statusId: Schema.String,
  receivesDialogs: Schema.Boolean,
  at: Instant
}) {}
/** The operator's routing profile was replaced: capacity per channel kind, skills, queues and shift. */
export class OperatorRoutingChanged extends Schema.TaggedClass<OperatorRoutingChanged>()("OperatorRoutingChanged", {
  userId: UserId,
  capacity: Capacity,
  skills: Schema.Array(TopicId),
  queues: Schema.Array(QueueId),
  ...routingProfile,
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
  /** The router's order among assignments at the same instant (see `RoutingOperator.lastAssignedSeq`); 0 for manual ones. */
  seq: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  at: Instant
}) {}

/** An offer to the operator expired unanswered. */
export class OfferMissed extends Schema.TaggedClass<OfferMissed>()("OfferMissed", {
  userId: UserId,
  dialogId: DialogId,
  at: Instant
}) {}

/** Every event of an operator stream, decoded by `_tag`. */
export const OperatorEvent = Schema.Union(
  OfferMissed,
  OperatorRegistered,
  OperatorRoleChanged,
  OperatorActivated,
  OperatorStatusChanged,
  OperatorRoutingChanged,
  OperatorLoadReserved,
  OperatorLocaleSet
)
export type OperatorEvent = typeof OperatorEvent.Type

/** Register a panel user (admins); registering an existing one is `AlreadyRegistered`. */
export class RegisterOperator extends Schema.TaggedClass<RegisterOperator>()("RegisterOperator", {
  userId: UserId,
  name: StoredName(limits.name),
  role: Role,
  language: Schema.optionalWith(Language, { default: () => Language.make("en") })
}) {}
/**
 * Replace a user's role and extra permissions (admins); `customRole` gives them one of the
 * company's custom roles (`Settings.roles`) besides, which must exist (`UnknownRole`).
 */
export class ChangeRole extends Schema.TaggedClass<ChangeRole>()("ChangeRole", {
  userId: UserId,
  role: Role,
  permissions: Schema.optionalWith(Schema.Array(Permission), { default: () => [] }),
  customRole: Schema.optional(Schema.String)
}) {}
/** Activate or deactivate a user (admins). */
export class SetActive extends Schema.TaggedClass<SetActive>()("SetActive", { userId: UserId, active: Schema.Boolean }) {}
/**
 * Choose one of the company's configured statuses (OPS-02): an operator for themselves, whoever may
 * reassign dialogs for anyone. An unknown status is `UnknownStatus`; a deactivated user `Inactive`.
 */
export class SetStatus extends Schema.TaggedClass<SetStatus>()("SetStatus", { userId: UserId, statusId: StoredText(limits.id) }) {}
/**
 * Replace an operator's routing profile: capacity per channel kind, skills (topics), queues and
 * working hours (OPS-03, OPS-04); supervisors and admins only.
 */
export class SetRouting extends Schema.TaggedClass<SetRouting>()("SetRouting", {
  userId: UserId,
  capacity: Capacity,
  skills: Schema.Array(TopicId),
  queues: Schema.Array(QueueId),
  ...routingProfile,
  /** Working hours (a calendar); omitted = no shift limits. */
  shift: Schema.optional(Calendar.Config)
}) {}

/** An IANA time zone `Intl` knows, such as `Europe/Kyiv`. */
export const TimeZone = Schema.String.pipe(
  Schema.maxLength(64),
  Schema.filter((zone) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone })
      return true
    } catch {
      return `not a time zone: ${zone.slice(0, 64)}`
    }
  }, issueAnnotation("unknownTimeZone"))
)

/**
 * Choose the interface language and time zone (OPS-07, issue 22): a user for themselves, admins for
 * anyone. `null` = follow the company's language (then the browser's) and the server's zone.
 */
export class SetLocale extends Schema.TaggedClass<SetLocale>()("SetLocale", {
  userId: UserId,
  language: Schema.NullOr(Language),
  timeZone: Schema.NullOr(TimeZone)
}) {}

/** Every command of the operator aggregate. */
export const OperatorCommand = Schema.Union(RegisterOperator, ChangeRole, SetActive, SetStatus, SetRouting, SetLocale)
export type OperatorCommand = typeof OperatorCommand.Type

/** The one rejection of the operator aggregate: a small reason union and a readable message. */
export class OperatorRejected extends Schema.TaggedError<OperatorRejected>()("OperatorRejected", {
  userId: UserId,
  reason: Schema.Literal("Forbidden", "AlreadyRegistered", "NotRegistered", "UnknownStatus", "UnknownRole", "Inactive"),
  message: Schema.String
}) {}

/**
 * What the shell passes to the operator decider besides the command: time, actor, settings and the
 * configured statuses.
 */
export interface OperatorContext {
  readonly now: Instant
  readonly actor: Actor
  readonly settings: Settings
  readonly statuses: ReadonlyArray<OperatorStatus>
}

/**
 * The state of an operator not registered yet: inactive, offline, no capacity (so never routed to);
 * what `evolve` folds the first event onto.
 */
export const initial = (id: UserId): OperatorState => ({
  id,
  name: "",
  role: "operator",
  permissions: [],
  active: false,
  language: Language.make("en"),
  statusId: "offline",
  statusSince: 0,
  capacity: {},
  skills: [],
  queues: [],
  skillGroups: [],
  skillLevels: {},
  languages: [],
  lastAssignedAt: {},
  lastAssignedSeq: {},
  shift: Option.none(),
  consecutiveMisses: 0,
  interfaceLanguage: Option.none(),
  timeZone: Option.none(),
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

/** The user as an engine actor: their role, extra permissions and custom role. */
export const actorOf = (state: OperatorState): UserActor =>
  new UserActor({ id: state.id, name: state.name, role: state.role, permissions: state.permissions, ...(state.customRole === undefined ? {} : { customRole: state.customRole }) })

/** Whether the operator may be routed dialogs at `now`: active, a receiving status, and on shift. */
export const availableAt = (state: OperatorState, statuses: ReadonlyArray<OperatorStatus>, now: number): boolean =>
  receivesDialogs(state, statuses) && onShift(state, now)

/** Whether the operator's status lets them receive dialogs now. */
export const receivesDialogs = (state: OperatorState, statuses: ReadonlyArray<OperatorStatus>): boolean =>
  state.active && statuses.some((status) => status.id === state.statusId && status.receivesDialogs)

/**
 * Whether `actor` may set `userId`'s status (OPS-02): their own always, anyone's with the right to
 * reassign dialogs. `decide` enforces it; the supervisor board shows its controls by it.
 */
export const maySetStatusOf = (actor: Actor, userId: UserId, settings: Settings): boolean =>
  (actor._tag === "User" && actor.id === userId) || can(actor, "dialogs.reassign", settings)

/**
 * Whether `actor` may send an operator's dialogs back to the queue (OPS-05): the right `Requeue`
 * asks for. `Engine.redistribute` enforces it; the board shows its control by it.
 */
export const mayRedistribute = (actor: Actor, settings: Settings): boolean => can(actor, "dialogs.reassign", settings)

/**
 * Whether `actor` may change operators' routing profiles: capacity, skill groups, queues and shift
 * (OPS-03, OPS-04): supervisors, admins and owners (the right to reassign dialogs, and not the
 * operator role). `decide` enforces it on `SetRouting`; the users screen shows its editors by it.
 */
export const mayChangeRouting = (actor: Actor, settings: Settings): boolean =>
  can(actor, "dialogs.reassign", settings) && !(actor._tag === "User" && actor.role === "operator")

/** Operator decider: registration, roles (admins only), status (self or supervisors), routing profile. */
export const decide = (
  state: OperatorState,
  command: OperatorCommand,
  ctx: OperatorContext
): Either.Either<ReadonlyArray<OperatorEvent>, OperatorRejected> => {
  const reject = (reason: OperatorRejected["reason"], message: string) =>
    Either.left(new OperatorRejected({ userId: command.userId, reason, message }))
  const registered = state.registeredAt !== 0
  const manager = can(ctx.actor, "users.manage", ctx.settings)
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
      if (command.customRole !== undefined && !ctx.settings.roles.some((role) => role.id === command.customRole)) {
        return reject("UnknownRole", `No role "${command.customRole}"`)
      }
      return Either.right([
        new OperatorRoleChanged({ userId: command.userId, role: command.role, permissions: command.permissions, ...(command.customRole === undefined ? {} : { customRole: command.customRole }), at: ctx.now })
      ])
    case "SetActive":
      if (!registered) return reject("NotRegistered", "No such user")
      if (!manager) return reject("Forbidden", "Only admins activate users")
      return state.active === command.active ? Either.right([]) : Either.right([new OperatorActivated({ userId: command.userId, active: command.active, at: ctx.now })])
    case "SetStatus": {
      if (!registered) return reject("NotRegistered", "No such user")
      if (!maySetStatusOf(ctx.actor, command.userId, ctx.settings)) return reject("Forbidden", "You may change only your own status")
      if (!state.active) return reject("Inactive", "The user is deactivated")
      const status = ctx.statuses.find((candidate) => candidate.id === command.statusId)
      if (status === undefined) return reject("UnknownStatus", `No status "${command.statusId}"`)
      if (state.statusId === status.id) return Either.right([])
      return Either.right([new OperatorStatusChanged({ userId: command.userId, statusId: status.id, receivesDialogs: status.receivesDialogs, at: ctx.now })])
    }
    case "SetLocale": {
      if (!registered) return reject("NotRegistered", "No such user")
      if (!((ctx.actor._tag === "User" && ctx.actor.id === command.userId) || manager)) return reject("Forbidden", "You may change only your own language")
      const language = Option.fromNullable(command.language)
      const timeZone = Option.fromNullable(command.timeZone)
      const same = Option.getEquivalence<string>((a, b) => a === b)
      if (same(language, state.interfaceLanguage) && same(timeZone, state.timeZone)) return Either.right([])
      return Either.right([new OperatorLocaleSet({ userId: command.userId, language, timeZone, at: ctx.now })])
    }
    case "SetRouting":
      if (!registered) return reject("NotRegistered", "No such user")
      if (!mayChangeRouting(ctx.actor, ctx.settings)) {
        return reject("Forbidden", "Only supervisors change capacity, skills and queues")
      }
      return Either.right([
        new OperatorRoutingChanged({
          userId: command.userId,
          capacity: command.capacity,
          skills: command.skills,
          queues: command.queues,
          skillGroups: command.skillGroups,
          skillLevels: command.skillLevels,
          languages: command.languages,
          shift: Option.fromNullable(command.shift),
          at: ctx.now
        })
      ])
  }
}

/** Total fold. */
export const evolve = (state: OperatorState, event: OperatorEvent): OperatorState => {
  switch (event._tag) {
    case "OperatorRegistered":
      if (state.registeredAt !== 0) return state
      return { ...state, name: event.name, role: event.role, language: event.language, active: true, registeredAt: event.at, statusSince: event.at }
    case "OperatorRoleChanged":
      return { ...state, role: event.role, permissions: event.permissions, customRole: event.customRole } as OperatorState
    case "OperatorActivated":
      return { ...state, active: event.active }
    case "OperatorStatusChanged":
      return { ...state, statusId: event.statusId, statusSince: event.at, consecutiveMisses: 0 }
    case "OfferMissed":
      return { ...state, consecutiveMisses: state.consecutiveMisses + 1 }
    case "OperatorRoutingChanged":
      return {
        ...state,
        capacity: event.capacity,
        skills: event.skills,
        queues: event.queues,
        skillGroups: event.skillGroups,
        skillLevels: event.skillLevels,
        languages: event.languages,
        shift: event.shift
      }
    case "OperatorLocaleSet":
      return { ...state, interfaceLanguage: event.language, timeZone: event.timeZone }
    case "OperatorLoadReserved":
      return {
        ...state,
        lastAssignedAt: { ...state.lastAssignedAt, [event.channelKind]: event.at },
        lastAssignedSeq: { ...state.lastAssignedSeq, [event.channelKind]: event.seq },
        consecutiveMisses: event.kind === "assigned" ? 0 : state.consecutiveMisses
      }
  }
}
