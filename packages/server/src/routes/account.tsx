import { Clock, Effect, Option, Redacted } from "effect"
import { Hono, type Context } from "hono"
import { Accounts, Composer, SessionKey } from "@switchboard/core"
import { AccountPage, Contract, type SessionView } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { personalFolderView } from "../panel/Chrome.js"
import { respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" })

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
const ago = (then: number, now: number): string => {
  const minutes = Math.round((then - now) / 60_000)
  if (minutes > -1) return "just now"
  if (minutes > -60) return relative.format(minutes, "minute")
  if (minutes > -48 * 60) return relative.format(Math.round(minutes / 60), "hour")
  return relative.format(Math.round(minutes / (24 * 60)), "day")
}

const field = (form: Record<string, unknown>, name: string): Redacted.Redacted<string> => {
  const value = form[name]
  return Redacted.make(typeof value === "string" ? value : "")
}

type Notice = { readonly kind: "info" | "error"; readonly message: string }

/**
 * The signed-in user's account page: open sessions (end the others), composer preferences (send
 * key, signature: MSG-08, MSG-11) and the password form.
 */
export const accountRoutes = (runtime: PanelRuntime) => {
  const render = (
    c: Context<PanelEnv>,
    notice?: Notice,
    status: 200 | 422 = 200,
    /** The outcome of saving composer preferences; with `typed`, what the refused form held. */
    composer?: { readonly notice: Notice; readonly typed?: { readonly sendKey: "ctrlEnter" | "enter"; readonly signature: string } }
  ) => {
    const actor = c.get("actor")
    const session = c.get("session")
    const program = Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const now = yield* Clock.currentTimeMillis
      const preferences = composer?.typed ?? (yield* (yield* Composer).preferences(actor))
      const sessions = (yield* accounts.sessions(actor)).map((open): SessionView => ({
        device: open.device,
        lastSeen: ago(open.lastSeenAt, now),
        signedIn: ago(open.createdAt, now),
        current: open.key === session.key
      }))
      const personal = yield* (yield* Composer).personal(actor)
      return { sessions, preferences, notifications: personal.notifications, folders: personal.folders.map(personalFolderView) }
    })
    return respond(c, runtime, program, ({ sessions, preferences, notifications, folders }) =>
      c.html(
        <AccountPage
          name={actor.name}
          csrfToken={session.csrfToken}
          sessions={sessions}
          notice={notice}
          composer={{ preferences: { sendKey: preferences.sendKey, signature: preferences.signature }, notice: composer?.notice }}
          notifications={notifications}
          folders={folders}
        />,
        status
      )
    )
  }
  return new Hono<PanelEnv>()
    .get("/", (c) => render(c))
    .post("/sessions/end-others", (c) =>
      respond(
        c,
        runtime,
        Effect.flatMap(Accounts.Accounts, (accounts) => accounts.endOtherSessions(c.get("actor"), SessionKey.make(c.get("session").key))),
        () => c.redirect(Contract.routes.account, 303)
      )
    )
    // A refused form (an unknown send key, a signature too long) comes back with the field's reason and what was typed (422).
    .post("/composer", async (c) => {
      const form = await c.req.parseBody()
      const saved = Effect.flatMap(Composer, (composer) => composer.savePreferences(c.get("actor"), form)).pipe(
        Effect.as(Option.none<string>()),
        Effect.catchTag("InvalidInput", (invalid) => Effect.succeed(Option.some(invalid.message)))
      )
      return respond(c, runtime, saved, (refused) =>
        Option.match(refused, {
          onNone: () => render(c, undefined, 200, { notice: { kind: "info", message: "Composer settings saved." } }),
          onSome: (message) => {
            const { sendKey, signature } = Contract.composerNames.fields
            const typed = { sendKey: form[sendKey] === "enter" ? "enter" as const : "ctrlEnter" as const, signature: typeof form[signature] === "string" ? form[signature] : "" }
            return render(c, undefined, 422, { notice: { kind: "error", message }, typed })
          }
        }))
    })
    .post("/password", async (c) => {
      const form = await c.req.parseBody()
      const change = Effect.flatMap(Accounts.Accounts, (accounts) =>
        accounts.changePassword(c.get("actor"), field(form, Contract.accountFields.current), field(form, Contract.accountFields.next), SessionKey.make(c.get("session").key))
      )
      // A wrong current password or a weak new one re-renders the form with the reason (422).
      const outcome = change.pipe(Effect.as(Option.none<string>()), Effect.catchTag("AccountRejected", (error) => Effect.succeed(Option.some(error.message))))
      return respond(c, runtime, outcome, (rejected) =>
        Option.match(rejected, {
          onNone: () => render(c, { kind: "info", message: "Password changed. You were signed out everywhere else." }),
          onSome: (message) => render(c, { kind: "error", message }, 422)
        })
      )
    })
}
