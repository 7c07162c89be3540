import { Effect, Option, Schema } from "effect"
import { type Context, Hono } from "hono"
import { Composer, ConfigStore, DialogId, Engine, EventStore, InvalidInput, NotFound, Operator, PersonalSettings } from "@switchboard/core"
import { Contract, NotificationsSection, PresenceEntries, StatusSwitch, t } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { DialogPresence } from "../live/DialogPresence.js"
import { statusSwitchView } from "../panel/Chrome.js"
import { invalidText } from "../panel/InvalidText.js"
import { isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

const { personal } = Contract

/**
 * The list a new folder saves, as the panel's list URLs carry it: its folder (one of the built-in
 * ones), its search text and its filters, nothing else (no page cursor, no open dialog).
 */
const savedQuery = (form: Record<string, unknown>, refusal: string) =>
  Effect.gen(function* () {
    const folder = text(form, Contract.listQuery.folder)
    if (!(Contract.folderIds as ReadonlyArray<string>).includes(folder)) {
      return yield* Effect.fail(new InvalidInput({ path: Contract.listQuery.folder, message: refusal }))
    }
    const params = new URLSearchParams({ [Contract.listQuery.folder]: folder })
    for (const name of [Contract.listQuery.text, ...Object.values(Contract.filterQuery)]) {
      const value = text(form, name).trim()
      if (value !== "") params.set(name, value)
    }
    return params.toString()
  })

/** A folder change answers with the Account page's folders (without JavaScript, a redirect there). */
const toFolders = (c: Context<PanelEnv>) => c.redirect(personal.routes.manageFolders, 303)

const text = (form: Record<string, unknown>, name: string): string => {
  const value = form[name]
  return typeof value === "string" ? value : ""
}

/**
 * The signed-in user's own day (issue 21 "More"): their status (OPS-02) through the core's
 * `SetStatus`, which decides who may and which statuses exist; the router reacts to the event at
 * once (a status that receives no dialogs gets no new offers, going back online pulls waiting ones).
 */
export const personalRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>()
    // An unknown status is the form's mistake: 422 with the switch and the reason, nothing changed.
    .post("/account/status", async (c) => {
      const actor = c.get("actor")
      const statusId = text(await c.req.parseBody(), personal.fields.status)
      const unknown = t("statusSwitch.unknown", { id: statusId.slice(0, 40) })
      const program = Effect.gen(function* () {
        const settings = yield* (yield* ConfigStore).getSettings()
        const operator = yield* (yield* EventStore).loadOperator(actor.id)
        const current = Option.match(operator, { onNone: () => "offline", onSome: ({ state }) => state.statusId })
        if (!settings.operatorStatuses.some((status) => status.id === statusId)) {
          return { view: statusSwitchView(current, settings.operatorStatuses), error: Option.some(unknown) }
        }
        const command = yield* Effect.mapError(Schema.decodeUnknown(Operator.SetStatus)({ _tag: "SetStatus", userId: actor.id, statusId }), InvalidInput.fromParseError)
        yield* Effect.flatMap(Engine, (engine) => engine.operator(actor, command))
        return { view: statusSwitchView(statusId, settings.operatorStatuses), error: Option.none<string>() }
      })
      return respond(c, runtime, program, ({ view, error }) => {
        const status = Option.isSome(error) ? 422 : 200
        if (!isHtmx(c) && status === 200) return c.redirect(Contract.routes.panel, 303)
        return c.html(<StatusSwitch view={view} csrfToken={c.get("session").csrfToken} error={Option.getOrUndefined(error)} />, status)
      })
    })
    // The notification switches (NTF-01/02): a refused form comes back at 422 with the reason and what was sent.
    .post("/account/notifications", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const program = Effect.flatMap(Composer, (composer) => composer.saveNotifications(actor, form)).pipe(
        Effect.map((saved) => ({ view: saved.notifications, error: Option.none<InvalidInput>() })),
        Effect.catchTag("InvalidInput", (invalid) =>
          Effect.succeed({ view: { desktop: form[personal.fields.desktop] === "on", sound: form[personal.fields.sound] === "on" }, error: Option.some(invalid) }))
      )
      return respond(c, runtime, program, ({ view, error }) => {
        if (Option.isNone(error) && !isHtmx(c)) return c.redirect(Contract.routes.account, 303)
        const notice = Option.match(error, { onNone: () => undefined, onSome: (invalid) => ({ kind: "error" as const, message: invalidText(invalid) }) })
        return c.html(<NotificationsSection view={view} csrfToken={c.get("session").csrfToken} notice={notice} saved={Option.isNone(error)} />, Option.isSome(error) ? 422 : 200)
      })
    })
    // Collision: the page has the dialog open (typing when `typing` says so); the answer is who else has it open.
    .post("/dialogs/:id/presence", async (c) => {
      const actor = c.get("actor")
      const typing = text(await c.req.parseBody(), personal.fields.typing) === "true"
      const program = Effect.gen(function* () {
        const dialogId = yield* Effect.orElseFail(Schema.decodeUnknown(DialogId)(c.req.param("id")), () => new NotFound({ entity: "dialog", id: c.req.param("id").slice(0, 80) }))
        // Only someone who may see the dialog is seen in it (404 for the rest: the core's canView).
        yield* Effect.flatMap(Engine, (engine) => engine.dialog(actor, dialogId))
        return yield* Effect.flatMap(DialogPresence, (presence) => presence.here(actor, dialogId, typing))
      })
      return respond(c, runtime, program, (entries) => c.html(<PresenceEntries entries={entries} />))
    })
    // Personal folders (DLG-02): a saved filter; the answer opens it (htmx follows HX-Redirect).
    .post("/folders", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      // Messages are rendered in the request's language before the program runs (docs/i18n.md).
      const refusal = t("personalFolders.chooseFolder")
      const program = Effect.gen(function* () {
        const composer = yield* Composer
        const query = yield* savedQuery(form, refusal)
        const id = yield* composer.newFolderId
        yield* composer.changeFolders(actor, (folders) => PersonalSettings.addFolder(folders, id, form[personal.fields.name], query))
        return `/panel/dialogs?${query}`
      })
      return respond(c, runtime, program, (href) => {
        if (!isHtmx(c)) return c.redirect(href, 303)
        c.header("HX-Redirect", href)
        return c.body(null, 200)
      })
    })
    .post("/folders/:id/:action{rename|move|delete}", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const id = c.req.param("id")
      const action = c.req.param("action")
      const direction = text(form, personal.fields.direction)
      const refusal = t("personalFolders.moveDirection")
      const program = Effect.gen(function* () {
        const composer = yield* Composer
        if (action === "move" && direction !== "up" && direction !== "down") {
          return yield* Effect.fail(new InvalidInput({ path: personal.fields.direction, message: refusal }))
        }
        yield* composer.changeFolders(actor, (folders) =>
          action === "rename"
            ? PersonalSettings.renameFolder(folders, id, form[personal.fields.name])
            : action === "move"
            ? PersonalSettings.moveFolder(folders, id, direction === "up" ? "up" : "down")
            : PersonalSettings.removeFolder(folders, id), id)
      })
      return respond(c, runtime, program, () => toFolders(c))
    })
    // How the list looks (DLG-20, DLG-22): the page reloads in the new look (htmx: HX-Refresh).
    .post("/account/list", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      return respond(c, runtime, Effect.flatMap(Composer, (composer) => composer.saveListLook(actor, form)), () => {
        if (!isHtmx(c)) return c.redirect(Contract.routes.panel, 303)
        c.header("HX-Refresh", "true")
        return c.body(null, 200)
      })
    })
