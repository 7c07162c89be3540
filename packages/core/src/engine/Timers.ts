import { Clock, Effect, Option } from "effect"
import * as Dialog from "../dialogs/Dialog.js"
import { inactivitySince } from "../dialogs/decide.js"
import { evolve as evolveDialog, fold } from "../dialogs/evolve.js"
import type { StoredEvent, Timer, TimerChange } from "../ports/Store.js"
import type { Settings } from "../settings/Settings.js"
import * as SlaClock from "../sla/SlaClock.js"
import type { NotFound, VersionConflict } from "../shared/Errors.js"
import type { DialogId } from "../shared/Ids.js"
import { type Appended, nothing } from "./CommandHandler.js"
import { type EnginePorts, loadDialog, trusted } from "./EnginePorts.js"

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

/** A dialog write completed with its SLA review and timers (`finishDialog`). */
export interface FinishedDialog {
  readonly events: ReadonlyArray<Dialog.DialogEvent>
  readonly state: Dialog.DialogState
  readonly timers: ReadonlyArray<TimerChange>
}

/**
 * Complete a dialog write: re-evaluate its SLA (appending `SlaUpdated` when what users see
 * changed) and compute its timers (inactivity, offer expiry, next SLA warning or breach).
 */
export const finishDialog = (
  before: Dialog.DialogState,
  decided: ReadonlyArray<Dialog.DialogEvent>,
  at: number,
  settings: Settings,
  options: { readonly refresh?: boolean } = {}
): FinishedDialog => {
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

/**
 * The engine's timer command: re-evaluate one dialog now and rewrite all its timers. Fired by the
 * scheduler at SLA warning and breach instants, and after a stale timer (one set under older
 * settings) fired early.
 */
export const makeRefresh = ({ eventStore, configStore, handler }: EnginePorts) =>
  (dialogId: DialogId): Effect.Effect<ReadonlyArray<StoredEvent>, NotFound | VersionConflict> =>
    handler.run(Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      const { settings, dialog } = yield* Effect.all({ settings: configStore.getSettings(), dialog: loadDialog(eventStore, dialogId) }, { concurrency: "unbounded" })
      const { events, state, timers } = finishDialog(dialog.state, [], at, settings, { refresh: true })
      return {
        commit: { ...nothing, streams: events.length === 0 ? [] : [{ kind: "dialog", id: dialogId, expectedVersion: dialog.version, events, state }], timers },
        then: (appended: Appended) => Effect.succeed(appended._tag === "Committed" ? appended.events : [])
      }
    })).pipe(Effect.withSpan("Engine.refresh"))
