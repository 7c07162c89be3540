import { Schema } from "effect"
import { UserId } from "../shared/Ids.js"

/**
 * A user's notification switches (NTF-01, NTF-02, OPS-07): a desktop notification with the
 * client's text, and sounds while the panel's tab is hidden (a new dialog or message in New or
 * Mine, and a reminder every minute while something is unread). The browser still asks the user
 * before it shows a desktop notification; this says whether the panel asks it to.
 */
export const NotificationSwitches = Schema.Struct({
  desktop: Schema.Boolean,
  sound: Schema.Boolean
})
export type NotificationSwitches = typeof NotificationSwitches.Type

/** A user's own settings beside the composer's: what the panel notifies them of. */
export const PersonalSettings = Schema.Struct({
  userId: UserId,
  notifications: NotificationSwitches
})
export type PersonalSettings = typeof PersonalSettings.Type

/** Before a user saves any: both on (the browser's own permission still gates desktop notifications). */
export const defaultPersonalSettings = (userId: UserId): PersonalSettings => ({ userId, notifications: { desktop: true, sound: true } })

/** A checkbox as a form sends it: "on" (or "true") when ticked, absent when not; anything else is a mistake. */
const Checkbox = Schema.optionalWith(
  Schema.String.pipe(Schema.filter((value) => value === "on" || value === "true" || value === "false", { message: () => "A switch is on or off" })),
  { default: () => "false" as const }
)

/** The notification form on the account page: two checkboxes. */
export const NotificationsForm = Schema.transform(
  Schema.Struct({ desktop: Checkbox, sound: Checkbox }),
  NotificationSwitches,
  {
    strict: true,
    decode: (form) => ({ desktop: form.desktop !== "false", sound: form.sound !== "false" }),
    encode: (switches) => ({ desktop: switches.desktop ? "on" as const : "false" as const, sound: switches.sound ? "on" as const : "false" as const })
  }
)
