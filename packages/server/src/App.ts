import { readFile } from "node:fs/promises"
import { Effect, Option } from "effect"
import { Hono } from "hono"
import { csrf } from "hono/csrf"
import { secureHeaders } from "hono/secure-headers"
import { Accounts, ConfigStore } from "@switchboard/core"
import { assets, Contract, type DemoSignInView, emojiPickerStyleHash, t, WidgetDemoPage } from "@switchboard/ui-htmx"
import { demoWidgetChannel } from "./Demo.js"
import type { PanelEnv } from "./Env.js"
import type { PanelRuntime } from "./Services.js"
import { defaultBodyLimits, formsOnly, limitBody } from "./RequestBody.js"
import { isHttps, readSessionToken } from "./Session.js"
import { browserLocale, inLocale, localeFor } from "./Locale.js"
import { accountRoutes } from "./routes/account.js"
import { apiRoutes } from "./routes/api.js"
import { authRoutes } from "./routes/auth.js"
import { clientRoutes } from "./routes/clients.js"
import { boardRoutes } from "./routes/board.js"
import { settingsRoutes } from "./routes/settings.js"
import { usersRoutes } from "./routes/users.js"
import { slaRoutes } from "./routes/sla.js"
import { dialogActionRoutes } from "./routes/dialogActions.js"
import { galleryRoutes } from "./routes/gallery.js"
import { composerDialogRoutes, quickReplyRoutes } from "./routes/composer.js"
import { dialogRoutes } from "./routes/dialogs.js"
import { eventRoutes } from "./routes/events.js"
import { personalRoutes } from "./routes/personal.js"
import { fileRoutes } from "./routes/files.js"
import { isWidgetUpload, type WidgetLimits, widgetRoutes } from "./routes/widget.js"

/** What the app needs: the runtime, the cookie-signing secret and, optionally, the API token. */
export interface AppOptions {
  readonly runtime: PanelRuntime
  /** Signs the login form's CSRF cookie; at least 32 random characters. */
  readonly secret: string
  /** When set, the JSON API requires `Authorization: Bearer <apiToken>`. */
  readonly apiToken?: string | undefined
  /** Largest request bodies in bytes (413 beyond): the JSON API, the panel's forms and its file uploads (`defaultBodyLimits`). */
  readonly bodyLimits?: { readonly api?: number | undefined; readonly forms?: number | undefined; readonly files?: number | undefined } | undefined
  /** Reverse proxies trusted for `X-Forwarded-For`/`-Proto` (`TRUST_PROXY`); 0 trusts none. */
  readonly trustProxy?: number | undefined
  /** Demo mode: the sign-in page prints the demo users and their password; `/demo/widget` serves the widget's demo page. */
  readonly demo?: DemoSignInView | undefined
  /** The web widget's rate limits (`defaultWidgetLimits`). */
  readonly widgetLimits?: WidgetLimits | undefined
}

/** The panel's file upload (`POST /panel/dialogs/:id/files`): the one form with a larger body limit. */
const isUpload = (method: string, path: string) => method === "POST" && /^\/panel\/dialogs\/[^/]+\/files$/.test(path)

const unsafe = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method)

/**
 * The Hono app: static assets, demo sign-in, the panel (session + CSRF protected) and the JSON API.
 * Routes are thin: decode, run the engine program on the shared runtime, render.
 */
export const makeApp = (options: AppOptions) => {
  const { runtime, secret } = options
  // Every route has a body limit: the JSON API's, or the forms' (the smaller) for everything else.
  const apiLimit = limitBody(options.bodyLimits?.api ?? defaultBodyLimits.api, "json")
  const formLimit = limitBody(options.bodyLimits?.forms ?? defaultBodyLimits.forms, "html")
  const fileLimit = limitBody(options.bodyLimits?.files ?? defaultBodyLimits.files, "html")
  const widgetFileLimit = limitBody(options.bodyLimits?.files ?? defaultBodyLimits.files, "json")
  const trustProxy = options.trustProxy ?? 0
  const panel = new Hono<PanelEnv>()
    .use("*", formsOnly)
    .use("*", async (c, next) => {
      // One indexed read of the session by its key: a sign-out or deactivation on any server holds here at once.
      const token = readSessionToken(c, isHttps(c, trustProxy))
      const signedIn = token === undefined ? Option.none() : await runtime.runPromise(Effect.flatMap(Accounts.Accounts, (accounts) => accounts.authenticate(token)))
      // The user's language, else the company's, else the browser's (issue 22); times in the user's zone.
      const company = Option.isSome(signedIn) && signedIn.value.locale?.language === undefined ? await runtime.runPromise(Effect.flatMap(ConfigStore, (config) => config.getSettings())) : undefined
      c.header("Cache-Control", "no-store")
      if (Option.isNone(signedIn)) {
        if (c.req.header("HX-Request") === "true") {
          c.header("HX-Redirect", Contract.routes.login)
          return c.body(null, 401)
        }
        return c.req.method === "GET" ? c.redirect(Contract.routes.login, 302) : c.text(t("requests.signInFirst"), 401)
      }
      if (unsafe(c.req.method)) {
        const header = c.req.header(Contract.csrf.header)
        const field = header === undefined ? (await c.req.parseBody())[Contract.csrf.field] : undefined
        if ((header ?? field) !== signedIn.value.session.csrfToken) return c.text(t("requests.csrf"), 403)
      }
      const { session, actor } = signedIn.value
      c.set("session", { userId: session.userId, csrfToken: session.csrfToken, key: session.key })
      c.set("actor", actor)
      const locale = localeFor(c.req.header("Accept-Language"), { user: signedIn.value.locale?.language, company: company?.interfaceLanguage ?? undefined, timeZone: signedIn.value.locale?.timeZone })
      c.set("locale", locale)
      return inLocale(locale, next)
    })
    .get("/", (c) => c.redirect(Contract.routes.folder("new"), 302))
    .route("/dialogs", dialogActionRoutes(runtime))
    .route("/dialogs", galleryRoutes(runtime))
    .route("/dialogs", dialogRoutes(runtime))
    .route("/dialogs", composerDialogRoutes(runtime))
    .route("/quick-replies", quickReplyRoutes(runtime))
    .route("/events", eventRoutes(runtime))
    .route("/account", accountRoutes(runtime))
    .route("/board", boardRoutes(runtime))
    .route("/clients", clientRoutes(runtime))
    .route("/settings/sla", slaRoutes(runtime))
    .route("/settings", settingsRoutes(runtime))
    .route("/users", usersRoutes(runtime))
    .route("/", fileRoutes(runtime))
    .route("/", personalRoutes(runtime))

  /** The CSP both the panel and the widget keep: own scripts, styles and connections only; `frameAncestors` differs. */
  const policy = (frameAncestors: string) => ({
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", "data:"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: [frameAncestors],
    baseUri: ["'none'"],
    objectSrc: ["'none'"]
  })
  /**
   * The panel's styles add the emoji picker's (MSG-08): its one inline style element, by its hash,
   * and the few `style` attributes its shadow DOM sets (positions, grid columns), which
   * `style-src-attr` allows: an attribute cannot load anything (`img-src` and fonts stay own) nor
   * style another element. The widget keeps the strict policy.
   */
  const panelPolicy = { ...policy("'none'"), styleSrc: ["'self'", emojiPickerStyleHash], styleSrcAttr: ["'unsafe-inline'"] }
  const panelHeaders = secureHeaders({ contentSecurityPolicy: panelPolicy, referrerPolicy: "same-origin" })
  // The web widget is embedded in other sites: its frame may be framed by any page and its loader
  // loaded from any page.
  const widgetHeaders = secureHeaders({
    contentSecurityPolicy: policy("*"),
    xFrameOptions: false,
    crossOriginResourcePolicy: "cross-origin",
    referrerPolicy: "strict-origin-when-cross-origin"
  })
  const embeddable = (path: string) => path.startsWith("/widget/") || path === "/assets/widget.js"

  return new Hono()
    .use("*", browserLocale)
    .use("*", (c, next) => (embeddable(c.req.path) ? widgetHeaders : panelHeaders)(c, next))
    .use("*", (c, next) =>
      (isWidgetUpload(c.req.method, c.req.path) ? widgetFileLimit : c.req.path.startsWith("/api/") || c.req.path.startsWith("/widget/") ? apiLimit : isUpload(c.req.method, c.req.path) ? fileLimit : formLimit)(c, next))
    .use("/panel/*", csrf())
    .use("/login", csrf(), formsOnly)
    .use("/logout", csrf(), formsOnly)
    .get("/", (c) => c.redirect(Contract.routes.panel, 302))
    .get("/healthz", (c) => c.text("ok"))
    .get("/assets/:name{.+}", async (c) => {
      const name = c.req.param("name")
      // Own names only: `/assets/__proto__` is no asset (found by the fuzz suite).
      const asset = Object.hasOwn(assets, name) ? assets[name] : undefined
      if (asset === undefined) return c.notFound()
      c.header("Content-Type", asset.contentType)
      c.header("Cache-Control", "public, max-age=3600")
      return c.body(await readFile(asset.file))
    })
    .route("/", authRoutes(runtime, { secret, trustProxy, demo: options.demo }))
    .route("/panel", panel)
    .route("/api", apiRoutes(runtime, options.apiToken))
    .route("/widget/v1", widgetRoutes(runtime, { trustProxy, limits: options.widgetLimits }))
    // The demo host page of the web widget: the client's side of the demo, beside the panel.
    .get("/demo/widget", (c) =>
      options.demo === undefined ? c.notFound() : c.html(WidgetDemoPage({ channelId: demoWidgetChannel, loginUrl: Contract.routes.login })))
}
