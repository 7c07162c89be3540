import { Effect, Option, Schema } from "effect"
import { Hono, type Context } from "hono"
import { Client, ClientCard, ClientId, ConfigStore, Engine, EventStore, InvalidInput, NotFound, UserId } from "@switchboard/core"
import { ClientCard as ClientCardFragment, ClientPage, clientCard, t } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { ApiLists } from "../panel/ApiLists.js"
import { clientCardView } from "../panel/ClientView.js"
import { chrome } from "../panel/Chrome.js"
import { FieldRefusal, isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

type Form = Record<string, string | File | ReadonlyArray<string | File>>

const text = (form: Form, name: string): string | undefined => {
  const value = form[name]
  return typeof value === "string" ? value : undefined
}

/** The client id in the URL; a malformed one is not found (a 404, as an unknown one). */
const clientParam = (c: Context<PanelEnv>) =>
  Effect.mapError(Schema.decodeUnknown(ClientId)(c.req.param("id")), () => new NotFound({ entity: "client", id: String(c.req.param("id")).slice(0, 64) }))

/** The built-in profile fields a card form may carry. */
const profileFields = ["name", "username", "email", "phone", "language", "notes"] as const

/**
 * The profile a card form describes: its non-empty built-in fields and every custom field of the
 * company's card (CLI-04), each checked by its type; a bad one is a 422 naming its path. A list
 * from an API whose options the server loads takes one of them (or the value the client already
 * has, which the card keeps offering); when they cannot be loaded any stored text is taken, as
 * the operator typed it into the text box the card showed instead.
 */
const profileOf = (form: Form, client: Client.ClientState) =>
  Effect.gen(function* () {
    const settings = yield* (yield* ConfigStore).getSettings()
    const raw: Record<string, unknown> = {}
    for (const name of profileFields) {
      const value = text(form, name)
      if (value !== undefined && value.trim() !== "") raw[name] = value
    }
    const custom: Record<string, ClientCard.CustomValue> = {}
    for (const field of settings.clientCard.customFields) {
      const value = ClientCard.fromForm(field, text(form, `custom.${field.id}`))
      if (value !== undefined) custom[field.id] = value
    }
    if (Object.keys(custom).length > 0) raw.customFields = custom
    const lists = yield* (yield* ApiLists).load(settings.clientCard, Object.keys(custom))
    const current = (client.profile.customFields ?? {}) as Record<string, unknown>
    const loaded: Record<string, ReadonlyArray<string>> = {}
    for (const [id, result] of lists) {
      if (result._tag === "Right") loaded[id] = [...result.right.map((option) => option.value), ...(typeof current[id] === "string" ? [current[id]] : [])]
    }
    const checked = ClientCard.checkValues(settings.clientCard, custom, loaded)
    if (checked._tag === "Left") return yield* Effect.fail(new InvalidInput(checked.left))
    return yield* Effect.mapError(Schema.decodeUnknown(Client.Profile)(raw), InvalidInput.fromParseError)
  })

/**
 * A refusal of a field by the core is the form's fault: a 422 naming the field. Its issues are
 * worded from their codes; a refusal without them (an unknown manager) by its reason, from the
 * catalog (`refusalText`), in the user's language.
 */
const fieldRefusals = <A, E, R>(effect: Effect.Effect<A, E | Client.ClientRejected, R>) =>
  Effect.catchIf(effect, (error): error is Client.ClientRejected => typeof error === "object" && error !== null && "_tag" in error && error._tag === "ClientRejected" && ((error as Client.ClientRejected).reason === "InvalidField" || (error as Client.ClientRejected).reason === "UnknownManager"), (rejected): Effect.Effect<never, InvalidInput | FieldRefusal> =>
    rejected.issues !== undefined && rejected.issues.length > 0
      ? Effect.fail(new InvalidInput({ path: rejected.path ?? managerField, message: `${rejected.path ?? managerField}: ${rejected.message}`, issues: rejected.issues }))
      : Effect.fail(new FieldRefusal({ path: rejected.path ?? managerField, message: rejected.message, refusal: rejected })))

/** The card's manager field, as forms post it and errors name it. */
const managerField = "managerId"

/**
 * The client card as its own page (CLI-01..04) and its edits: profile and custom fields, the
 * responsible manager, block and unblock, merging another client into this one. Every edit is a core command (`engine.client`), so core
 * decides who may and live panels hear of it; a client the user cannot reach is not found.
 */
export const clientRoutes = (runtime: PanelRuntime) => {
  const back = (c: Context<PanelEnv>, id: string) => c.redirect(clientCard.routes.card(id), 303)
  const edit = (build: (clientId: ClientId, form: Form, client: Client.ClientState, words: { readonly notUserId: string }) => Effect.Effect<Client.ClientCommand, InvalidInput, ConfigStore | ApiLists>) => async (c: Context<PanelEnv>) => {
    const actor = c.get("actor")
    const form: Form = await c.req.parseBody({ all: true })
    // Messages the program may need, looked up here in the request's language (the program may run outside its context).
    const words = { notUserId: t("requests.notUserId") }
    const program = Effect.gen(function* () {
      const clientId = yield* clientParam(c)
      const engine = yield* Engine
      // Reaching the client is the first check: an unknown or unreachable one is a 404, whatever the form.
      const client = yield* engine.clientCard(actor, clientId)
      const command = yield* build(clientId, form, client, words)
      yield* fieldRefusals(engine.client(actor, command))
      return clientId
    })
    return respond(c, runtime, program, (id) => back(c, id))
  }
  return new Hono<PanelEnv>()
    .get("/:id", (c) => {
      const actor = c.get("actor")
      const program = Effect.gen(function* () {
        const clientId = yield* clientParam(c)
        const { client, view } = yield* clientCardView(actor, clientId)
        const page = yield* chrome(actor, "new", c.get("session").csrfToken, yield* (yield* EventStore).lastPosition)
        return { client, view, page }
      })
      return respond(c, runtime, program, ({ client, view, page }) =>
        client.mergedInto !== undefined ? c.redirect(clientCard.routes.card(client.mergedInto), 303) : c.html(<ClientPage chrome={page} card={view} />)
      )
    })
    .post("/:id/profile", edit((clientId, form, client) => Effect.map(profileOf(form, client), (profile) => new Client.UpdateClientProfile({ clientId, profile }))))
    .post(
      "/:id/manager",
      edit((clientId, form, _client, words) => {
        const value = text(form, managerField) ?? ""
        if (value === "") return Effect.succeed(new Client.SetClientManager({ clientId, managerId: Option.none() }))
        return Effect.map(Effect.mapError(Schema.decodeUnknown(UserId)(value), () => new InvalidInput({ path: managerField, message: `${managerField}: ${words.notUserId}` })), (managerId) =>
          new Client.SetClientManager({ clientId, managerId: Option.some(managerId) }))
      })
    )
    .post("/:id/merge", async (c) => {
      // CLI-01: merge the client named by the form's `mergedId` into this one. Core checks the
      // permission (403), SameClient / Merged (409 with the reason); unknown ids are 404, a
      // malformed `mergedId` 422. Without JS: 303 back to the card; htmx: the card fragment.
      const actor = c.get("actor")
      const form: Form = await c.req.parseBody({ all: true })
      const malformed = t("clientCard.mergeInvalidId")
      const program = Effect.gen(function* () {
        const clientId = yield* clientParam(c)
        const engine = yield* Engine
        // Reaching the client is the first check: an unknown or unreachable one is a 404, whatever the form.
        yield* engine.clientCard(actor, clientId)
        const mergedId = yield* Effect.mapError(Schema.decodeUnknown(ClientId)((text(form, "mergedId") ?? "").trim()), () => new InvalidInput({ path: "mergedId", message: malformed }))
        yield* engine.mergeClients(actor, new Client.MergeClients({ clientId, mergedId }))
        return isHtmx(c) ? { clientId, card: Option.some((yield* clientCardView(actor, clientId)).view) } : { clientId, card: Option.none() }
      })
      return respond(c, runtime, program, ({ clientId, card }) => {
        c.header("Vary", "HX-Request")
        return Option.isSome(card) ? c.html(<ClientCardFragment card={card.value} csrfToken={c.get("session").csrfToken} />) : back(c, clientId)
      })
    })
    .post("/:id/:change{block|unblock}", async (c) =>
      edit((clientId) => Effect.succeed(c.req.param("change") === "unblock" ? new Client.UnblockClient({ clientId }) : new Client.BlockClient({ clientId })))(c)
    )
}
