import { Option } from "effect"
import type { DialogId, QueueId } from "../shared/Ids.js"
import {
  type Availability,
  capacityOf,
  deriveLoads,
  type DialogStatus,
  effectivePresence,
  holderOf,
  isAbsent,
  loadOf,
  type OperatorId,
  type Presence,
  type RoutingConfig,
  type RoutingSnapshot,
  type StatusId
} from "./Routing.js"

/** One channel's load against capacity for one operator. */
export interface ChannelLoad {
  readonly channel: string
  readonly load: number
  readonly capacity: number
}

/** A dialog an operator holds: assigned, on hold, or offered and not yet answered. */
export interface ActiveDialog {
  readonly dialogId: DialogId
  readonly channel: string
  readonly queueId: QueueId
  readonly state: DialogStatus
  readonly overCapacity: boolean
}

/** One row of the supervisor's operator board (OPS-02 "watch everyone's status and load live"). */
export interface OperatorRow {
  readonly operatorId: OperatorId
  readonly statusId: StatusId
  /** Presence as of `now` (a stale heartbeat shows as offline). */
  readonly presence: Presence
  readonly availability: Availability
  /** Offline, unavailable or off shift. */
  readonly absent: boolean
  readonly load: ReadonlyArray<ChannelLoad>
  readonly activeDialogs: ReadonlyArray<ActiveDialog>
}

/** One queue: how many dialogs wait and how long the oldest has waited. */
export interface QueueRow {
  readonly queueId: QueueId
  readonly length: number
  readonly oldestEnqueuedAt: Option.Option<number>
  readonly oldestWaitMs: Option.Option<number>
  /** Open dialogs of the queue (waiting or held) with a breached SLA target. */
  readonly slaBreaches: number
}

/** The supervisor board (OPS-05): one row per operator and one per queue, sorted by id. */
export interface SupervisorView {
  readonly operators: ReadonlyArray<OperatorRow>
  readonly queues: ReadonlyArray<QueueRow>
}

/**
 * The supervisor read model: every operator's status, load against capacity per channel and
 * active dialogs; every queue's length and oldest wait. Load is derived from the dialogs, the
 * same way routing derives it, so the board and the router never disagree. Rows are sorted by id.
 */
export const supervisorView = (snapshot: RoutingSnapshot, config: RoutingConfig, now: number): SupervisorView => {
  const loads = deriveLoads(snapshot.dialogs, config)
  const held = new Map<OperatorId, Array<ActiveDialog>>()
  const queues = new Map<QueueId, { length: number; oldest: number; breaches: number }>()
  const queueOf = (queueId: QueueId) => {
    let q = queues.get(queueId)
    if (q === undefined) queues.set(queueId, (q = { length: 0, oldest: Number.NaN, breaches: 0 }))
    return q
  }
  for (const d of snapshot.dialogs) {
    // A load stub (a dialog known only as load) has no queue of its own.
    if (d.slaBreached === true && d.state !== "closed") queueOf(d.queueId).breaches++
    if (d.state === "queued") {
      const q = queueOf(d.queueId)
      q.oldest = q.length === 0 ? d.enqueuedAt : Math.min(q.oldest, d.enqueuedAt)
      q.length++
      continue
    }
    const holder = holderOf(d)
    if (holder === undefined) continue
    const row: ActiveDialog = { dialogId: d.id, channel: d.channel, queueId: d.queueId, state: d.state, overCapacity: d.overCapacity }
    const list = held.get(holder)
    if (list === undefined) held.set(holder, [row])
    else list.push(row)
  }
  for (const op of snapshot.operators) for (const queueId of op.queues) queueOf(queueId)

  const operators = [...snapshot.operators]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((op): OperatorRow => {
      const activeDialogs = held.get(op.id) ?? []
      const channels = new Set<string>([...Object.keys(op.capacity), ...activeDialogs.map((d) => d.channel)])
      return {
        operatorId: op.id,
        statusId: op.statusId,
        presence: effectivePresence(op, config, now),
        availability: op.availability,
        absent: isAbsent(op, config, now),
        load: [...channels].sort().map((channel) => ({ channel, load: loadOf(loads, op.id, channel), capacity: capacityOf(op, channel) })),
        activeDialogs
      }
    })
  const queueRows = [...queues.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([queueId, q]): QueueRow => ({
      queueId,
      length: q.length,
      oldestEnqueuedAt: q.length === 0 ? Option.none() : Option.some(q.oldest),
      oldestWaitMs: q.length === 0 ? Option.none() : Option.some(Math.max(0, now - q.oldest)),
      slaBreaches: q.breaches
    }))
  return { operators, queues: queueRows }
}
