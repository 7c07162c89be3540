import { Effect, Option, Schema } from "effect"
import { type Context, Hono } from "hono"
import { create as contentDisposition } from "content-disposition"
import { Attachments, FileId, FileNotFound, InvalidInput } from "@switchboard/core"
import { AttachForm, Contract, t } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { decodeDialogId, decodeLocation } from "./dialogs.js"

/** Types a browser may show in place (the bubbles' previews); everything else is downloaded, never rendered. */
const inlineTypes: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"])

/**
 * A stored file's download: its detected type (text with a charset), `nosniff`, and
 * `Content-Disposition` — inline only for the image types a browser shows, an attachment otherwise.
 * The panel's and the widget's downloads both answer with it.
 */
export const fileResponse = (c: Context, file: { readonly name: string; readonly mime: string }, bytes: Uint8Array): Response => {
  const inline = inlineTypes.has(file.mime)
  c.header("Content-Type", file.mime.startsWith("text/") ? `${file.mime}; charset=utf-8` : file.mime)
  c.header("Content-Disposition", contentDisposition(file.name, { type: inline ? "inline" : "attachment" }))
  c.header("X-Content-Type-Options", "nosniff")
  c.header("Content-Length", String(bytes.length))
  return c.body(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)
}

const fieldText = (value: unknown): string => (typeof value === "string" ? value : "")

/**
 * Attachments in the panel (MSG-06, SET-02): an operator sends a file into a dialog, and anyone
 * who may see one of a file's dialogs downloads it. The checks — the type from the bytes, the
 * company's settings, the channel's limits, the permission to write — are core's (`Attachments`);
 * a refusal answers 413 (too large) or 422 with the limit in the message, nothing stored.
 * The list beside the dialog rides in the form's URL, like every dialog action's: the answer (the
 * form again for htmx, a redirect otherwise) keeps it, and a list the panel does not know is a 400.
 */
export const fileRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>()
    .post("/dialogs/:id/files", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody({ all: true })
      const files = [form.file ?? []].flat().filter((value): value is File => value instanceof File)
      // Looked up here, in the request's language: the program below may run outside its context.
      const chooseFile = t("requests.chooseFile")
      const fileField = "file"
      const program = Effect.gen(function* () {
        const list = yield* decodeLocation(c.req.query())
        const dialogId = yield* decodeDialogId(c.req.param("id"))
        if (files.length === 0) return yield* Effect.fail(new InvalidInput({ path: fileField, message: `${fileField}: ${chooseFile}` }))
        const uploads = yield* Effect.promise(() => Promise.all(files.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }))))
        const attachments = yield* Attachments
        yield* attachments.send(actor, dialogId, { text: fieldText(form.text), files: uploads, internal: fieldText(form.internal) === "true" })
        return { dialogId, list }
      })
      return respond(c, runtime, program, ({ dialogId, list }) => {
        c.header("Vary", "HX-Request")
        // The new message reaches the history over the live stream, like every other.
        return isHtmx(c) ? c.html(<AttachForm dialogId={dialogId} list={list} csrfToken={c.get("session").csrfToken} />) : c.redirect(Contract.routes.dialog(dialogId, list), 303)
      })
    })
    .get("/files/:id", (c) => {
      const actor = c.get("actor")
      const raw = c.req.param("id")
      const program = Effect.gen(function* () {
        const id = yield* Option.match(Schema.decodeUnknownOption(FileId)(raw), { onNone: () => Effect.fail(new FileNotFound({ id: raw })), onSome: Effect.succeed })
        const attachments = yield* Attachments
        return yield* attachments.open(actor, id)
      })
      return respond(c, runtime, program, ({ file, bytes }) => fileResponse(c, file, bytes))
    })
