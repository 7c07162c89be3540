import { Effect, Schema } from "effect"
import { Hono, type Context } from "hono"
import { Access, ConfigStore, Engine, EventStore, Forbidden, Operator, UserId } from "@switchboard/core"
import { BoardPage, Contract, I18n } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { BoardFeed } from "../live/BoardFeed.js"
import { boardView, readBoard } from "../panel/BoardView.js"
import { chrome } from "../panel/Chrome.js"
import { BadRequest, isHtmx, respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"

const { admin } = Contract

/** Only those the core lets watch the board (`operators.supervise`) see it: a 403 for the rest. */
const mayWatch = (actor: Access.UserActor) =>
  Effect.gen(function* () {
    const settings = yield* (yield* ConfigStore).getSettings()
    if (!Access.can(actor, "operators.supervise", settings)) {
      return yield* Effect.fail(new Forbidden({ action: "operators.supervise", message: I18n.catalogs.en.refusals.forbidden.operatorsSupervise }))
    }
  })

const operatorParam = (c: Context<PanelEnv>) =>
  Effect.mapError(Schema.decodeUnknown(UserId)(c.req.param("id")), BadRequest.fromParseError)

const text = (form: Record<string, unknown>, name: string): string => {
  const value = form[name]
  return typeof value === "string" ? value : ""
}

/**
 * An action from the board answers htmx with nothing to swap (the board's live push shows the
 * change to everyone watching, this page included) and a browser without JavaScript with the board.
 */
const done = (c: Context<PanelEnv>) => (isHtmx(c) ? c.body(null, 204) : c.redirect(admin.routes.board, 303))

/**
 * The supervisor board (OPS-02, DLG-22): every operator's status, time in status, load against
 * capacity and active dialogs; every queue's length, longest wait and SLA breaches; live through
 * the page's stream (`BoardFeed`). From it, a status change and a redistribution (OPS-05), each
 * through a core command that decides who may.
 */
export const boardRoutes = (runtime: PanelRuntime) =>
  new Hono<PanelEnv>()
    .get("/", (c) => {
      const actor = c.get("actor")
      const locale = c.get("locale")
      const program = Effect.gen(function* () {
        yield* mayWatch(actor)
        const position = yield* (yield* EventStore).lastPosition
        const page = yield* chrome(actor, "new", c.get("session").csrfToken, position)
        return { page, board: boardView(yield* readBoard, actor, locale) }
      })
      return respond(c, runtime, program, ({ page, board }) => c.html(<BoardPage chrome={page} board={board} />))
    })
    // The page names its live stream: the board is pushed to it from now on.
    .post("/watch", async (c) => {
      const actor = c.get("actor")
      const stream = text(await c.req.parseBody(), admin.fields.stream)
      const program = Effect.gen(function* () {
        yield* mayWatch(actor)
        // A stream that is not (or no longer) open changes nothing; the page's next stream names itself anew.
        yield* Effect.flatMap(BoardFeed, (feed) => feed.watch(actor, stream.slice(0, 64)))
      })
      return respond(c, runtime, program, () => c.body(null, 204))
    })
    .post("/operators/:id/status", async (c) => {
      const actor = c.get("actor")
      const statusId = text(await c.req.parseBody(), admin.fields.status)
      const program = Effect.gen(function* () {
        const userId = yield* operatorParam(c)
        const command = yield* Effect.mapError(Schema.decodeUnknown(Operator.SetStatus)({ _tag: "SetStatus", userId, statusId }), BadRequest.fromParseError)
        yield* Effect.flatMap(Engine, (engine) => engine.operator(actor, command))
      })
      return respond(c, runtime, program, () => done(c))
    })
    .post("/operators/:id/redistribute", (c) => {
      const actor = c.get("actor")
      const program = Effect.gen(function* () {
        const userId = yield* operatorParam(c)
        return yield* Effect.flatMap(Engine, (engine) => engine.redistribute(actor, userId))
      })
      return respond(c, runtime, program, () => done(c))
    })
