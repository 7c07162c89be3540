import { Clock, Effect, Either } from "effect"
import { Hono, type Context } from "hono"
import { Access, Calendar, ConfigStore, Engine, EventStore, Forbidden, type Issue as CoreIssue, type Sla, SlaClock } from "@switchboard/core"
import { Contract, SlaPage, t, type SlaEditorView } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { chrome } from "../panel/Chrome.js"
import { configIssueText } from "../panel/InvalidText.js"
import { previewDays } from "../panel/WorkingHours.js"
import { respond } from "../respond.js"
import { jsonSyntaxReason } from "../RequestBody.js"
import type { PanelRuntime } from "../Services.js"

const { admin } = Contract

/** What the editor starts from when the company has no SLA yet: a weekday desk and one fallback policy. */
const starter = {
  calendar: {
    name: "Support desk",
    timezone: "UTC",
    week: { mon: [["09:00", "18:00"]], tue: [["09:00", "18:00"]], wed: [["09:00", "18:00"]], thu: [["09:00", "18:00"]], fri: [["09:00", "18:00"]] },
    holidays: []
  },
  policies: { policies: [], fallback: { name: "Default", targets: { firstResponse: 60, nextResponse: 120 } } }
}

const encode = (sla: SlaClock.SlaSettings): string => JSON.stringify(sla, null, 2)

type Issue = { readonly path: string; readonly message: string; readonly code?: CoreIssue.IssueCode | undefined; readonly params?: CoreIssue.IssueParams | undefined }

/** The editor's text as JSON and then as SLA settings; every problem with its field's path. */
const parse = (text: string, notJson: (reason: string) => string): Either.Either<SlaClock.SlaSettings, ReadonlyArray<Issue>> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left([{ path: "", message: notJson(jsonSyntaxReason(text, error)) }])
  }
  return Either.mapLeft(SlaClock.decodeSlaSettings(json), (error) => error.issues.slice(0, 10))
}

/** The view, made while rendering (the request's language): the preview in the calendar's own zone. */
const viewOf = (text: string, shown: SlaClock.SlaSettings | null, errors: ReadonlyArray<Issue>, now: number, saved: boolean): SlaEditorView => {
  const calendar = shown?.calendar === undefined ? Calendar.always : Calendar.make(shown.calendar)
  const policy = (entry: Sla.Policy) => ({
    name: entry.name,
    matches: [
      entry.priorities === undefined ? "" : t("admin.sla.matchPriorities", { list: entry.priorities.join(", ") }),
      entry.channels === undefined ? "" : t("admin.sla.matchChannels", { list: entry.channels.join(", ") }),
      entry.topics === undefined ? "" : t("admin.sla.matchTopics", { list: entry.topics.join(", ") })
    ].filter((part) => part !== "").join("; "),
    targets: [
      entry.targets.firstResponse === undefined ? "" : t("admin.sla.firstResponse", { minutes: entry.targets.firstResponse }),
      entry.targets.nextResponse === undefined ? "" : t("admin.sla.nextResponse", { minutes: entry.targets.nextResponse }),
      entry.targets.timeToClose === undefined ? "" : t("admin.sla.timeToClose", { minutes: entry.targets.timeToClose })
    ].filter((part) => part !== "").join(", ")
  })
  return {
    json: text,
    errors: errors.map(configIssueText),
    timezone: calendar.config.timezone,
    saved,
    preview: previewDays(calendar, now),
    policies: shown === null ? [] : [...shown.policies.policies, shown.policies.fallback].map(policy)
  }
}

/**
 * The SLA calendar and policies editor (issue 22): owners and admins (`settings.manage`, core's).
 * "Check" decodes and previews without saving; "Save" stores through `Engine.configureSla` (audited,
 * read by every server from the store) and re-evaluates open dialogs. Invalid input is a 422 with
 * each error at its field's path, and changes nothing.
 */
export const slaRoutes = (runtime: PanelRuntime) => {
  const mayManage = (actor: Access.UserActor, message: string) =>
    Effect.gen(function* () {
      const settings = yield* (yield* ConfigStore).getSettings()
      if (!Access.can(actor, "settings.manage", settings)) return yield* Effect.fail(new Forbidden({ action: "settings.manage", message }))
      return settings
    })
  const pageData = (c: Context<PanelEnv>, message: string) =>
    Effect.gen(function* () {
      const settings = yield* mayManage(c.get("actor"), message)
      const position = yield* (yield* EventStore).lastPosition
      return { settings, now: yield* Clock.currentTimeMillis, chrome: yield* chrome(c.get("actor"), "new", c.get("session").csrfToken, position) }
    })
  const posted = async (c: Context<PanelEnv>) => {
    const form = await c.req.parseBody()
    return typeof form["sla"] === "string" ? form["sla"] : ""
  }

  return new Hono<PanelEnv>()
    .get("/", (c) => {
      return respond(c, runtime, pageData(c, t("admin.sla.forbidden")), (data) => {
        const text = data.settings.sla === null ? JSON.stringify(starter, null, 2) : encode(data.settings.sla)
        return c.html(<SlaPage chrome={data.chrome} view={viewOf(text, data.settings.sla, [], data.now, c.req.query("saved") === "1")} />)
      })
    })
    .post("/preview", async (c) => {
      const text = await posted(c)
      const parsed = parse(text, (reason) => t("admin.sla.notJson", { reason }))
      return respond(c, runtime, pageData(c, t("admin.sla.forbidden")), (data) =>
        Either.match(parsed, {
          onLeft: (errors) => c.html(<SlaPage chrome={data.chrome} view={viewOf(text, data.settings.sla, errors, data.now, false)} />, 422),
          onRight: (sla) => c.html(<SlaPage chrome={data.chrome} view={viewOf(text, sla, [], data.now, false)} />)
        }))
    })
    .post("/", async (c) => {
      const actor = c.get("actor")
      const text = await posted(c)
      const parsed = parse(text, (reason) => t("admin.sla.notJson", { reason }))
      // Words are looked up here, in the request's language, not inside the Effect program.
      const forbidden = t("admin.sla.forbidden")
      const program = Effect.gen(function* () {
        const data = yield* pageData(c, forbidden)
        if (Either.isLeft(parsed)) return { ...data, errors: parsed.left }
        yield* (yield* Engine).configureSla(actor, parsed.right)
        return { ...data, errors: [] }
      })
      return respond(c, runtime, program, (data) =>
        data.errors.length > 0
          ? c.html(<SlaPage chrome={data.chrome} view={viewOf(text, data.settings.sla, data.errors, data.now, false)} />, 422)
          : c.redirect(`${admin.routes.sla}?saved=1`, 303))
    })
}
