import { Clock, Effect, Either, Option, Schema } from "effect"
import { Hono, type Context } from "hono"
import { Access, ClientCard, ConfigStore, Engine, EventStore, Forbidden, InvalidInput, type Issue as CoreIssue, type Settings } from "@switchboard/core"
import { AuditPage, Contract, I18n, SettingsPage, SettingsSection, t, type AuditEntryView, type SettingsSectionView } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { chrome } from "../panel/Chrome.js"
import { invalidTexts } from "../panel/InvalidText.js"
import { errorsOf, type FormFields, fieldsOf, patchOf, sectionView } from "../panel/SettingsForm.js"
import { BadRequest, isHtmx, respond } from "../respond.js"
import { jsonSyntaxReason } from "../RequestBody.js"
import type { PanelRuntime } from "../Services.js"

const { admin, settingsSections } = Contract

/** Owners and admins only (`settings.manage`, core's permission): a 403 for the rest. */
const mayManage = (actor: Access.UserActor) =>
  Effect.gen(function* () {
    const settings = yield* (yield* ConfigStore).getSettings()
    if (!Access.can(actor, "settings.manage", settings)) {
      return yield* Effect.fail(new Forbidden({ action: "settings.manage", message: I18n.catalogs.en.refusals.forbidden.settingsManage }))
    }
    return settings
  })

const pageChrome = (c: Context<PanelEnv>) =>
  Effect.gen(function* () {
    const position = yield* (yield* EventStore).lastPosition
    return yield* chrome(c.get("actor"), "new", c.get("session").csrfToken, position)
  })

const AuditBefore = Schema.NumberFromString.pipe(Schema.int(), Schema.positive())

/** A problem of the card's JSON at its path in the document: its code and params when core gave them (worded in the user's language), else its message (already in it). */
type Issue = { readonly path: string; readonly message: string; readonly code?: CoreIssue.IssueCode | undefined; readonly params?: CoreIssue.IssueParams | undefined }

/** How many audit entries a page shows. */
const auditPage = 50

/** A setting's value in the audit log: its JSON, indented when it is a list or an object. */
const json = (value: unknown): string => (typeof value === "object" && value !== null ? JSON.stringify(value, null, 1) : JSON.stringify(value))

/**
 * Company settings (SET-01, SET-02) and catalogs (close reasons, topics, tags, priorities), one form
 * per section; the settings audit log. A section is validated as part of the whole settings by
 * their Schema (`Engine.changeSettings`): an error re-renders the section at 422 with the message at
 * the field its path names. A change is stored with its audit entry and read by every server on
 * its next command.
 */
export const settingsRoutes = (runtime: PanelRuntime) => {
  /**
   * A section's answer: for htmx the section itself (200 saved, 422 with its errors); without
   * JavaScript a redirect to the screen when saved, else the whole page with this section as posted.
   */
  const answer = async (c: Context<PanelEnv>, section: Contract.SettingsSection, outcome: { readonly saved: boolean; readonly view: SettingsSectionView }) => {
    const { view } = outcome
    const status = outcome.saved ? 200 : 422
    c.header("Vary", "HX-Request")
    if (isHtmx(c)) return c.html(<SettingsSection view={view} csrfToken={c.get("session").csrfToken} />, status)
    if (outcome.saved) return c.redirect(admin.routes.settings, 303)
    const page = await runtime.runPromise(Effect.gen(function* () {
      return { chrome: yield* pageChrome(c), settings: yield* (yield* ConfigStore).getSettings() }
    }))
    const sections = settingsSections.map((other) => (other === section ? view : sectionView(other, fieldsOf(other, page.settings), page.settings)))
    return c.html(<SettingsPage chrome={page.chrome} sections={sections} />, status)
  }

  return new Hono<PanelEnv>()
    .get("/", (c) => {
      const program = Effect.gen(function* () {
        const settings = yield* mayManage(c.get("actor"))
        return { page: yield* pageChrome(c), settings }
      })
      // The sections' words are looked up while rendering, in the request's language.
      return respond(c, runtime, program, ({ page, settings }) =>
        c.html(<SettingsPage chrome={page} sections={settingsSections.map((section) => sectionView(section, fieldsOf(section, settings), settings))} />))
    })
    .get("/audit", (c) => {
      const actor = c.get("actor")
      const program = Effect.gen(function* () {
        const given = c.req.query("before")
        const before = given === undefined ? undefined : yield* Effect.mapError(Schema.decodeUnknown(AuditBefore)(given), BadRequest.fromParseError)
        const history = yield* Effect.flatMap(Engine, (engine) => engine.settingsHistory(actor, { limit: auditPage, before }))
        const entries = history.items.map((entry): AuditEntryView => ({
          id: entry.id,
          at: entry.change.at,
          who: entry.change.actorName,
          changes: entry.change.changes.map((change) => ({ setting: change.setting, before: json(change.before), after: json(change.after) }))
        }))
        const next = Option.match(history.nextCursor, { onNone: () => undefined, onSome: (cursor) => admin.routes.auditBefore(Number(cursor)) })
        return { page: yield* pageChrome(c), entries, next }
      })
      return respond(c, runtime, program, ({ page, entries, next }) => c.html(<AuditPage chrome={page} entries={entries} next={next} />))
    })
    .post("/clientCard", async (c) => {
      // The client card (CLI-02, CLI-04) as one JSON document: decoded by core's card Schema with
      // every problem at its path in the document, then saved as part of the settings (audited).
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const text = typeof form["clientCard"] === "string" ? form["clientCard"] : ""
      // Words are looked up here, in the request's language, not inside the Effect program.
      let parsed: Either.Either<unknown, ReadonlyArray<Issue>>
      try {
        parsed = Either.right(JSON.parse(text))
      } catch (error) {
        parsed = Either.left([{ path: "", message: t("cardSettings.notJson", { reason: jsonSyntaxReason(text, error) }) }])
      }
      const program = Effect.gen(function* () {
        const current = yield* mayManage(actor)
        const issues: ReadonlyArray<Issue> = Either.isLeft(parsed) ? parsed.left : Either.match(ClientCard.decodeConfig(parsed.right), { onLeft: (left) => left, onRight: () => [] })
        if (issues.length > 0 || Either.isLeft(parsed)) return { _tag: "Invalid" as const, settings: current, issues: issues.slice(0, 10) }
        return yield* (yield* Engine).changeSettings(actor, { clientCard: parsed.right }).pipe(
          Effect.map((change) => ({ _tag: "Saved" as const, settings: change.settings, changed: change.changes.length })),
          // The whole settings passed the card's Schema above; a refusal here names its path in the settings.
          Effect.catchTag("InvalidInput", (error) =>
            Effect.succeed({ _tag: "Invalid" as const, settings: current, issues: InvalidInput.issuesOf(error).map((issue): Issue => ({ ...issue, path: issue.path.replace(/^clientCard\.?/, "") })) }))
        )
      })
      return respond(c, runtime, program, (outcome) =>
        answer(c, "clientCard", outcome._tag === "Saved"
          ? { saved: true, view: sectionView("clientCard", fieldsOf("clientCard", outcome.settings), outcome.settings, {}, outcome.changed) }
          : { saved: false, view: sectionView("clientCard", { clientCard: text }, outcome.settings, {}, undefined, outcome.issues) }))
    })
    .post("/:section{company|files|closeReasons|topics|tags|priorities|statuses|skillGroups}", async (c) => {
      const actor = c.get("actor")
      const section = c.req.param("section") as Contract.SettingsSection
      const form = await c.req.parseBody()
      const fields: FormFields = Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => typeof entry[1] === "string"))
      const program = Effect.gen(function* () {
        const current = yield* mayManage(actor)
        const { patch, rows } = patchOf(section, fields, current)
        const engine = yield* Engine
        const configStore = yield* ConfigStore
        // Invalid input is an answer of its own: the section again, with each error at its field.
        return yield* engine.changeSettings(actor, patch).pipe(
          Effect.map((change) => ({ _tag: "Saved" as const, settings: change.settings, changed: change.changes.length })),
          Effect.catchTag("InvalidInput", (error) =>
            Effect.map(configStore.getSettings(), (settings: Settings.Settings) => ({ _tag: "Invalid" as const, settings, invalid: error, rows })))
        )
      })
      return respond(c, runtime, program, (outcome) =>
        answer(c, section, outcome._tag === "Saved"
          ? { saved: true, view: sectionView(section, fieldsOf(section, outcome.settings), outcome.settings, {}, outcome.changed) }
          : { saved: false, view: sectionView(section, fields, outcome.settings, errorsOf(section, invalidTexts(outcome.invalid), outcome.rows)) }))
    })
}
