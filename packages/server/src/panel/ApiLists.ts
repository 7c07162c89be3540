import { Cache, Context, Duration, Effect, Either, Exit, Layer, Ref } from "effect"
import { ClientCard } from "@switchboard/core"
import type { OptionsProblemView } from "@switchboard/ui-htmx"

/** An option of a list from an API as the card shows it. */
export interface ApiOption {
  readonly value: string
  readonly label: string
}

/** The options of one list from an API, or why they could not be loaded. */
export type ApiListResult = Either.Either<ReadonlyArray<ApiOption>, OptionsProblemView>

/** How the server fetches the options of lists from an API (CLI-04). */
export interface ApiListsOptions {
  /** How long one fetch may take, connection to last byte (default 2 s). */
  readonly timeout?: Duration.DurationInput | undefined
  /** How long loaded options are reused before the URL is asked again (default 60 s). */
  readonly ttl?: Duration.DurationInput | undefined
  /** How long a failure is remembered, so an API that is down does not slow every card (default 10 s). */
  readonly failureTtl?: Duration.DurationInput | undefined
  /** The largest answer read, in bytes (default 256 KiB); a larger one is a failure. */
  readonly maxBytes?: number | undefined
}

/** The defaults of `ApiListsOptions`. */
export const apiListsDefaults = { timeout: Duration.seconds(2), ttl: Duration.seconds(60), failureTtl: Duration.seconds(10), maxBytes: 256 * 1024 } as const

/** A URL as it may be logged: scheme, host and path, never the query (it may hold a key) or credentials. */
export const loggableUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return "(not a URL)"
  }
}

const problem = (reason: OptionsProblemView["reason"], status?: number): OptionsProblemView => (status === undefined ? { reason } : { reason, status })

/** Stop reading an answer that will not be used. */
const discard = (response: Response) => Effect.ignore(Effect.tryPromise(() => response.body?.cancel() ?? Promise.resolve()))

/** Read a body up to `maxBytes`; more is a `tooLarge` problem (the rest is not read). */
const readCapped = (response: Response, maxBytes: number) =>
  Effect.tryPromise({
    try: async (signal) => {
      const reader = response.body?.getReader()
      if (reader === undefined) return new Uint8Array(0)
      // A timeout interrupts the read: stop the download too.
      signal.addEventListener("abort", () => void reader.cancel().catch(() => undefined))
      const chunks: Array<Uint8Array> = []
      let size = 0
      for (;;) {
        const chunk = await reader.read()
        if (chunk.done) break
        size += chunk.value.byteLength
        if (size > maxBytes) {
          await reader.cancel()
          return undefined
        }
        chunks.push(chunk.value)
      }
      const body = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        body.set(chunk, offset)
        offset += chunk.byteLength
      }
      return body
    },
    catch: () => problem("unreachable")
  }).pipe(Effect.flatMap((body) => (body === undefined ? Effect.fail(problem("tooLarge")) : Effect.succeed(body))))

/**
 * Fetch the options at `url` once: http(s) only, within `timeout`, at most `maxBytes`, decoded as
 * `ClientCard.ApiOptions`. Never fails: a problem is the `Left`, logged without the URL's query.
 */
const fetchOptions = (url: string, timeout: Duration.Duration, maxBytes: number): Effect.Effect<ApiListResult> =>
  Effect.gen(function* () {
    const scheme = URL.canParse(url) ? new URL(url).protocol : ""
    if (scheme !== "http:" && scheme !== "https:") return yield* Effect.fail(problem("scheme"))
    const response = yield* Effect.tryPromise({
      try: (signal) => fetch(url, { signal, headers: { Accept: "application/json" } }),
      catch: () => problem("unreachable")
    })
    if (!response.ok) {
      yield* discard(response)
      return yield* Effect.fail(problem("status", response.status))
    }
    const declared = Number(response.headers.get("content-length") ?? "0")
    if (declared > maxBytes) {
      yield* discard(response)
      return yield* Effect.fail(problem("tooLarge"))
    }
    const body = yield* readCapped(response, maxBytes)
    const json = yield* Effect.try({ try: () => JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as unknown, catch: () => problem("notJson") })
    return yield* Either.mapLeft(ClientCard.decodeApiOptions(json), () => problem("notAList"))
  }).pipe(
    Effect.timeoutFail({ duration: timeout, onTimeout: () => problem("timeout") }),
    Effect.tapError((failure) => Effect.logWarning("The options of a list from an API could not be loaded").pipe(Effect.annotateLogs({ url: loggableUrl(url), reason: failure.reason, ...(failure.status === undefined ? {} : { status: failure.status }) }))),
    Effect.either,
    Effect.withSpan("ApiLists.fetch", { attributes: { url: loggableUrl(url) } })
  )

/**
 * The options of the client card's lists from an API (CLI-04), fetched by the server from each
 * field's URL and kept per URL for `ttl` (a failure for `failureTtl`) on Effect's `Clock`. Any
 * change of the card's custom fields drops everything kept, so an edited URL or list is asked anew.
 */
export class ApiLists extends Context.Tag("@switchboard/server/ApiLists")<
  ApiLists,
  {
    /**
     * The options of the card's lists from an API among `fieldIds`, by field id; a field that is not
     * such a list is absent. Never fails: a list that could not be loaded is a `Left` with why.
     */
    readonly load: (card: ClientCard.ClientCardConfig, fieldIds: ReadonlyArray<string>) => Effect.Effect<ReadonlyMap<string, ApiListResult>>
  }
>() {
  /** The service with `options` over the defaults. */
  static readonly layer = (options: ApiListsOptions = {}) =>
    Layer.effect(
      ApiLists,
      Effect.gen(function* () {
        const timeout = Duration.decode(options.timeout ?? apiListsDefaults.timeout)
        const ttl = Duration.decode(options.ttl ?? apiListsDefaults.ttl)
        const failureTtl = Duration.decode(options.failureTtl ?? apiListsDefaults.failureTtl)
        const maxBytes = options.maxBytes ?? apiListsDefaults.maxBytes
        const cache = yield* Cache.makeWith({
          capacity: 256,
          lookup: (url: string) => fetchOptions(url, timeout, maxBytes),
          timeToLive: (exit) => (Exit.isSuccess(exit) && Either.isRight(exit.value) ? ttl : failureTtl)
        })
        // The custom fields the kept options were loaded for; another configuration drops them all.
        const loadedFor = yield* Ref.make("")
        const load = Effect.fn("ApiLists.load")(function* (card: ClientCard.ClientCardConfig, fieldIds: ReadonlyArray<string>) {
          const fingerprint = JSON.stringify(card.customFields)
          if ((yield* Ref.getAndSet(loadedFor, fingerprint)) !== fingerprint) yield* cache.invalidateAll
          const wanted = new Set(fieldIds)
          const lists = card.customFields.filter((field) => field.type === "apiList" && field.url !== undefined && wanted.has(field.id))
          const results = yield* Effect.forEach(lists, (field) => Effect.map(cache.get(field.url!), (result) => [field.id, result] as const), { concurrency: "unbounded" })
          return new Map(results) as ReadonlyMap<string, ApiListResult>
        })
        return { load } as const
      })
    )

  /** The service with the defaults (2 s, 60 s, 10 s, 256 KiB). */
  static readonly Default = ApiLists.layer()
}
