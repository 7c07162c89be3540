import { getConnInfo } from "@hono/node-server/conninfo"
import type { Context } from "hono"
import { deleteCookie, getCookie, getSignedCookie, setCookie, setSignedCookie } from "hono/cookie"
import type { CookieOptions } from "hono/utils/cookie"

/**
 * The session cookie (it holds only the session's random id; the session lives in the store) and
 * the login form's double-submit CSRF cookie. Over HTTPS both get `Secure` and the `__Host-` prefix.
 */
export const cookieNames = { session: "sb_session", loginCsrf: "sb_login_csrf" } as const

/** A signed-in user, the CSRF token bound to their session, and the session's store key. */
export interface Session {
  readonly userId: string
  readonly csrfToken: string
  readonly key: string
}

/**
 * How many reverse proxies in front of the server are trusted (`TRUST_PROXY`): 0 (the default)
 * trusts no `X-Forwarded-*` header; `n` takes the client address `n` hops from the right of
 * `X-Forwarded-For` and the scheme from the last `X-Forwarded-Proto`.
 */
export const parseTrustProxy = (value: string | undefined): number => {
  if (value === undefined || value === "" || value === "false") return 0
  if (value === "true") return 1
  const hops = Number(value)
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) throw new Error("TRUST_PROXY: use true, false or a number of proxies (0-10)")
  return hops
}

const lastOf = (header: string | undefined): string[] => (header ?? "").split(",").map((part) => part.trim()).filter((part) => part !== "")

/** Whether the browser reached us over HTTPS: directly, or through a trusted proxy that says so. */
export const isHttps = (c: Context, trustProxy: number): boolean => {
  if (new URL(c.req.url).protocol === "https:") return true
  return trustProxy > 0 && lastOf(c.req.header("X-Forwarded-Proto")).at(-1)?.toLowerCase() === "https"
}

/** The client's address: the socket's peer, or the entry a trusted proxy added to `X-Forwarded-For`. */
export const clientAddress = (c: Context, trustProxy: number): string => {
  if (trustProxy > 0) {
    const forwarded = lastOf(c.req.header("X-Forwarded-For"))
    const entry = forwarded[forwarded.length - trustProxy]
    if (entry !== undefined) return entry.slice(0, 64)
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown"
  } catch {
    // `app.request` in tests has no socket.
    return "unknown"
  }
}

const cookieOptions = (https: boolean): CookieOptions =>
  https ? { httpOnly: true, sameSite: "Lax", path: "/", secure: true, prefix: "host" } : { httpOnly: true, sameSite: "Lax", path: "/", secure: false }

/** The session id the browser sent, if any (the `__Host-` cookie over HTTPS, the plain one otherwise). */
export const readSessionToken = (c: Context, https: boolean): string | undefined => {
  const value = https ? getCookie(c, cookieNames.session, "host") : getCookie(c, cookieNames.session)
  return value === undefined || value === "" || value.length > 128 ? undefined : value
}

/** Hand the browser its session id; the cookie lasts until the session's absolute expiry. */
export const writeSessionToken = (c: Context, https: boolean, token: string, maxAgeSeconds: number): void => {
  setCookie(c, cookieNames.session, token, { ...cookieOptions(https), maxAge: Math.max(0, Math.floor(maxAgeSeconds)) })
}

/** Drop the session cookie (the session itself is ended in the store). */
export const clearSessionToken = (c: Context, https: boolean): void => {
  deleteCookie(c, cookieNames.session, cookieOptions(https))
}

/** The login form's CSRF token: reuse the signed cookie's if present, else set a new one. */
export const loginCsrfToken = async (c: Context, secret: string, https: boolean): Promise<string> => {
  const existing = https ? await getSignedCookie(c, secret, cookieNames.loginCsrf, "host") : await getSignedCookie(c, secret, cookieNames.loginCsrf)
  if (typeof existing === "string" && existing !== "") return existing
  const token = crypto.randomUUID()
  await setSignedCookie(c, cookieNames.loginCsrf, token, secret, { ...cookieOptions(https), maxAge: 60 * 60 })
  return token
}

/** Whether the login form's token matches its cookie. */
export const checkLoginCsrf = async (c: Context, secret: string, https: boolean, submitted: unknown): Promise<boolean> => {
  const expected = https ? await getSignedCookie(c, secret, cookieNames.loginCsrf, "host") : await getSignedCookie(c, secret, cookieNames.loginCsrf)
  return typeof expected === "string" && expected !== "" && submitted === expected
}
