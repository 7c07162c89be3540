import type { Access } from "@switchboard/core"
import type { Session } from "./Session.js"

/** Hono context variables set by the panel's session middleware. */
export interface PanelEnv {
  Variables: {
    actor: Access.UserActor
    session: Session
  }
}
