import { Effect, Option, Schema } from "effect"
import { Hono } from "hono"
import type { Context } from "hono"
import { ChannelId, Client, ConfigStore, Dialog, DialogId, DialogPermissions, Engine, InvalidInput, Issue, Message, MessageId, NotFound, type Access, TopicId, UserId } from "@switchboard/core"
import { Contract, controlFields, DialogPane, EmptyPane, I18n, toQueue } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { dialogView } from "../panel/DialogView.js"
import { directory } from "../panel/Directory.js"
import { FieldRefusal, isHtmx, respond } from "../respond.js"
import type { PanelRuntime, PanelServices } from "../Services.js"
import { decodeDialogId, decodeLocation } from "./dialogs.js"

/** A form's fields: a field sent once is a string, one sent several times (checkboxes) an array. */
type Form = Record<string, string | File | ReadonlyArray<string | File>>

/** The values of a repeated form field (checkboxes), files and empty values left out. */
const values = (value: Form[string] | undefined): ReadonlyArray<string> =>
  (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string" && item !== "")

/** A form decoded by `schema`; a bad field is a 422 naming it (the notice shows `field: reason`). */
const decodeForm = <A, I>(schema: Schema.Schema<A, I>, form: unknown) => Effect.mapError(Schema.decodeUnknown(schema)(form), InvalidInput.fromParseError)

/** A command's refused text as the form's `text` field: its issues (said in the user's language when the answer renders) moved to that path. */
const invalidText = (error: InvalidInput) =>
  new InvalidInput({
    path: "text",
    message: error.message,
    issues: error.issues?.map((issue) => ({ ...issue, path: issue.path.replace(/^(input\.)?text/, "text") }))
  })

/** A core refusal about one field: a 422 naming it, the refusal said in the user's language when the answer renders. */
const refusedField = (path: string, refusal: Dialog.DialogRejected) => new FieldRefusal({ path, message: refusal.message, refusal })

/** A refusal of the text of a message (empty, too long) is the form's `text` field being wrong: 422. */
const textRefusals: ReadonlyArray<string> = ["Empty", "TooLong"]

/** A choice of a select the panel did not offer (a stale form, a hand-made request): none made, else no id. */
const chosen: Issue.IssueAnnotation = (actual) => (actual === "" ? { code: "missing" } : { code: "pattern" })

const ReassignForm = Schema.Struct({
  [controlFields.to]: Schema.String.pipe(Schema.filter((to) => to === toQueue || Schema.is(UserId)(to), { message: () => "choose an operator or the queue", [Issue.IssueAnnotationId]: chosen }))
})

const PriorityForm = Schema.Struct({
  [controlFields.priority]: Schema.String.pipe(Schema.pattern(/^-?\d{1,3}$/, { message: () => "not a priority level" }))
})

const TopicsForm = Schema.Struct({ [controlFields.topic]: Schema.Array(TopicId) })

const DetachForm = Schema.Struct({
  [controlFields.confirm]: Schema.Literal("yes").annotations({ message: () => "confirm detaching the client" })
})

const MessageText = Schema.Struct({ [controlFields.text]: Schema.String })

const DeleteManyForm = Schema.Struct({
  [controlFields.id]: Schema.Array(DialogId).pipe(Schema.minItems(1, { message: () => "choose at least one dialog" }), Schema.maxItems(500, { message: () => "at most 500 dialogs at once" }))
})

/** The message id in the URL; a malformed one is a 422 naming `messageId`. */
const decodeMessageId = (value: string) =>
  Effect.map(decodeForm(Schema.Struct({ messageId: MessageId }), { messageId: value }), ({ messageId }) => messageId)

/**
 * The dialog actions the panel had no control for (issue 21): reassign (DLG-08), return to the bot
 * (DLG-05), block and unblock the client (DLG-10), priority and topics (DLG-18), detach (DLG-23),
 * delete one or many (DLG-12), and per message reply with a quote, edit, delete (MSG-03/04). Every
 * rule of who may is the core's: the routes decode the form and run the command.
 */
export const dialogActionRoutes = (runtime: PanelRuntime) => {
  /** After an action: the pane again for htmx (empty when the dialog left the user's sight), a redirect otherwise. */
  const paneAfter = (c: Context<PanelEnv>, dialogId: DialogId, list: Contract.ListParams) => {
    c.header("Vary", "HX-Request")
    if (!isHtmx(c)) return Promise.resolve(c.redirect(Contract.routes.dialog(dialogId, list), 303))
    return respond(c, runtime, Effect.option(dialogView(c.get("actor"), dialogId, list)), (view) =>
      c.html(Option.isSome(view) ? <DialogPane dialog={view.value} csrfToken={c.get("session").csrfToken} /> : <EmptyPane />)
    )
  }

  /** A dialog action: decode the list and the id, run `act` (with the route's other parameters), answer with the pane. */
  const dialogAction = <E, R extends PanelServices>(
    act: (input: { readonly actor: Access.UserActor; readonly engine: Engine; readonly dialogId: DialogId; readonly form: Form; readonly param: (name: string) => string }) => Effect.Effect<unknown, E, R>
  ) =>
    async (c: Context<PanelEnv>) => {
      const actor = c.get("actor")
      const form: Form = await c.req.parseBody({ all: true })
      const param = (name: string) => c.req.param(name) ?? ""
      const program = Effect.gen(function* () {
        const list = yield* decodeLocation(c.req.query())
        const dialogId = yield* decodeDialogId(param("id"))
        yield* act({ actor, engine: yield* Engine, dialogId, form, param })
        return { list, dialogId }
      })
      return respond(c, runtime, program, ({ list, dialogId }) => paneAfter(c, dialogId, list))
    }

  /** The dialog's client, or a 409 when it was detached. */
  const clientOf = (engine: Engine, actor: Access.UserActor, dialogId: DialogId) =>
    Effect.flatMap(engine.dialog(actor, dialogId), (state) =>
      Option.match(state.clientId, {
        onNone: () => Effect.fail(new Dialog.DialogRejected({ dialogId, reason: "NoClient", message: I18n.catalogs.en.refusals.dialog.NoClient })),
        onSome: (clientId) => Effect.succeed({ state, clientId })
      })
    )

  /**
   * A message action: the command as untrusted input (`engine.decodeCommand`), with the message id
   * of the URL; an unknown message is a 404, a bad or refused text a 422 naming `text`.
   */
  const messageAction = (command: (dialogId: DialogId, messageId: MessageId, text: string) => Record<string, unknown>) =>
    dialogAction(({ actor, engine, dialogId, form, param }) =>
      Effect.gen(function* () {
        const messageId = yield* decodeMessageId(param("messageId"))
        const { text } = yield* decodeForm(MessageText, { text: typeof form.text === "string" ? form.text : "" })
        const decoded = yield* engine.decodeCommand(command(dialogId, messageId, text)).pipe(
          Effect.mapError((error) => (/^(input\.)?text/.test(error.path) ? invalidText(error) : error))
        )
        yield* engine.execute(actor, decoded).pipe(
          Effect.catchIf(
            (error): error is Dialog.DialogRejected => error._tag === "DialogRejected" && (error.reason === "UnknownMessage" || textRefusals.includes(error.reason)),
            (rejected) => Effect.fail(rejected.reason === "UnknownMessage" ? new NotFound({ entity: "message", id: messageId }) : refusedField("text", rejected))
          )
        )
      })
    )

  /** The form of an outgoing dialog (DLG-13): a channel id and the first message's text. */
  const OutgoingForm = Schema.Struct({
    [controlFields.channelId]: Schema.String.pipe(Schema.filter((id) => Schema.is(ChannelId)(id), { message: () => "choose a channel", [Issue.IssueAnnotationId]: chosen })),
    [controlFields.text]: Schema.String
  })

  return new Hono<PanelEnv>()
    // Write to the dialog's client first in a chosen channel (DLG-13): the answer is the new dialog.
    .post("/:id/outgoing", async (c) => {
      const actor = c.get("actor")
      const form: Form = await c.req.parseBody({ all: true })
      const program = Effect.gen(function* () {
        const list = yield* decodeLocation(c.req.query())
        const engine = yield* Engine
        const state = yield* engine.dialog(actor, yield* decodeDialogId(c.req.param("id")))
        const fields = yield* decodeForm(OutgoingForm, { channelId: form.channelId, text: typeof form.text === "string" ? form.text : "" })
        const input = yield* Effect.mapError(Schema.decodeUnknown(Message.MessageInput)({ text: fields.text }), () => new FieldRefusal({ path: "text", message: I18n.catalogs.en.requests.textNotStorable, problem: "textNotStorable" }))
        if (Option.isNone(state.clientId)) return yield* Effect.fail(new Dialog.DialogRejected({ dialogId: state.id, reason: "NoClient", message: I18n.catalogs.en.refusals.dialog.NoClient }))
        const opened = yield* engine.openOutgoing(actor, { clientId: state.clientId.value, channelId: ChannelId.make(fields.channelId), input }).pipe(
          Effect.catchIf(
            (error): error is Dialog.DialogRejected => error._tag === "DialogRejected" && textRefusals.includes(error.reason),
            (rejected) => Effect.fail(refusedField("text", rejected))
          )
        )
        return { list, dialogId: opened.dialogId }
      })
      return respond(c, runtime, program, ({ list, dialogId }) => paneAfter(c, dialogId, list))
    })
    // Several dialogs at once (DLG-12): every one is checked against the core's rule before any is deleted.
    .post("/delete", async (c) => {
      const actor = c.get("actor")
      const form: Form = await c.req.parseBody({ all: true })
      const program = Effect.gen(function* () {
        const list = yield* decodeLocation(c.req.query())
        const { id: dialogIds } = yield* decodeForm(DeleteManyForm, { id: [...new Set(values(form.id))] })
        const engine = yield* Engine
        const settings = yield* (yield* ConfigStore).getSettings()
        const states = yield* Effect.forEach(dialogIds, (dialogId) => engine.dialog(actor, dialogId))
        for (const state of states) {
          const refused = DialogPermissions.refusal(actor, "delete", state, settings)
          if (Option.isSome(refused)) return yield* Effect.fail(new Dialog.DialogRejected({ dialogId: state.id, reason: refused.value.reason, message: refused.value.message }))
        }
        yield* Effect.forEach(states, (state) => engine.execute(actor, new Dialog.DeleteDialog({ dialogId: state.id })), { discard: true })
        return { list, deleted: states.length }
      })
      return respond(c, runtime, program, ({ list }) => {
        c.header("Vary", "HX-Request")
        if (!isHtmx(c)) return c.redirect(Contract.routes.list(list), 303)
        c.header("HX-Location", Contract.routes.list(list))
        return c.body(null, 204)
      })
    })
    // To another operator (who-may: the core's "reassign") or back to the queue (its "requeue": a transfer).
    .post(
      "/:id/reassign",
      dialogAction(({ actor, engine, dialogId, form }) =>
        Effect.gen(function* () {
          const { to } = yield* decodeForm(ReassignForm, { to: form.to })
          if (to === toQueue) return yield* engine.execute(actor, new Dialog.Requeue({ dialogId, reason: "transfer" }))
          const names = yield* directory
          if (names.operator(to) === undefined) return yield* Effect.fail(new NotFound({ entity: "user", id: to }))
          return yield* engine.execute(actor, new Dialog.Reassign({ dialogId, to: { _tag: "Operator", userId: UserId.make(to) } }))
        })
      )
    )
    // To the dialog's bot, or the channel's when it never had one (DLG-05).
    .post(
      "/:id/return-to-bot",
      dialogAction(({ actor, engine, dialogId }) =>
        Effect.gen(function* () {
          const state = yield* engine.dialog(actor, dialogId)
          const channel = yield* (yield* ConfigStore).getChannel(state.channelId)
          const botId = Option.isSome(state.botId) ? undefined : Option.getOrUndefined(Option.flatMap(channel, (found) => Option.fromNullable(found.botId)))
          return yield* engine.execute(actor, new Dialog.ReturnToBot({ dialogId, ...(botId === undefined ? {} : { botId }) }))
        })
      )
    )
    .post(
      "/:id/:change{block|unblock}",
      dialogAction(({ actor, engine, dialogId, param }) =>
        Effect.flatMap(clientOf(engine, actor, dialogId), ({ clientId }) =>
          engine.client(actor, param("change") === "unblock" ? new Client.UnblockClient({ clientId, via: dialogId }) : new Client.BlockClient({ clientId, via: dialogId }))
        )
      )
    )
    // A level of the company's priority catalog (SLA-03).
    .post(
      "/:id/priority",
      dialogAction(({ actor, engine, dialogId, form }) =>
        Effect.gen(function* () {
          const priority = Number((yield* decodeForm(PriorityForm, { priority: form.priority })).priority)
          const settings = yield* (yield* ConfigStore).getSettings()
          if (!settings.priorities.some((entry) => entry.level === priority)) return yield* Effect.fail(new FieldRefusal({ path: "priority", message: I18n.catalogs.en.requests.unknownPriority, problem: "unknownPriority" }))
          return yield* engine.execute(actor, yield* engine.decodeCommand({ _tag: "SetPriority", dialogId, priority }))
        })
      )
    )
    // Topics from the company's topic tree (DLG-18); one it lacks is the form's fault (422).
    .post(
      "/:id/topics",
      dialogAction(({ actor, engine, dialogId, form }) =>
        Effect.gen(function* () {
          const { topic } = yield* decodeForm(TopicsForm, { topic: values(form.topic) })
          return yield* engine.execute(actor, new Dialog.SetTopics({ dialogId, topics: topic })).pipe(
            Effect.catchIf(
              (error): error is Dialog.DialogRejected => error._tag === "DialogRejected" && error.reason === "UnknownTopic",
              (rejected) => Effect.fail(refusedField("topic", rejected))
            )
          )
        })
      )
    )
    // Detach the client (DLG-23): the form says it was confirmed.
    .post(
      "/:id/detach",
      dialogAction(({ actor, engine, dialogId, form }) =>
        Effect.flatMap(decodeForm(DetachForm, { confirm: form.confirm }), () => engine.execute(actor, new Dialog.DetachClient({ dialogId })))
      )
    )
    // Close without waiting for the answer to "any more questions?" (DLG-15), with the reason given when it was asked.
    .post(
      "/:id/close-now",
      dialogAction(({ actor, engine, dialogId }) =>
        Effect.gen(function* () {
          const state = yield* engine.dialog(actor, dialogId)
          const reasonId = Option.getOrUndefined(Option.flatMap(state.pendingClose, (pending) => pending.reasonId))
          return yield* engine.execute(actor, new Dialog.Close({ dialogId, force: true, ...(reasonId === undefined ? {} : { reasonId }) }))
        })
      )
    )
    .post(
      "/:id/delete",
      dialogAction(({ actor, engine, dialogId }) => engine.execute(actor, new Dialog.DeleteDialog({ dialogId })))
    )
    // Reply quoting the message (MSG-03): to the client, or an internal note when the dialog is not the user's to write in.
    .post("/:id/messages/:messageId/quote", messageAction((dialogId, quoteOf, text) => ({ _tag: "SendMessage", dialogId, input: { text }, quoteOf })))
    .post("/:id/messages/:messageId/edit", messageAction((dialogId, messageId, text) => ({ _tag: "EditMessage", dialogId, messageId, text })))
    .post("/:id/messages/:messageId/delete", messageAction((dialogId, messageId) => ({ _tag: "DeleteMessage", dialogId, messageId })))
}
