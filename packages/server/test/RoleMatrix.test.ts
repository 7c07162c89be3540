import { Effect, Option, Redacted, Schema } from "effect"
import { Access, Accounts, AccountStore, ComposerStore, DialogId, Engine, Login, storeService, UserId } from "@switchboard/core"
import { beforeAll, describe, expect, it } from "vitest"
import { demoUsers, seedIfEmpty } from "../src/Demo.js"
import { copyState, emptyState, filesOver, layerOver, type State } from "../src/testing.js"
import { apiAuthorization, panelApp, rowIds, type Session } from "./PanelClient.js"
import { attributedPosition } from "./support/attributed.js"

/**
 * The role × action matrix over HTTP: every route of the app, every role and a signed-out
 * browser. Allowed → the route's success status; forbidden → 403 and nothing stored; signed out →
 * the sign-in page (a redirect for a page, 401 for a form post or an htmx request).
 *
 * One table drives it, and it must name every route Hono has: a new route without a row fails
 * the first test. The demo company (plus an admin, Adam) is seeded once for the file and every
 * cell runs on a server of its own over a copy of it (`copyState`): what one cell stores no other
 * cell sees, and each checks that it starts from the company as seeded. The operator is Boris and
 * the dialog acted on is Anna's: an operator acting on a colleague's dialog.
 */
type Role = "owner" | "admin" | "supervisor" | "operator" | "custom"
type Who = Role | "signed out"
const roles: ReadonlyArray<Role> = ["owner", "admin", "supervisor", "operator", "custom"]
const everyone: ReadonlyArray<Who> = [...roles, "signed out"]
/** `custom` is Cleo: an operator with the custom role "watcher", which allows only watching the supervisor board (OPS-01). */
const userOf: Record<Role, string> = { owner: "olha", admin: "adam", supervisor: "sue", operator: "boris", custom: "cleo" }

/** What a cell knows: Anna's active dialog, a queued one, a file sent in Anna's dialog, and how to reach the app. */
interface Target {
  readonly annas: string
  readonly queued: string
  readonly file: string
  /** The message Anna sent with the file. */
  readonly annasFile: string
  /** A company-wide quick reply (added by Sue). */
  readonly reply: string
  /** The client of Anna's dialog (the client card's routes). */
  readonly client: string
  /** The client of the queued dialog (merged into Anna's client by the merge route). */
  readonly queuedClient: string
}

interface Request {
  readonly method: "GET" | "POST"
  readonly path: string
  readonly fields?: Record<string, string>
  readonly json?: unknown
  /** Files to send as a multipart form, beside `fields`. */
  readonly files?: Record<string, File>
  /** A GET whose body is a never-ending stream (SSE): read the status, then cancel. */
  readonly stream?: boolean
}

interface Row {
  /** `METHOD path` exactly as `app.routes` lists it. */
  readonly route: string
  /** Who gets the success status: "public" routes answer everyone alike, signed out too. */
  readonly allowed: "public" | ReadonlyArray<Role>
  readonly success: number
  /**
   * What a forbidden role gets: 403, except where the dialog is not visible to them at all, which
   * the engine answers as "not found" (404) so that dialog ids cannot be probed.
   */
  readonly refusal?: 404
  readonly request: (target: Target) => Request
}

/** A valid SLA document for the editor's rows. */
const slaJson = JSON.stringify({ calendar: { timezone: "UTC", week: { mon: [["09:00", "18:00"]] } }, policies: { policies: [], fallback: { name: "Default", targets: { firstResponse: 60 } } } })

/** A client card with a custom list field, for the card section's row. */
const cardJson = JSON.stringify({ fields: ["name", "custom:plan"], customFields: [{ id: "plan", label: "Plan", type: "list", options: [{ value: "pro", label: "Pro" }] }] })
/** An operator's shift, for the shift editor's rows. */
const shiftJson = JSON.stringify({ name: "Mornings", timezone: "UTC", week: { mon: [["06:00", "14:00"]] } })

const table: ReadonlyArray<Row> = [
  { route: "GET /", allowed: "public", success: 302, request: () => ({ method: "GET", path: "/" }) },
  { route: "GET /healthz", allowed: "public", success: 200, request: () => ({ method: "GET", path: "/healthz" }) },
  { route: "GET /assets/:name{.+}", allowed: "public", success: 200, request: () => ({ method: "GET", path: "/assets/panel.css" }) },
  { route: "GET /login", allowed: "public", success: 200, request: () => ({ method: "GET", path: "/login" }) },
  { route: "POST /login", allowed: "public", success: 303, request: () => ({ method: "POST", path: "/login" }) },
  { route: "POST /logout", allowed: "public", success: 303, request: () => ({ method: "POST", path: "/logout" }) },
  {
    route: "POST /api/channels/:channelId/inbound",
    allowed: "public",
    success: 202,
    request: () => ({ method: "POST", path: "/api/channels/telegram/inbound", json: { from: "matrix", message: { text: "hello" } } })
  },
  {
    // The provider's webhook: no panel session involved; the Telegram adapter refuses a request without its secret token (401).
    route: "POST /api/channels/:channelId/webhook",
    allowed: "public",
    success: 401,
    request: () => ({ method: "POST", path: "/api/channels/telegram/webhook", json: { type: "message" } })
  },
  { route: "GET /panel", allowed: roles, success: 302, request: () => ({ method: "GET", path: "/panel" }) },
  { route: "GET /panel/dialogs", allowed: roles, success: 200, request: () => ({ method: "GET", path: "/panel/dialogs?folder=new" }) },
  { route: "GET /panel/dialogs/tags", allowed: roles, success: 200, request: () => ({ method: "GET", path: "/panel/dialogs/tags?folder=new" }) },
  { route: "GET /panel/dialogs/:id", allowed: ["owner", "admin", "supervisor"], success: 200, refusal: 404, request: (t) => ({ method: "GET", path: `/panel/dialogs/${t.annas}` }) },
  { route: "GET /panel/events", allowed: roles, success: 200, request: () => ({ method: "GET", path: "/panel/events", stream: true }) },
  // Every role may say what its page shows; a stream that is not open (here: none is) changes nothing (App.test focuses real ones).
  { route: "POST /panel/events/focus", allowed: roles, success: 204, request: () => ({ method: "POST", path: "/panel/events/focus", fields: { stream: "s0.none", folder: "new" } }) },
  // The supervisor board (issue 22): core's operators.supervise to watch it; its commands are core's (SetStatus, redistribute).
  { route: "GET /panel/board", allowed: ["owner", "admin", "supervisor", "custom"], success: 200, request: () => ({ method: "GET", path: "/panel/board" }) },
  { route: "POST /panel/board/watch", allowed: ["owner", "admin", "supervisor", "custom"], success: 204, request: () => ({ method: "POST", path: "/panel/board/watch", fields: { stream: "s0.none" } }) },
  { route: "POST /panel/board/operators/:id/status", allowed: ["owner", "admin", "supervisor"], success: 303, request: () => ({ method: "POST", path: "/panel/board/operators/anna/status", fields: { statusId: "lunch" } }) },
  { route: "POST /panel/board/operators/:id/redistribute", allowed: ["owner", "admin", "supervisor"], success: 303, request: () => ({ method: "POST", path: "/panel/board/operators/anna/redistribute" }) },
  // Company settings and the audit log: settings.manage (owners and admins).
  { route: "GET /panel/settings", allowed: ["owner", "admin"], success: 200, request: () => ({ method: "GET", path: "/panel/settings" }) },
  { route: "GET /panel/settings/audit", allowed: ["owner", "admin"], success: 200, request: () => ({ method: "GET", path: "/panel/settings/audit" }) },
  {
    route: "POST /panel/settings/:section{company|files|closeReasons|topics|tags|priorities|statuses|skillGroups}",
    allowed: ["owner", "admin"],
    success: 303,
    request: () => ({ method: "POST", path: "/panel/settings/company", fields: { topicRequired: "true", operatorsMayBlockClients: "true" } })
  },
  // The client card configuration (CLI-02, CLI-04): a settings section of its own, JSON; settings.manage, audited.
  { route: "POST /panel/settings/clientCard", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/settings/clientCard", fields: { clientCard: cardJson } }) },
  // Users and custom roles (issue 22, OPS-01): users.manage in core's Accounts; roles are settings (settings.manage, audited); a routing profile is the operator decider's SetRouting.
  { route: "GET /panel/users", allowed: ["owner", "admin"], success: 200, request: () => ({ method: "GET", path: "/panel/users" }) },
  { route: "POST /panel/users", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/users", fields: { name: "Nina", login: "nina@example.com", password: "a matrix passphrase", role: "operator" } }) },
  { route: "POST /panel/users/roles", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/users/roles", fields: { "roles[0].id": "triage", "roles[0].name": "Triage", "roles[0].permissions": "clients.block" } }) },
  { route: "POST /panel/users/:id/role", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/users/anna/role", fields: { role: "supervisor" } }) },
  { route: "POST /panel/users/:id/active", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/users/anna/active", fields: { active: "false" } }) },
  { route: "POST /panel/users/:id/password", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/users/anna/password", fields: { password: "another matrix passphrase" } }) },
  { route: "POST /panel/users/:id/routing", allowed: ["owner", "admin", "supervisor"], success: 303, request: () => ({ method: "POST", path: "/panel/users/anna/routing", fields: { "capacity.widget": "5", "capacity.telegram": "1" } }) },
  // An operator's shift (OPS-04): whoever may change routing profiles (core's Operator.mayChangeRouting); the preview stores nothing.
  { route: "GET /panel/users/:id/shift", allowed: ["owner", "admin", "supervisor"], success: 200, request: () => ({ method: "GET", path: "/panel/users/anna/shift" }) },
  { route: "POST /panel/users/:id/shift/preview", allowed: ["owner", "admin", "supervisor"], success: 200, request: () => ({ method: "POST", path: "/panel/users/anna/shift/preview", fields: { shift: shiftJson } }) },
  { route: "POST /panel/users/:id/shift", allowed: ["owner", "admin", "supervisor"], success: 303, request: () => ({ method: "POST", path: "/panel/users/anna/shift", fields: { shift: shiftJson } }) },
  // The SLA calendar and policies editor: settings.manage; the preview stores nothing.
  { route: "GET /panel/settings/sla", allowed: ["owner", "admin"], success: 200, request: () => ({ method: "GET", path: "/panel/settings/sla" }) },
  { route: "POST /panel/settings/sla/preview", allowed: ["owner", "admin"], success: 200, request: () => ({ method: "POST", path: "/panel/settings/sla/preview", fields: { sla: slaJson } }) },
  { route: "POST /panel/settings/sla", allowed: ["owner", "admin"], success: 303, request: () => ({ method: "POST", path: "/panel/settings/sla", fields: { sla: slaJson } }) },
  { route: "GET /panel/account", allowed: roles, success: 200, request: () => ({ method: "GET", path: "/panel/account" }) },
  {
    route: "POST /panel/account/password",
    allowed: roles,
    success: 200,
    request: () => ({ method: "POST", path: "/panel/account/password", fields: { currentPassword: "switchboard-demo", newPassword: "a matrix passphrase" } })
  },
  // The interface language and time zone (issue 22): everyone sets their own.
  { route: "POST /panel/account/locale", allowed: roles, success: 303, request: () => ({ method: "POST", path: "/panel/account/locale", fields: { language: "uk", timeZone: "Europe/Kyiv" } }) },
  { route: "POST /panel/account/composer", allowed: roles, success: 200, request: () => ({ method: "POST", path: "/panel/account/composer", fields: { sendKey: "enter", signature: "Matrix" } }) },
  // The operator's own day (issue 21 "More"): each user sets their own status (core's SetStatus decides).
  { route: "POST /panel/account/status", allowed: roles, success: 303, request: () => ({ method: "POST", path: "/panel/account/status", fields: { statusId: "lunch" } }) },
  { route: "POST /panel/account/notifications", allowed: roles, success: 303, request: () => ({ method: "POST", path: "/panel/account/notifications", fields: { sound: "on" } }) },
  { route: "POST /panel/account/list", allowed: roles, success: 303, request: () => ({ method: "POST", path: "/panel/account/list", fields: { view: "table", sort: "lastActivity" } }) },
  // Personal folders (DLG-02): each user's own; a folder that is not theirs is not found (the row's folder id exists for nobody).
  { route: "POST /panel/folders", allowed: roles, success: 303, request: () => ({ method: "POST", path: "/panel/folders", fields: { name: "Matrix", folder: "new" } }) },
  { route: "POST /panel/folders/:id/:action{rename|move|delete}", allowed: [], success: 303, refusal: 404, request: () => ({ method: "POST", path: "/panel/folders/nobodys/delete" }) },
  // Collision: seen in a dialog only by those who may see it (core's canView; 404 for the rest).
  { route: "POST /panel/dialogs/:id/presence", allowed: ["owner", "admin", "supervisor"], success: 200, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/presence`, fields: { typing: "true" } }) },
  { route: "GET /panel/quick-replies", allowed: roles, success: 200, request: () => ({ method: "GET", path: "/panel/quick-replies" }) },
  {
    route: "POST /panel/quick-replies",
    allowed: ["owner", "admin", "supervisor"],
    success: 303,
    request: () => ({ method: "POST", path: "/panel/quick-replies", fields: { scope: "company", category: "Matrix", title: "Hello", text: "Hello, {{client_name}}" } })
  },
  { route: "POST /panel/quick-replies/:id/delete", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/quick-replies/${t.reply}/delete` }) },
  {
    route: "GET /panel/dialogs/:id/quick-replies",
    allowed: ["owner", "admin", "supervisor"],
    success: 200,
    refusal: 404,
    request: (t) => ({ method: "GET", path: `/panel/dialogs/${t.annas}/quick-replies` })
  },
  { route: "POST /panel/account/sessions/end-others", allowed: roles, success: 303, request: () => ({ method: "POST", path: "/panel/account/sessions/end-others" }) },
  {
    route: "POST /panel/dialogs/:id/messages",
    allowed: ["owner", "admin", "supervisor"],
    success: 303,
    request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/messages`, fields: { text: "Stepping in", internal: "true" } })
  },
  {
    route: "POST /panel/dialogs/:id/files",
    allowed: ["owner", "admin", "supervisor"],
    success: 303,
    refusal: 404,
    request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/files`, fields: { internal: "true" }, files: { file: new File(["matrix notes"], "notes.txt") } })
  },
  // A dialog's attachments gallery (MSG-10): whoever may see the dialog.
  { route: "GET /panel/dialogs/:id/gallery", allowed: ["owner", "admin", "supervisor"], success: 200, refusal: 404, request: (t) => ({ method: "GET", path: `/panel/dialogs/${t.annas}/gallery?tab=files` }) },
  { route: "GET /panel/files/:id", allowed: ["owner", "admin", "supervisor"], success: 200, refusal: 404, request: (t) => ({ method: "GET", path: `/panel/files/${t.file}` }) },
  { route: "POST /panel/dialogs/:id/read", allowed: ["owner", "admin", "supervisor"], success: 204, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/read` }) },
  { route: "POST /panel/dialogs/:id/draft", allowed: ["owner", "admin", "supervisor"], success: 204, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/draft`, fields: { text: "draft" } }) },
  { route: "POST /panel/dialogs/:id/client-tags", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/client-tags`, fields: { tag: "vip" } }) },
  { route: "POST /panel/dialogs/:id/close", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/close`, fields: { reasonId: "resolved" } }) },
  { route: "POST /panel/dialogs/:id/:action{accept|leave|unread|reopen}", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/unread` }) },
  // The dialog controls (issue 21): who may is the core's rule (DialogPermissions, Access for the client's block).
  { route: "POST /panel/dialogs/delete", allowed: ["owner", "admin"], success: 303, request: (t) => ({ method: "POST", path: "/panel/dialogs/delete", fields: { id: t.queued } }) },
  { route: "POST /panel/dialogs/:id/reassign", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/reassign`, fields: { to: "boris" } }) },
  // The demo's channels have no bot: who may is told so (409 NoBot); the way back to a bot is in DialogActions.test.
  { route: "POST /panel/dialogs/:id/return-to-bot", allowed: ["owner", "admin", "supervisor"], success: 409, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/return-to-bot` }) },
  { route: "POST /panel/dialogs/:id/:change{block|unblock}", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/block` }) },
  { route: "POST /panel/dialogs/:id/priority", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/priority`, fields: { priority: "1" } }) },
  { route: "POST /panel/dialogs/:id/topics", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/topics`, fields: { topic: "delivery" } }) },
  { route: "POST /panel/dialogs/:id/detach", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/detach`, fields: { confirm: "yes" } }) },
  { route: "POST /panel/dialogs/:id/close-now", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/close-now` }) },
  // Anna's client already has an open dialog in the channel: who may see it is told so (409); the way through is in DialogActions.test.
  { route: "POST /panel/dialogs/:id/outgoing", allowed: ["owner", "admin", "supervisor"], success: 409, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/outgoing`, fields: { channelId: "telegram", text: "Hello again" } }) },
  { route: "POST /panel/dialogs/:id/delete", allowed: ["owner", "admin"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/delete` }) },
  { route: "POST /panel/dialogs/:id/messages/:messageId/quote", allowed: ["owner", "admin", "supervisor"], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/messages/${t.annas}.m1/quote`, fields: { text: "About this:" } }) },
  // Only a message's author changes it: the file Anna sent is hers alone (her own edit is in DialogActions.test).
  { route: "POST /panel/dialogs/:id/messages/:messageId/edit", allowed: [], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/messages/${t.annasFile}/edit`, fields: { text: "changed" } }) },
  { route: "POST /panel/dialogs/:id/messages/:messageId/delete", allowed: [], success: 303, request: (t) => ({ method: "POST", path: `/panel/dialogs/${t.annas}/messages/${t.annasFile}/delete` }) },
  // The client card (issue 22, CLI-01..04): a client is reached through a dialog one may see (else 404); who may set the manager or block is core's `can`.
  { route: "GET /panel/clients/:id", allowed: ["owner", "admin", "supervisor"], success: 200, refusal: 404, request: (t) => ({ method: "GET", path: `/panel/clients/${t.client}` }) },
  { route: "POST /panel/clients/:id/profile", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/clients/${t.client}/profile`, fields: { name: "Matrix", notes: "Seen by the matrix" } }) },
  { route: "POST /panel/clients/:id/manager", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/clients/${t.client}/manager`, fields: { managerId: "boris" } }) },
  { route: "POST /panel/clients/:id/merge", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/clients/${t.client}/merge`, fields: { mergedId: t.queuedClient } }) },
  { route: "POST /panel/clients/:id/:change{block|unblock}", allowed: ["owner", "admin", "supervisor"], success: 303, refusal: 404, request: (t) => ({ method: "POST", path: `/panel/clients/${t.client}/block` }) },
  // The web widget: public, its visitors hold a widget token (Bearer) that no panel session replaces (401 without it).
  { route: "GET /widget/v1/frame", allowed: "public", success: 200, request: () => ({ method: "GET", path: "/widget/v1/frame?channel=website" }) },
  { route: "GET /widget/v1/channels/:channelId/settings", allowed: "public", success: 200, request: () => ({ method: "GET", path: "/widget/v1/channels/website/settings" }) },
  { route: "POST /widget/v1/sessions", allowed: "public", success: 201, request: () => ({ method: "POST", path: "/widget/v1/sessions", json: { channelId: "website" } }) },
  { route: "GET /widget/v1/session", allowed: "public", success: 401, request: () => ({ method: "GET", path: "/widget/v1/session" }) },
  { route: "POST /widget/v1/messages", allowed: "public", success: 401, request: () => ({ method: "POST", path: "/widget/v1/messages", json: { text: "hi", clientMessageId: "m1" } }) },
  { route: "POST /widget/v1/user", allowed: "public", success: 401, request: () => ({ method: "POST", path: "/widget/v1/user", json: { id: "42" } }) },
  { route: "POST /widget/v1/attributes", allowed: "public", success: 401, request: () => ({ method: "POST", path: "/widget/v1/attributes", json: {} }) },
  { route: "POST /widget/v1/read", allowed: "public", success: 401, request: () => ({ method: "POST", path: "/widget/v1/read", json: { seq: 1 } }) },
  { route: "POST /widget/v1/files", allowed: "public", success: 415, request: () => ({ method: "POST", path: "/widget/v1/files", json: {} }) },
  { route: "GET /widget/v1/files/:id", allowed: "public", success: 401, request: () => ({ method: "GET", path: "/widget/v1/files/none" }) },
  { route: "GET /widget/v1/stream", allowed: "public", success: 401, request: () => ({ method: "GET", path: "/widget/v1/stream" }) },
  // Served in demo mode only; this app is not started as the demo.
  { route: "GET /demo/widget", allowed: "public", success: 404, request: () => ({ method: "GET", path: "/demo/widget" }) }
]

/** A server of its own over `state` (its stores and its attachments), as a cell or the seeding runs it. */
const serverOver = (state: State) => panelApp(layerOver(state), { files: { store: filesOver(state) } })

type Server = ReturnType<typeof serverOver>

/** What is stored, as a cell compares it before and after its request. */
const snapshotOf = (server: Server) =>
  server.runtime.runPromise(Effect.gen(function* () {
    const store = yield* storeService
    const accounts = yield* AccountStore
    const all = yield* accounts.accounts()
    const sessions = yield* Effect.forEach(all, (account) => accounts.sessionsOf(account.userId))
    const composer = yield* ComposerStore
    const replies = yield* Effect.forEach(all, (account) => composer.quickReplies(account.userId))
    const preferences = yield* Effect.forEach(all, (account) => composer.preferences(account.userId))
    return JSON.stringify({
      position: yield* attributedPosition,
      // Settings changes move the configuration's version, not the event log.
      config: (yield* store.config()).version,
      accounts: all.map((account) => [account.userId, account.active, account.passwordChangedAt]),
      sessions: sessions.map((list) => list.length),
      replies: replies.map((list) => list.map((reply) => reply.id)),
      preferences
    })
  }))

/**
 * The demo company with an admin, seeded once: its stored state (each cell runs on a copy), the
 * ids a cell acts on, a signed-in session per role (stored in that state, so valid in every copy),
 * and the snapshot every cell must start from.
 */
const seedCompany = async () => {
  const state = emptyState()
  const server = serverOver(state)
  await server.runtime.runPromise(seedIfEmpty)
  await server.runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) =>
    accounts.createUser(Access.system, { userId: UserId.make("adam"), name: "Adam", role: "admin", login: Schema.decodeSync(Login)("adam"), password: Redacted.make("switchboard-demo") })
  ))
  await server.runtime.runPromise(Effect.gen(function* () {
    yield* (yield* Engine).changeSettings(Access.system, { roles: [{ id: "watcher", name: "Watcher", permissions: ["operators.supervise"] }] })
    const accounts = yield* Accounts.Accounts
    yield* accounts.createUser(Access.system, { userId: UserId.make("cleo"), name: "Cleo", role: "operator", login: Schema.decodeSync(Login)("cleo"), password: Redacted.make("switchboard-demo") })
    yield* accounts.changeRole(Access.system, UserId.make("cleo"), "operator", "watcher")
  }))
  const anna = await server.signIn("anna")
  const annas = rowIds(await (await server.get(anna, "/panel/dialogs?folder=mine")).text())[0]!
  const form = new FormData()
  form.set("_csrf", anna.csrf)
  form.set("file", new File(["hello"], "hello.txt"))
  const sent = await server.app.request(`/panel/dialogs/${annas}/files`, { method: "POST", headers: { Origin: "http://localhost", Cookie: anna.cookie }, body: form })
  expect(sent.status).toBe(303)
  const page = await (await server.get(anna, `/panel/dialogs/${annas}`)).text()
  const sue = await server.signIn("sue")
  expect((await server.post(sue, "/panel/quick-replies", { scope: "company", category: "Greetings", title: "Hi", text: "Hi {{client_name}}" })).status).toBe(303)
  const reply = /data-quick-reply="([^"]+)"/.exec(await (await server.get(sue, "/panel/quick-replies")).text())?.[1] ?? "no-reply"
  const queued = rowIds(await (await server.get(anna, "/panel/dialogs?folder=new")).text())[0]!
  // Read from the store, not by opening the dialog (which would mark it read for Sue).
  const queuedClient = await server.runtime.runPromise(Effect.gen(function* () {
    const found = yield* (yield* storeService).loadDialog(DialogId.make(queued))
    return Option.getOrElse(Option.flatMap(found, (dialog) => dialog.state.clientId), () => "no-client")
  }))
  const target: Target = {
    reply,
    queuedClient,
    client: /href="\/panel\/clients\/([^"]+)"/.exec(page)?.[1] ?? "no-client",
    annas,
    queued,
    file: /href="\/panel\/files\/([^"]+)"/.exec(page)?.[1] ?? "no-file",
    annasFile: [...page.matchAll(/data-message-id="([^"]+)" data-author="operator"/g)].at(-1)?.[1] ?? "no-message"
  }
  const sessions = {} as Record<Role, Session>
  for (const role of roles) sessions[role] = await server.signIn(userOf[role])
  // The seeding server stops (its routing and workers with it) before any cell copies the state.
  const seeded = await snapshotOf(server)
  await server.runtime.dispose()
  return { state, target, sessions, seeded }
}

const send = async (server: Server, session: Session | undefined, who: Who, request: Request) => {
  if (request.path === "/login" && request.method === "POST") {
    const userId = who === "signed out" ? "anna" : userOf[who]
    return server.submitSignIn(demoUsers.find((user) => user.id === userId)?.login ?? userId, "switchboard-demo")
  }
  const cookie = session === undefined ? {} : { Cookie: session.cookie }
  if (request.method === "GET") {
    const response = await server.app.request(request.path, { headers: cookie })
    if (request.stream === true) await response.body?.cancel()
    return response
  }
  if (request.files !== undefined) {
    const form = new FormData()
    form.set("_csrf", session?.csrf ?? "")
    for (const [name, value] of Object.entries({ ...request.fields, ...request.files })) form.set(name, value)
    return server.app.request(request.path, { method: "POST", headers: { Origin: "http://localhost", ...cookie }, body: form })
  }
  if (request.json !== undefined) {
    return server.app.request(request.path, { method: "POST", headers: { "Content-Type": "application/json", ...apiAuthorization, ...cookie }, body: JSON.stringify(request.json) })
  }
  return server.app.request(request.path, {
    method: "POST",
    headers: { Origin: "http://localhost", "Content-Type": "application/x-www-form-urlencoded", ...cookie },
    body: new URLSearchParams({ _csrf: session?.csrf ?? "", ...request.fields })
  })
}

describe("role × action matrix over HTTP", () => {
  let company: Awaited<ReturnType<typeof seedCompany>>
  beforeAll(async () => {
    company = await seedCompany()
  })

  it("the table has a row for every route of the app, and no row for a route that is gone", async () => {
    const server = serverOver(copyState(company.state))
    const routes = [...new Set(server.app.routes.filter((route) => route.method !== "ALL").map((route) => `${route.method} ${route.path}`))].sort()
    expect(table.map((row) => row.route).sort()).toEqual(routes)
    await server.runtime.dispose()
  })

  for (const row of table) {
    describe(row.route, () => {
      for (const who of everyone) {
        const allowed = row.allowed === "public" || (who !== "signed out" && row.allowed.includes(who))
        it(`${who}: ${allowed ? `allowed (${row.success})` : who === "signed out" ? "sent to sign in" : `forbidden (${row.refusal ?? 403}), nothing stored`}`, async () => {
          // A copy of the seeded company for this cell alone: no other cell's writes are in it, none of its own leave it.
          const server = serverOver(copyState(company.state))
          const { target } = company
          try {
            const session = who === "signed out" ? undefined : company.sessions[who]
            const before = await snapshotOf(server)
            expect(before).toBe(company.seeded)
            const request = row.request(target)
            const response = await send(server, session, who, request)
            if (allowed) {
              expect(response.status).toBe(row.success)
            } else if (who === "signed out") {
              expect([response.status, response.headers.get("Location")]).toEqual(request.method === "GET" ? [302, "/login"] : [401, null])
              expect(await snapshotOf(server)).toBe(before)
            } else {
              expect(response.status).toBe(row.refusal ?? 403)
              expect(await snapshotOf(server)).toBe(before)
            }
          } finally {
            await server.runtime.dispose()
          }
        })
      }
    })
  }
})
