import { DateTime, Option } from "effect"
import { defaultPriorities, type Priority, priorityName } from "../catalog/Catalog.js"
import type { DialogState, SlaMark, SlaSnapshot } from "../dialogs/Dialog.js"
import * as Calendar from "./Calendar.js"
import * as Sla from "./Sla.js"
import { decodeSlaSettings, SlaSettings } from "./SlaSettings.js"

/** The SLA configuration schema (`SlaSettings.ts`), here too for callers that know it as `SlaClock.SlaSettings`. */
export { decodeSlaSettings, SlaSettings }

/** The compiled form the engine evaluates against, with the priority catalog policies select by. */
export interface CompiledSla {
  readonly settings: SlaSettings
  readonly calendar: Calendar.Calendar
  readonly priorities: ReadonlyArray<Priority>
}

/** Compile an SLA configuration (its calendar) for a priority catalog (default: the default priorities). */
export const compile = (settings: SlaSettings, priorities: ReadonlyArray<Priority> = defaultPriorities): CompiledSla => ({
  settings,
  calendar: settings.calendar === undefined ? Calendar.always : Calendar.make(settings.calendar),
  priorities
})

const compiled = new WeakMap<SlaSettings, CompiledSla>()

/**
 * The company's SLA configuration, compiled (cached per configuration object); `None` when the
 * company tracks no SLA. It is part of the company settings, so it is stored with them and every
 * server sees a change.
 */
export const fromSettings = (settings: { readonly sla: SlaSettings | null; readonly priorities?: ReadonlyArray<Priority> }): Option.Option<CompiledSla> => {
  if (settings.sla === null) return Option.none()
  const priorities = settings.priorities ?? defaultPriorities
  let found = compiled.get(settings.sla)
  if (found === undefined || found.priorities !== priorities) {
    found = found === undefined ? compile(settings.sla, priorities) : { ...found, priorities }
    compiled.set(settings.sla, found)
  }
  return Option.some(found)
}

const toEntry = (mark: SlaMark): Sla.TimelineEntry => {
  const at = new Date(mark.at)
  switch (mark.kind) {
    case "Created":
      return Sla.created(at)
    case "ClientMessage":
      return Sla.clientMessage(at)
    case "OperatorReply":
      return Sla.operatorReply(at)
    case "WaitingOn":
      return Sla.waitingOnClient(at, true)
    case "WaitingOff":
      return Sla.waitingOnClient(at, false)
    case "Closed":
      return Sla.closed(at)
    case "Reopened":
      return Sla.reopened(at)
  }
}

/** Evaluate a dialog's SLA at `now` with the policy its priority, channel and topics select. */
export const evaluateDialog = (sla: CompiledSla, dialog: DialogState, now: number): Sla.Evaluation => {
  const policy = Sla.selectPolicy(sla.settings.policies, {
    priority: priorityName(dialog.priority, sla.priorities),
    channel: dialog.channelId,
    topics: dialog.topics
  })
  return Sla.evaluate(policy, sla.calendar, dialog.slaTimeline.map(toEntry), new Date(now))
}

/** What the dialog list and its labels need of an evaluation (SLA-04, DLG-20). */
export const snapshot = (evaluation: Sla.Evaluation): SlaSnapshot => {
  const statuses: { -readonly [K in Sla.Metric]?: Sla.Status } = {}
  for (const metric of Sla.Metric.literals) {
    const measurement = evaluation[metric]
    if (Option.isSome(measurement)) statuses[metric] = measurement.value.status
  }
  const key = Sla.processingKey(evaluation)
  return {
    policy: evaluation.policy,
    statuses,
    responseDueAt: key.group === 0 && key.rank !== Number.MAX_SAFE_INTEGER ? Option.some(key.rank) : Option.none()
  }
}

const sameSnapshot = (a: SlaSnapshot, b: SlaSnapshot): boolean =>
  a.policy === b.policy &&
  Option.getEquivalence((x: number, y: number) => x === y)(a.responseDueAt, b.responseDueAt) &&
  Sla.Metric.literals.every((metric) => a.statuses[metric] === b.statuses[metric])

/**
 * Compare a dialog's recorded SLA with a fresh evaluation: the new snapshot when something a
 * user would see changed, the metrics whose status changed, and when to look again.
 */
export const review = (
  sla: CompiledSla,
  dialog: DialogState,
  now: number
): { readonly update: Option.Option<{ readonly snapshot: SlaSnapshot; readonly changed: ReadonlyArray<Sla.Metric> }>; readonly nextAt: Option.Option<number> } => {
  const evaluation = evaluateDialog(sla, dialog, now)
  const next = snapshot(evaluation)
  const previous = dialog.sla
  const changed = Sla.Metric.literals.filter((metric) => Option.isNone(previous) ? next.statuses[metric] !== undefined : previous.value.statuses[metric] !== next.statuses[metric])
  const update = Option.isSome(previous) && sameSnapshot(previous.value, next) ? Option.none() : Option.some({ snapshot: next, changed })
  return { update, nextAt: Option.map(Sla.nextTransition(evaluation), (transition) => DateTime.toEpochMillis(transition.at)) }
}
