import { Option } from "effect"
import type * as Dialog from "../dialogs/Dialog.js"
import { evolve as evolveDialog, initial as initialDialog } from "../dialogs/evolve.js"
import * as Operator from "../operators/Operator.js"
import type { StoredEvent } from "../ports/Store.js"
import { ChannelId, DialogId, QueueId, UserId } from "../shared/Ids.js"

/**
 * The routing properties' oracle (ROUTING.md A5): the event log replayed in commit order, and a
 * brute-force statement of eligibility, load and queue order written from the spec, independent
 * of the planner and of `routing/Profile.ts`. Each routing event is judged against the state just
 * before it, i.e. what its committed transaction saw (INV-2's wording).
 */

/** What the oracle needs of the run's configuration. */
export interface World {
  /** Channel id → channel kind. */
  readonly kinds: ReadonlyMap<string, string>
  /** Skill group → topics (`Settings.routing.skillGroups`). */
  readonly groups: Readonly<Record<string, ReadonlyArray<string>>>
  /** Topic → parent topic. */
  readonly parents: Readonly<Record<string, string>>
  /** Statuses that receive dialogs. */
  readonly receiving: ReadonlySet<string>
  readonly queueOrder: "PRIORITY_FIFO" | "SLA_DUE" | "FIFO" | "AGED_PRIORITY"
  readonly agingStepSec: number
}

/** The replayed states of every dialog and operator stream. */
export class Replay {
  readonly dialogs = new Map<string, Dialog.DialogState>()
  readonly operators = new Map<string, Operator.OperatorState>()
  position = 0
  constructor(readonly world: World) {}

  /** Dialogs the engine has routed (assigned by a pass, or offered) since the replay began, by event. */
  readonly routed: Array<{ readonly dialogId: string; readonly operatorId: string; readonly mode: "route" | "sticky" | "offer"; readonly position: number }> = []

  /** Apply events in order; `check` sees each event with the states before it. */
  apply(events: ReadonlyArray<StoredEvent>, check: (event: StoredEvent, replay: Replay) => void): void {
    for (const stored of events) {
      if (stored.position <= this.position) continue
      this.position = stored.position
      check(stored, this)
      const [kind, id] = splitStream(stored.streamId)
      if (kind === "dialog") {
        const before = this.dialogs.get(id) ?? initialDialog(DialogId.make(id), ChannelId.make("-"), QueueId.make("-"))
        this.dialogs.set(id, evolveDialog(before, stored.event as Dialog.DialogEvent))
        const e = stored.event
        if (e._tag === "DialogOffered") this.routed.push({ dialogId: id, operatorId: e.operatorId, mode: "offer", position: stored.position })
        if (e._tag === "DialogAssigned" && (e.mode === "route" || e.mode === "sticky")) {
          this.routed.push({ dialogId: id, operatorId: e.operatorId, mode: e.mode, position: stored.position })
        }
      } else if (kind === "operator") {
        const before = this.operators.get(id) ?? Operator.initial(UserId.make(id))
        this.operators.set(id, Operator.evolve(before, stored.event as Operator.OperatorEvent))
      }
    }
  }

  kindOf(d: Dialog.DialogState): string {
    return this.world.kinds.get(d.channelId) ?? "?"
  }

  /** A1 load: the operator's assigned (on hold included, as the engine counts) and offered dialogs on a channel kind. */
  load(operatorId: string, kind: string): number {
    let n = 0
    for (const d of this.dialogs.values()) if (holderOf(d) === operatorId && this.kindOf(d) === kind) n++
    return n
  }

  /** The dialog ids each operator holds. */
  holdings(): Map<string, Array<string>> {
    const held = new Map<string, Array<string>>()
    for (const d of this.dialogs.values()) {
      const holder = holderOf(d)
      if (holder === undefined) continue
      held.set(holder, [...(held.get(holder) ?? []), d.id])
    }
    return held
  }

  receives(op: Operator.OperatorState): boolean {
    return op.registeredAt !== 0 && op.active && this.world.receiving.has(op.statusId)
  }

  /** A0: every topic covered by one of the operator's skill groups or own topics (or a parent), and the language spoken. */
  skilled(op: Operator.OperatorState, d: Dialog.DialogState): boolean {
    const coverage = new Set<string>(op.skills)
    for (const group of op.skillGroups) for (const topic of this.world.groups[group] ?? []) coverage.add(topic)
    const covered = (topic: string): boolean => {
      for (let t: string | undefined = topic, depth = 0; t !== undefined && depth < 16; t = this.world.parents[t], depth++) if (coverage.has(t)) return true
      return false
    }
    return d.topics.every(covered) && Option.match(d.language, { onNone: () => true, onSome: (language) => op.languages.includes(language) })
  }

  serves(op: Operator.OperatorState, d: Dialog.DialogState): boolean {
    return op.queues.length === 0 || op.queues.includes(d.queueId)
  }

  /** Operators who could take the dialog, load aside (eligible, in the queue, skilled, not excluded). */
  compatible(d: Dialog.DialogState): ReadonlyArray<string> {
    return [...this.operators.values()]
      .filter((op) => this.receives(op) && this.serves(op, d) && this.skilled(op, d) && !d.excludedOperators.includes(op.id) && (op.capacity[this.kindOf(d) as keyof Operator.Capacity] ?? 0) > 0)
      .map((op) => op.id)
      .sort()
  }

  /** `E(d)`: compatible operators with `load < capacity`. */
  candidates(d: Dialog.DialogState): ReadonlyArray<string> {
    const kind = this.kindOf(d)
    return this.compatible(d).filter((id) => {
      const op = this.operators.get(id)!
      return this.load(id, kind) < (op.capacity[kind as keyof Operator.Capacity] ?? 0)
    })
  }

  /** Dialogs waiting for the router: queued, no pending offer. */
  waiting(): ReadonlyArray<Dialog.DialogState> {
    return [...this.dialogs.values()].filter((d) => !d.deleted && d.status === "queued" && Option.isNone(d.offer))
  }

  /** A2.1 queue key, lowest served first, written out per order. */
  queueKey(d: Dialog.DialogState): ReadonlyArray<number | string> {
    const enqueuedAt = Option.getOrElse(d.enqueuedAt, () => d.createdAt)
    switch (this.world.queueOrder) {
      case "PRIORITY_FIFO":
        return [-d.priority, enqueuedAt, d.id]
      case "FIFO":
        return [enqueuedAt, d.id]
      case "AGED_PRIORITY":
        return [enqueuedAt - d.priority * this.world.agingStepSec * 1000, d.id]
      case "SLA_DUE":
        return [Option.getOrElse(Option.flatMap(d.sla, (sla) => sla.responseDueAt), () => Number.POSITIVE_INFINITY), -d.priority, enqueuedAt, d.id]
    }
  }
}

/** Lexicographic order on queue keys. */
export const compareKeys = (a: ReadonlyArray<number | string>, b: ReadonlyArray<number | string>): number => {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!
    const y = b[i]!
    if (x < y) return -1
    if (x > y) return 1
  }
  return a.length - b.length
}

/** The operator a dialog loads: its assignee while active (on hold too), or its pending offer's operator. */
export const holderOf = (d: Dialog.DialogState): string | undefined => {
  if (d.deleted) return undefined
  if (d.status === "active") return Option.getOrUndefined(d.assigneeId)
  return Option.getOrUndefined(Option.map(d.offer, (offer) => offer.operatorId))
}

const splitStream = (streamId: string): readonly [string, string] => {
  const at = streamId.indexOf(":")
  return [streamId.slice(0, at), streamId.slice(at + 1)]
}

/**
 * The per-commit invariants for one event, judged on the states before it: INV-1 (an engine-made
 * assignment or offer never takes an operator past capacity), INV-2 (only to an operator who
 * receives dialogs, serves the queue, is in a skill group for every topic, speaks the language and
 * was not excluded), INV-3/INV-4 (only a queued dialog without an offer is routed; an accept or a
 * reassignment never leaves two owners; the A4 transitions only), INV-11 (a requeue other than a
 * transfer keeps `enqueuedAt`). Returns the violation, if any, naming the invariant.
 */
export const commitViolation = (stored: StoredEvent, replay: Replay): string | undefined => {
  const [kind, id] = splitStream(stored.streamId)
  if (kind !== "dialog") return undefined
  const before = replay.dialogs.get(id)
  const e = stored.event as Dialog.DialogEvent
  if (before === undefined) return undefined
  const routedTo = e._tag === "DialogOffered" ? e.operatorId : e._tag === "DialogAssigned" && (e.mode === "route" || e.mode === "sticky") ? e.operatorId : undefined
  if (routedTo !== undefined) {
    const label = `${e._tag}${e._tag === "DialogAssigned" ? `(${e.mode})` : ""} of ${id} to ${routedTo}`
    if (before.status !== "queued" || Option.isSome(before.offer)) {
      return `INV-3 single owner: ${label} while the dialog was ${before.status}${Option.isSome(before.offer) ? " with a pending offer" : ""}`
    }
    const op = replay.operators.get(routedTo)
    if (op === undefined || !replay.receives(op)) return `INV-2 eligibility: ${label}, an operator who does not receive dialogs`
    if (!replay.serves(op, before)) return `INV-2 queue: ${label}, who does not serve ${before.queueId}`
    if (!replay.skilled(op, before)) {
      return `INV-2 skill group: ${label} (topics ${before.topics.join(",") || "-"}, language ${Option.getOrElse(before.language, () => "-")}) outside their skill groups ${[...op.skillGroups, ...op.skills].join(",") || "-"} / languages ${op.languages.join(",") || "-"}`
    }
    if (before.excludedOperators.includes(op.id)) return `INV-2 exclusions: ${label}, who was excluded`
    const channelKind = replay.kindOf(before)
    const capacity = op.capacity[channelKind as keyof Operator.Capacity] ?? 0
    const load = replay.load(op.id, channelKind)
    if (load >= capacity) return `INV-1 capacity: ${label} with load ${load} and capacity ${capacity} on ${channelKind}`
  }
  if (e._tag === "DialogAssigned" && (e.mode === "accept" || e.mode === "reassign")) {
    if (Option.isSome(before.offer) && before.offer.value.operatorId !== e.operatorId) return `INV-3 single owner: ${e.mode} of ${id} while offered to another`
    if (e.mode === "accept" && (before.status === "active" || before.status === "closed")) return `INV-3 single owner: accept of ${id} while ${before.status}`
  }
  if (e._tag === "DialogRequeued" && e.reason !== "transfer" && Option.isSome(before.enqueuedAt) && e.enqueuedAt !== before.enqueuedAt.value) {
    return `INV-11 requeue age: ${id} requeued (${e.reason}) with a new enqueuedAt`
  }
  if (e._tag === "OfferEnded" && Option.isNone(before.offer)) return `INV-4 transitions: an offer of ${id} ended without one pending`
  return undefined
}

/** INV-3/INV-4 on a state: exactly one of queued / offered / assigned / closed, one owner at most. */
export const stateViolation = (d: Dialog.DialogState): string | undefined => {
  if (Option.isSome(d.offer) && d.status !== "queued") return `INV-3 single owner: ${d.id} is ${d.status} and offered`
  if (d.status === "active" && Option.isNone(d.assigneeId)) return `INV-4 conservation: ${d.id} is active without an assignee`
  return undefined
}
