import { randomUUID } from "node:crypto"
import { Clock, Effect, Either, Option, Redacted, Schema } from "effect"
import { Hono, type Context } from "hono"
import { Access, Accounts, Calendar, Channel, Routing, ConfigStore, Engine, EventStore, Forbidden, InvalidInput, type Issue as CoreIssue, Login, NotFound, Operator, QueueId, type Settings, UserId } from "@switchboard/core"
import { Contract, ShiftPage, t, type RoleRowView, type ShiftEditorView, type UserRowView, type UsersView, UsersPage } from "@switchboard/ui-htmx"
import type { PanelEnv } from "../Env.js"
import { chrome } from "../panel/Chrome.js"
import { previewDays } from "../panel/WorkingHours.js"
import { configIssueText, invalidTexts } from "../panel/InvalidText.js"
import { refusalText, weakPasswordMessages, weakPasswordRule } from "../panel/Refusals.js"
import { respond } from "../respond.js"
import { jsonSyntaxReason } from "../RequestBody.js"
import type { PanelRuntime } from "../Services.js"

const { admin } = Contract

/** What each permission lets a custom role do, as the roles form names it (called while rendering). */
const permissionLabels = (): Record<Access.Permission, string> => ({
  "dialogs.viewAll": t("admin.permissions.dialogsViewAll"),
  "dialogs.reassign": t("admin.permissions.dialogsReassign"),
  "dialogs.intervene": t("admin.permissions.dialogsIntervene"),
  "dialogs.delete": t("admin.permissions.dialogsDelete"),
  "clients.block": t("admin.permissions.clientsBlock"),
  "clients.setManager": t("admin.permissions.clientsSetManager"),
  "clients.merge": t("admin.permissions.clientsMerge"),
  "settings.manage": t("admin.permissions.settingsManage"),
  "users.manage": t("admin.permissions.usersManage"),
  "quickReplies.manage": t("admin.permissions.quickRepliesManage"),
  "operators.supervise": t("admin.permissions.operatorsSupervise")
})

const builtInNames = (): Record<Access.Role, string> => ({
  owner: t("admin.roleOwner"),
  admin: t("admin.roleAdmin"),
  supervisor: t("admin.roleSupervisor"),
  operator: t("admin.roleOperator")
})

/** The messages a handler may answer with, made while the request's language is known (not inside an Effect program). */
const messagesNow = () => ({
  chooseRole: t("admin.users.chooseRole"),
  nameRequired: t("admin.users.nameRequired"),
  noSuchRole: t("admin.users.noSuchRole"),
  activeFlag: t("admin.users.activeFlag"),
  loginInvalid: t("admin.users.loginInvalid"),
  loginTaken: t("admin.users.loginTaken"),
  weakPassword: weakPasswordMessages()
})
type Messages = ReturnType<typeof messagesNow>

const customPrefix = "custom:"

/** A role choice as posted (`admin`, `custom:triage`) as the built-in role and custom role it stands for. */
const RoleChoice = Schema.Union(
  Access.Role,
  Schema.TemplateLiteral(customPrefix, Schema.String)
)
const roleOfChoice = (choice: typeof RoleChoice.Type): { readonly role: Access.Role; readonly customRole: string | undefined } =>
  choice.startsWith(customPrefix) ? { role: "operator", customRole: choice.slice(customPrefix.length) } : { role: choice as Access.Role, customRole: undefined }

const decodeChoice = (raw: string, messages: Messages) =>
  Effect.mapError(Schema.decodeUnknown(RoleChoice)(raw), () => new InvalidInput({ path: "role", message: messages.chooseRole }))

const userIdOf = (raw: string) =>
  Effect.mapError(Schema.decodeUnknown(UserId)(raw), () => new NotFound({ entity: "user", id: raw.slice(0, 100) }))

const one = (form: Record<string, unknown>, name: string): string => {
  const value = form[name]
  return typeof value === "string" ? value : Array.isArray(value) && typeof value[0] === "string" ? value[0] : ""
}
const all = (form: Record<string, unknown>, name: string): ReadonlyArray<string> => {
  const value = form[name]
  return typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []
}

interface Outcome {
  readonly draft?: Readonly<Record<string, string>>
  readonly createErrors?: Readonly<Record<string, string>>
  readonly roles?: ReadonlyArray<RoleRowView>
  readonly roleErrors?: Readonly<Record<string, string>>
  readonly userError?: { readonly userId: string; readonly message: string }
}

/** The users screen's view: every account with its operator's role and routing profile. */
const usersView = (
  actor: Access.UserActor,
  settings: Settings.Settings,
  outcome: Outcome,
  labels: { readonly roles: Record<Access.Role, string>; readonly permissions: Record<Access.Permission, string> }
) =>
  Effect.gen(function* () {
    const summaries = yield* (yield* Accounts.Accounts).list(actor)
    const eventStore = yield* EventStore
    const groups = Object.keys(settings.routing.skillGroups).sort()
    const queues = Routing.knownQueues(yield* (yield* ConfigStore).listChannels(), settings.routing)
    const roleName = (role: Access.Role | undefined, custom: string | undefined) =>
      custom === undefined ? labels.roles[role ?? "operator"] : settings.roles.find((candidate) => candidate.id === custom)?.name ?? custom
    const users = yield* Effect.forEach(summaries, (summary) =>
      Effect.map(eventStore.loadOperator(summary.account.userId), (found): UserRowView => {
        const state = Option.getOrUndefined(Option.map(found, ({ state }) => state))
        return {
          id: summary.account.userId,
          name: summary.name,
          login: summary.account.login,
          active: summary.account.active,
          role: summary.customRole === undefined ? summary.role ?? "operator" : `${customPrefix}${summary.customRole}`,
          roleName: roleName(summary.role, summary.customRole),
          capacity: Channel.ChannelKind.literals.map((channel) => ({ channel, value: String(state?.capacity[channel] ?? 0) })),
          skillGroups: groups.map((id) => ({ id, member: state?.skillGroups.includes(id as never) ?? false })),
          // A queue the operator serves that no channel or policy names any more stays listed, so saving keeps it.
          queues: [...new Set([...queues, ...(state?.queues ?? [])])].sort().map((id) => ({ id, member: state?.queues.includes(id) ?? false })),
          shift: Option.match(state?.shift ?? Option.none(), { onNone: () => "", onSome: (shift) => shift.name ?? shift.timezone }),
          error: outcome.userError?.userId === summary.account.userId ? outcome.userError.message : undefined
        }
      })
    )
    return {
      users,
      roleChoices: [
        ...Access.Role.literals.map((role) => ({ value: role, name: labels.roles[role] })),
        ...settings.roles.map((role) => ({ value: `${customPrefix}${role.id}`, name: role.name }))
      ],
      permissions: Access.Permission.literals.map((id) => ({ id, label: labels.permissions[id] })),
      roles: outcome.roles ?? settings.roles.map((role) => ({ id: role.id, name: role.name, permissions: role.permissions })),
      draft: outcome.draft ?? {},
      createErrors: outcome.createErrors ?? {},
      roleErrors: outcome.roleErrors ?? {}
    } satisfies UsersView
  })

/** A refused create form: an `InvalidInput` or core's refusal of the account (said when the answer renders), or the errors by field already said. */
type Errors = InvalidInput | Accounts.AccountRejected | Record<string, string>

/** A refused form's errors by field (its first path segment), in the request's language. Call it while rendering. */
const fieldErrors = (errors: Errors): Record<string, string> => {
  if (errors instanceof Accounts.AccountRejected) return { "": refusalText(errors) ?? errors.message }
  if (!(errors instanceof InvalidInput)) return errors
  const byField: Record<string, string> = {}
  for (const issue of invalidTexts(errors)) byField[issue.path.split(/[.[]/)[0] ?? ""] ??= issue.reason
  return byField
}

/** A refused roles form's errors at each row's field (`roles[i].name`), the rest the form's own; in the request's language. Call it while rendering. */
const roleErrors = (invalid: InvalidInput, indexes: ReadonlyArray<number>): Record<string, string> => {
  const errors: Record<string, string> = {}
  for (const issue of invalidTexts(invalid)) {
    const match = /^roles\[(\d+)\]\.(\w+)/.exec(issue.path)
    const index = match === null ? undefined : indexes[Number(match[1])]
    if (match !== null && index !== undefined) errors[`roles[${index}].${match[2]}`] ??= issue.reason
    else errors[""] ??= issue.path === "roles" || issue.path === "" ? issue.reason : issue.text
  }
  return errors
}

/** The custom roles as posted: `roles[i].id`, `roles[i].name`, `roles[i].permissions` (many); a row without id and name is dropped. */
const rolesOf = (form: Record<string, unknown>): { readonly rows: ReadonlyArray<RoleRowView>; readonly indexes: ReadonlyArray<number> } => {
  const indexes = [...new Set(Object.keys(form).flatMap((key) => {
    const match = /^roles\[(\d{1,3})\]\./.exec(key)
    return match === null ? [] : [Number(match[1])]
  }))].sort((a, b) => a - b)
  const kept = indexes
    .map((index) => ({ index, row: { id: one(form, `roles[${index}].id`).trim(), name: one(form, `roles[${index}].name`).trim(), permissions: all(form, `roles[${index}].permissions`) } }))
    .filter(({ row }) => row.id !== "" || row.name !== "")
  return { rows: kept.map(({ row }) => row), indexes: kept.map(({ index }) => index) }
}

/**
 * Users and custom roles (OPS-01), and each user's capacity per channel kind and skill groups
 * (OPS-03). Every decision is core's: `Accounts` (users.manage, owners only by owners), the
 * settings' Schema and `Engine.changeSettings` for roles (settings.manage, audited), the operator
 * decider's `SetRouting` for routing profiles. A change applies on the next request and the next
 * routing pass of every server: they read users and settings from the store.
 */
export const usersRoutes = (runtime: PanelRuntime) => {
  const page = (c: Context<PanelEnv>, outcome: Outcome, status: 200 | 422 = 200) => {
    const actor = c.get("actor")
    const labels = { roles: builtInNames(), permissions: permissionLabels() }
    const program = Effect.gen(function* () {
      const settings = yield* (yield* ConfigStore).getSettings()
      const view = yield* usersView(actor, settings, outcome, labels)
      const position = yield* (yield* EventStore).lastPosition
      return { view, chrome: yield* chrome(actor, "new", c.get("session").csrfToken, position) }
    })
    return respond(c, runtime, program, ({ view, chrome }) => c.html(<UsersPage chrome={chrome} view={view} />, status))
  }
  const done = (c: Context<PanelEnv>) => c.redirect(admin.routes.users, 303)
  /** Who may open an operator's shift editor: whoever may change routing profiles (core's rule); the operator, now and the page's chrome. */
  const shiftData = (c: Context<PanelEnv>, forbidden: string) =>
    Effect.gen(function* () {
      const actor = c.get("actor")
      const settings = yield* (yield* ConfigStore).getSettings()
      if (!Operator.mayChangeRouting(actor, settings)) return yield* Effect.fail(new Forbidden({ action: "dialogs.reassign", message: forbidden }))
      const userId = yield* userIdOf(c.req.param("id") ?? "")
      const found = yield* (yield* EventStore).loadOperator(userId)
      if (Option.isNone(found) || found.value.state.registeredAt === 0) return yield* Effect.fail(new NotFound({ entity: "user", id: userId }))
      const position = yield* (yield* EventStore).lastPosition
      return { operator: found.value.state, now: yield* Clock.currentTimeMillis, chrome: yield* chrome(actor, "new", c.get("session").csrfToken, position) }
    })

  return new Hono<PanelEnv>()
    .get("/", (c) => page(c, {}))
    .post("/", async (c) => {
      const actor = c.get("actor")
      const messages = messagesNow()
      const form = await c.req.parseBody()
      const draft = { name: one(form, "name"), login: one(form, "login"), role: one(form, "role") }
      const program = Effect.gen(function* () {
        const { role, customRole } = roleOfChoice(yield* decodeChoice(draft.role, messages))
        const name = draft.name.trim()
        if (name === "" || name.length > 200) return yield* Effect.fail(new InvalidInput({ path: "name", message: messages.nameRequired }))
        const login = yield* Effect.mapError(Schema.decodeUnknown(Login)(draft.login), () => new InvalidInput({ path: "login", message: messages.loginInvalid }))
        const userId = UserId.make(`usr_${randomUUID()}`)
        const accounts = yield* Accounts.Accounts
        if (customRole !== undefined) {
          const settings = yield* (yield* ConfigStore).getSettings()
          if (!settings.roles.some((candidate) => candidate.id === customRole)) return yield* Effect.fail(new InvalidInput({ path: "role", message: messages.noSuchRole }))
        }
        yield* accounts.createUser(actor, { userId, name, role, login, password: Redacted.make(one(form, "password")) })
        if (customRole !== undefined) yield* accounts.changeRole(actor, userId, role, customRole)
      })
      const checked = program.pipe(
        Effect.as(Option.none<Errors>()),
        Effect.catchTags({
          InvalidInput: (error) => Effect.succeed(Option.some<Errors>(error)),
          AccountRejected: (error) =>
            error.reason === "Forbidden"
              ? Effect.fail(error)
              : Effect.succeed(Option.some<Errors>(
                error.reason === "WeakPassword"
                  ? { password: messages.weakPassword[weakPasswordRule(error.message)] }
                  : error.reason === "LoginTaken"
                    ? { login: messages.loginTaken }
                    : error
              ))
        })
      )
      return respond(c, runtime, checked, (errors) => (Option.isNone(errors) ? done(c) : page(c, { draft, createErrors: fieldErrors(errors.value) }, 422)))
    })
    .post("/roles", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody({ all: true })
      const { rows, indexes } = rolesOf(form)
      const program = Effect.gen(function* () {
        const engine = yield* Engine
        return yield* engine.changeSettings(actor, { roles: rows }).pipe(
          Effect.as(Option.none<InvalidInput>()),
          Effect.catchTag("InvalidInput", (error) => Effect.succeed(Option.some(error)))
        )
      })
      return respond(c, runtime, program, (errors) =>
        Option.isNone(errors)
          ? done(c)
          : page(c, { roles: indexes.map((index, at) => ({ ...rows[at]!, id: one(form, `roles[${index}].id`) })), roleErrors: roleErrors(errors.value, indexes) }, 422))
    })
    .post("/:id/role", async (c) => {
      const actor = c.get("actor")
      const messages = messagesNow()
      const form = await c.req.parseBody()
      const program = Effect.gen(function* () {
        const userId = yield* userIdOf(c.req.param("id"))
        const { role, customRole } = roleOfChoice(yield* decodeChoice(one(form, "role"), messages))
        yield* (yield* Accounts.Accounts).changeRole(actor, userId, role, customRole)
      })
      return respond(c, runtime, program, () => done(c))
    })
    .post("/:id/active", async (c) => {
      const actor = c.get("actor")
      const messages = messagesNow()
      const form = await c.req.parseBody()
      const program = Effect.gen(function* () {
        const userId = yield* userIdOf(c.req.param("id"))
        const active = one(form, "active")
        if (active !== "true" && active !== "false") return yield* Effect.fail(new InvalidInput({ path: "active", message: messages.activeFlag }))
        yield* (yield* Accounts.Accounts).setActive(actor, userId, active === "true")
      })
      return respond(c, runtime, program, () => done(c))
    })
    .post("/:id/password", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody()
      const program = Effect.gen(function* () {
        const userId = yield* userIdOf(c.req.param("id"))
        yield* (yield* Accounts.Accounts).resetPassword(actor, userId, Redacted.make(one(form, "password")))
      })
      return respond(c, runtime, program, () => done(c))
    })
    .post("/:id/routing", async (c) => {
      const actor = c.get("actor")
      const form = await c.req.parseBody({ all: true })
      const program = Effect.gen(function* () {
        const userId = yield* userIdOf(c.req.param("id"))
        const found = yield* (yield* EventStore).loadOperator(userId)
        if (Option.isNone(found)) return yield* Effect.fail(new NotFound({ entity: "user", id: userId }))
        const state = found.value.state
        const capacity: Record<string, unknown> = {}
        for (const channel of Channel.ChannelKind.literals) {
          const raw = one(form, `capacity.${channel}`).trim()
          if (raw !== "") capacity[channel] = /^\d{1,6}$/.test(raw) ? Number(raw) : raw
        }
        const decoded = yield* Effect.mapError(
          Schema.decodeUnknown(Schema.Struct({ capacity: Operator.Capacity, skillGroups: Schema.Array(Routing.SkillGroupId), queues: Schema.Array(QueueId) }))({
            capacity,
            skillGroups: all(form, "skillGroups"),
            queues: all(form, "queues")
          }),
          (error) => InvalidInput.fromParseError(error)
        )
        // The rest of the profile stays as it is; the decider decides who may change it.
        const command = new Operator.SetRouting({
          userId,
          capacity: decoded.capacity,
          skillGroups: decoded.skillGroups,
          skills: state.skills,
          queues: decoded.queues,
          skillLevels: state.skillLevels,
          languages: state.languages,
          ...Option.match(state.shift, { onNone: () => ({}), onSome: (shift) => ({ shift }) })
        })
        yield* (yield* Engine).operator(actor, command)
      })
      return respond(c, runtime, program, () => done(c))
    })
    .get("/:id/shift", (c) => {
      const forbidden = t("operatorRouting.forbidden")
      return respond(c, runtime, shiftData(c, forbidden), (data) => {
        const shift = Option.getOrUndefined(data.operator.shift)
        const text = JSON.stringify(shift === undefined ? starterShift(data.operator.name) : encodeShift(shift), null, 2)
        return c.html(<ShiftPage chrome={data.chrome} view={shiftView(data.operator, text, shift ?? null, [], data.now, c.req.query("saved") === "1")} />)
      })
    })
    .post("/:id/shift/preview", async (c) => {
      const forbidden = t("operatorRouting.forbidden")
      const text = await postedShift(c)
      const parsed = parseShift(text, (reason) => t("operatorRouting.notJson", { reason }))
      return respond(c, runtime, shiftData(c, forbidden), (data) =>
        Either.match(parsed, {
          onLeft: (errors) => c.html(<ShiftPage chrome={data.chrome} view={shiftView(data.operator, text, Option.getOrNull(data.operator.shift), errors, data.now, false)} />, 422),
          onRight: (shift) => c.html(<ShiftPage chrome={data.chrome} view={shiftView(data.operator, text, shift, [], data.now, false)} />)
        }))
    })
    .post("/:id/shift", async (c) => {
      const actor = c.get("actor")
      const forbidden = t("operatorRouting.forbidden")
      const form = await c.req.parseBody()
      const clear = form["clear"] === "true"
      const text = typeof form["shift"] === "string" ? form["shift"] : ""
      const parsed = clear ? Either.right(undefined) : Either.map(parseShift(text, (reason) => t("operatorRouting.notJson", { reason })), (shift): Calendar.Config | undefined => shift)
      const program = Effect.gen(function* () {
        const data = yield* shiftData(c, forbidden)
        if (Either.isLeft(parsed)) return { ...data, errors: parsed.left }
        const state = data.operator
        // The rest of the profile stays as it is; the decider decides who may change it.
        yield* (yield* Engine).operator(actor, new Operator.SetRouting({
          userId: state.id,
          capacity: state.capacity,
          skills: state.skills,
          queues: state.queues,
          skillGroups: state.skillGroups,
          skillLevels: state.skillLevels,
          languages: state.languages,
          ...(parsed.right === undefined ? {} : { shift: parsed.right })
        }))
        return { ...data, errors: [] }
      })
      return respond(c, runtime, program, (data) =>
        data.errors.length > 0
          ? c.html(<ShiftPage chrome={data.chrome} view={shiftView(data.operator, text, Option.getOrNull(data.operator.shift), data.errors, data.now, false)} />, 422)
          : c.redirect(`${admin.routes.userShift(data.operator.id)}?saved=1`, 303))
    })
}

const encodeShift = Schema.encodeSync(Calendar.Config)
const decodeShift = Schema.decodeUnknownSync(Calendar.Config)

/** What the shift editor starts from for an operator without a shift: weekdays nine to six, UTC. */
const starterShift = (name: string) => {
  const day = [["09:00", "18:00"]]
  return { name, timezone: "UTC", week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: [] }
}

type Issue = { readonly path: string; readonly message: string; readonly code?: CoreIssue.IssueCode | undefined; readonly params?: CoreIssue.IssueParams | undefined }

/** The editor's text as JSON and then as a calendar; every problem with its field's path (`week.mon[0][1]`). */
const parseShift = (text: string, notJson: (reason: string) => string): Either.Either<Calendar.Config, ReadonlyArray<Issue>> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left([{ path: "", message: notJson(jsonSyntaxReason(text, error)) }])
  }
  return Either.mapLeft(Calendar.decodeConfig(json), (error) => error.issues.slice(0, 10))
}

const postedShift = async (c: Context<PanelEnv>) => {
  const form = await c.req.parseBody()
  return typeof form["shift"] === "string" ? form["shift"] : ""
}

/** The shift editor's view, made while rendering (the request's language); the preview is of `shown`, else of the text's starter. */
const shiftView = (operator: Operator.OperatorState, text: string, shown: Calendar.Config | null, errors: ReadonlyArray<Issue>, now: number, saved: boolean): ShiftEditorView => {
  const calendar = Calendar.make(shown ?? decodeShift(starterShift(operator.name)))
  return {
    userId: operator.id,
    userName: operator.name,
    json: text,
    errors: errors.map(configIssueText),
    preview: previewDays(calendar, now),
    timezone: calendar.config.timezone,
    hasShift: Option.isSome(operator.shift),
    saved
  }
}
