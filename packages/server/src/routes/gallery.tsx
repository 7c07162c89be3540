import { Effect, Option, Schema } from "effect"
import { Hono } from "hono"
import { type Access, type DialogId, Engine, InvalidInput, Issue, type Message } from "@switchboard/core"
import { Document, Gallery, t, type GalleryItemView, type GalleryTab, type GalleryView } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { attachmentView, clientNameOf, historyPageSize, messageView } from "../panel/History.js"
import { directory } from "../panel/Directory.js"
import { isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { decodeDialogId } from "./dialogs.js"

/** The gallery's query; `chooseTab` is the refusal in the request's language, read before the program runs (docs/i18n.md). */
const galleryQuery = (chooseTab: string) => Schema.Struct({ tab: Schema.Literal("images", "files").annotations({ message: () => ({ message: chooseTab, override: true }), ...Issue.issueAnnotation("other") }) })

/** How many history pages the gallery reads at most (50 messages each): a very long dialog shows its latest files. */
const galleryPages = 40

/**
 * A dialog's attachments gallery for a user (MSG-10): the files of its messages that are not
 * deleted, newest first, split into images (those the bubbles preview) and other files. Read
 * through `engine.history`, so who may see the dialog may see its gallery, and nobody else.
 */
export const galleryView = (actor: Access.UserActor, dialogId: DialogId, tab: GalleryTab) =>
  Effect.gen(function* () {
    const engine = yield* Engine
    const state = yield* engine.dialog(actor, dialogId)
    const names = yield* directory
    const clientName = yield* clientNameOf(state)
    const messages: Array<Message.Message> = []
    let cursor: string | undefined
    for (let page = 0; page < galleryPages; page++) {
      const read = yield* engine.history(actor, { dialogId: state.id, limit: historyPageSize, ...(cursor === undefined ? {} : { cursor }) })
      messages.push(...read.items)
      cursor = Option.getOrUndefined(read.nextCursor)
      if (cursor === undefined) break
    }
    const all: Array<GalleryItemView> = messages
      .filter((message) => Option.isNone(message.deletedAt))
      .flatMap((message) => {
        const view = messageView(message, names, clientName)
        return message.attachments.map((attachment) => ({ ...attachmentView(attachment), authorName: view.authorName, time: view.time, timeIso: view.timeIso }))
      })
    const images = all.filter((item) => item.preview)
    const files = all.filter((item) => !item.preview)
    return { dialogId: state.id, tab, items: tab === "images" ? images : files, counts: { images: images.length, files: files.length } } satisfies GalleryView
  })

/** `GET /panel/dialogs/:id/gallery?tab=images|files`: the gallery fragment for htmx, a page of its own otherwise. */
export const galleryRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>().get("/:id/gallery", (c) => {
    const GalleryQuery = galleryQuery(t("phone.chooseTab"))
    const program = Effect.gen(function* () {
      const dialogId = yield* decodeDialogId(c.req.param("id"))
      const { tab } = yield* Effect.mapError(Schema.decodeUnknown(GalleryQuery)({ tab: c.req.query("tab") ?? "images" }), InvalidInput.fromParseError)
      return yield* galleryView(c.get("actor"), dialogId, tab)
    })
    c.header("Vary", "HX-Request")
    return respond(c, runtime, program, (gallery) =>
      isHtmx(c)
        ? c.html(<Gallery gallery={gallery} />)
        : c.html(
            <Document title={t("phone.attachmentsTitle")}>
              <main class="admin-content">
                <Gallery gallery={gallery} />
              </main>
            </Document>
          )
    )
  })
