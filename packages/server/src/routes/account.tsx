import { Clock, Effect, Option, Redacted, Schema } from "effect"
import { Hono, type Context } from "hono"
import { Accounts, Composer, Engine, EventStore, type InvalidInput, Language, Operator, SessionKey, UserId } from "@switchboard/core"
import { AccountPage, Contract, I18n, type SessionView, t, useLocale } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { personalFolderView } from "../panel/Chrome.js"
import { passwordRefusal } from "../panel/Refusals.js"
import { respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { invalidText } from "../panel/InvalidText.js"

/**
 * Whether `zone` is a time zone the runtime formats in: any spelling `Intl.DateTimeFormat` accepts
 * (core's `Operator.TimeZone`), not only the canonical names `Intl.supportedValuesOf` lists. Node 20's
 * ICU lists `Europe/Kiev` but formats in `Europe/Kyiv` too; both must be accepted.
 */
const isTimeZone = Schema.is(Operator.TimeZone)

/** Current IANA names an older ICU accepts but lists under an old spelling (`Europe/Kiev`). */
const renamedZones: ReadonlyArray<string> = ["Europe/Kyiv"]

/** The time zones the account page offers: every IANA zone the runtime lists, and the current spellings it knows. */
const timeZones: ReadonlyArray<string> = [...new Set([...Intl.supportedValuesOf("timeZone"), ...renamedZones.filter(isTimeZone)])].sort()

/** The zones to offer a user: the list, with their own choice in it even when the list spells it otherwise. */
const offeredZones = (chosen: string | undefined): ReadonlyArray<string> =>
  chosen === undefined || timeZones.includes(chosen) || !isTimeZone(chosen) ? timeZones : [...timeZones, chosen].sort()

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
    composer?: { readonly notice: Notice; readonly typed?: { readonly sendKey: "ctrlEnter" | "enter"; readonly signature: string } },
    /** The outcome of saving the language and time zone; with `typed`, what the refused form held. */
    locale?: { readonly notice: Notice; readonly typed?: { readonly language: string | undefined; readonly timeZone: string | undefined } }
  ) => {
    const actor = c.get("actor")
    const session = c.get("session")
    const program = Effect.gen(function* () {
      const accounts = yield* Accounts.Accounts
      const now = yield* Clock.currentTimeMillis
      const preferences = composer?.typed ?? (yield* (yield* Composer).preferences(actor))
      const open = yield* accounts.sessions(actor)
      const operator = yield* (yield* EventStore).loadOperator(actor.id)
      const chosen = Option.match(operator, {
        onNone: () => ({ language: undefined, timeZone: undefined }),
        onSome: ({ state }) => ({ language: Option.getOrUndefined(state.interfaceLanguage), timeZone: Option.getOrUndefined(state.timeZone) })
      })
      const personal = yield* (yield* Composer).personal(actor)
      return { open, preferences, now, chosen, notifications: personal.notifications, folders: personal.folders.map(personalFolderView) }
    })
    return respond(c, runtime, program, ({ open, preferences, now, chosen, notifications, folders }) => {
      const { ago } = useLocale()
      const sessions = open.map((one): SessionView => ({ device: one.device, lastSeen: ago(one.lastSeenAt, now), signedIn: ago(one.createdAt, now), current: one.key === session.key }))
      return c.html(
        <AccountPage
          name={actor.name}
          csrfToken={session.csrfToken}
          sessions={sessions}
          notice={notice}
          composer={{ preferences: { sendKey: preferences.sendKey, signature: preferences.signature }, notice: composer?.notice }}
          locale={{ choice: { ...(locale?.typed ?? chosen), timeZones: offeredZones((locale?.typed ?? chosen).timeZone) }, notice: locale?.notice }}
          notifications={notifications}
          folders={folders}
        />,
        status
      )
    })
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
        Effect.as(Option.none<InvalidInput>()),
        Effect.catchTag("InvalidInput", (invalid) => Effect.succeed(Option.some(invalid)))
      )
      return respond(c, runtime, saved, (refused) =>
        Option.match(refused, {
          onNone: () => render(c, undefined, 200, { notice: { kind: "info", message: t("account.composerSaved") } }),
          onSome: (invalid) => {
            const { sendKey, signature } = Contract.composerNames.fields
            // Each field named as the form labels it, in the user's language.
            const message = invalidText(invalid, (path) => (path === signature ? t("account.signature") : path === sendKey ? t("account.sendWith") : undefined))
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
      const outcome = change.pipe(Effect.as(Option.none<{ reason: string; message: string }>()), Effect.catchTag("AccountRejected", (error) => Effect.succeed(Option.some({ reason: error.reason, message: error.message }))))
      return respond(c, runtime, outcome, (rejected) =>
        Option.match(rejected, {
          onNone: () => render(c, { kind: "info", message: t("account.passwordChanged") }),
          onSome: ({ reason, message }) => render(c, { kind: "error", message: passwordRefusal(reason, message) }, 422)
        })
      )
    })
    // The interface language and time zone (issue 22): saved, the page comes back in the new language
    // (303); a language or zone not offered is refused with the reason and nothing changes (422).
    .post("/locale", async (c) => {
      const form = await c.req.parseBody()
      const text = (name: string) => {
        const value = form[name]
        return typeof value === "string" && value !== "" ? value : undefined
      }
      const language = text(Contract.localeNames.fields.language)
      const timeZone = text(Contract.localeNames.fields.timeZone)
      const typed = { language, timeZone }
      if (language !== undefined && !I18n.isInterfaceLanguage(language)) return render(c, undefined, 422, undefined, { notice: { kind: "error", message: t("account.unknownLanguage") }, typed })
      if (timeZone !== undefined && !isTimeZone(timeZone)) return render(c, undefined, 422, undefined, { notice: { kind: "error", message: t("account.unknownTimeZone") }, typed })
      const actor = c.get("actor")
      const saved = Effect.gen(function* () {
        const engine = yield* Engine
        return yield* engine.operator(actor, new Operator.SetLocale({ userId: UserId.make(actor.id), language: language === undefined ? null : Language.make(language), timeZone: timeZone ?? null }))
      })
      return respond(c, runtime, saved, () => c.redirect(Contract.routes.account, 303))
    })
}
