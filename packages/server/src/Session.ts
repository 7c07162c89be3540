import type { Context } from "hono"
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie"

/** The signed session cookie and the login form's double-submit CSRF cookie. */
export const cookieNames = { session: "sb_session", loginCsrf: "sb_login_csrf" } as const

/** A signed-in user and the CSRF token their forms carry. */
export interface Session {
  readonly userId: string
  readonly csrfToken: string
}

const cookieOptions = (c: Context) =>
  ({ httpOnly: true, sameSite: "Lax", path: "/", secure: new URL(c.req.url).protocol === "https:" }) as const

/** Read and verify the session cookie; `undefined` if missing or tampered with. */
export const readSession = async (c: Context, secret: string): Promise<Session | undefined> => {
  const value = await getSignedCookie(c, secret, cookieNames.session)
  if (typeof value !== "string") return undefined
  const [userId, csrfToken] = value.split("|")
  return userId === undefined || userId === "" || csrfToken === undefined || csrfToken === "" ? undefined : { userId, csrfToken }
}

/** Start a session for `userId` with a fresh CSRF token. */
export const writeSession = async (c: Context, secret: string, userId: string): Promise<Session> => {
  const session = { userId, csrfToken: crypto.randomUUID() }
  await setSignedCookie(c, cookieNames.session, `${session.userId}|${session.csrfToken}`, secret, { ...cookieOptions(c), maxAge: 60 * 60 * 12 })
  return session
}

/** End the session. */
export const clearSession = (c: Context): void => {
  deleteCookie(c, cookieNames.session, { path: "/" })
}

/** The login form's CSRF token: reuse the signed cookie's if present, else set a new one. */
export const loginCsrfToken = async (c: Context, secret: string): Promise<string> => {
  const existing = await getSignedCookie(c, secret, cookieNames.loginCsrf)
  if (typeof existing === "string" && existing !== "") return existing
  const token = crypto.randomUUID()
  await setSignedCookie(c, cookieNames.loginCsrf, token, secret, { ...cookieOptions(c), maxAge: 60 * 60 })
  return token
}

/** Whether the login form's token matches its cookie. */
export const checkLoginCsrf = async (c: Context, secret: string, submitted: unknown): Promise<boolean> => {
  const expected = await getSignedCookie(c, secret, cookieNames.loginCsrf)
  return typeof expected === "string" && expected !== "" && submitted === expected
}
