import { Effect, Option } from "effect"
import type { Actor } from "../access/Access.js"
import { can } from "../access/Access.js"
import type { StoredEvent } from "../ports/Store.js"
import { Settings } from "../settings/Settings.js"
import type * as SlaClock from "../sla/SlaClock.js"
import { Forbidden, type NotFound, type VersionConflict } from "../shared/Errors.js"
import { type DialogId, UserId } from "../shared/Ids.js"
import type { EnginePorts } from "./EnginePorts.js"

/** Company settings changes (owners and admins): the settings themselves, and the SLA with the re-evaluation it implies. */
export const makeSettingsCommands = (
  { listStore, configStore, cache }: EnginePorts,
  refresh: (dialogId: DialogId) => Effect.Effect<ReadonlyArray<StoredEvent>, NotFound | VersionConflict>
) => {
  const manage = (actor: Actor, message: string) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      if (!can(actor, "settings.manage", settings)) return yield* Effect.fail(new Forbidden({ action: "settings.manage", message }))
      return settings
    })

  /** Change company settings (owners and admins). */
  const updateSettings = (actor: Actor, settings: Settings) =>
    Effect.gen(function* () {
      yield* manage(actor, "You may not change company settings")
      yield* configStore.saveSettings(settings)
      cache.dropConfig()
    }).pipe(Effect.withSpan("Engine.updateSettings"))

  /**
   * Change the SLA calendar and policies (owners and admins) and recompute every open dialog's
   * due instants and statuses. Returns how many dialogs were re-evaluated.
   */
  const configureSla = (actor: Actor, sla: SlaClock.SlaSettings) =>
    Effect.gen(function* () {
      const settings = yield* manage(actor, "You may not change SLA settings")
      yield* configStore.saveSettings(Settings.make({ ...settings, sla }))
      cache.dropConfig()
      let count = 0
      for (const folder of ["new", "active", "bot"] as const) {
        let cursor: string | undefined
        for (;;) {
          // The cursor is the store's own, from the page before.
          const page = yield* Effect.orDie(listStore.listDialogs({ viewer: { userId: UserId.make("system"), seesAll: true }, folder, limit: 200, ...(cursor === undefined ? {} : { cursor }) }))
          for (const row of page.items) {
            yield* Effect.catchTag(refresh(row.dialogId), "NotFound", () => Effect.succeed([]))
            count++
          }
          if (Option.isNone(page.nextCursor)) break
          cursor = page.nextCursor.value
        }
      }
      return count
    }).pipe(Effect.withSpan("Engine.configureSla"))

  return { updateSettings, configureSla } as const
}
