import { Effect, Either, Option, Redacted } from "effect"
import { Hono, type Context } from "hono"
import { Accounts } from "@switchboard/core"
import { Contract, LoginPage, t, type DemoSignInView } from "@switchboard/ui-htmx"
import type { PanelRuntime } from "../Services.js"
import { checkLoginCsrf, clearSessionToken, clientAddress, isHttps, loginCsrfToken, readSessionToken, writeSessionToken } from "../Session.js"

/** What sign-in needs besides the runtime. */
export interface AuthOptions {
  readonly secret: string
  readonly trustProxy: number
  /** Demo mode: the sign-in page prints the demo password and offers the demo users. */
  readonly demo?: DemoSignInView | undefined
}

const field = (form: Record<string, unknown>, name: string): string => {
  const value = form[name]
  return typeof value === "string" ? value : ""
}

/** Sign-in with email (or login) and password, and sign-out. */
export const authRoutes = (runtime: PanelRuntime, options: AuthOptions) => {
  const page = async (c: Context, status: 200 | 401 | 403 | 429, error?: string) => {
    const token = await loginCsrfToken(c, options.secret, isHttps(c, options.trustProxy))
    c.header("Cache-Control", "no-store")
    return c.html(<LoginPage csrfToken={token} error={error} demo={options.demo} />, status)
  }
  return new Hono()
    .get(Contract.routes.login, (c) => page(c, 200))
    .post(Contract.routes.login, async (c) => {
      const https = isHttps(c, options.trustProxy)
      const form = await c.req.parseBody()
      if (!(await checkLoginCsrf(c, options.secret, https, form[Contract.csrf.field]))) return c.text(t("requests.csrf"), 403)
      const outcome = await runtime.runPromise(
        Effect.either(
          Effect.flatMap(Accounts.Accounts, (accounts) =>
            accounts.signIn({
              login: field(form, Contract.accountFields.login),
              password: Redacted.make(field(form, Contract.accountFields.password)),
              address: clientAddress(c, options.trustProxy),
              device: c.req.header("User-Agent") ?? ""
            })
          )
        )
      )
      if (Either.isRight(outcome)) {
        const { token, session } = outcome.right
        writeSessionToken(c, https, Redacted.value(token), (session.expiresAt - session.createdAt) / 1000)
        return c.redirect(Contract.routes.panel, 303)
      }
      const rejected = outcome.left
      switch (rejected.reason) {
        case "Throttled":
          c.header("Retry-After", String(rejected.retryAfterSeconds ?? 60))
          return page(c, 429, (rejected.retryAfterSeconds ?? 60) >= 90
            ? t("login.throttledMinutes", { count: Math.ceil((rejected.retryAfterSeconds ?? 60) / 60) })
            : t("login.throttledSeconds", { count: rejected.retryAfterSeconds ?? 60 }))
        case "Deactivated":
          return page(c, 403, t("login.deactivated"))
        case "BadCredentials":
          return page(c, 401, t("login.badCredentials"))
      }
    })
    .post(Contract.routes.logout, async (c) => {
      const https = isHttps(c, options.trustProxy)
      const token = readSessionToken(c, https)
      if (token !== undefined) {
        const form = await c.req.parseBody()
        const found = await runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) => accounts.authenticate(token)))
        if (Option.isSome(found) && form[Contract.csrf.field] !== found.value.session.csrfToken) return c.text(t("requests.csrf"), 403)
        await runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) => accounts.signOut(token)))
      }
      clearSessionToken(c, https)
      return c.redirect(Contract.routes.login, 303)
    })
}
