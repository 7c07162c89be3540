import { Effect, Option, Schema } from "effect"
import { Hono } from "hono"
import type { Context } from "hono"
import { Composer, DialogId, Engine, InvalidInput, Message, QuickReply, StoredText } from "@switchboard/core"
import { Contract, QuickRepliesPage, QuickReplyChoices, type QuickReplyFormState, t } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { clientNameOf } from "../panel/History.js"
import { BadRequest, failure, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { invalidText } from "../panel/InvalidText.js"

const { composerNames } = Contract

/** The picker's search: what follows `/` in the composer, at most a title's length. */
const Query = Schema.Struct({
  [composerNames.query]: Schema.optionalWith(Schema.Trim.pipe(Schema.maxLength(200, { message: () => "the search is longer than 200 characters" }), StoredText.storable(200)), {
    default: () => ""
  })
})

/** The text a new reply's form starts with: a message's, at most what a reply may hold. */
const FromMessage = Schema.Struct({
  text: Schema.optional(Schema.String.pipe(Schema.maxLength(Message.maxTextLength, { message: () => `a quick reply is at most ${Message.maxTextLength} characters` }), StoredText.storable(Message.maxTextLength)))
})

/** The quick reply form's labels (issue 22): a refused field is named as the form names it, in the user's language. */
const replyLabels = (path: string): string | undefined =>
  path === composerNames.fields.category
    ? t("quickRepliesPage.category")
    : path === composerNames.fields.title
      ? t("quickRepliesPage.replyTitle")
      : path === composerNames.fields.text
        ? t("quickRepliesPage.text")
        : undefined

/** The dialog id in the URL; a malformed one is a 422 naming `id` (as the dialog routes answer). */
const decodeDialogId = (value: string) =>
  Effect.map(Effect.mapError(Schema.decodeUnknown(Schema.Struct({ id: DialogId }))({ id: value }), InvalidInput.fromParseError), ({ id }) => id)

/**
 * The composer's routes under `/panel/dialogs` (PRD-01): the quick replies a user may insert into a
 * dialog they may see, filtered by `q`, each with its variables filled in for that dialog.
 */
export const composerDialogRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>().get("/:id/quick-replies", (c) => {
    c.header("Vary", "HX-Request")
    const actor = c.get("actor")
    const program = Effect.gen(function* () {
      const { q } = yield* Effect.mapError(Schema.decodeUnknown(Query)(c.req.query()), BadRequest.fromParseError)
      const state = yield* (yield* Engine).dialog(actor, yield* decodeDialogId(c.req.param("id")))
      const values = { client_name: yield* clientNameOf(state), operator_name: actor.name }
      const choices = yield* (yield* Composer).choices(actor, values, q)
      return { q, choices }
    })
    return respond(c, runtime, program, ({ q, choices }) =>
      c.html(
        <QuickReplyChoices
          q={q}
          choices={choices.map(({ reply, text }) => ({ id: reply.id, category: reply.category, title: reply.title, text, personal: QuickReply.scopeOf(reply) === "personal" }))}
        />
      ))
  })

/**
 * The quick replies' management page under `/panel/quick-replies` (PRD-01): list, create (422 with
 * the field's message re-rendered), delete. Who may do what is `QuickReply.canManage`, enforced by
 * `Composer`: a company reply without `quickReplies.manage` is a 403, someone else's personal one a 404.
 */
export const quickReplyRoutes = (runtime: PanelRuntime) => {
  const render = (c: Context<PanelEnv>, form?: QuickReplyFormState, status: 200 | 422 = 200) => {
    const actor = c.get("actor")
    const program = Effect.gen(function* () {
      const composer = yield* Composer
      return { listed: yield* composer.list(actor), mayManageCompany: yield* composer.mayManageCompany(actor) }
    })
    return respond(c, runtime, program, ({ listed, mayManageCompany }) =>
      c.html(
        <QuickRepliesPage
          csrfToken={c.get("session").csrfToken}
          mayManageCompany={mayManageCompany}
          form={form}
          replies={listed.map(({ reply, mayDelete }) => ({
            id: reply.id,
            category: reply.category,
            title: reply.title,
            text: reply.text,
            personal: QuickReply.scopeOf(reply) === "personal",
            mayDelete
          }))}
        />,
        status
      ))
  }
  const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined)
  return new Hono<PanelEnv>()
    // "Save as quick reply" under a message (MSG-09) opens the page with its text in the form.
    .get("/", async (c) => {
      const from = Schema.decodeUnknownEither(FromMessage)(c.req.query())
      if (from._tag === "Left") return failure(c, BadRequest.fromParseError(from.left))
      return render(c, from.right.text === undefined ? undefined : { values: { text: from.right.text } })
    })
    .post("/", async (c) => {
      const form = await c.req.parseBody()
      const created = Effect.flatMap(Composer, (composer) => composer.create(c.get("actor"), form)).pipe(
        Effect.as(Option.none<InvalidInput>()),
        Effect.catchTag("InvalidInput", (invalid) => Effect.succeed(Option.some(invalid)))
      )
      return respond(c, runtime, created, (refused) =>
        Option.match(refused, {
          onNone: () => c.redirect(composerNames.routes.quickReplies, 303),
          onSome: (invalid) => {
            const { scope, category, title } = composerNames.fields
            return render(c, { error: invalidText(invalid, replyLabels), values: { scope: text(form[scope]), category: text(form[category]), title: text(form[title]), text: text(form[composerNames.fields.text]) } }, 422)
          }
        }))
    })
    .post("/:id/delete", (c) =>
      respond(c, runtime, Effect.flatMap(Composer, (composer) => composer.remove(c.get("actor"), c.req.param("id"))), () => c.redirect(composerNames.routes.quickReplies, 303)))
}
