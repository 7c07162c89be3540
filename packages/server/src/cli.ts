#!/usr/bin/env node
/**
 * `switchboard` — start the server, migrate the database, seed the demo, manage users.
 *
 *   switchboard start [--demo] [--port 3000] [--host 0.0.0.0]
 *   switchboard migrate
 *   switchboard seed-demo
 *   switchboard user create --email you@example.com --name "Your Name" --role owner [--id you]
 *   switchboard user passwd --email you@example.com
 *   switchboard user deactivate|activate --email someone@example.com
 *   switchboard user list
 *   switchboard channel create --id ID --kind custom --name N [--callback-url URL]
 *   switchboard channel credentials --id ID
 *
 * Storage: `DATABASE_URL` → PostgreSQL, else embedded PGlite in `SWITCHBOARD_DATA_DIR`
 * (default `.data/pglite`). Passwords are read from the terminal (hidden, asked twice) or, when
 * stdin is not a terminal, from its first line: never from an argument (it would stay in the
 * shell's history and the process list).
 *
 * @module
 */
import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { parseArgs } from "node:util"
import { Cause, Duration, Effect, Either, Exit, Layer, ManagedRuntime, Option, Redacted, Schema, Scope } from "effect"
import { Access, Accounts, AccountStore, Channel, ChannelId, ChannelSecretStore, ConfigStore, InvalidInput, Login, SlaClock, UserId } from "@switchboard/core"
import { FakeTelegram, Migrations, Pglite, SqlStore } from "@switchboard/adapters"
import { seedIfEmpty, demoPassword, demoTelegramBotToken, demoUsers } from "./Demo.js"
import { startServer } from "./Server.js"
import { ChannelCredentials, type IssuedCredentials } from "./ChannelCredentials.js"
import { defaultChannelAdapters, type PanelServices, servicesLayer } from "./Services.js"
import { parseTrustProxy } from "./Session.js"
import { chooseStorage } from "./Storage.js"
import { isBearerToken } from "./routes/api.js"
import { readPassword } from "./cli/password.js"

const usage = {
  root: `Usage: switchboard <command> [options]

Commands:
  start        run the server (--demo: seed the demo company and its users)
  migrate      bring the database schema up to date
  seed-demo    seed the demo company and demo users into an empty database
  user         create, passwd, deactivate, activate, list
  channel      create a channel, issue new credentials for one

Run "switchboard <command> --help" for a command's options.
Storage: DATABASE_URL (PostgreSQL) or SWITCHBOARD_DATA_DIR (embedded PGlite, default .data/pglite).`,
  start: `Usage: switchboard start [--demo] [--port N] [--host H]

  --demo       seed the demo company on first start; the sign-in page prints the demo password
  --port N     listen on N (default PORT or 3000)
  --host H     listen on H (default HOST or 0.0.0.0)

Without --demo no user exists until you create the owner:
  switchboard user create --role owner --email you@example.com --name "Your Name"

Environment: DATABASE_URL, SWITCHBOARD_DATA_DIR, SWITCHBOARD_SLA (SLA file), SWITCHBOARD_API_TOKEN, SWITCHBOARD_TELEGRAM_API_ROOT
(the Bot API Telegram channels use; the demo runs an in-process fake without it),
SESSION_SECRET, SESSION_IDLE_HOURS (default 12), SESSION_MAX_DAYS (default 14), TRUST_PROXY
(number of reverse proxies whose X-Forwarded-For/-Proto to trust; default none), LOG_FORMAT (json or
logfmt; default json), SWITCHBOARD_API_BODY_LIMIT (the JSON API's largest body in bytes; default 1048576),
SWITCHBOARD_FILES_DIR (where attachments are kept; default .data/files), SWITCHBOARD_FILES_BODY_LIMIT
(the largest file upload request in bytes; default 105906176, the default 100 MB file limit plus 1 MiB).`,
  migrate: `Usage: switchboard migrate

Bring the schema of DATABASE_URL (or the PGlite folder) up to date. Servers migrate at start too.`,
  "seed-demo": `Usage: switchboard seed-demo

Seed the demo company (channels, four users with the password "${demoPassword}", twenty clients)
into an empty database. Give demo users without a sign-in the demo password.`,
  user: `Usage: switchboard user <create|passwd|deactivate|activate|list> [options]

  create --email E --name N --role owner|admin|supervisor|operator [--id ID]
                     a new user; the password is read from the terminal or stdin
  passwd --email E   set a user's password (their sessions end)
  deactivate --email E   the user can no longer sign in; their sessions end at once
  activate --email E
  list               every user with their login, role and whether they are active`,
  channel: `Usage: switchboard channel <create|credentials> [options]

  create --id ID --kind K --name N [--callback-url URL]
                     a new channel (K: custom, widget, telegram...); prints its credentials once
  credentials --id ID
                     new credentials for a channel (the old ones stop working); printed once

Credentials: the inbound token (Authorization: Bearer on POST /api/channels/ID/inbound) and the
signing secret (Standard Webhooks, POST /api/channels/ID/webhook and a custom channel's callbacks).`
} as const

const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}

/** Where attachments are kept (`SWITCHBOARD_FILES_DIR`), beside the embedded database by default. */
const filesDirectory = () => process.env.SWITCHBOARD_FILES_DIR ?? ".data/files"

const storage = () => chooseStorage({ dataDir: process.env.SWITCHBOARD_DATA_DIR ?? ".data/pglite", databaseUrl: process.env.DATABASE_URL })

/** Session lifetimes from the environment (whole hours and days). */
const accountPolicy = (): Accounts.AccountsPolicy => {
  const number = (name: string, fallback: number) => {
    const raw = process.env[name]
    if (raw === undefined || raw === "") return fallback
    const value = Number(raw)
    return Number.isFinite(value) && value > 0 ? value : fail(`${name}: use a positive number (got "${raw}")`)
  }
  return {
    ...Accounts.defaultPolicy,
    idleTimeout: Duration.hours(number("SESSION_IDLE_HOURS", 12)),
    absoluteTimeout: Duration.days(number("SESSION_MAX_DAYS", 14))
  }
}

/** Run a program on a short-lived runtime over the configured storage; a typed failure prints its message and exits 1. */
const withServices = async <A, E>(program: Effect.Effect<A, E, PanelServices>): Promise<A> => {
  const runtime = ManagedRuntime.make(servicesLayer(storage().layer, { accounts: { policy: accountPolicy() }, files: { directory: filesDirectory() }, channels: { runOutbox: false } }))
  try {
    const exit = await runtime.runPromiseExit(program)
    if (Exit.isSuccess(exit)) return exit.value
    const failure = Cause.squash(exit.cause)
    return fail(typeof failure === "object" && failure !== null && "message" in failure ? String(failure.message) : String(failure))
  } finally {
    await runtime.dispose()
  }
}

const start = async (args: ReadonlyArray<string>) => {
  const { values } = parseArgs({ args: [...args], options: { demo: { type: "boolean" }, port: { type: "string" }, host: { type: "string" }, help: { type: "boolean" } } })
  if (values.help === true) return console.log(usage.start)
  const slaFile = process.env.SWITCHBOARD_SLA
  const sla = slaFile === undefined
    ? undefined
    : Either.getOrElse(Schema.decodeUnknownEither(SlaClock.SlaSettings)(JSON.parse(readFileSync(slaFile, "utf8"))), (error) =>
        fail(`${slaFile}: ${InvalidInput.fromParseError(error).message}`)
      )
  const apiToken = process.env.SWITCHBOARD_API_TOKEN
  if (apiToken !== undefined && !isBearerToken(apiToken)) {
    fail("SWITCHBOARD_API_TOKEN: use letters, digits and ._~+/- (then = padding only), so clients can send it as a bearer token")
  }
  const logFormat = process.env.LOG_FORMAT ?? "json"
  if (logFormat !== "json" && logFormat !== "logfmt") fail("LOG_FORMAT: use json or logfmt")
  const apiBodyLimit = process.env.SWITCHBOARD_API_BODY_LIMIT === undefined ? undefined : Number(process.env.SWITCHBOARD_API_BODY_LIMIT)
  if (apiBodyLimit !== undefined && !(Number.isSafeInteger(apiBodyLimit) && apiBodyLimit > 0)) fail("SWITCHBOARD_API_BODY_LIMIT: a whole number of bytes, such as 1048576")
  const filesBodyLimit = process.env.SWITCHBOARD_FILES_BODY_LIMIT === undefined ? undefined : Number(process.env.SWITCHBOARD_FILES_BODY_LIMIT)
  if (filesBodyLimit !== undefined && !(Number.isSafeInteger(filesBodyLimit) && filesBodyLimit > 0)) fail("SWITCHBOARD_FILES_BODY_LIMIT: a whole number of bytes, such as 105906176")
  let trustProxy = 0
  try {
    trustProxy = parseTrustProxy(process.env.TRUST_PROXY)
  } catch (error) {
    fail(String(error instanceof Error ? error.message : error))
  }
  const chosen = storage()
  const demo = values.demo === true
  const telegramApiRoot = process.env.SWITCHBOARD_TELEGRAM_API_ROOT
  if (telegramApiRoot !== undefined && !/^https?:\/\/[^\s]+$/.test(telegramApiRoot)) fail("SWITCHBOARD_TELEGRAM_API_ROOT: a URL such as http://127.0.0.1:8081")
  // The demo's Telegram channel runs in sandbox mode: an in-process fake Bot API, alive as long as the process.
  const sandbox = telegramApiRoot === undefined && demo
    ? await Effect.runPromise(Scope.extend(FakeTelegram.make({ token: demoTelegramBotToken }), Effect.runSync(Scope.make())))
    : undefined
  const server = await startServer({
    port: Number(values.port ?? process.env.PORT ?? 3000),
    hostname: values.host ?? process.env.HOST ?? "0.0.0.0",
    storage: chosen,
    seed: demo,
    trustProxy,
    accounts: { policy: accountPolicy() },
    logFormat: logFormat === "logfmt" ? "logfmt" : "json",
    bodyLimits: { api: apiBodyLimit, files: filesBodyLimit },
    files: { directory: filesDirectory() },
    channels: { adapters: defaultChannelAdapters({ apiRoot: telegramApiRoot ?? sandbox?.apiRoot }) },
    ...(sla === undefined ? {} : { sla }),
    ...(process.env.SESSION_SECRET === undefined ? {} : { secret: process.env.SESSION_SECRET }),
    ...(apiToken === undefined ? {} : { apiToken })
  })
  console.log(`Switchboard is running: ${server.url}/  (storage: ${server.storage})`)
  if (demo) {
    console.log(`Demo: sign in as ${demoUsers.map((user) => user.login).join(", ")} with the password "${demoPassword}".`)
  } else if ((await server.runtime.runPromise(Effect.flatMap(AccountStore, (store) => store.accounts()))).length === 0) {
    console.log(`No users yet. Create the owner:  switchboard user create --role owner --email you@example.com --name "Your Name"`)
  }
  if (sandbox !== undefined) console.log(`Telegram: sandbox mode, replies go to an in-process fake Bot API at ${sandbox.apiRoot} (set SWITCHBOARD_TELEGRAM_API_ROOT for another)`)
  console.log(`Inbound API: POST ${server.url}/api/channels/<id>/inbound with Authorization: Bearer <the channel's inbound token> (switchboard channel credentials --id <id>)`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`${signal}: shutting down`)
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      }
    )
  }
  process.on("SIGTERM", () => stop("SIGTERM"))
  process.on("SIGINT", () => stop("SIGINT"))
}

const migrate = async (args: ReadonlyArray<string>) => {
  const { values } = parseArgs({ args: [...args], options: { help: { type: "boolean" } } })
  if (values.help === true) return console.log(usage.migrate)
  const url = process.env.DATABASE_URL
  const client = url !== undefined && url !== ""
    ? Layer.orDie(SqlStore.pgClientLayer({ url, maxConnections: 1 }))
    : Pglite.layer({ dataDir: process.env.SWITCHBOARD_DATA_DIR ?? ".data/pglite" })
  const exit = await Effect.runPromiseExit(Effect.provide(Migrations.run(), client))
  if (Exit.isFailure(exit)) return fail(String(Cause.squash(exit.cause)))
  const outcome = exit.value
  console.log(outcome.applied.length === 0 ? `Schema is up to date at version ${outcome.to}.` : `Migrated from version ${outcome.from} to ${outcome.to} (applied ${outcome.applied.join(", ")}).`)
}

const seedDemo = async (args: ReadonlyArray<string>) => {
  const { values } = parseArgs({ args: [...args], options: { help: { type: "boolean" } } })
  if (values.help === true) return console.log(usage["seed-demo"])
  const seeded = await withServices(seedIfEmpty)
  console.log(seeded ? `Seeded the demo company. Demo password: "${demoPassword}".` : "The database already has a company; demo users without a sign-in got the demo password.")
}

const loginOf = (email: string | undefined): Login =>
  Option.getOrElse(Schema.decodeUnknownOption(Login)(email ?? ""), () => fail("--email: give the user's email or login"))

const userIdByLogin = (login: Login) =>
  Effect.flatMap(AccountStore, (store) => store.accountByLogin(login)).pipe(
    Effect.flatMap(Option.match({ onNone: () => Effect.fail(new Error(`No user signs in as ${login}`)), onSome: (account) => Effect.succeed(account.userId) }))
  )

const user = async (args: ReadonlyArray<string>) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string" }, id: { type: "string" }, help: { type: "boolean" } }
  })
  const command = positionals[0]
  if (values.help === true || command === undefined) return console.log(usage.user)
  const accounts = <A, E>(f: (service: Accounts.Accounts) => Effect.Effect<A, E, PanelServices>) => Effect.flatMap(Accounts.Accounts, f)
  switch (command) {
    case "create": {
      const login = loginOf(values.email)
      const role = Option.getOrElse(Schema.decodeUnknownOption(Access.Role)(values.role), () => fail("--role: one of owner, admin, supervisor, operator"))
      const name = values.name?.trim() || fail("--name: the user's name as colleagues see it")
      const userId = Option.getOrElse(Schema.decodeUnknownOption(UserId)(values.id ?? `usr_${randomUUID()}`), () => fail("--id: a non-empty id"))
      const password = await readPassword(`Password for ${login}: `)
      await withServices(accounts((service) => service.createUser(Access.system, { userId, name, role, login, password })))
      return console.log(`Created ${role} ${name} (${login}). They sign in at /login.`)
    }
    case "passwd": {
      const login = loginOf(values.email)
      const password = await readPassword(`New password for ${login}: `)
      await withServices(Effect.flatMap(userIdByLogin(login), (userId) => accounts((service) => service.resetPassword(Access.system, userId, password))))
      return console.log(`Password of ${login} changed; their sessions have ended.`)
    }
    case "deactivate":
    case "activate": {
      const login = loginOf(values.email)
      const active = command === "activate"
      await withServices(Effect.flatMap(userIdByLogin(login), (userId) => accounts((service) => service.setActive(Access.system, userId, active))))
      return console.log(active ? `${login} can sign in again.` : `${login} is deactivated; their sessions have ended.`)
    }
    case "list": {
      const users = await withServices(accounts((service) => service.list(Access.system)))
      if (users.length === 0) return console.log("No users yet.")
      for (const entry of users) console.log([entry.account.login, entry.role ?? "-", entry.name, entry.account.active ? "active" : "deactivated"].join("\t"))
      return
    }
    default:
      return fail(`Unknown user command "${command}".\n\n${usage.user}`)
  }
}

const printCredentials = (channelId: string, issued: IssuedCredentials) => {
  console.log(`Credentials of channel ${channelId} (shown once; "switchboard channel credentials" issues new ones):`)
  console.log(`  inbound token:  ${Redacted.value(issued.inboundToken)}`)
  console.log(`  signing secret: ${Redacted.value(issued.signingSecret)}`)
}

const channel = async (args: ReadonlyArray<string>) => {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { id: { type: "string" }, kind: { type: "string" }, name: { type: "string" }, "callback-url": { type: "string" }, help: { type: "boolean" } }
  })
  const command = positionals[0]
  if (values.help === true || command === undefined) return console.log(usage.channel)
  const channelId = Option.getOrElse(Schema.decodeUnknownOption(ChannelId)(values.id), () => fail("--id: the channel's id"))
  switch (command) {
    case "create": {
      const made = Either.getOrElse(
        Schema.decodeUnknownEither(Channel.Channel)({ id: channelId, kind: values.kind, name: values.name?.trim() ?? "" }),
        (error) => fail(InvalidInput.fromParseError(error).message)
      )
      const settings = values["callback-url"] === undefined ? {} : { callbackUrl: values["callback-url"] }
      return printCredentials(channelId, await withServices(Effect.flatMap(ChannelCredentials, (credentials) => credentials.create(made, settings))))
    }
    case "credentials": {
      const issued = await withServices(Effect.gen(function* () {
        const known = yield* Effect.flatMap(ConfigStore, (store) => store.getChannel(channelId))
        if (Option.isNone(known)) return yield* Effect.fail(new Error(`No channel ${channelId}`))
        const credentials = yield* ChannelCredentials
        const kept = yield* Effect.flatMap(ChannelSecretStore, (store) => store.getSecrets(channelId))
        // Settings kept beside the credentials (a callback URL) stay.
        const settings = Object.fromEntries(Object.entries(kept).filter(([name]) => name !== "inboundTokenHash" && name !== "signingSecret").map(([name, value]) => [name, Redacted.value(value)]))
        return yield* credentials.issue(channelId, settings)
      }))
      return printCredentials(channelId, issued)
    }
    default:
      return fail(`Unknown channel command "${command}".\n\n${usage.channel}`)
  }
}

const [command, ...rest] = process.argv.slice(2)
const commands: Record<string, (args: ReadonlyArray<string>) => Promise<void>> = { start, migrate, "seed-demo": seedDemo, user, channel }
const run = command === undefined ? undefined : commands[command]
if (command === undefined || command === "--help" || command === "-h" || command === "help") console.log(usage.root)
else if (run === undefined) fail(`Unknown command "${command}".\n\n${usage.root}`)
else await run(rest)
