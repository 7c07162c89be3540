import { Cause, Effect, Fiber, Option, Redacted, Schema, Stream } from "effect"
import { type Context, Hono, type MiddlewareHandler } from "hono"
import { cors } from "hono/cors"
import { streamSSE, type SSEStreamingApi } from "hono/streaming"
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible"
import { InvalidInput, Widget, WidgetAttributes, type WidgetSession } from "@switchboard/core"
import { I18n, t, WidgetFrame, withLocale } from "@switchboard/ui-htmx"
import { bodyProblem, jsonOnly, readJson } from "../RequestBody.js"
import { refusalText } from "../panel/Refusals.js"
import { BadRequest, failureJson } from "../respond.js"
import { invalidText } from "../panel/InvalidText.js"
import type { PanelRuntime, PanelServices } from "../Services.js"
import { clientAddress } from "../Session.js"
import { fileResponse } from "./files.js"

/**
 * The web widget's API (CHN-03), under `/widget/v1`. A visitor's session is a random token the
 * widget keeps in its own frame's storage and sends as `Authorization: Bearer` (the live stream,
 * which an `EventSource` opens without headers, takes it as `?token=`): no cookie, third-party or
 * otherwise. Bodies are JSON (415 otherwise); bad input is a 4xx naming the field, never a 500;
 * each visitor and each address is rate limited (429 with `Retry-After`).
 */

/** Requests allowed per window: new sessions per address, messages per session, everything per session. */
export interface WidgetLimits {
  readonly sessionsPerMinute: number
  readonly messagesPerMinute: number
  readonly requestsPerMinute: number
}

export const defaultWidgetLimits: WidgetLimits = { sessionsPerMinute: 20, messagesPerMinute: 30, requestsPerMinute: 300 }

type Failure = { readonly _tag: string; readonly message?: string }

const isFailure = (error: unknown): error is Failure =>
  typeof error === "object" && error !== null && "_tag" in error && typeof (error as { _tag: unknown })._tag === "string"

/** The typed failure of an `Exit`'s cause, if it has one. */
const failureOf = (cause: Cause.Cause<unknown>): Failure | undefined => {
  const failure = Option.getOrUndefined(Cause.failureOption(cause))
  return isFailure(failure) ? failure : undefined
}

/** A failure as the widget reads it: `{ error, message }` with its status (401/404 for a refusal, 429 when limited). */
const widgetFailure = (c: Context, error: Failure): Response => {
  if (error._tag === "WidgetRejected") {
    const reason = (error as Widget.WidgetRejected).reason
    return c.json({ error: reason, message: refusalText(error) ?? error.message }, reason === "UnknownChannel" ? 404 : 401)
  }
  if (error._tag === "RateLimited") {
    const seconds = (error as RateLimited).retryAfterSeconds
    return c.json({ error: "RateLimited", message: (error as RateLimited).limiterDown ? t("widget.errors.limiterDown") : t("widget.errors.rateLimited", { seconds }) }, 429)
  }
  // A visitor reads the refusal (the frame shows `message`): in the widget's language, from the
  // issues' codes; the issues stay for the page's own script. (The JSON API keeps core's English.)
  if (error instanceof InvalidInput) return c.json({ ...error, error: error._tag, message: invalidText(error) }, 422)
  return failureJson(c, error)
}

/** A visitor over a limit (or the limiter down: `limiterDown`); its text is looked up when the answer renders. */
class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", { retryAfterSeconds: Schema.Number, limiterDown: Schema.Boolean }) {}

/** One limiter per kind of request; a key over its points fails with `RateLimited`. */
const limiter = (points: number) => {
  const limit = new RateLimiterMemory({ points, duration: 60 })
  return (key: string) =>
    Effect.tryPromise({
      try: () => limit.consume(key),
      catch: (rejection) => {
        if (!(rejection instanceof RateLimiterRes)) return new RateLimited({ retryAfterSeconds: 1, limiterDown: true })
        const seconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))
        return new RateLimited({ retryAfterSeconds: seconds, limiterDown: false })
      }
    }).pipe(Effect.asVoid)
}

const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Effect.mapError(Schema.decodeUnknown(schema)(input, { onExcessProperty: "error" }), InvalidInput.fromParseError)

/** The bearer token of a request, if it has one. */
const bearer = (c: Context): Option.Option<Redacted.Redacted<string>> => {
  const header = c.req.header("Authorization") ?? ""
  const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header)
  return match === null ? Option.none() : Option.some(Redacted.make(match[1]!))
}

const noToken = new Widget.WidgetRejected({ reason: "Unauthorized", message: I18n.catalogs.en.refusals.widget.noToken })

/** A store position written in decimal, if that is what `text` is. */
const position = (text: string): number | undefined => {
  if (!/^\d{1,16}$/.test(text)) return undefined
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : undefined
}

/** The form field of a visitor's file. */
const fileField = "file"

/** The widget's one form request: a visitor's file (`POST /widget/v1/files`), with the file upload's body limit. */
export const isWidgetUpload = (method: string, path: string) => method === "POST" && path === "/widget/v1/files"

const StartBody = Schema.Struct({ channelId: Schema.String.pipe(Schema.maxLength(200)), ...Widget.StartSession.fields })
const ReadBody = Schema.Struct({ seq: Schema.Number.pipe(Schema.int(), Schema.between(0, Number.MAX_SAFE_INTEGER)) })

/** The public look of a widget channel: what the loader and the frame show (never the identity secret). */
const publicSettings = (settings: Effect.Effect.Success<ReturnType<Widget.Widget["settings"]>>) => ({
  channelId: settings.channelId,
  colour: settings.colour,
  position: settings.position,
  greetings: settings.greetings,
  language: settings.language,
  identityVerification: Option.isSome(settings.identitySecret)
})

/** The widget's language: the one its tag (or host page) names in `?lang=`, else the browser's, else the channel's. */
const widgetLocale = (c: Context, settings: { readonly language: string }) =>
  I18n.makeLocale(I18n.resolveLanguage({ user: c.req.query("lang"), company: undefined, acceptLanguage: [c.req.header("Accept-Language"), settings.language].filter(Boolean).join(", ") }))

/** The catalog's keys of the launcher's name with unread replies, one per plural category. */
const unreadKey = /^openUnread_(zero|one|two|few|many|other)$/

/**
 * The texts the loader script (`widget.js`) shows on the host page, so it has no strings of its own:
 * its button's names while the chat is closed and open, and the frame's title. The closed button's
 * name with unread replies counts them, and the count changes on the page: `unread` holds the
 * catalog's plural forms by `Intl.PluralRules` category (`{{count}}` stands for the number) and
 * `locale` the rules to choose one by.
 */
const loaderLabels = () => {
  const locale = I18n.useLocale()
  const launcher: Readonly<Record<string, string>> = I18n.catalogs[locale.language].widget.launcher
  const unread = Object.fromEntries(Object.entries(launcher).flatMap(([key, text]) => {
    const category = unreadKey.exec(key)?.[1]
    return category === undefined ? [] : [[category, text] as const]
  }))
  return { open: t("widget.launcher.open"), close: t("widget.launcher.close"), frame: t("widget.frameTitle"), locale: locale.intlLocale, unread }
}

/** Headers of the widget's frame: embeddable by any page, its own scripts and styles only. */
const frameCsp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors *"

export const widgetRoutes = (runtime: PanelRuntime, options: { readonly trustProxy: number; readonly limits?: WidgetLimits | undefined }) => {
  const limits = options.limits ?? defaultWidgetLimits
  const sessionsLimit = limiter(limits.sessionsPerMinute)
  const messagesLimit = limiter(limits.messagesPerMinute)
  const requestsLimit = limiter(limits.requestsPerMinute)

  /** Run a program and answer JSON: success → `render`, a typed failure → its 4xx, a defect → 500 (logged). */
  const answer = async <A, E extends Failure>(c: Context, program: Effect.Effect<A, E, PanelServices>, render: (value: A) => Response | Promise<Response>): Promise<Response> => {
    const exit = await runtime.runPromiseExit(program)
    if (exit._tag === "Success") return render(exit.value)
    const failure = failureOf(exit.cause)
    if (failure !== undefined) {
      if (failure._tag === "RateLimited") c.header("Retry-After", String((failure as unknown as RateLimited).retryAfterSeconds))
      return widgetFailure(c, failure)
    }
    await runtime.runPromise(Effect.logError("widget request failed", exit.cause).pipe(Effect.annotateLogs({ method: c.req.method, path: c.req.path })))
    return c.json({ error: "Defect", message: t("widget.errors.defect") }, 500)
  }

  /** The visitor's session from the bearer token, counted against their request limit. */
  const visitor = (c: Context, token: Option.Option<Redacted.Redacted<string>> = bearer(c)) =>
    Effect.gen(function* () {
      if (Option.isNone(token)) return yield* Effect.fail(noToken)
      const widget = yield* Widget.Widget
      const session = yield* widget.authenticate(token.value)
      yield* requestsLimit(session.key)
      return { widget, session }
    })

  /** CORS for what a page's loader asks cross-origin: reads and JSON posts with a bearer token, no cookies. */
  const crossOrigin: MiddlewareHandler = cors({
    origin: "*",
    allowMethods: ["GET", "POST"],
    allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"],
    maxAge: 600,
    credentials: false
  })

  return new Hono()
    .use("*", crossOrigin)
    // A visitor's file comes as a form (`isWidgetUpload`); everything else is JSON.
    .use("*", (c, next) => (isWidgetUpload(c.req.method, c.req.path) ? next() : jsonOnly(c, next)))
    .get("/frame", (c) => {
      const channelId = c.req.query("channel") ?? ""
      return answer(c, Effect.flatMap(Widget.Widget, (widget) => widget.settings(channelId)), (settings) => {
        c.header("Content-Security-Policy", frameCsp)
        c.header("Cache-Control", "no-store")
        // Rendered inside the locale's scope: hono/jsx renders when the response is made, not when the node is built.
        return withLocale(widgetLocale(c, settings), () => c.html(<WidgetFrame channelId={settings.channelId} colour={settings.colour} />))
      })
    })
    // The loader script's settings, with the texts it writes itself (its launcher's names, the frame's title) in `?lang=`'s language.
    .get("/channels/:channelId/settings", (c) =>
      answer(c, Effect.flatMap(Widget.Widget, (widget) => widget.settings(c.req.param("channelId"))), (settings) => {
        c.header("Vary", "Accept-Language")
        return c.json({ ...publicSettings(settings), labels: withLocale(widgetLocale(c, settings), loaderLabels) })
      }))
    .post("/sessions", (c) =>
      answer(c, Effect.gen(function* () {
        yield* sessionsLimit(clientAddress(c, options.trustProxy))
        const input = yield* decode(StartBody, yield* readJson(c))
        const widget = yield* Widget.Widget
        const { channelId, ...start } = input
        const started = yield* widget.start(channelId, start)
        return { token: Redacted.value(started.token), settings: publicSettings(yield* widget.settings(channelId)) }
      }), (started) => c.json(started, 201)))
    .get("/session", (c) =>
      answer(c, visitor(c), ({ session }) => c.json(sessionView(session))))
    .post("/messages", (c) =>
      answer(c, Effect.gen(function* () {
        const { widget, session } = yield* visitor(c)
        yield* messagesLimit(session.key)
        return yield* widget.post(session, yield* readJson(c))
      }), (received) => c.json({ dialogId: received.dialogId, messageId: Option.getOrNull(received.messageId) }, 202)))
    .post("/user", (c) =>
      answer(c, Effect.gen(function* () {
        const { widget, session } = yield* visitor(c)
        const input = yield* decode(Widget.SetUser, yield* readJson(c))
        return yield* widget.identify(session, input)
      }), (identified) => c.json({ ...sessionView(identified.session), visitorChanged: identified.visitorChanged })))
    .post("/attributes", (c) =>
      answer(c, Effect.gen(function* () {
        const { widget, session } = yield* visitor(c)
        const input = yield* decode(WidgetAttributes, yield* readJson(c))
        return yield* widget.setAttributes(session, input).pipe(Effect.mapError((error) => (error._tag === "ParseError" ? InvalidInput.fromParseError(error) : error)))
      }), (session) => c.json(sessionView(session))))
    .post("/read", (c) =>
      answer(c, Effect.gen(function* () {
        const { widget, session } = yield* visitor(c)
        const input = yield* decode(ReadBody, yield* readJson(c))
        return yield* widget.markRead(session, input.seq)
      }), (changed) => c.json({ changed })))
    .post("/files", async (c) => {
      if (!(c.req.header("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
        return failureJson(c, { _tag: "UnsupportedMediaType", message: t("widget.errors.multipart") })
      }
      const form = await c.req.parseBody({ all: true }).then((parsed) => parsed, () => undefined)
      const oneFile = t("widget.errors.oneFile")
      return answer(c, Effect.gen(function* () {
        const { widget, session } = yield* visitor(c)
        yield* messagesLimit(session.key)
        if (form === undefined) return yield* Effect.fail(bodyProblem("unreadableForm"))
        const files = [form["file"] ?? []].flat().filter((value): value is File => value instanceof File)
        if (files.length !== 1) return yield* Effect.fail(new InvalidInput({ path: fileField, message: `${fileField}: ${oneFile}` }))
        const fields = { text: typeof form["text"] === "string" ? form["text"] : undefined, clientMessageId: form["clientMessageId"] }
        const input = yield* decode(Widget.VisitorFileInput, Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)))
        const file = files[0]!
        const bytes = yield* Effect.promise(() => file.arrayBuffer())
        return yield* widget.sendFile(session, input, { name: file.name, bytes: new Uint8Array(bytes) })
      }), (received) => c.json({ dialogId: received.dialogId, messageId: Option.getOrNull(received.messageId) }, 202))
    })
    .get("/files/:id", (c) => {
      // An <img> or a download link cannot send a header: the token may come as ?token=, as for the stream.
      const query = c.req.query("token")
      const token = query !== undefined && /^[A-Za-z0-9_-]{1,200}$/.test(query) ? Option.some(Redacted.make(query)) : bearer(c)
      return answer(c, Effect.gen(function* () {
        const { widget, session } = yield* visitor(c, token)
        return yield* widget.openFile(session, c.req.param("id"))
      }), ({ file, bytes }) => {
        c.header("Cache-Control", "private, no-store")
        return fileResponse(c, file, bytes)
      })
    })
    .get("/stream", async (c) => {
      const given = c.req.query("after")
      const fromUrl = given === undefined ? undefined : position(given)
      if (given !== undefined && fromUrl === undefined) {
        return widgetFailure(c, new BadRequest({ parameter: "after", message: I18n.catalogs.en.requests.badPosition.replace("{{parameter}}", "after"), problem: "badPosition" }))
      }
      const query = c.req.query("token")
      const token = query !== undefined && /^[A-Za-z0-9_-]{1,200}$/.test(query) ? Option.some(Redacted.make(query)) : bearer(c)
      const after = position(c.req.header("Last-Event-ID") ?? "") ?? fromUrl ?? 0
      const exit = await runtime.runPromiseExit(visitor(c, token))
      if (exit._tag === "Failure") {
        const failure = failureOf(exit.cause)
        return failure !== undefined ? widgetFailure(c, failure) : c.json({ error: "Defect", message: t("widget.errors.defect") }, 500)
      }
      const { widget, session } = exit.value
      c.header("X-Accel-Buffering", "no")
      c.header("Cache-Control", "no-store")
      return streamSSE(c, async (stream) => {
        const fiber = runtime.runFork(feed(widget, session, after, stream))
        stream.onAbort(() => {
          runtime.runFork(Fiber.interrupt(fiber))
        })
        await new Promise<void>((resolve) => fiber.addObserver(() => resolve()))
      })
    })
}

/** What the widget may know of its session. */
const sessionView = (session: WidgetSession) => ({
  user: Option.getOrNull(session.user),
  name: Option.getOrNull(session.name),
  email: Option.getOrNull(session.email),
  language: Option.getOrNull(session.language),
  attributes: session.attributes
})

/**
 * Write the visitor's feed: `ready`, then each item as an SSE event named by its kind, with the
 * store position as its id (a reconnect's `Last-Event-ID`), heartbeats every 15 s. Our message is
 * marked `delivered` once written to the visitor's connection (MSG-02).
 */
const feed = (widget: Widget.Widget, session: WidgetSession, after: number, stream: SSEStreamingApi) =>
  Effect.scoped(Effect.gen(function* () {
    const items = yield* widget.feed(session, after)
    yield* Effect.promise(() => stream.writeSSE({ event: "ready", data: "", retry: 2000 }))
    const heartbeats = Stream.map(Stream.tick("15 seconds"), () => undefined)
    yield* Stream.runForEach(Stream.merge(items, heartbeats), (item) =>
      Effect.gen(function* () {
        if (item === undefined) return yield* Effect.promise(() => stream.write(": heartbeat\n\n"))
        yield* Effect.promise(() => stream.writeSSE({ event: item.event._tag, data: JSON.stringify(item.event), id: String(item.position) }))
        if (Option.isSome(item.deliver)) yield* widget.delivered(item.dialogId, item.deliver.value)
      }))
  }))
