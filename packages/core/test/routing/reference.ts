/**
 * A deliberately naive restatement of ROUTING.md A1–A3 used as the oracle for the planner
 * (INV-8) and for the model test's invariants. It shares no code with `src/routing` beyond the
 * schema types: loads are recounted from the dialogs on every question, `E(d)` is a filter over
 * every operator, keys are plain arrays, and every choice sorts everything.
 */
import type { QueueId } from "../../src/shared/Ids.js"
import type * as Routing from "../../src/routing/index.js"

type Operator = Routing.RoutingOperator
type Dialog = Routing.RoutingDialog
type Config = Routing.RoutingConfig
type Key = ReadonlyArray<number | string>

export const compareKeys = (a: Key, b: Key): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === y) continue
    if (x === undefined) return -1
    if (y === undefined) return 1
    return x < y ? -1 : 1
  }
  return 0
}

export const policy = (config: Config, queueId: string): Routing.QueuePolicy => config.queues[queueId] ?? config.defaultPolicy

export const present = (o: Operator, config: Config, channel: string, now: number): boolean => {
  const stale = o.presence !== "offline" && now - o.lastHeartbeatAt >= config.presenceTtlSec * 1000
  const presence = stale ? "offline" : o.presence
  if (presence === "online") return true
  return presence === "away" && config.awayReceivesAsync && config.asyncChannels.some((c) => c === channel)
}

export const inShift = (o: Operator, now: number): boolean =>
  o.shifts === undefined || o.shifts.some((s) => now >= s.start && now < s.end)

export const absent = (o: Operator, config: Config, now: number): boolean => {
  const stale = o.presence !== "offline" && now - o.lastHeartbeatAt >= config.presenceTtlSec * 1000
  return o.presence === "offline" || stale || o.availability === "unavailable" || !inShift(o, now)
}

/** A1 eligibility for auto-routing on `channel`. */
export const eligible = (o: Operator, config: Config, channel: string, now: number): boolean =>
  present(o, config, channel, now) && o.availability === "available" && (o.capacity[channel] ?? 0) > 0 && inShift(o, now)

/** A1 load: the operator's assigned dialogs plus pending offers on `channel` (on hold when configured). */
export const load = (dialogs: ReadonlyArray<Dialog>, config: Config, operatorId: string, channel: string | undefined): number =>
  dialogs.filter(
    (d) =>
      (channel === undefined || d.channel === channel) &&
      ((d.state === "offered" && d.offer?.operatorId === operatorId) ||
        (d.state === "assigned" && d.assigneeId === operatorId) ||
        (d.state === "on_hold" && config.countOnHold && d.assigneeId === operatorId))
  ).length

const ancestorsAndSelf = (config: Config, topic: string): Array<string> => {
  const chain: Array<string> = []
  let t: string | undefined = topic
  while (t !== undefined && !chain.includes(t)) {
    chain.push(t)
    t = config.topicParents[t]
  }
  return chain
}

export const topicsOk = (o: Operator, config: Config, topics: ReadonlyArray<string>): boolean =>
  topics.every((topic) =>
    ancestorsAndSelf(config, topic).some((t) => o.skillGroups.some((g) => (config.skillGroups[g] ?? []).some((x) => x === t)))
  )

export const requiredNow = (d: Dialog, now: number): ReadonlyArray<string> =>
  d.relaxAfterSec !== undefined && now < d.enqueuedAt + d.relaxAfterSec * 1000
    ? [...d.requiredSkills, ...d.preferredSkills]
    : d.requiredSkills

export const windowCount = (
  log: ReadonlyArray<Routing.AssignmentRecord>,
  operatorId: string,
  queueId: string,
  now: number,
  windowSec: number
): number => log.filter((r) => r.operatorId === operatorId && r.queueId === queueId && r.at > now - windowSec * 1000 && r.at <= now).length

/** Operators that could take `d` ignoring load, exclusions and rate limits: the "compatible pool". */
export const compatible = (o: Operator, d: Dialog, config: Config, now: number): boolean =>
  eligible(o, config, d.channel, now) &&
  o.queues.includes(d.queueId) &&
  requiredNow(d, now).every((s) => (o.skills[s] ?? 0) >= 1) &&
  topicsOk(o, config, d.topics)

/** `o ∈ E(d)` (A2.2, plus the rate limit). */
export const isCandidate = (
  o: Operator,
  d: Dialog,
  config: Config,
  dialogs: ReadonlyArray<Dialog>,
  log: ReadonlyArray<Routing.AssignmentRecord>,
  now: number
): boolean => {
  if (!compatible(o, d, config, now)) return false
  if (load(dialogs, config, o.id, d.channel) >= (o.capacity[d.channel] ?? 0)) return false
  if (d.excludedOperators.includes(o.id)) return false
  const rate = policy(config, d.queueId).maxAssignmentsPerWindow
  return rate === undefined || windowCount(log, o.id, d.queueId, now, rate.windowSec) < rate.limit
}

/** A2.1 as written. */
export const queueKeyOf = (d: Dialog, p: Routing.QueuePolicy): Key => {
  switch (p.queueOrder) {
    case "PRIORITY_FIFO":
      return [-d.priority, d.enqueuedAt, d.id]
    case "SLA_DUE":
      return [d.slaDueAt ?? Infinity, -d.priority, d.enqueuedAt, d.id]
    case "FIFO":
      return [d.enqueuedAt, d.id]
    case "AGED_PRIORITY":
      return [d.enqueuedAt - d.priority * p.agingStepSec * 1000, d.id]
  }
}

/** A2.2 as written (LONGEST_IDLE with the documented meaning of idle). */
export const selectionKeyOf = (o: Operator, d: Dialog, p: Routing.QueuePolicy, config: Config, dialogs: ReadonlyArray<Dialog>): Key => {
  // "least recently assigned": the instant, then the order among assignments at that instant
  const last = [o.lastAssignedAt[d.channel] ?? -Infinity, o.lastAssignedSeq[d.channel] ?? 0]
  switch (p.selection) {
    case "LEAST_LOADED":
      return [load(dialogs, config, o.id, d.channel), ...last, o.id]
    case "LEAST_LOADED_PCT":
      return [load(dialogs, config, o.id, d.channel) / (o.capacity[d.channel] ?? 1), ...last, o.id]
    case "ROUND_ROBIN":
      return [...last, o.id]
    case "LONGEST_IDLE":
      return [load(dialogs, config, o.id, undefined) > 0 ? Infinity : (o.lastBecameIdleAt ?? -Infinity), ...last, o.id]
    case "BEST_SKILL": {
      const skills = [...new Set([...d.requiredSkills, ...d.preferredSkills])]
      return [-skills.reduce((sum, s) => sum + (o.skills[s] ?? 0), 0), ...last, o.id]
    }
  }
}

export interface ReferenceDecision {
  readonly dialogId: string
  readonly operatorId: string
  readonly kind: "Assign" | "Offer"
}

/**
 * A routing pass, naively: queues take turns (fewest decisions so far, then queue id); each turn
 * takes the queue's next dialog in queue-key order; `E(d)` is recomputed from scratch and sorted.
 */
export const referencePlan = (
  snapshot: Routing.RoutingSnapshot,
  config: Config,
  now: number,
  options: { readonly queues?: ReadonlyArray<QueueId>; readonly limit?: number } = {}
): Array<ReferenceDecision> => {
  let dialogs: Array<Dialog> = [...snapshot.dialogs]
  const operators = new Map(snapshot.operators.map((o) => [o.id as string, o]))
  const log: Array<Routing.AssignmentRecord> = [...snapshot.assignmentLog]
  const passCount = new Map<string, number>()
  const inScope = (q: string) => options.queues === undefined || options.queues.some((x) => x === q)
  const waiting = new Map<string, Array<Dialog>>()
  for (const d of dialogs) {
    if (d.state !== "queued" || !inScope(d.queueId)) continue
    waiting.set(d.queueId, [...(waiting.get(d.queueId) ?? []), d])
  }
  for (const [q, list] of waiting) {
    const p = policy(config, q)
    list.sort((a, b) => compareKeys(queueKeyOf(a, p), queueKeyOf(b, p)))
  }
  const served = new Map<string, number>()
  const out: Array<ReferenceDecision> = []
  while (out.length < (options.limit ?? Infinity)) {
    const queues = [...waiting.keys()].filter((q) => (waiting.get(q) ?? []).length > 0)
    if (queues.length === 0) break
    queues.sort((a, b) => compareKeys([served.get(a) ?? 0, a], [served.get(b) ?? 0, b]))
    const q = queues[0] as string
    const d = (waiting.get(q) as Array<Dialog>).shift() as Dialog
    const p = policy(config, q)
    const pool = [...operators.values()].filter(
      (o) =>
        isCandidate(o, d, config, dialogs, log, now) && (p.rampUpPerPass === undefined || (passCount.get(o.id) ?? 0) < p.rampUpPerPass)
    )
    if (pool.length === 0) continue
    pool.sort((a, b) => compareKeys(selectionKeyOf(a, d, p, config, dialogs), selectionKeyOf(b, d, p, config, dialogs)))
    const chosen = pool[0] as Operator
    const kind = p.delivery._tag === "DIRECT" ? "Assign" : "Offer"
    out.push({ dialogId: d.id, operatorId: chosen.id, kind })
    served.set(q, (served.get(q) ?? 0) + 1)
    passCount.set(chosen.id, (passCount.get(chosen.id) ?? 0) + 1)
    log.push({ operatorId: chosen.id, queueId: d.queueId, at: now })
    // recency: now, numbered after every assignment already made at now (a later recorded instant stays, numbered on)
    const previousAt = chosen.lastAssignedAt[d.channel]
    const previousSeq = chosen.lastAssignedSeq[d.channel] ?? 0
    const seqAtNow = Math.max(
      0,
      ...[...operators.values()].flatMap((o) => Object.entries(o.lastAssignedAt).filter(([, at]) => at === now).map(([c]) => (o.lastAssignedSeq[c] ?? 0) + 1))
    )
    const skewed = previousAt !== undefined && previousAt > now
    operators.set(chosen.id, {
      ...chosen,
      lastAssignedAt: { ...chosen.lastAssignedAt, [d.channel]: skewed ? previousAt : now },
      lastAssignedSeq: { ...chosen.lastAssignedSeq, [d.channel]: skewed ? previousSeq + 1 : seqAtNow }
    })
    dialogs = dialogs.map((x) =>
      x.id !== d.id
        ? x
        : kind === "Assign"
          ? { ...x, state: "assigned" as const, assigneeId: chosen.id }
          : { ...x, state: "offered" as const, offer: { operatorId: chosen.id, createdAt: now, expiresAt: now + 1 } }
    )
  }
  return out
}
