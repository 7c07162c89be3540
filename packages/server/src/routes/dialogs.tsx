import { Effect, Schema } from "effect"
import { Hono } from "hono"
import type { Context } from "hono"
import { DialogId, Engine, Folder, InvalidInput } from "@switchboard/core"
import { Composer, Contract, DialogList, DialogPane, EmptyPane, InboxPage, Sidebar } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { chrome, dialogView, folderTitle, listRows } from "../Panel.js"
import { isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

const decodeFolder = (value: string | undefined) =>
  Effect.mapError(Schema.decodeUnknown(Folder)(value ?? "new"), InvalidInput.fromParseError)

const decodeDialogId = (value: string) => Effect.mapError(Schema.decodeUnknown(DialogId)(value), InvalidInput.fromParseError)

const fragment = (c: Context) => {
  c.header("Vary", "HX-Request")
  return isHtmx(c)
}

/** The form actions that map one-to-one onto dialog commands. */
const simpleActions = { accept: "Accept", leave: "Leave", unread: "MarkUnread" } as const

/**
 * Panel routes under `/panel/dialogs`: the folder list, an open dialog, and the dialog actions.
 * Pages on navigation, fragments for htmx (same URL, `Vary: HX-Request`).
 */
export const dialogRoutes = (runtime: PanelRuntime) => {
  /** After an action: the pane for htmx (or an empty pane if the dialog left our sight), a redirect otherwise. */
  const afterAction = (c: Context<PanelEnv>, dialogId: string, folder: Contract.FolderId) => {
    if (!isHtmx(c)) return Promise.resolve(c.redirect(Contract.routes.dialog(dialogId, folder), 303))
    c.header("Vary", "HX-Request")
    const actor = c.get("actor")
    const program = Effect.flatMap(decodeDialogId(dialogId), (id) => dialogView(actor, id, folder)).pipe(Effect.option)
    return respond(c, runtime, program, (view) =>
      c.html(view._tag === "Some" ? <DialogPane dialog={view.value} csrfToken={c.get("session").csrfToken} /> : <EmptyPane />)
    )
  }

  const folderOf = (c: Context<PanelEnv>): Contract.FolderId => {
    const value = c.req.query("folder")
    return Schema.is(Folder)(value) ? value : "new"
  }

  return new Hono<PanelEnv>()
    .get("/", (c) => {
      const actor = c.get("actor")
      const csrfToken = c.get("session").csrfToken
      const htmx = fragment(c)
      const program = Effect.gen(function* () {
        const folder = yield* decodeFolder(c.req.query("folder"))
        const rows = yield* listRows(actor, folder, undefined)
        return { folder, rows, chrome: yield* chrome(actor, folder, csrfToken) }
      })
      return respond(c, runtime, program, ({ folder, rows, chrome }) =>
        htmx
          ? c.html(
              <>
                <DialogList folder={folder} title={folderTitle(folder)} rows={rows} />
                <Sidebar folders={chrome.folders} current={folder} oob />
              </>
            )
          : c.html(<InboxPage chrome={chrome} title={folderTitle(folder)} rows={rows} dialog={undefined} />)
      )
    })
    .get("/:id", (c) => {
      const actor = c.get("actor")
      const csrfToken = c.get("session").csrfToken
      const folder = folderOf(c)
      const htmx = fragment(c)
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const id = yield* decodeDialogId(c.req.param("id"))
        // Opening a dialog reads it (DLG-09); a rejection (e.g. not assigned) leaves it unread.
        yield* Effect.ignore(engine.execute(actor, yield* engine.decodeCommand({ _tag: "MarkRead", dialogId: id })))
        const dialog = yield* dialogView(actor, id, folder)
        if (htmx) return { dialog, page: undefined }
        const rows = yield* listRows(actor, folder, id)
        return { dialog, page: { rows, chrome: yield* chrome(actor, folder, csrfToken) } }
      })
      return respond(c, runtime, program, ({ dialog, page }) =>
        page === undefined
          ? c.html(<DialogPane dialog={dialog} csrfToken={csrfToken} />)
          : c.html(<InboxPage chrome={page.chrome} title={folderTitle(folder)} rows={page.rows} dialog={dialog} />)
      )
    })
    .post("/:id/messages", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const dialogId = c.req.param("id")
      const folder = folderOf(c)
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const command = yield* engine.decodeCommand({
          _tag: "SendMessage",
          dialogId,
          input: { text: typeof form.text === "string" ? form.text : "" },
          internal: form.internal === "true"
        })
        yield* engine.execute(actor, command)
        yield* Effect.ignore(Effect.flatMap(engine.decodeCommand({ _tag: "SaveDraft", dialogId, text: "" }), (clear) => engine.execute(actor, clear)))
        return yield* dialogView(actor, DialogId.make(dialogId), folder)
      })
      return respond(c, runtime, program, (view) => {
        c.header("Vary", "HX-Request")
        return isHtmx(c) ? c.html(<Composer dialog={view} csrfToken={c.get("session").csrfToken} text="" />) : c.redirect(Contract.routes.dialog(dialogId, folder), 303)
      })
    })
    .post("/:id/draft", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const command = yield* engine.decodeCommand({ _tag: "SaveDraft", dialogId: c.req.param("id"), text: typeof form.text === "string" ? form.text : "" })
        yield* engine.execute(actor, command)
      })
      return respond(c, runtime, program, () => c.body(null, 204))
    })
    .post("/:id/close", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const dialogId = c.req.param("id")
      const reasonId = typeof form.reasonId === "string" && form.reasonId !== "" ? form.reasonId : undefined
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        const command = yield* engine.decodeCommand({ _tag: "Close", dialogId, force: true, ...(reasonId === undefined ? {} : { reasonId }) })
        yield* engine.execute(actor, command)
      })
      return respond(c, runtime, program, () => afterAction(c, dialogId, folderOf(c)))
    })
    .post("/:id/:action{accept|leave|unread}", async (c) => {
      const actor = c.get("actor")
      const dialogId = c.req.param("id")
      const action = c.req.param("action")
      const tag = action === "accept" ? simpleActions.accept : action === "leave" ? simpleActions.leave : simpleActions.unread
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        yield* engine.execute(actor, yield* engine.decodeCommand({ _tag: tag, dialogId }))
      })
      return respond(c, runtime, program, () => afterAction(c, dialogId, action === "accept" ? "mine" : folderOf(c)))
    })
}
