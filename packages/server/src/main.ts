import { readFileSync } from "node:fs"
import { Either, Schema } from "effect"
import { InvalidInput, SlaClock } from "@switchboard/core"
import { chooseStorage } from "./Storage.js"
import { startServer } from "./Server.js"
import { isBearerToken } from "./routes/api.js"

/**
 * The composition root behind `pnpm start`: pick the store (DATABASE_URL → PostgreSQL, else
 * embedded PGlite in `.data/pglite`), seed the demo, listen on
 * `PORT` (default 3000), and shut down cleanly on SIGTERM / SIGINT.
 */
/** `SWITCHBOARD_SLA=sla.json`: the SLA calendar and policies; a bad field stops start-up with its path. */
const sla = process.env.SWITCHBOARD_SLA === undefined
  ? undefined
  : Schema.decodeUnknownEither(SlaClock.SlaSettings)(JSON.parse(readFileSync(process.env.SWITCHBOARD_SLA, "utf8"))).pipe(
      Either.getOrElse((error) => {
        console.error(`${process.env.SWITCHBOARD_SLA}: ${InvalidInput.fromParseError(error).message}`)
        return process.exit(1)
      })
    )
const apiToken = process.env.SWITCHBOARD_API_TOKEN
if (apiToken !== undefined && !isBearerToken(apiToken)) {
  console.error("SWITCHBOARD_API_TOKEN: use letters, digits and ._~+/- (then = padding only), so clients can send it as a bearer token")
  process.exit(1)
}
/** `LOG_FORMAT`: `json` (default) or `logfmt`. */
const logFormat = process.env.LOG_FORMAT ?? "json"
if (logFormat !== "json" && logFormat !== "logfmt") {
  console.error("LOG_FORMAT: use json or logfmt")
  process.exit(1)
}
/** `SWITCHBOARD_API_BODY_LIMIT`: the JSON API's largest request body in bytes (default 1 MiB). */
const apiBodyLimit = process.env.SWITCHBOARD_API_BODY_LIMIT === undefined ? undefined : Number(process.env.SWITCHBOARD_API_BODY_LIMIT)
if (apiBodyLimit !== undefined && !(Number.isSafeInteger(apiBodyLimit) && apiBodyLimit > 0)) {
  console.error("SWITCHBOARD_API_BODY_LIMIT: a whole number of bytes, such as 1048576")
  process.exit(1)
}
const storage = chooseStorage({ dataDir: process.env.SWITCHBOARD_DATA_DIR ?? ".data/pglite", databaseUrl: process.env.DATABASE_URL })
const server = await startServer({
  port: Number(process.env.PORT ?? 3000),
  hostname: process.env.HOST ?? "0.0.0.0",
  storage,
  ...(sla === undefined ? {} : { sla }),
  ...(process.env.SESSION_SECRET === undefined ? {} : { secret: process.env.SESSION_SECRET }),
  ...(apiToken === undefined ? {} : { apiToken }),
  logFormat,
  bodyLimits: { api: apiBodyLimit }
})
console.log(`Switchboard is running: ${server.url}/  (storage: ${server.storage})`)
console.log(`Sign in as any demo user. Inbound API: POST ${server.url}/api/channels/telegram/inbound`)

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  console.log(`${signal}: shutting down`)
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}
process.on("SIGTERM", () => stop("SIGTERM"))
process.on("SIGINT", () => stop("SIGINT"))
