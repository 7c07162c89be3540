import { Clock, Context, Duration, Effect, Layer, Option, Queue, Ref, Stream } from "effect"
import { system } from "../access/Access.js"
import type { ChannelKind } from "../channels/Channel.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine } from "../engine/Engine.js"
import * as Operator from "../operators/Operator.js"
import { EventBus } from "../ports/EventBus.js"
import { type DomainEvent, type LoadEntry, type PresenceRecord, type Versioned } from "../ports/Store.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { DialogListStore } from "../ports/DialogListStore.js"
import { EventStore } from "../ports/EventStore.js"
import { PresenceStore } from "../ports/PresenceStore.js"
import { DialogId, QueueId, type UserId } from "../shared/Ids.js"
import { planPass, type RoutingDecision } from "./Planner.js"
import {
  candidates,
  effectivePresence,
  isAbsent,
  isEligible,
  mayRequeue,
  type Presence,
  policyFor,
  type QueuePolicy,
  redistributionFor,
  RoutingConfig,
  type RoutingDialog,
  type RoutingOperator,
  type RoutingSnapshot,
} from "./Routing.js"
import { effectiveConfig, knownQueues, routingDialogOf, routingOperatorOf } from "./Profile.js"
import { supervisorView, type SupervisorView } from "./SupervisorView.js"
import * as KnownOperators from "./internal/KnownOperators.js"
import * as KnownQueue from "./internal/KnownQueue.js"

/**
 * How the router runs.
 * - `presence`: `"status"` trusts the operator's status alone (an active operator in a receiving
 *   status is present); `"heartbeat"` also requires a heartbeat within `presenceTtlSec`
 *   (`Router.heartbeat`, e.g. from the panel's SSE connection).
 * - `tick`: the periodic safety-net pass (A3: every ≤ 30 s).
 * - `maxQueued`: how many queued dialogs one pass reads.
 * - `statusOnInactivity`: with heartbeats, the status an operator is switched to when their
 *   heartbeat expires while in a receiving status (OPS-02 "inactivity switches the status"); none
 *   leaves the status alone.
 */
export interface RouterOptions {
  readonly presence: "status" | "heartbeat"
  readonly statusOnInactivity?: string
  readonly tick: Duration.DurationInput
  readonly maxQueued: number
}

const defaultOptions: RouterOptions = { presence: "status", tick: Duration.seconds(30), maxQueued: 10_000 }

/**
 * How this process's router runs (presence mode, tick). The routing configuration itself (skill
 * groups, queue policies, presence TTL) is `Settings.routing`, in the store.
 */
export class RoutingSettings extends Context.Tag("@switchboard/core/RoutingSettings")<
  RoutingSettings,
  { readonly options: RouterOptions }
>() {
  /** The router's options (defaults for those omitted). */
  static layer(options: Partial<RouterOptions> = {}): Layer.Layer<RoutingSettings> {
    return Layer.succeed(RoutingSettings, { options: { ...defaultOptions, ...options } })
  }
}

/** A decision the engine refused at commit time: someone else got there first (A3 2d). */
export interface LostDecision {
  readonly dialogId: DialogId
  readonly operatorId: UserId
  readonly reason: string
}

/** What one pass did. */
export interface PassReport {
  readonly planned: number
  readonly applied: ReadonlyArray<RoutingDecision>
  readonly lost: ReadonlyArray<LostDecision>
}

/** What a sweep of the time-driven duties did. */
export interface SweepReport {
  readonly rescinded: number
  readonly requeued: number
  readonly exclusionsReset: number
}

/** Events after which a pass may find work: something was queued, or an operator may have room. */
const triggerOf = (event: DomainEvent): "all" | QueueId | undefined => {
  switch (event._tag) {
    case "DialogOpened":
      return Option.isNone(event.botId) ? event.queueId : undefined
    case "DialogRequeued":
      return event.queueId
    case "HandedToQueue":
    case "OfferEnded":
    case "DialogClosed":
    case "HoldChanged":
    case "ExclusionsCleared":
    case "DialogReopened":
    case "OperatorStatusChanged":
    case "OperatorRoutingChanged":
    case "OperatorActivated":
      return "all"
    default:
      return undefined
  }
}

/**
 * The router: the imperative shell around `planPass` (ROUTING.md A3).
 *
 * A pass reads a snapshot from the storage ports (operators, their load from the dialogs themselves,
 * the queued dialogs), plans with the pure planner, and applies every decision through the
 * engine's command path (`RouteToOperator` / `OfferDialog`). The engine re-checks the decision on
 * fresh state and appends `OperatorLoadReserved` to the operator's stream at its expected version
 * in the same commit as the dialog's events, so two passes — on this server or another — can
 * never both fill an operator's last slot, nor both take one dialog (INV-3, INV-14). A decision
 * the engine refuses was lost to a concurrent writer; it is reported, never retried on the same
 * operator within the pass, and the next pass sees the new state.
 *
 * Passes are triggered by events on the bus (dialog queued, offer ended, capacity freed, operator
 * available), coalesced per queue so a burst costs one pass, plus a periodic safety tick. Each
 * pass first sweeps the time-driven duties: offers of absent operators are rescinded, the
 * dialogs of operators absent past `REQUEUE_AFTER`'s grace are requeued with their original
 * `enqueuedAt`, and exclusions older than `exclusionResetSec` are cleared. Offer expiry itself is
 * an engine timer (`Scheduler`).
 */
export class Router extends Effect.Service<Router>()("@switchboard/core/Router", {
  effect: Effect.gen(function* () {
    const eventStore = yield* EventStore
    const listStore = yield* DialogListStore
    const presenceStore = yield* PresenceStore
    const configStore = yield* ConfigStore
    const engine = yield* Engine
    const bus = yield* EventBus
    const settings = yield* Effect.serviceOption(RoutingSettings)
    const options = Option.isSome(settings) ? settings.value.options : defaultOptions

    /** When each operator was first seen absent: `REQUEUE_AFTER`'s grace runs from here. */
    const absentSince = yield* Ref.make(new Map<UserId, number>())
    const pending = yield* Ref.make<{ readonly all: boolean; readonly queues: ReadonlySet<QueueId> }>({ all: false, queues: new Set() })
    const wakeups = yield* Queue.sliding<void>(1)
    /** The operators while `run` follows the bus (it folds each operator event in before the pass it triggers); passes outside `run` read the store. */
    let known: KnownOperators.KnownOperators | undefined
    const operatorList = Effect.suspend(() => (known === undefined ? eventStore.listOperators() : Effect.succeed(known.all())))
    /** The queued dialogs while `run` follows the bus (each dialog event folded in, the router's own commands at once); passes outside `run` read the store. */
    let queue: KnownQueue.KnownQueue | undefined
    const queuedList = Effect.suspend(() => (queue === undefined ? listStore.queued(options.maxQueued) : Effect.succeed(queue.all(options.maxQueued))))
    /** A dialog command of the router's own; what it stored is in the queue's view before the next pass reads it. */
    const execute = (command: Dialog.DialogCommand) =>
      Effect.tap(engine.execute(system, command), (stored) => {
        const following = queue
        return following === undefined ? Effect.void : Effect.forEach(stored, following.apply, { discard: true })
      })
    /**
     * The operators' routing views and the effective configuration, remembered between passes: the
     * operators (`KnownOperators`) and the settings keep their identity until they change, so a
     * pass rebuilds only what changed (at 1,000 operators the rebuild was a tenth of the server's work per event).
     */
    let effective: { readonly stored: RoutingConfig; readonly operators: ReadonlyArray<unknown>; readonly skills: ReadonlyArray<readonly [UserId, unknown]>; readonly config: RoutingConfig } | undefined
    const effectiveOf = (stored: RoutingConfig, operators: ReadonlyArray<Versioned<Operator.OperatorState>>, active: ReadonlyArray<Versioned<Operator.OperatorState>>) => {
      if (effective?.stored === stored && effective.operators === operators) return effective.config
      // The effective configuration differs from the stored one only by the operators' own topics: an
      // operator's other changes (every assignment writes their load) keep it, and the dialogs' views made on it.
      const skills = active.map((o) => [o.state.id, o.state.skills] as const)
      const same = effective?.stored === stored && effective.skills.length === skills.length &&
        skills.every(([id, topics], index) => effective!.skills[index]![0] === id && effective!.skills[index]![1] === topics)
      effective = { stored, operators, skills, config: same ? effective!.config : effectiveConfig(stored, active.map((o) => o.state)) }
      return effective.config
    }
    const operatorViews = new WeakMap<Operator.OperatorState, { readonly statuses: unknown; readonly queues: string; view: RoutingOperator }>()
    /** `routingOperatorOf`, rebuilt only when the operator, the statuses or the queues changed (presence and time are set on the view kept). */
    const operatorView = (op: Operator.OperatorState, statuses: ReadonlyArray<Operator.OperatorStatus>, queueIds: ReadonlyArray<QueueId>, queuesKey: string, presence: PresenceRecord, now: number): RoutingOperator => {
      const cached = operatorViews.get(op)
      // Availability follows the clock only through a shift.
      if (cached === undefined || cached.statuses !== statuses || cached.queues !== queuesKey || Option.isSome(op.shift)) {
        const view = routingOperatorOf(op, statuses, queueIds, presence, now)
        operatorViews.set(op, { statuses, queues: queuesKey, view })
        return view
      }
      const kept = cached.view
      if (kept.presence !== presence.presence || kept.lastHeartbeatAt !== presence.lastHeartbeatAt || kept.lastActivityAt !== now) {
        cached.view = { ...kept, presence: presence.presence, lastHeartbeatAt: presence.lastHeartbeatAt, lastActivityAt: now }
      }
      return cached.view
    }

    const dialogViews = new WeakMap<Versioned<Dialog.DialogState>, { readonly kind: ChannelKind; readonly config: RoutingConfig; readonly view: RoutingDialog }>()
    /**
     * `routingDialogOf`, kept per stored version of the dialog (`KnownQueue` keeps a dialog's entry
     * until an event changes it) while the channel kind and the effective configuration are the same.
     */
    const dialogView = (entry: Versioned<Dialog.DialogState>, kind: ChannelKind, config: RoutingConfig): RoutingDialog => {
      const cached = dialogViews.get(entry)
      if (cached !== undefined && cached.kind === kind && cached.config === config) return cached.view
      const view = routingDialogOf(entry, kind, config)
      dialogViews.set(entry, { kind, config, view })
      return view
    }

    /**
     * The queued dialogs as a pass sees them: their views (in the queue's order), their ids, the queues
     * they wait in, and those their client reopened (for the sticky reopen). Kept while the queue's
     * list is the same array (`KnownQueue` answers one until a queued dialog changes: closing an
     * active dialog, say, leaves it), with the same configuration and channel kinds: at 10,000
     * queued, rebuilding them was most of a pass's CPU (`bench/panel/actions.ts`).
     */
    let waitingKept: (QueuedViews & { readonly queued: ReadonlyArray<unknown>; readonly config: RoutingConfig; readonly kindsKey: string }) | undefined
    const queuedViewsOf = (queued: ReadonlyArray<Versioned<Dialog.DialogState>>, kinds: ReadonlyMap<string, ChannelKind>, config: RoutingConfig): QueuedViews => {
      const kindsKey = [...kinds].map(([id, kind]) => `${id}\u0001${kind}`).join("\u0000")
      if (waitingKept?.queued === queued && waitingKept.config === config && waitingKept.kindsKey === kindsKey) return waitingKept
      const views: Array<RoutingDialog> = []
      const ids = new Set<string>()
      const queueIds = new Set<QueueId>()
      const reopened: Array<{ readonly entry: Versioned<Dialog.DialogState>; readonly dialog: RoutingDialog }> = []
      for (const d of queued) {
        queueIds.add(d.state.queueId)
        const kind = kinds.get(d.state.channelId)
        if (kind === undefined) continue
        const dialog = dialogView(d, kind, config)
        views.push(dialog)
        ids.add(d.state.id)
        if (Option.isSome(d.state.reopenedFrom) && Option.isNone(d.state.offer)) reopened.push({ entry: d, dialog })
      }
      waitingKept = { queued, config, kindsKey, views, ids, queueIds: [...queueIds], reopened }
      return waitingKept
    }

    /**
     * The snapshot a pass plans on, in the views of `Profile`: operators with no queues configured
     * serve every queue; skill groups and policies come from the stored `Settings.routing`.
     */
    const readSnapshot = (now: number, whole = false) =>
      Effect.gen(function* () {
        const { operators, channels, queued, present, settings } = yield* Effect.all(
          {
            settings: configStore.getSettings(),
            operators: operatorList,
            channels: configStore.listChannels(),
            queued: queuedList,
            // Heartbeats live in the store: an operator connected to any server is present for every router.
            present: options.presence === "heartbeat" ? presenceStore.presences() : Effect.succeed(new Map<UserId, PresenceRecord>())
          },
          { concurrency: "unbounded" }
        )
        const active = operators.filter((o) => o.state.registeredAt !== 0)
        const config = effectiveOf(settings.routing, operators, active)
        const kinds = new Map<string, ChannelKind>(channels.map((c) => [c.id, c.kind]))
        const waiting = queuedViewsOf(queued, kinds, config)
        const queueIds = [...new Set<QueueId>([...knownQueues(channels, config), ...waiting.queueIds])]
        const queuesKey = queueIds.join("\u0000")
        const views = active.map((o) => operatorView(o.state, settings.operatorStatuses, queueIds, queuesKey, presenceOf(present, o.state, config, now), now))
        // A pass needs the load of the operators who may take a dialog (the planner counts their room) and
        // of the absent ones whose dialogs a rule may requeue now (the sweep), plus every pending offer (the
        // sweep rescinds an absent operator's): not the dialogs held by everyone away (30,000 in
        // `bench/panel/actions.ts`, read, decoded and stubbed on every pass). The board reads them all.
        const since = whole ? undefined : yield* Ref.get(absentSince)
        const channelKinds = [...new Set(kinds.values())]
        const all = yield* presenceStore.loads(since === undefined ? undefined : {
          operators: views.filter((op) =>
            Object.keys(op.capacity).some((channel) => isEligible(op, channel, config, now)) ||
            (isAbsent(op, config, now) && channelKinds.some((kind) => mayRequeue(config, kind, since.get(op.id) ?? now, now)))
          ).map((op) => op.id)
        })
        const loads = active.map((o) => [o.state.id, all.get(o.state.id) ?? []] as const)
        const stubs = new Map<string, RoutingDialog>()
        for (const [operatorId, entries] of loads) {
          for (const entry of entries) {
            const kind = kinds.get(entry.channelId)
            if (kind !== undefined && !waiting.ids.has(entry.dialogId) && !stubs.has(entry.dialogId)) stubs.set(entry.dialogId, loadStub(operatorId, entry, kind))
          }
        }
        const snapshot: RoutingSnapshot = {
          operators: views,
          dialogs: stubs.size === 0 ? waiting.views : [...waiting.views, ...stubs.values()],
          // Not read yet: no store query gives recent assignments per queue, so a queue's
          // `maxAssignmentsPerWindow` (A2.4) does not act in production until one does.
          assignmentLog: []
        }
        return { snapshot, config, loads: new Map(loads), kinds, reopened: waiting.reopened }
      })
    type Snapshot = Effect.Effect.Success<ReturnType<typeof readSnapshot>>

    const presenceOf = (present: ReadonlyMap<UserId, PresenceRecord>, op: Operator.OperatorState, config: RoutingConfig, now: number): PresenceRecord => {
      if (options.presence === "status") return { presence: "online", lastHeartbeatAt: now }
      return present.get(op.id) ?? { presence: "offline", lastHeartbeatAt: now - config.presenceTtlSec * 1000 }
    }

    const lost = (decision: { readonly dialogId: DialogId; readonly operatorId: UserId }, reason: string): LostDecision => ({ ...decision, reason })

    /** Apply one decision through the engine; a refusal means a concurrent writer won. */
    const apply = (decision: RoutingDecision) =>
      execute(
        decision._tag === "Assign"
          ? new Dialog.RouteToOperator({ dialogId: decision.dialogId, operatorId: decision.operatorId, seq: decision.seq })
          : new Dialog.OfferDialog({ dialogId: decision.dialogId, operatorId: decision.operatorId, seq: decision.seq, expiresAt: decision.expiresAt })
      ).pipe(
        Effect.as(Option.none<LostDecision>()),
        Effect.catchTags({
          DialogRejected: (e) => Effect.succeed(Option.some(lost(decision, e.reason))),
          NotFound: () => Effect.succeed(Option.some(lost(decision, "NotFound"))),
          VersionConflict: () => Effect.succeed(Option.some(lost(decision, "VersionConflict")))
        })
      )

    /**
     * Time-driven duties as of now: rescind offers held by absent operators, requeue the live
     * dialogs of operators absent past the grace period, clear exclusions past their reset.
     */
    const sweep = Effect.fn("Router.sweep")(function* () {
      const now = yield* Clock.currentTimeMillis
      return (yield* sweepOn(yield* readSnapshot(now), now)).report
    })

    /** The sweep on a snapshot read at `now`; `changed` tells whether it ran any command (a pass then needs a fresh snapshot). */
    const sweepOn = (read: Snapshot, now: number) => Effect.gen(function* () {
      const { snapshot, config, loads, kinds } = read
      let changed = false
      let rescinded = 0
      let requeued = 0
      let exclusionsReset = 0
      const since = new Map(yield* Ref.get(absentSince))
      // The held dialogs of absent operators a REQUEUE_AFTER rule may apply to, read side by side (point
      // reads share statements: one per 64 dialogs, not one per dialog on every sweep). A dialog whose
      // channel no queue requeues yet (KEEP, or the grace not over) is not read: with operators away
      // holding 30,000 dialogs, every pass read them all (`bench/panel/actions.ts`).
      const held = snapshot.operators.filter((op) => isAbsent(op, config, now)).flatMap((op) =>
        (loads.get(op.id) ?? []).filter((entry) => {
          const kind = kinds.get(entry.channelId)
          return entry.kind !== "offered" && !entry.onHold && kind !== undefined && mayRequeue(config, kind, since.get(op.id) ?? now, now)
        }).map((entry) => entry.dialogId))
      const heldStates = new Map(yield* Effect.forEach(held, (id) => Effect.map(eventStore.loadDialog(id), (found) => [id, found] as const), { concurrency: "unbounded" }))
      for (const op of snapshot.operators) {
        if (!isAbsent(op, config, now)) {
          since.delete(op.id)
          continue
        }
        const from = since.get(op.id) ?? now
        since.set(op.id, from)
        if (options.statusOnInactivity !== undefined && op.availability === "available" && effectivePresence(op, config, now) === "offline") {
          changed = true
          yield* Effect.ignore(engine.operator(system, new Operator.SetStatus({ userId: op.id, statusId: options.statusOnInactivity })))
        }
        for (const entry of loads.get(op.id) ?? []) {
          if (entry.kind === "offered") {
            const done = yield* ignoreRefusal(execute(new Dialog.RescindOffer({ dialogId: entry.dialogId })))
            if (done) rescinded++
            continue
          }
          if (entry.onHold) continue
          const found = heldStates.get(entry.dialogId) ?? Option.none()
          const kind = kinds.get(entry.channelId)
          if (Option.isNone(found) || kind === undefined) continue
          const rule = redistributionFor(config, found.value.state.queueId, kind)
          if (rule._tag === "REQUEUE_AFTER" && now >= from + rule.graceSec * 1000) {
            const done = yield* ignoreRefusal(execute(new Dialog.Requeue({ dialogId: entry.dialogId, reason: "operator_unavailable" })))
            if (done) requeued++
          }
        }
      }
      yield* Ref.set(absentSince, since)
      for (const d of snapshot.dialogs) {
        if (d.state !== "queued" || d.excludedOperators.length === 0) continue
        const clearAt = yield* exclusionsEndAt(d.id, policyFor(config, d.queueId))
        if (Option.isSome(clearAt) && now >= clearAt.value) {
          const done = yield* ignoreRefusal(execute(new Dialog.ResetExclusions({ dialogId: d.id })))
          if (done) exclusionsReset++
        }
      }
      const report: SweepReport = { rescinded, requeued, exclusionsReset }
      return { report, changed: changed || rescinded + requeued + exclusionsReset > 0 }
    })

    /**
     * When every current exclusion of the dialog has run its time: a declined or expired offer
     * `exclusionResetSec` after it, a leave (DLG-04) `leaveCooldownSec` after it. Only the events
     * since the last clearing or assignment count.
     */
    const exclusionsEndAt = (dialogId: DialogId, policy: QueuePolicy) =>
      Effect.map(eventStore.readStream(`dialog:${dialogId}`), (events) => {
        let at: number | undefined
        for (const { event } of events) {
          if (event._tag === "ExclusionsCleared" || event._tag === "DialogAssigned" || event._tag === "DialogReopened") at = undefined
          else if (event._tag === "OfferEnded" && event.outcome !== "rescinded") at = Math.max(at ?? 0, event.at + policy.exclusionResetSec * 1000)
          else if (event._tag === "DialogRequeued" && event.reason === "left") at = Math.max(at ?? 0, event.at + policy.leaveCooldownSec * 1000)
        }
        return Option.fromNullable(at)
      })

    const ignoreRefusal = <A>(effect: Effect.Effect<A, Dialog.DialogRejected | { readonly _tag: "NotFound" } | { readonly _tag: "VersionConflict" }>) =>
      effect.pipe(
        Effect.as(true),
        Effect.catchTags({
          DialogRejected: () => Effect.succeed(false),
          NotFound: () => Effect.succeed(false),
          VersionConflict: () => Effect.succeed(false)
        })
      )

    /** One routing pass over `queues` (all when absent), at most `limit` decisions. */
    /**
     * Sticky reopen (ROUTING A3): a dialog its client reopened goes straight back to the operator
     * who closed it when they are a full candidate now (eligible, in the queue, with room, not
     * excluded); otherwise it stays for the normal pass. Returns how many went back.
     */
    const stickyReopens = (snapshot: RoutingSnapshot, config: RoutingConfig, now: number, reopened: QueuedViews["reopened"]) =>
      Effect.gen(function* () {
        let applied = 0
        for (const { entry, dialog } of reopened) {
          const previous = Option.getOrUndefined(entry.state.reopenedFrom)
          if (previous === undefined || !candidates(snapshot, config, dialog, now).some((op) => op.id === previous)) continue
          const outcome = yield* Effect.either(execute(new Dialog.RouteToOperator({ dialogId: entry.state.id, operatorId: previous, sticky: true })))
          if (outcome._tag === "Right") applied++
        }
        return applied
      })

    /**
     * One routing pass: sticky reopens first, then offers or assignments for the queued dialogs of
     * `queues` (all when absent), at most `limit` decisions; reports how many were planned, applied
     * and lost to a concurrent change.
     */
    const runPass = Effect.fn("Router.runPass")(function* (pass: { readonly queues?: ReadonlyArray<QueueId>; readonly limit?: number } = {}) {
      const now = yield* Clock.currentTimeMillis
      return yield* passOn(yield* readSnapshot(now), now, pass)
    })

    /** The pass on a snapshot read at `now` (a sticky reopen applied reads it again). */
    const passOn = (first: Snapshot, now: number, pass: { readonly queues?: ReadonlyArray<QueueId>; readonly limit?: number }) => Effect.gen(function* () {
      const sticky = yield* stickyReopens(first.snapshot, first.config, now, first.reopened)
      const { snapshot, config } = sticky === 0 ? first : yield* readSnapshot(now)
      const decisions = planPass(snapshot, config, now, { queues: pass.queues, limit: pass.limit })
      const applied: Array<RoutingDecision> = []
      const refused: Array<LostDecision> = []
      for (const decision of decisions) {
        const outcome = yield* apply(decision)
        if (Option.isSome(outcome)) refused.push(outcome.value)
        else applied.push(decision)
      }
      return { planned: decisions.length, applied, lost: refused } satisfies PassReport
    })

    /** Ask for a pass over `queueId` (every queue when absent); bursts coalesce into one pass. */
    const trigger = (queueId?: QueueId) =>
      Ref.update(pending, (p) => (queueId === undefined ? { all: true, queues: p.queues } : { all: p.all, queues: new Set([...p.queues, queueId]) })).pipe(
        Effect.zipRight(Queue.offer(wakeups, undefined)),
        Effect.asVoid
      )

    /**
     * Record a heartbeat (or an explicit presence) for `presence: "heartbeat"`, in the store, so every
     * server's router sees it; an operator who arrives (was absent, or changes presence) triggers a pass.
     */
    const heartbeat = Effect.fn("Router.heartbeat")(function* (operatorId: UserId, presence: Presence = "online") {
      yield* heartbeats([operatorId], presence)
    })

    /**
     * `heartbeat` for many operators at once (a server's beat for everyone with a panel open on it):
     * one read of the presences, one write, and one pass if any of them arrived. The statements do
     * not grow with the number of operators.
     */
    const heartbeats = Effect.fn("Router.heartbeats")(function* (operatorIds: ReadonlyArray<UserId>, presence: Presence = "online") {
      if (operatorIds.length === 0) return
      const now = yield* Clock.currentTimeMillis
      const ttl = (yield* configStore.getSettings()).routing.presenceTtlSec * 1000
      const known = yield* presenceStore.presences()
      yield* presenceStore.recordPresences(operatorIds.map((operatorId) => ({ operatorId, presence, at: now })))
      // A pass when an operator arrives (or comes back from away), not on every heartbeat of a present one.
      const arrived = operatorIds.some((operatorId) => {
        const before = known.get(operatorId)
        return before === undefined || before.presence !== presence || now >= before.lastHeartbeatAt + ttl
      })
      if (presence !== "offline" && arrived) yield* trigger()
    })

    /**
     * Sweep, then pass over whatever was triggered (everything on a tick), on one snapshot unless the
     * sweep changed something (then the pass reads its own).
     */
    const cycle = (all: boolean) =>
      Effect.gen(function* () {
        const p = yield* Ref.getAndSet(pending, { all: false, queues: new Set<QueueId>() })
        const now = yield* Clock.currentTimeMillis
        const read = yield* readSnapshot(now)
        const swept = yield* sweepOn(read, now)
        const queues = all || p.all ? undefined : [...p.queues]
        if (queues !== undefined && queues.length === 0) return
        yield* passOn(swept.changed ? yield* readSnapshot(now) : read, now, queues === undefined ? {} : { queues })
      }).pipe(Effect.withSpan("Router.cycle"))

    /**
     * Run forever: a pass over every queue at start, then every relevant event on the bus triggers
     * a pass (coalesced), and a pass over every queue runs at least every `tick`. Fork it; interrupt it to stop. `TestClock` drives
     * the tick in tests.
     */
    const run = Effect.scoped(
      Effect.gen(function* () {
        const events = yield* bus.subscribe
        // Read after subscribing: an event published meanwhile is in the read or comes on the bus (or both: then it is skipped).
        const following = yield* KnownOperators.make(eventStore)
        const waiting = yield* KnownQueue.make(listStore, eventStore, options.maxQueued)
        yield* Effect.acquireRelease(
          Effect.sync(() => {
            known = following
            queue = waiting
          }),
          () =>
            Effect.sync(() => {
              known = undefined
              queue = undefined
            })
        )
        yield* Effect.forkScoped(
          Stream.runForEach(events, (stored) => {
            const target = triggerOf(stored.event)
            // The operator's or dialog's change is in `known` / `queue` before the pass it triggers reads it.
            return Effect.zipRight(
              Effect.zipRight(following.apply(stored), waiting.apply(stored)),
              target === undefined ? Effect.void : trigger(target === "all" ? undefined : target)
            )
          })
        )
        const tick = Duration.decode(options.tick)
        // Whatever waited before the router subscribed is routed now, not at the first tick.
        yield* cycle(true)
        return yield* Effect.forever(
          Effect.gen(function* () {
            const woke = yield* Effect.raceFirst(Effect.as(Queue.take(wakeups), true), Effect.as(Effect.sleep(tick), false))
            if (!woke) yield* Effect.zipRight(following.refresh, waiting.refresh)
            yield* cycle(!woke)
          })
        )
      })
    )

    /**
     * The supervisor's board from the store, as of now. A pass knows held dialogs only as load;
     * the board reads each of them whole, for its queue and its over-capacity flag.
     */
    const board = Effect.fn("Router.board")(function* () {
      const now = yield* Clock.currentTimeMillis
      const { snapshot, config, kinds } = yield* readSnapshot(now, true)
      const dialogs = yield* Effect.forEach(snapshot.dialogs, (d) =>
        d.state === "queued"
          ? Effect.succeed(d)
          : Effect.map(eventStore.loadDialog(d.id), (found) =>
            Option.match(found, {
              onNone: () => d,
              onSome: (stored) => {
                const kind = kinds.get(stored.state.channelId)
                return kind === undefined ? d : routingDialogOf(stored, kind, config)
              }
            })
          ))
      return supervisorView({ ...snapshot, dialogs }, config, now) satisfies SupervisorView
    })

    /** The snapshot a pass would plan on now (for tests and diagnostics). */
    const snapshot = Effect.fn("Router.snapshot")(function* () {
      const now = yield* Clock.currentTimeMillis
      return (yield* readSnapshot(now, true)).snapshot
    })

    return { runPass, sweep, trigger, heartbeat, heartbeats, run, board, snapshot } as const
  })
}) {}

/** The queued dialogs of a snapshot (`queuedViewsOf` in `Router`). */
interface QueuedViews {
  readonly views: ReadonlyArray<RoutingDialog>
  readonly ids: ReadonlySet<string>
  readonly queueIds: ReadonlyArray<QueueId>
  readonly reopened: ReadonlyArray<{ readonly entry: Versioned<Dialog.DialogState>; readonly dialog: RoutingDialog }>
}

const stubQueue = QueueId.make("-")

/**
 * A dialog known only as someone's load: enough for load, never routed. The ids are the store's,
 * already decoded: checking them again with their Schema (`DialogId.make`) was a third of a pass's
 * CPU with 30,000 held dialogs (`bench/panel/actions.ts`).
 */
const loadStub = (operatorId: UserId, entry: LoadEntry, channel: ChannelKind): RoutingDialog => ({
  id: entry.dialogId,
  channel,
  queueId: stubQueue,
  priority: 0,
  enqueuedAt: 0,
  topics: [],
  requiredSkills: [],
  preferredSkills: [],
  excludedOperators: [],
  state: entry.kind === "offered" ? "offered" : entry.onHold ? "on_hold" : "assigned",
  assigneeId: entry.kind === "offered" ? undefined : operatorId,
  offer: entry.kind === "offered" ? { operatorId, createdAt: 0, expiresAt: 0 } : undefined,
  overCapacity: false,
  version: 0
})
