import { Effect } from "effect"
import { Hono } from "hono"
import { Store } from "@switchboard/core"
import { Contract, LoginPage } from "@switchboard/ui-htmx"
import { actorOf } from "../panel/Actor.js"
import { respond } from "../respond.js"
import type { PanelRuntime } from "../Services.js"
import { checkLoginCsrf, clearSession, loginCsrfToken, readSession, writeSession } from "../Session.js"

const loginUsers = Effect.map(Effect.flatMap(Store, (store) => store.listOperators()), (operators) =>
  operators.filter((entry) => entry.state.active).map((entry) => ({ id: entry.state.id, name: entry.state.name, role: entry.state.role }))
)

/** Demo sign-in (choose a seeded user) and sign-out. */
export const authRoutes = (runtime: PanelRuntime, secret: string) =>
  new Hono()
    .get("/login", async (c) => {
      const token = await loginCsrfToken(c, secret)
      return respond(c, runtime, loginUsers, (users) => c.html(<LoginPage users={users} csrfToken={token} />))
    })
    .post("/login", async (c) => {
      const form = await c.req.parseBody()
      if (!(await checkLoginCsrf(c, secret, form[Contract.csrf.field]))) return c.text("CSRF token missing or invalid", 403)
      const userId = typeof form.userId === "string" ? form.userId : ""
      return respond(c, runtime, actorOf(userId), async (actor) => {
        if (actor._tag === "None") {
          const token = await loginCsrfToken(c, secret)
          return respond(c, runtime, loginUsers, (users) => c.html(<LoginPage users={users} csrfToken={token} error="Unknown user" />, 422))
        }
        await writeSession(c, secret, actor.value.id)
        return c.redirect(Contract.routes.panel, 303)
      })
    })
    .post("/logout", async (c) => {
      const session = await readSession(c, secret)
      const form = await c.req.parseBody()
      if (session !== undefined && form[Contract.csrf.field] !== session.csrfToken) return c.text("CSRF token missing or invalid", 403)
      clearSession(c)
      return c.redirect(Contract.routes.login, 303)
    })
