import { Clock, Effect, Option, Schema } from "effect"
import type { Actor } from "../access/Access.js"
import { can } from "../access/Access.js"
import type { StoredEvent } from "../ports/Store.js"
import { decode, Settings } from "../settings/Settings.js"
import { diff, type SettingChange, SettingsChanged } from "../settings/SettingsAudit.js"
import type * as SlaClock from "../sla/SlaClock.js"
import { Forbidden, InvalidInput, type NotFound, type VersionConflict } from "../shared/Errors.js"
import { type DialogId, UserId } from "../shared/Ids.js"
import { retryConflicts } from "./CommandHandler.js"
import type { EnginePorts } from "./EnginePorts.js"

/** What a settings change did: the settings now in force and what changed (none: nothing was written). */
export interface SettingsChange {
  readonly settings: Settings
  readonly changes: ReadonlyArray<SettingChange>
}

const encodeSettings = Schema.encodeSync(Settings)

/** Who the audit log names for an actor. */
const auditedAs = (actor: Actor): { readonly actorId: string; readonly actorName: string } =>
  actor._tag === "User" ? { actorId: actor.id, actorName: actor.name } : actor._tag === "Bot" ? { actorId: actor.id, actorName: `bot ${actor.id}` } : { actorId: "system", actorName: "System" }

/**
 * Company settings changes (owners and admins), every one audited: the settings, the SLA with the
 * re-evaluation it implies. Each change is made on a `config()` read and written only while the
 * configuration is still at that version, with its audit entry in the same write; a concurrent
 * change makes it start again from a fresh read, so neither change is lost and every "before" in
 * the log is what the change replaced. Every server reads the settings from the store, and commits
 * check the configuration version, so a change takes effect at once everywhere.
 */
export const makeSettingsCommands = (
  { listStore, configStore, cache }: EnginePorts,
  refresh: (dialogId: DialogId) => Effect.Effect<ReadonlyArray<StoredEvent>, NotFound | VersionConflict>
) => {
  const change = <E extends { readonly _tag: string }>(actor: Actor, message: string, next: (current: Settings) => Effect.Effect<Settings, E>) =>
    retryConflicts(Effect.gen(function* () {
      const { version, settings } = yield* configStore.config()
      if (!can(actor, "settings.manage", settings)) return yield* Effect.fail(new Forbidden({ action: "settings.manage", message }))
      const after = yield* next(settings)
      const changes = diff(settings, after)
      if (changes.length > 0) {
        const at = yield* Clock.currentTimeMillis
        yield* configStore.changeSettings(after, SettingsChanged.make({ at, ...auditedAs(actor), changes: [changes[0]!, ...changes.slice(1)] }), version)
        cache.dropConfig()
      }
      return { settings: after, changes } satisfies SettingsChange
    }))

  /** Replace the company settings (owners and admins). */
  const updateSettings = (actor: Actor, settings: Settings) =>
    change(actor, "You may not change company settings", () => Effect.succeed(settings)).pipe(Effect.asVoid, Effect.withSpan("Engine.updateSettings"))

  /**
   * Change some settings (owners and admins) from untrusted input: `patch` holds top-level settings
   * in their JSON form (`{ tags: [...] }`, `{ files: { maxBytes: 1024 } }`), laid over the current
   * ones and decoded as a whole, so an invalid value is an `InvalidInput` naming its path in the
   * settings (`tags[1].color`) and nothing is written. Answers what changed.
   */
  const changeSettings = (actor: Actor, patch: Readonly<Record<string, unknown>>) =>
    change(actor, "You may not change company settings", (current) =>
      Effect.mapError(decode({ ...(encodeSettings(current) as Record<string, unknown>), ...patch }), InvalidInput.fromParseError)
    ).pipe(Effect.withSpan("Engine.changeSettings"))

  /**
   * Change the SLA calendar and policies (owners and admins) and recompute every open dialog's
   * due instants and statuses. Returns how many dialogs were re-evaluated.
   */
  const configureSla = (actor: Actor, sla: SlaClock.SlaSettings) =>
    Effect.gen(function* () {
      yield* change(actor, "You may not change SLA settings", (settings) => Effect.succeed(Settings.make({ ...settings, sla })))
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

  /** The settings audit log, newest first (owners and admins). */
  const settingsHistory = (actor: Actor, query: { readonly limit: number; readonly before?: number | undefined }) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      if (!can(actor, "settings.manage", settings)) return yield* Effect.fail(new Forbidden({ action: "settings.manage", message: "You may not read the settings audit log" }))
      return yield* configStore.settingsHistory(query)
    })

  return { updateSettings, changeSettings, configureSla, settingsHistory } as const
}
