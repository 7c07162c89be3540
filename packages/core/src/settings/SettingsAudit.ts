import { Schema } from "effect"
import { Instant } from "../shared/Ids.js"
import { limits, StoredText } from "../shared/StoredText.js"
import { Settings } from "./Settings.js"

/** One setting (a top-level key of `Settings`) before and after a change, in its JSON form (the Schema's encoding). */
export class SettingChange extends Schema.Class<SettingChange>("SettingChange")({
  setting: StoredText(limits.id),
  before: Schema.Unknown,
  after: Schema.Unknown
}) {}

/**
 * One audited change of the company settings: who made it, when, and every setting it changed with
 * its value before and after. Recorded in the same write as the settings themselves
 * (`ConfigStore.changeSettings`), so the log never misses a change nor records one that did not land.
 */
export class SettingsChanged extends Schema.Class<SettingsChanged>("SettingsChanged")({
  at: Instant,
  /** A user id, a bot id, or `system` (start-up configuration, the engine). */
  actorId: StoredText(limits.id),
  actorName: StoredText(limits.name),
  changes: Schema.NonEmptyArray(SettingChange)
}) {}

/** An audit entry as stored: its place in the log (increasing with every change) and the change. */
export interface AuditEntry {
  readonly id: number
  readonly change: SettingsChanged
}

/** The most audit entries one read returns. */
export const maxAuditPage = 200

const encode = Schema.encodeSync(Settings)

/**
 * The settings that differ between `before` and `after`, in `Settings`' key order, each with both
 * values in their JSON form; none when nothing changed.
 */
export const diff = (before: Settings, after: Settings): ReadonlyArray<SettingChange> => {
  const was = encode(before) as Record<string, unknown>
  const is = encode(after) as Record<string, unknown>
  return Object.keys(Settings.fields)
    .filter((key) => JSON.stringify(was[key]) !== JSON.stringify(is[key]))
    .map((setting) => SettingChange.make({ setting, before: was[setting] ?? null, after: is[setting] ?? null }))
}
