import { Effect, Option, Schema } from "effect"
import { Hono, type Context } from "hono"
import { Access, ConfigStore, Engine, EventStore, Forbidden, type Settings } from "@switchboard/core"
import { AuditPage, Contract, I18n, SettingsPage, SettingsSection, type AuditEntryView } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { chrome } from "../panel/Chrome.js"
import { errorsOf, type FormFields, fieldsOf, patchOf, sectionView } from "../panel/SettingsForm.js"
import { BadRequest, isHtmx, respond } from "../respond.js"
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
export const settingsRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>()
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
            Effect.map(configStore.getSettings(), (settings: Settings.Settings) => ({ _tag: "Invalid" as const, settings, errors: errorsOf(section, error.message, rows) })))
        )
      })
      return respond(c, runtime, program, async (outcome) => {
        const view = outcome._tag === "Saved"
          ? sectionView(section, fieldsOf(section, outcome.settings), outcome.settings, {}, outcome.changed)
          : sectionView(section, fields, outcome.settings, outcome.errors)
        const status = outcome._tag === "Saved" ? 200 : 422
        c.header("Vary", "HX-Request")
        if (isHtmx(c)) return c.html(<SettingsSection view={view} csrfToken={c.get("session").csrfToken} />, status)
        if (outcome._tag === "Saved") return c.redirect(admin.routes.settings, 303)
        // Without JavaScript: the whole page, this section as posted.
        const page = await runtime.runPromise(Effect.gen(function* () {
          return { chrome: yield* pageChrome(c), settings: yield* (yield* ConfigStore).getSettings() }
        }))
        const sections = settingsSections.map((other) => (other === section ? view : sectionView(other, fieldsOf(other, page.settings), page.settings)))
        return c.html(<SettingsPage chrome={page.chrome} sections={sections} />, status)
      })
    })
