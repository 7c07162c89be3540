import { Option } from "effect"
import type { ChannelKind } from "../channels/Channel.js"
import type * as Dialog from "../dialogs/Dialog.js"
import * as Operator from "../operators/Operator.js"
import type { PresenceRecord, Versioned } from "../ports/Store.js"
import type { QueueId, UserId } from "../shared/Ids.js"
import {
  coversTopics,
  effectiveRequiredSkills,
  hasSkills,
  RoutingConfig,
  type RoutingDialog,
  type RoutingOperator,
  SkillGroupId,
  StatusId,
  topicCovered
} from "./Routing.js"

/**
 * How stored operators, dialogs and settings read as routing's vocabulary (ROUTING A0–A1). The
 * router plans on these views and the engine re-checks a routing decision on the same views at
 * commit, so both apply one definition of "skill-compatible".
 *
 * - Skill groups are named in `Settings.routing.skillGroups`; an operator belongs to the groups
 *   of their routing profile, plus a personal group made of their own topics (`skills`).
 * - A dialog's topics must each be covered by one of the operator's groups (or a parent topic).
 * - A dialog's language is a required skill `language:<tag>`; an operator has it when they list
 *   the language.
 * - `BEST_SKILL` scores an operator by their levels in the named groups covering the dialog's
 *   topics (and in its language).
 */

/** The personal skill group holding an operator's own topics. */
export const personalGroupOf = (operatorId: UserId): SkillGroupId => SkillGroupId.make(`operator:${operatorId}`)

/** The skill an operator needs to take a dialog in `language`. */
export const languageSkill = (language: string): string => `language:${language}`

/**
 * The routing configuration a pass (or a commit-time check) applies: the stored one, with each
 * operator's personal group added and on-hold dialogs counted as load, as the engine counts them.
 */
export const effectiveConfig = (stored: RoutingConfig, operators: Iterable<Operator.OperatorState>): RoutingConfig => {
  const skillGroups: Record<string, ReadonlyArray<Dialog.DialogState["topics"][number]>> = { ...stored.skillGroups }
  for (const op of operators) skillGroups[personalGroupOf(op.id)] = op.skills
  return RoutingConfig.make({ ...stored, skillGroups, countOnHold: true })
}

/**
 * The company's queues: those its channels feed and those with a policy of their own in
 * `Settings.routing.queues`, sorted. The router serves these (plus any a waiting dialog names) to
 * operators with no queues of their own; the users screen offers them to choose from. No separate
 * catalog: a queue exists because a channel or a policy names it.
 */
export const knownQueues = (channels: ReadonlyArray<{ readonly queueId: QueueId }>, config: RoutingConfig): ReadonlyArray<QueueId> =>
  [...new Set<QueueId>([...channels.map((channel) => channel.queueId), ...Object.keys(config.queues).map((queue) => queue as QueueId)])].sort()

/** The operator as routing sees them at `now`; `allQueues` is what an operator without queues serves. */
export const routingOperatorOf = (
  op: Operator.OperatorState,
  statuses: ReadonlyArray<Operator.OperatorStatus>,
  allQueues: ReadonlyArray<QueueId>,
  presence: PresenceRecord,
  now: number
): RoutingOperator => {
  const skills: Record<string, number> = {}
  for (const language of op.languages) skills[languageSkill(language)] = 1
  Object.assign(skills, op.skillLevels)
  return {
    id: op.id,
    presence: presence.presence,
    lastHeartbeatAt: presence.lastHeartbeatAt,
    availability: Operator.availableAt(op, statuses, now) ? "available" : "unavailable",
    statusId: StatusId.make(op.statusId === "" ? "offline" : op.statusId),
    capacity: Object.fromEntries(Object.entries(op.capacity)),
    skillGroups: [...op.skillGroups, personalGroupOf(op.id)],
    skills,
    queues: op.queues.length === 0 ? allQueues : op.queues,
    lastAssignedAt: op.lastAssignedAt,
    lastAssignedSeq: op.lastAssignedSeq,
    consecutiveMisses: op.consecutiveMisses,
    lastActivityAt: now
  }
}

const routingStateOf = (d: Dialog.DialogState): RoutingDialog["state"] =>
  d.status === "closed" ? "closed" : d.status === "active" ? (d.onHold ? "on_hold" : "assigned") : Option.isSome(d.offer) ? "offered" : "queued"

/** The named skill groups covering every topic of the dialog: what `BEST_SKILL` scores levels on. */
const groupsCovering = (topics: ReadonlyArray<string>, config: RoutingConfig): ReadonlyArray<string> => {
  if (topics.length === 0) return []
  return Object.entries(config.skillGroups)
    .filter(([, groupTopics]) => {
      const coverage = new Set<string>(groupTopics)
      return topics.some((topic) => topicCovered(coverage, topic, config))
    })
    .map(([group]) => group)
}

/** The dialog as routing sees it. */
export const routingDialogOf = ({ state: d, version }: Versioned<Dialog.DialogState>, channel: ChannelKind, config: RoutingConfig): RoutingDialog => {
  const state = routingStateOf(d)
  const offer = Option.getOrUndefined(d.offer)
  const language = Option.getOrUndefined(d.language)
  return {
    id: d.id,
    channel,
    queueId: d.queueId,
    priority: Math.round(d.priority),
    slaDueAt: Option.getOrUndefined(Option.flatMap(d.sla, (sla) => sla.responseDueAt)),
    slaBreached: Option.exists(d.sla, (sla) => Object.values(sla.statuses).includes("breached")),
    enqueuedAt: Option.getOrElse(d.enqueuedAt, () => d.createdAt),
    topics: d.topics,
    requiredSkills: language === undefined ? [] : [languageSkill(language)],
    preferredSkills: groupsCovering(d.topics, config),
    excludedOperators: d.excludedOperators,
    state,
    assigneeId: state === "assigned" || state === "on_hold" ? Option.getOrUndefined(d.assigneeId) : undefined,
    offer: state === "offered" && offer !== undefined ? { operatorId: offer.operatorId, createdAt: offer.at, expiresAt: offer.expiresAt } : undefined,
    previousAssigneeId: Option.getOrUndefined(d.previousAssigneeId),
    overCapacity: d.overCapacity,
    version
  }
}

/**
 * Whether the operator's skill groups cover the dialog's topics and they speak its language
 * (ROUTING A0, the skill part of INV-2): the check the engine repeats at commit on the current
 * operator state and stored skill groups, exactly as the planner applies it.
 */
export const isSkilled = (
  op: Operator.OperatorState,
  dialog: Versioned<Dialog.DialogState>,
  channel: ChannelKind,
  stored: RoutingConfig,
  now: number
): boolean => {
  const config = effectiveConfig(stored, [op])
  const routing = routingOperatorOf(op, [], [], { presence: "online", lastHeartbeatAt: now }, now)
  const d = routingDialogOf(dialog, channel, config)
  return coversTopics(routing, d.topics, config) && hasSkills(routing, effectiveRequiredSkills(d, now))
}
