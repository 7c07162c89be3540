import type { Access } from "@switchboard/core"
import type { Locale } from "@switchboard/ui-htmx"
import type { Session } from "./Session.js"

/** Hono context variables set by the panel's session middleware. */
export interface PanelEnv {
  Variables: {
    actor: Access.UserActor
    session: Session
    /** The signed-in user's language, time zone, `t` and formatters (also `useLocale()` while rendering). */
    locale: Locale
  }
}
