import { Clock, Context, Duration, Effect, Either, Option, Redacted, Schema } from "effect"
import { can, type Actor, type Role, UserActor } from "../access/Access.js"
import { Engine } from "../engine/Engine.js"
import * as Operator from "../operators/Operator.js"
import { ChangeRole, RegisterOperator, SetActive } from "../operators/Operator.js"
import { AccountStore, Login, type Account, type SessionKey, type SessionRecord } from "../ports/AccountStore.js"
import { PasswordHasher } from "../ports/PasswordHasher.js"
import { SessionTokens } from "../ports/SessionTokens.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { EventStore } from "../ports/EventStore.js"
import type { UserId } from "../shared/Ids.js"
import * as Password from "./Password.js"

/** How long sessions live and how hard sign-in is throttled. */
export interface AccountsPolicy {
  /** A session unused this long ends (default 12 hours). */
  readonly idleTimeout: Duration.Duration
  /** A session ends this long after sign-in, used or not (default 14 days). */
  readonly absoluteTimeout: Duration.Duration
  /** `lastSeenAt` is written at most this often, so most requests only read their session. */
  readonly touchEvery: Duration.Duration
  /** A long-lived connection (the live stream) checks its session this often (default 15 seconds). */
  readonly recheckEvery: Duration.Duration
  /** Failed sign-ins are counted in windows this long (default 15 minutes)… */
  readonly throttleWindow: Duration.Duration
  /** …and a window allows this many per account (default 5)… */
  readonly failuresPerAccount: number
  /** …and this many per client address (default 20: an office behind one address has several people). */
  readonly failuresPerAddress: number
}

/** The defaults of `AccountsPolicy`. */
export const defaultPolicy: AccountsPolicy = {
  idleTimeout: Duration.hours(12),
  absoluteTimeout: Duration.days(14),
  touchEvery: Duration.minutes(1),
  recheckEvery: Duration.seconds(15),
  throttleWindow: Duration.minutes(15),
  failuresPerAccount: 5,
  failuresPerAddress: 20
}

/** The policy in force; `defaultPolicy` unless a layer provides another (the server reads env). */
export class AccountsConfig extends Context.Reference<AccountsConfig>()("@switchboard/core/AccountsConfig", {
  defaultValue: (): AccountsPolicy => defaultPolicy
}) {}

/**
 * A sign-in was refused. Wrong login and wrong password are one reason with one message, so the
 * answer never tells whether an account exists.
 */
export class SignInRejected extends Schema.TaggedError<SignInRejected>()("SignInRejected", {
  reason: Schema.Literal("BadCredentials", "Throttled", "Deactivated"),
  /** Seconds until a throttled client may try again. */
  retryAfterSeconds: Schema.optional(Schema.Number),
  message: Schema.String
}) {}

/** An account command was refused: no permission, no such user, a wrong current password, a weak new one, a taken login. */
export class AccountRejected extends Schema.TaggedError<AccountRejected>()("AccountRejected", {
  userId: Schema.String,
  reason: Schema.Literal("Forbidden", "NotFound", "WrongPassword", "WeakPassword", "LoginTaken", "AlreadyRegistered"),
  message: Schema.String
}) {}

/** What a sign-in form submits. `address` is the client's IP (or "unknown"), `device` its user agent. */
export interface SignInRequest {
  readonly login: string
  readonly password: Redacted.Redacted<string>
  readonly address: string
  readonly device: string
}

/** A signed-in user: their session and who they act as. */
export interface Authenticated {
  readonly session: SessionRecord
  readonly actor: UserActor
  /**
   * The user's interface language and time zone as they chose them (`SetLocale`), read with the
   * actor; none = the company's language and the server's zone.
   */
  readonly locale?: { readonly language: string | undefined; readonly timeZone: string | undefined } | undefined
}

/** A new session: the `token` goes into the cookie and nowhere else. */
export interface SignedIn extends Authenticated {
  readonly token: Redacted.Redacted<string>
}

/** A new user with a password (`Accounts.createUser`). */
export interface NewUser {
  readonly userId: UserId
  readonly name: string
  readonly role: Role
  readonly login: Login
  readonly password: Redacted.Redacted<string>
}

/** An account with its operator's name and role (the CLI's `user list`). */
export interface UserSummary {
  readonly account: Account
  readonly name: string
  readonly role: Role | undefined
  /** The custom role the user holds besides `role`, if any. */
  readonly customRole: string | undefined
}

const badCredentials = new SignInRejected({ reason: "BadCredentials", message: "That email or password is not right." })
const deactivated = new SignInRejected({ reason: "Deactivated", message: "This account is deactivated. Ask an administrator to activate it." })
const throttled = (seconds: number) =>
  new SignInRejected({
    reason: "Throttled",
    retryAfterSeconds: seconds,
    message: `Too many failed sign-ins. Wait ${seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`} and try again.`
  })

/** Device names are shown, not trusted: keep them short and printable. */
const deviceName = (userAgent: string) => userAgent.replace(/[\p{Cc}\p{Cs}]/gu, "").slice(0, 200) || "Unknown device"

/**
 * Accounts and sessions: sign-in (throttled per account and per address, counters in the
 * store), server-side sessions with idle and absolute expiry, password changes and resets, and
 * (de)activation that ends sessions at once. Permissions are `Access.can(actor, "users.manage")`;
 * only an owner manages another owner.
 */
export class Accounts extends Effect.Service<Accounts>()("@switchboard/core/Accounts", {
  effect: Effect.gen(function* () {
    const accounts = yield* AccountStore
    const hasher = yield* PasswordHasher
    const tokens = yield* SessionTokens
    const eventStore = yield* EventStore
    const configStore = yield* ConfigStore
    const engine = yield* Engine
    const policy = yield* AccountsConfig
    const windowMillis = Duration.toMillis(policy.throttleWindow)

    const actorOf = (userId: UserId) => Effect.map(userOf(userId), Option.map(({ actor }) => actor))

    /** The active user as an actor, with their locale choice (one read of the operator stream). */
    const userOf = (userId: UserId) =>
      Effect.map(eventStore.loadOperator(userId), (found) =>
        Option.flatMap(found, ({ state }) =>
          state.active
            ? Option.some({
                actor: Operator.actorOf(state),
                // A registration's language defaults to "en" for everyone, so only another one is a choice.
                locale: {
                  language: Option.getOrUndefined(state.interfaceLanguage) ?? (state.language === "en" ? undefined : state.language),
                  timeZone: Option.getOrUndefined(state.timeZone)
                }
              })
            : Option.none()
        )
      )

    const rejected = (userId: string, reason: AccountRejected["reason"], message: string) => new AccountRejected({ userId, reason, message })

    const checkPassword = (userId: string, password: Redacted.Redacted<string>) =>
      Either.match(Password.check(password), {
        onLeft: (message) => Effect.fail(rejected(userId, "WeakPassword", message)),
        onRight: () => Effect.void
      })

    /** `users.manage`, and an owner's account only by an owner (an admin cannot take over the owner). */
    const mayManage = (actor: Actor, userId: UserId, targetRole: Role | undefined) =>
      Effect.gen(function* () {
        const settings = yield* configStore.getSettings()
        if (!can(actor, "users.manage", settings)) return yield* Effect.fail(rejected(userId, "Forbidden", "Only owners and admins manage users"))
        if (targetRole === "owner" && actor._tag === "User" && actor.role !== "owner") {
          return yield* Effect.fail(rejected(userId, "Forbidden", "Only an owner manages an owner's account"))
        }
      })

    const existing = (userId: UserId) =>
      Effect.flatMap(accounts.account(userId), Option.match({
        onNone: () => Effect.fail(rejected(userId, "NotFound", "No such user")),
        onSome: Effect.succeed
      }))

    const roleOf = (userId: UserId) => Effect.map(eventStore.loadOperator(userId), Option.match({ onNone: () => undefined, onSome: ({ state }) => state.role }))

    const throttleKeys = (login: string, address: string) => [`login:${login.trim().toLowerCase()}`, `address:${address}`] as const

    const signIn = Effect.fn("Accounts.signIn")(function* (request: SignInRequest) {
      const now = yield* Clock.currentTimeMillis
      const [loginKey, addressKey] = throttleKeys(request.login, request.address)
      // Count the attempt as failed before checking anything: parallel tries each take a slot, so a
      // burst cannot slip past the limit while the hashes run. A success takes its slot back.
      const counts = yield* Effect.all([accounts.recordFailure(loginKey, now, windowMillis), accounts.recordFailure(addressKey, now, windowMillis)])
      const blocked = [
        { count: counts[0], limit: policy.failuresPerAccount },
        { count: counts[1], limit: policy.failuresPerAddress }
      ].filter(({ count, limit }) => count.failures > limit)
      if (blocked.length > 0) {
        const until = Math.max(...blocked.map(({ count }) => count.windowStart + windowMillis))
        return yield* Effect.fail(throttled(Math.max(1, Math.ceil((until - now) / 1000))))
      }
      const login = Schema.decodeUnknownOption(Login)(request.login)
      const account = Option.isSome(login) ? yield* accounts.accountByLogin(login.value) : Option.none<Account>()
      // No password is longer than the rules allow: one that is cannot match and is not worth hashing.
      const plausible = [...Redacted.value(request.password)].length <= Password.maxLength
      // An unknown login costs one hash too, so the answer takes as long as a wrong password.
      const matches = !plausible ? false : Option.isSome(account)
        ? yield* hasher.verify(request.password, account.value.passwordHash)
        : yield* Effect.as(hasher.hash(request.password), false)
      if (!matches || Option.isNone(account)) return yield* Effect.fail(badCredentials)
      yield* Effect.all([accounts.clearFailures(loginKey), accounts.forgiveFailure(addressKey)], { discard: true })
      const actor = yield* actorOf(account.value.userId)
      if (!account.value.active || Option.isNone(actor)) return yield* Effect.fail(deactivated)
      const issued = yield* tokens.issue
      const expiresAt = now + Duration.toMillis(policy.absoluteTimeout)
      const session: SessionRecord = {
        key: issued.key,
        userId: account.value.userId,
        csrfToken: issued.csrfToken,
        device: deviceName(request.device),
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: Math.min(expiresAt, now + Duration.toMillis(policy.idleTimeout)),
        expiresAt
      }
      if (!(yield* accounts.createSession(session))) return yield* Effect.fail(deactivated)
      // Sessions nobody comes back to and spent counters go with the next sign-in (one indexed delete each).
      yield* accounts.purgeExpired(now, windowMillis)
      return { token: issued.token, session, actor: actor.value } satisfies SignedIn
    })

    const live = (session: SessionRecord, now: number) => now < session.idleExpiresAt && now < session.expiresAt

    /** The session a cookie's id names, if it is live and its user active; use moves its idle expiry on. */
    const authenticate = Effect.fn("Accounts.authenticate")(function* (token: string) {
      const key = yield* tokens.keyOf(token)
      const found = yield* accounts.session(key)
      if (Option.isNone(found)) return Option.none<Authenticated>()
      const session = found.value
      const now = yield* Clock.currentTimeMillis
      if (!live(session, now)) {
        yield* accounts.endSession(key)
        return Option.none<Authenticated>()
      }
      const user = yield* userOf(session.userId)
      if (Option.isNone(user)) return Option.none<Authenticated>()
      const { actor, locale } = user.value
      if (now - session.lastSeenAt >= Duration.toMillis(policy.touchEvery)) {
        const idleExpiresAt = Math.min(session.expiresAt, now + Duration.toMillis(policy.idleTimeout))
        yield* accounts.touchSession(key, now, idleExpiresAt)
        return Option.some<Authenticated>({ session: { ...session, lastSeenAt: now, idleExpiresAt }, actor, locale })
      }
      return Option.some<Authenticated>({ session, actor, locale })
    })

    /** Whether the session with this store key is still live and its user active (a long-lived stream asks now and then). */
    const stillSignedIn = Effect.fn("Accounts.stillSignedIn")(function* (key: SessionKey) {
      const found = yield* accounts.session(key)
      if (Option.isNone(found) || !live(found.value, yield* Clock.currentTimeMillis)) return false
      return Option.isSome(yield* actorOf(found.value.userId))
    })

    /**
     * Which of these sessions are still live, in one read whatever their number (a server rechecks
     * all its long-lived streams at once). Only the session's own rule: whether its user is still
     * active is for the caller to know from the operators' events (the live hub closes the streams
     * of a user deactivated), and deactivating an account ends its sessions anyway.
     */
    const liveSessions = Effect.fn("Accounts.liveSessions")(function* (keys: ReadonlyArray<SessionKey>) {
      if (keys.length === 0) return new Set<SessionKey>()
      const now = yield* Clock.currentTimeMillis
      return new Set((yield* accounts.sessionsByKey(keys)).filter((session) => live(session, now)).map((session) => session.key))
    })

    const signOut = Effect.fn("Accounts.signOut")(function* (token: string) {
      yield* accounts.endSession(yield* tokens.keyOf(token))
    })

    /** The actor's live sessions, most recently used first. */
    const sessions = Effect.fn("Accounts.sessions")(function* (actor: UserActor) {
      const now = yield* Clock.currentTimeMillis
      return (yield* accounts.sessionsOf(actor.id)).filter((session) => live(session, now))
    })

    const endOtherSessions = Effect.fn("Accounts.endOtherSessions")(function* (actor: UserActor, current: SessionKey) {
      yield* accounts.endSessionsOf(actor.id, Option.some(current))
    })

    /** Change one's own password (the current one is required); every other session of the user ends. */
    const changePassword = Effect.fn("Accounts.changePassword")(function* (
      actor: UserActor,
      current: Redacted.Redacted<string>,
      next: Redacted.Redacted<string>,
      keep: SessionKey
    ) {
      const account = yield* existing(actor.id)
      if (!(yield* hasher.verify(current, account.passwordHash))) return yield* Effect.fail(rejected(actor.id, "WrongPassword", "The current password is not right"))
      yield* checkPassword(actor.id, next)
      yield* accounts.setPassword(actor.id, yield* hasher.hash(next), yield* Clock.currentTimeMillis, Option.some(keep))
    })

    /** Set another user's password (owners and admins); every session of that user ends. */
    const resetPassword = Effect.fn("Accounts.resetPassword")(function* (actor: Actor, userId: UserId, next: Redacted.Redacted<string>) {
      yield* mayManage(actor, userId, yield* roleOf(userId))
      yield* existing(userId)
      yield* checkPassword(userId, next)
      yield* accounts.setPassword(userId, yield* hasher.hash(next), yield* Clock.currentTimeMillis, Option.none())
    })

    /** Activate or deactivate a user (owners and admins, not themselves); deactivation ends their sessions on every server. */
    const setActive = Effect.fn("Accounts.setActive")(function* (actor: Actor, userId: UserId, active: boolean) {
      yield* mayManage(actor, userId, yield* roleOf(userId))
      if (!active && actor._tag === "User" && actor.id === userId) return yield* Effect.fail(rejected(userId, "Forbidden", "You cannot deactivate yourself"))
      yield* existing(userId)
      yield* accounts.setActive(userId, active)
      yield* engine.operator(actor, new SetActive({ userId, active }))
    })

    /**
     * Give a user a built-in role and, optionally, one of the company's custom roles besides
     * (owners and admins; only an owner makes or unmakes an owner; nobody changes their own role,
     * so an admin cannot lock themselves out). The new permissions apply on the user's next request.
     */
    const changeRole = Effect.fn("Accounts.changeRole")(function* (actor: Actor, userId: UserId, role: Role, customRole: string | undefined) {
      yield* mayManage(actor, userId, yield* roleOf(userId))
      yield* mayManage(actor, userId, role)
      if (actor._tag === "User" && actor.id === userId) return yield* Effect.fail(rejected(userId, "Forbidden", "You cannot change your own role"))
      yield* existing(userId)
      yield* engine.operator(actor, new ChangeRole({ userId, role, ...(customRole === undefined ? {} : { customRole }) }))
    })

    /** Give an existing operator a sign-in (an operator registered before accounts existed, or by the engine). */
    const grantSignIn = Effect.fn("Accounts.grantSignIn")(function* (actor: Actor, userId: UserId, login: Login, password: Redacted.Redacted<string>) {
      yield* mayManage(actor, userId, yield* roleOf(userId))
      yield* checkPassword(userId, password)
      const now = yield* Clock.currentTimeMillis
      const passwordHash = yield* hasher.hash(password)
      yield* Effect.catchTag(
        accounts.createAccount({ userId, login, passwordHash, active: true, createdAt: now, passwordChangedAt: now }),
        "AccountExists",
        (error) => Effect.fail(rejected(userId, error.field === "login" ? "LoginTaken" : "AlreadyRegistered", error.message))
      )
    })

    /** Register a user (an operator of `role`) who signs in with `login` and `password`. Only owners create owners. */
    const createUser = Effect.fn("Accounts.createUser")(function* (actor: Actor, user: NewUser) {
      yield* mayManage(actor, user.userId, user.role)
      yield* checkPassword(user.userId, user.password)
      if (Option.isSome(yield* accounts.accountByLogin(user.login))) return yield* Effect.fail(rejected(user.userId, "LoginTaken", "Another user signs in with this email or login"))
      if (Option.isSome(yield* eventStore.loadOperator(user.userId))) return yield* Effect.fail(rejected(user.userId, "AlreadyRegistered", "The user already exists"))
      yield* engine.operator(actor, new RegisterOperator({ userId: user.userId, name: user.name, role: user.role }))
      yield* grantSignIn(actor, user.userId, user.login, user.password)
    })

    /** Every account with its user's name and role (owners and admins). */
    const list = Effect.fn("Accounts.list")(function* (actor: Actor) {
      const settings = yield* configStore.getSettings()
      if (!can(actor, "users.manage", settings)) return yield* Effect.fail(rejected("", "Forbidden", "Only owners and admins list users"))
      const all = yield* accounts.accounts()
      return yield* Effect.forEach(all, (account) =>
        Effect.map(eventStore.loadOperator(account.userId), (operator): UserSummary => ({
          account,
          name: Option.match(operator, { onNone: () => "", onSome: ({ state }) => state.name }),
          role: Option.match(operator, { onNone: () => undefined, onSome: ({ state }) => state.role }),
          customRole: Option.match(operator, { onNone: () => undefined, onSome: ({ state }) => state.customRole })
        }))
      )
    })

    return { policy, signIn, authenticate, stillSignedIn, liveSessions, signOut, sessions, endOtherSessions, changePassword, resetPassword, setActive, changeRole, grantSignIn, createUser, list } as const
  })
}) {}
