import { Clock, Duration, Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import { Access, Accounts, Login, UserId } from "@switchboard/core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeApp } from "../src/App.js"
import { seedIfEmpty } from "../src/Demo.js"
import { servicesLayer } from "../src/Services.js"
import { memoryStorage } from "../src/testing.js"
import { cheapHasher, panelApp, panelClient } from "./PanelClient.js"

const sessionCookie = (response: Response) => response.headers.getSetCookie().find((line) => /^(__Host-)?sb_session=/.test(line))
const withoutCsrf = (html: string) => html.replace(/name="_csrf" value="[^"]*"/g, "")

describe("sign-in over HTTP", () => {
  const { runtime, app, signIn, submitSignIn, get, post } = panelApp(memoryStorage.layer)
  beforeAll(() => runtime.runPromise(seedIfEmpty))
  afterAll(() => runtime.dispose())

  it("the right password opens a session: an HttpOnly, SameSite=Lax cookie holding only a random id, and the panel", async () => {
    const response = await submitSignIn("anna@example.com", "switchboard-demo")
    expect([response.status, response.headers.get("Location")]).toEqual([303, "/panel"])
    const cookie = sessionCookie(response) ?? ""
    expect(cookie).toMatch(/^sb_session=[A-Za-z0-9_-]{43}; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/)
    expect(cookie).not.toContain("anna")
    const page = await app.request("/panel/dialogs?folder=new", { headers: { Cookie: cookie.split(";")[0]! } })
    expect(page.status).toBe(200)
    expect(page.headers.get("Cache-Control")).toBe("no-store")
    expect(await page.text()).toContain('data-testid="current-user"')
  })

  it("a wrong password and an unknown email get the same 401 page and no session", async () => {
    const wrong = await submitSignIn("sue@example.com", "not the password")
    const unknown = await submitSignIn("nobody@example.com", "switchboard-demo")
    expect([wrong.status, unknown.status]).toEqual([401, 401])
    expect([sessionCookie(wrong), sessionCookie(unknown)]).toEqual([undefined, undefined])
    const [wrongPage, unknownPage] = [withoutCsrf(await wrong.text()), withoutCsrf(await unknown.text())]
    expect(wrongPage).toBe(unknownPage)
    expect(wrongPage).toContain("That email or password is not right.")
  })

  it("the 6th wrong try in 15 minutes is a 429 with Retry-After and a sentence, even with the right password", async () => {
    for (let i = 0; i < 5; i++) expect((await submitSignIn("boris@example.com", `wrong password ${i}`)).status).toBe(401)
    const blocked = await submitSignIn("boris@example.com", "switchboard-demo")
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(14 * 60)
    expect(await blocked.text()).toMatch(/Too many failed sign-ins\. Wait 1[45] minutes and try again\./)
    expect(sessionCookie(blocked)).toBeUndefined()
  })

  it("a deactivated user gets no session", async () => {
    await runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) =>
      accounts.createUser(Access.system, { userId: UserId.make("dora"), name: "Dora", role: "operator", login: Schema.decodeSync(Login)("dora@example.com"), password: Redacted.make("dora's long passphrase") })
    ))
    const session = await signIn("dora@example.com", "dora's long passphrase")
    await runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) => accounts.setActive(Access.system, UserId.make("dora"), false)))
    expect((await get(session, "/panel/dialogs")).status).toBe(302)
    const refused = await submitSignIn("dora@example.com", "dora's long passphrase")
    expect(refused.status).toBe(403)
    expect(sessionCookie(refused)).toBeUndefined()
    expect(await refused.text()).toContain("This account is deactivated")
  })

  it("a copied cookie after sign-out gets the sign-in page", async () => {
    const session = await signIn("sue")
    const logout = await post(session, "/logout")
    expect([logout.status, logout.headers.get("Location")]).toEqual([303, "/login"])
    expect(sessionCookie(logout)).toMatch(/^sb_session=; Max-Age=0/)
    const replayed = await get(session, "/panel/dialogs")
    expect([replayed.status, replayed.headers.get("Location")]).toEqual([302, "/login"])
    expect((await get(session, "/panel/dialogs", true)).headers.get("HX-Redirect")).toBe("/login")
  })

  it("the account page lists the user's sessions; ending the others keeps this one", async () => {
    const [here, elsewhere] = [await signIn("olha"), await signIn("olha")]
    const page = await (await get(here, "/panel/account")).text()
    expect(page.match(/data-testid="session"/g)).toHaveLength(2)
    expect(page).toContain("(this browser)")
    const ended = await post(here, "/panel/account/sessions/end-others")
    expect([ended.status, ended.headers.get("Location")]).toEqual([303, "/panel/account"])
    expect((await get(elsewhere, "/panel/dialogs")).status).toBe(302)
    expect((await get(here, "/panel/account")).status).toBe(200)
  })

  it("a password change needs the current password, says why a new one is refused, and ends the other sessions", async () => {
    const [here, elsewhere] = [await signIn("anna"), await signIn("anna")]
    const wrong = await post(here, "/panel/account/password", { currentPassword: "nope", newPassword: "a fine new passphrase" })
    expect(wrong.status).toBe(422)
    expect(await wrong.text()).toContain("The current password is not right")
    const weak = await post(here, "/panel/account/password", { currentPassword: "switchboard-demo", newPassword: "qwerty123456" })
    expect(weak.status).toBe(422)
    expect(await weak.text()).toContain("one of the most common")
    const changed = await post(here, "/panel/account/password", { currentPassword: "switchboard-demo", newPassword: "a fine new passphrase" })
    expect(changed.status).toBe(200)
    expect(await changed.text()).toContain("Password changed")
    expect((await get(elsewhere, "/panel/dialogs")).status).toBe(302)
    expect((await get(here, "/panel/dialogs")).status).toBe(200)
    expect((await submitSignIn("anna@example.com", "switchboard-demo")).status).toBe(401)
    expect((await submitSignIn("anna@example.com", "a fine new passphrase")).status).toBe(303)
  })
})

describe("the live stream of a session that ends", () => {
  const { runtime, signIn, get, post } = panelApp(memoryStorage.layer, { accounts: { policy: { ...Accounts.defaultPolicy, recheckEvery: Duration.millis(20) } } })
  beforeAll(() => runtime.runPromise(seedIfEmpty))
  afterAll(() => runtime.dispose())

  it("closes when its session is signed out elsewhere, so a signed-out browser receives nothing more", async () => {
    const [stream, other] = [await signIn("anna"), await signIn("anna")]
    const response = await get(stream, "/panel/events")
    const reader = response.body!.getReader()
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("event: ready")
    await post(other, "/panel/account/sessions/end-others")
    let done = false
    while (!done) done = (await reader.read()).done
    expect(done).toBe(true)
  })
})

describe("session cookie over HTTPS and behind proxies", () => {
  const runtime = ManagedRuntime.make(servicesLayer(memoryStorage.layer, { accounts: { hasher: cheapHasher } }))
  beforeAll(() => runtime.runPromise(seedIfEmpty))
  afterAll(() => runtime.dispose())
  const secret = "test-secret-test-secret-test-secret"

  it("gets Secure and the __Host- prefix when a trusted proxy says HTTPS, and the client address from X-Forwarded-For", async () => {
    const client = panelClient(makeApp({ runtime, secret, trustProxy: 1 }))
    const headers = { "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9" }
    const response = await client.submitSignIn("olha@example.com", "switchboard-demo", headers)
    expect(sessionCookie(response)).toMatch(/^__Host-sb_session=[A-Za-z0-9_-]{43}; Max-Age=1209600; Path=\/; HttpOnly; Secure; SameSite=Lax$/)
    // Failures are counted under the forwarded address: 20 from it throttle it, another address goes on.
    for (let i = 0; i < 20; i++) await client.submitSignIn(`guess${i}@example.com`, "wrong password", headers)
    expect((await client.submitSignIn("olha@example.com", "switchboard-demo", headers)).status).toBe(429)
    expect((await client.submitSignIn("olha@example.com", "switchboard-demo", { ...headers, "X-Forwarded-For": "203.0.113.10" })).status).toBe(303)
  })

  it("ignores X-Forwarded-* unless TRUST_PROXY is set", async () => {
    const client = panelClient(makeApp({ runtime, secret }))
    const response = await client.submitSignIn("sue@example.com", "switchboard-demo", { "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9" })
    expect(sessionCookie(response)).toMatch(/^sb_session=[^;]+; Max-Age=1209600; Path=\/; HttpOnly; SameSite=Lax$/)
  })
})

describe("session expiry over HTTP (a clock the test drives)", () => {
  // Core's own expiry tests use TestClock; over HTTP the runtime gets a clock whose time the test sets (sleeps stay real).
  let now = Date.UTC(2026, 2, 2, 9)
  const real = Clock.make()
  const driven: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    unsafeCurrentTimeNanos: () => BigInt(now) * 1_000_000n,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanos: Effect.sync(() => BigInt(now) * 1_000_000n),
    sleep: (duration) => real.sleep(duration)
  }
  const runtime = ManagedRuntime.make(servicesLayer(memoryStorage.layer, { accounts: { hasher: cheapHasher } }).pipe(Layer.provideMerge(Layer.setClock(driven))))
  const client = panelClient(makeApp({ runtime, secret: "test-secret-test-secret-test-secret" }))
  const advance = (duration: Duration.DurationInput) => {
    now += Duration.toMillis(duration)
  }
  beforeAll(() => runtime.runPromise(seedIfEmpty))
  afterAll(() => runtime.dispose())

  it("a session unused for 12 hours ends; use keeps it alive", async () => {
    const session = await client.signIn("anna")
    advance("11 hours")
    expect((await client.get(session, "/panel/dialogs")).status).toBe(200)
    advance("11 hours")
    expect((await client.get(session, "/panel/dialogs")).status).toBe(200)
    advance("12 hours")
    expect((await client.get(session, "/panel/dialogs")).headers.get("Location")).toBe("/login")
  })

  it("a session ends 14 days after sign-in however often it is used", async () => {
    const session = await client.signIn("boris")
    // Used every 11 hours (inside the idle limit) up to the last moment before day 14…
    for (let hours = 11; hours < 14 * 24; hours += 11) {
      advance("11 hours")
      expect((await client.get(session, "/panel/dialogs?folder=new")).status).toBe(200)
    }
    // …and over at 14 days, used or not.
    advance("11 hours")
    expect((await client.get(session, "/panel/dialogs?folder=new")).headers.get("Location")).toBe("/login")
  })
})
