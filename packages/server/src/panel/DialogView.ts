import { Clock, DateTime, Effect, Option } from "effect"
import { type Access, type Channel, type Client, ConfigStore, type Dialog, type DialogId, DialogPermissions, Engine, type Settings, Sla, SlaClock } from "@switchboard/core"
import type { ClientTagView, ComposeView, Contract, DialogHeadView, DialogView } from "@switchboard/ui-htmx"
import type { Directory } from "./Directory.js"
import { controlsView } from "./Controls.js"
import { composerView } from "./ComposerView.js"
import { historyPage } from "./History.js"
import { displayDue, startOfDay } from "./Time.js"

const metricLabels: Record<Sla.Metric, string> = { firstResponse: "First response", nextResponse: "Next response", timeToClose: "Time to close" }

/** The open dialog's SLA metrics (SLA-05), evaluated now on the company's calendar and policy. */
export const slaView = (settings: Settings.Settings, state: Dialog.DialogState, now: number): Pick<DialogView, "slaPolicy" | "sla"> =>
  Option.match(SlaClock.fromSettings(settings), {
    onNone: () => ({ slaPolicy: undefined, sla: [] }),
    onSome: (compiled) => {
      const evaluation = SlaClock.evaluateDialog(compiled, state, now)
      const sla = Sla.Metric.literals.flatMap((metric) =>
        Option.match(evaluation[metric], {
          onNone: () => [],
          onSome: (measurement) => [{
            label: metricLabels[metric],
            metric,
            status: measurement.status,
            targetMinutes: measurement.target,
            elapsedMinutes: Math.floor(measurement.elapsed),
            remainingMinutes: Math.ceil(measurement.remaining),
            due: Option.match(measurement.due, { onNone: () => undefined, onSome: (due) => displayDue(DateTime.toEpochMillis(due)) }),
            dueIso: Option.match(measurement.due, { onNone: () => undefined, onSome: (due) => new Date(DateTime.toEpochMillis(due)).toISOString() })
          }]
        })
      )
      return { slaPolicy: evaluation.policy, sla }
    }
  })

/** The catalog's tags, then any other tag the client carries, each as the client has it. */
const clientTagsView = (settings: Settings.Settings, names: Directory, carried: ReadonlyArray<Client.ClientTag>): ReadonlyArray<ClientTagView> => {
  const has = new Map(carried.map((tag) => [tag.tagId as string, tag]))
  const catalog = settings.tags.map((tag) => tag.id as string)
  return [...catalog, ...[...has.keys()].filter((id) => !catalog.includes(id))].map((id) => ({ ...names.tag(id), on: has.has(id), pinned: has.get(id)?.pinned ?? false }))
}

/**
 * The open dialog's head for a user (`DialogHead`): what the pane shows above the history and the
 * actions core's dialog permissions allow them (`DialogPermissions.can`), the SLA pane as of
 * `now`. The page and the live stream both render it from here.
 */
export const headView = (params: {
  readonly actor: Access.UserActor
  readonly state: Dialog.DialogState
  readonly client: Option.Option<Client.ClientState>
  readonly clientName: string
  readonly channel: Channel.Channel | undefined
  readonly settings: Settings.Settings
  readonly names: Directory
  readonly list: Contract.ListParams
  readonly now: number
}): DialogHeadView => {
  const { actor, state, settings, names } = params
  const may = (action: DialogPermissions.DialogAction) => DialogPermissions.can(actor, action, state, settings)
  return {
    id: state.id,
    clientName: params.clientName,
    clientId: Option.getOrUndefined(state.clientId),
    channelName: names.channelName(state.channelId),
    status: state.status,
    assigneeName: Option.match(state.assigneeId, { onNone: () => undefined, onSome: names.operatorName }),
    canAccept: may("accept"),
    canLeave: may("leave"),
    canClose: may("close"),
    canReopen: may("reopen"),
    closeReasons: settings.closeReasons.map((reason) => ({ id: reason.id, name: reason.name })),
    list: params.list,
    ...slaView(settings, state, params.now),
    // The header's further controls; the messages' own come with the history.
    controls: controlsView({ actor, state, settings, names, client: params.client, channel: params.channel, messages: [] })
  }
}

/** The open dialog's compose area for a user (`ComposeArea`). */
export const composeView = (actor: Access.UserActor, state: Dialog.DialogState, settings: Settings.Settings, list: Contract.ListParams): ComposeView => ({
  id: state.id,
  status: state.status,
  canWrite: DialogPermissions.can(actor, "write", state, settings),
  canAccept: DialogPermissions.can(actor, "accept", state, settings),
  draft: state.drafts[actor.id] ?? "",
  list
})

/**
 * The open dialog for a user: state, a history page (the newest, or the one before `before`),
 * and the controls core's dialog permissions allow them (`DialogPermissions.can`); `list` is the
 * list beside it. Close reasons are the company's catalog.
 */
export const dialogView = (
  actor: Access.UserActor,
  dialogId: DialogId,
  list: Contract.ListParams,
  before?: string,
  /** Open the history at the end of the list's period, if it has one (opening a dialog from the list). */
  options: { readonly atPeriodEnd?: boolean } = {}
) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const configStore = yield* ConfigStore
    const [settings, state] = yield* Effect.all([configStore.getSettings(), engine.dialog(actor, dialogId)], { concurrency: "unbounded" })
    // Opened from a list of a period (DLG-21), the history starts at the period's end, unless nothing came after it.
    const periodEnd = options.atPeriodEnd === true && before === undefined && list.filters?.to !== undefined ? startOfDay(list.filters.to, 1) : undefined
    const history = Effect.gen(function* () {
      const jumped = periodEnd === undefined || periodEnd > state.lastActivityAt ? undefined : yield* historyPage(actor, state, undefined, periodEnd)
      const atPeriodEnd = jumped !== undefined && jumped.messages.length > 0
      return { atPeriodEnd, page: atPeriodEnd ? jumped : yield* historyPage(actor, state, before) }
    })
    // The history, the channel and the composer's settings side by side: their reads overlap (the point reads batch).
    const [{ atPeriodEnd, page }, found, composer] = yield* Effect.all([history, configStore.getChannel(state.channelId), composerView(actor, state)], { concurrency: "unbounded" })
    const { names, client, clientName, messages, earlier, newestSeq, items } = page
    const channel = Option.getOrUndefined(found)
    return {
      ...headView({ actor, state, client, clientName, channel, settings, names, list, now: yield* Clock.currentTimeMillis }),
      ...composeView(actor, state, settings, list),
      // The history page read the client already.
      clientTags: Option.match(client, { onNone: () => undefined, onSome: (found) => clientTagsView(settings, names, found.tags) }),
      messages,
      earlier,
      // A page at a period's end takes no live messages while later ones exist; it links to the newest.
      latest: before === undefined && (!atPeriodEnd || newestSeq === undefined || newestSeq >= state.messageSeq),
      composer,
      // The message controls too, for the page's bubbles.
      controls: controlsView({ actor, state, settings, names, client, channel, messages: items })
    } satisfies DialogView
  })
