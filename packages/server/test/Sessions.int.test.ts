import { Effect, Exit, Scope } from "effect"
import { Access, Accounts, UserId } from "@switchboard/core"
import { PgEventBus, SqlStore } from "@switchboard/adapters"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { seedIfEmpty } from "../src/Demo.js"
import { panelApp } from "./PanelClient.js"

const url = process.env["DATABASE_URL"]

/**
 * Two servers on one PostgreSQL database, as in a deployment behind a load balancer: what one
 * does to a session or a throttle counter holds on the other at the next request.
 * Without DATABASE_URL this suite is reported as skipped; with it set but unreachable it fails.
 */
describe.skipIf(url === undefined || url === "")("two servers on one PostgreSQL", () => {
  const scope = Effect.runSync(Scope.make())
  let servers: ReadonlyArray<ReturnType<typeof panelApp>> = []
  const first = () => servers[0]!
  const second = () => servers[1]!

  beforeAll(async () => {
    const schema = await Effect.runPromise(Scope.extend(SqlStore.scratchSchema(url ?? ""), scope))
    servers = [0, 1].map(() => panelApp(PgEventBus.storage({ url: url ?? "", schema, maxConnections: 3 })))
    await first().runtime.runPromise(seedIfEmpty)
  })
  afterAll(async () => {
    for (const server of servers) await server.runtime.dispose()
    await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  it("the 6th wrong try is throttled on whichever server it reaches", async () => {
    for (let i = 0; i < 3; i++) expect((await first().submitSignIn("boris@example.com", "wrong password")).status).toBe(401)
    for (let i = 0; i < 2; i++) expect((await second().submitSignIn("boris@example.com", "wrong password")).status).toBe(401)
    const blocked = await second().submitSignIn("boris@example.com", "switchboard-demo")
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0)
    expect((await first().submitSignIn("boris@example.com", "switchboard-demo")).status).toBe(429)
  })

  it("a sign-out on one server ends the session on the other at once", async () => {
    const session = await first().signIn("sue")
    expect((await second().get(session, "/panel/dialogs")).status).toBe(200)
    expect((await first().post(session, "/logout")).status).toBe(303)
    expect((await second().get(session, "/panel/dialogs")).headers.get("Location")).toBe("/login")
  })

  it("a deactivation on one server ends the user's session on the other at once", async () => {
    const session = await second().signIn("anna")
    expect((await second().get(session, "/panel/dialogs")).status).toBe(200)
    await first().runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) => accounts.setActive(Access.system, UserId.make("anna"), false)))
    expect((await second().get(session, "/panel/dialogs")).headers.get("Location")).toBe("/login")
    expect((await second().submitSignIn("anna@example.com", "switchboard-demo")).status).toBe(403)
    await first().runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) => accounts.setActive(Access.system, UserId.make("anna"), true)))
  })

  it("a password change on one server ends the user's other sessions on the other at once", async () => {
    const here = await first().signIn("olha")
    const there = await second().signIn("olha")
    const changed = await first().post(here, "/panel/account/password", { currentPassword: "switchboard-demo", newPassword: "the owner's new passphrase" })
    expect(changed.status).toBe(200)
    expect((await second().get(there, "/panel/dialogs")).headers.get("Location")).toBe("/login")
    expect((await second().get(here, "/panel/dialogs")).status).toBe(200)
  })
})
