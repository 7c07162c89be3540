import { Either } from "effect"
import type { ChannelKind } from "../../src/channels/Channel.js"
import {
  type Availability,
  deriveLoads,
  loadOf,
  OperatorId,
  type Presence,
  QueuePolicy,
  RoutingConfig,
  type RoutingDialog,
  RoutingModel,
  type RoutingOperator,
  SkillGroupId,
  StatusId
} from "../../src/routing/index.js"
import { DialogId, QueueId, TopicId } from "../../src/shared/Ids.js"

export const T0 = Date.UTC(2026, 2, 2, 9, 0)
export const q1 = QueueId.make("q1")
export const q2 = QueueId.make("q2")
export const oid = (id: string) => OperatorId.make(id)
export const did = (id: string) => DialogId.make(id)

/** A config with per-queue policy overrides. */
export const configWith = (
  queues: Record<string, Partial<ConstructorParameters<typeof QueuePolicy>[0]>> = {},
  extra: Partial<ConstructorParameters<typeof RoutingConfig>[0]> = {}
): RoutingConfig =>
  RoutingConfig.make({
    skillGroups: {
      billing: [TopicId.make("billing")],
      tech: [TopicId.make("tech")]
    },
    topicParents: { "billing/refunds": TopicId.make("billing") },
    queues: Object.fromEntries(Object.entries(queues).map(([q, p]) => [q, QueuePolicy.make(p)])),
    ...extra
  })

/**
 * A given/when/then driver over the pure routing model: each call runs one command at the
 * scenario's current instant; `advance` moves the instant (timers fire on the next command).
 */
export class Scenario {
  state: RoutingModel.RoutingState
  now: number
  readonly events: Array<RoutingModel.RoutingEvent> = []
  lastEvents: ReadonlyArray<RoutingModel.RoutingEvent> = []

  constructor(config: RoutingConfig = configWith(), now: number = T0) {
    this.state = RoutingModel.initial(config, now)
    this.now = now
  }

  /** Runs a command, failing the test if it is rejected. */
  run(command: RoutingModel.RoutingCommand): this {
    const rejection = this.attempt(command)
    if (rejection !== undefined) throw new Error(`unexpected rejection ${rejection.reason}: ${rejection.message}`)
    return this
  }

  /** Runs a command and returns its rejection, if any. */
  attempt(command: RoutingModel.RoutingCommand): RoutingModel.RoutingRejected | undefined {
    const result = RoutingModel.execute(this.state, command)
    if (Either.isLeft(result)) {
      this.lastEvents = []
      return result.left
    }
    this.state = result.right.state
    this.lastEvents = result.right.events
    this.events.push(...result.right.events)
    return undefined
  }

  advance(ms: number): this {
    this.now += ms
    return this.run(RoutingModel.Tick.make({ at: this.now }))
  }

  /** Registers an operator and, unless told otherwise, brings them online and available. */
  operator(
    id: string,
    profile: {
      readonly capacity?: Record<string, number>
      readonly queues?: ReadonlyArray<QueueId>
      readonly skillGroups?: ReadonlyArray<string>
      readonly skills?: Record<string, number>
      readonly shifts?: ReadonlyArray<{ readonly start: number; readonly end: number }>
    } = {},
    online = true
  ): this {
    this.run(
      RoutingModel.UpsertOperator.make({
        profile: RoutingModel.OperatorProfile.make({
          id: oid(id),
          capacity: profile.capacity ?? { widget: 2 },
          queues: profile.queues ?? [q1],
          skillGroups: (profile.skillGroups ?? []).map((g) => SkillGroupId.make(g)),
          skills: profile.skills ?? {},
          shifts: profile.shifts
        }),
        at: this.now
      })
    )
    if (online) this.online(id)
    return this
  }

  online(id: string): this {
    this.run(RoutingModel.SetStatus.make({ operatorId: oid(id), statusId: StatusId.make("online"), at: this.now }))
    return this.run(RoutingModel.SetPresence.make({ operatorId: oid(id), presence: "online", at: this.now }))
  }

  presence(id: string, presence: Presence): this {
    return this.run(RoutingModel.SetPresence.make({ operatorId: oid(id), presence, at: this.now }))
  }

  availability(id: string, availability: Availability): this {
    return this.run(RoutingModel.SetAvailability.make({ operatorId: oid(id), availability, at: this.now }))
  }

  heartbeat(id: string): this {
    return this.run(RoutingModel.Heartbeat.make({ operatorId: oid(id), at: this.now }))
  }

  capacity(id: string, channel: string, capacity: number): this {
    return this.run(RoutingModel.SetCapacity.make({ operatorId: oid(id), channel, capacity, at: this.now }))
  }

  arrive(
    id: string,
    patch: {
      readonly channel?: ChannelKind
      readonly queueId?: QueueId
      readonly priority?: number
      readonly topics?: ReadonlyArray<string>
      readonly requiredSkills?: ReadonlyArray<string>
      readonly slaDueAt?: number
    } = {}
  ): this {
    return this.run(
      RoutingModel.Arrive.make({
        dialog: RoutingModel.NewDialog.make({
          id: did(id),
          channel: patch.channel ?? "widget",
          queueId: patch.queueId ?? q1,
          priority: patch.priority ?? 0,
          topics: (patch.topics ?? []).map((t) => TopicId.make(t)),
          requiredSkills: patch.requiredSkills ?? [],
          slaDueAt: patch.slaDueAt
        }),
        at: this.now
      })
    )
  }

  pass(options: { readonly queues?: ReadonlyArray<QueueId>; readonly limit?: number } = {}): this {
    return this.run(RoutingModel.RunPass.make({ queues: options.queues, limit: options.limit, at: this.now }))
  }

  accept(dialog: string, operator: string): this {
    return this.run(RoutingModel.AcceptOffer.make({ dialogId: did(dialog), operatorId: oid(operator), at: this.now }))
  }

  decline(dialog: string, operator: string): this {
    return this.run(RoutingModel.DeclineOffer.make({ dialogId: did(dialog), operatorId: oid(operator), at: this.now }))
  }

  close(dialog: string): this {
    return this.run(RoutingModel.Close.make({ dialogId: did(dialog), at: this.now }))
  }

  dialog(id: string): RoutingDialog {
    const d = this.state.dialogs.get(did(id))
    if (d === undefined) throw new Error(`no dialog ${id}`)
    return d
  }

  op(id: string): RoutingOperator {
    const o = this.state.operators.get(oid(id))
    if (o === undefined) throw new Error(`no operator ${id}`)
    return o
  }

  /** Who holds the dialog (assignee or pending offer), if anyone. */
  holder(id: string): string | undefined {
    const d = this.dialog(id)
    return d.state === "offered" ? d.offer?.operatorId : d.assigneeId
  }

  load(operator: string, channel: string = "widget"): number {
    return loadOf(deriveLoads(this.state.dialogs.values(), this.state.config), oid(operator), channel)
  }

  /** Dialog ids held by `operator`, sorted. */
  heldBy(operator: string): Array<string> {
    return [...this.state.dialogs.values()]
      .filter((d) => (d.state === "offered" ? d.offer?.operatorId : d.state === "closed" ? undefined : d.assigneeId) === operator)
      .map((d) => d.id as string)
      .sort()
  }

  queued(): Array<string> {
    return [...this.state.dialogs.values()]
      .filter((d) => d.state === "queued")
      .map((d) => d.id as string)
      .sort()
  }

  tags(): Array<string> {
    return this.lastEvents.map((e) => e._tag)
  }
}
