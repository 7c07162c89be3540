/**
 * The ceiling of `actions.ts`: a bare Hono app on `@hono/node-server` (what Switchboard's server
 * runs on), as its own process, answering every request with a response the runner recorded from
 * Switchboard (status, content type, body bytes), chosen by the `X-Bench-Answer` header. No
 * session, no store, no rendering, no body parsing: what Node and Hono cost to take a request and
 * send the same bytes back over the same kind of connection.
 *
 * Hono is loaded from `@switchboard/server`'s own dependencies, so the ceiling runs the very
 * version the server does.
 */
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"
import { fileURLToPath, pathToFileURL } from "node:url"

/** A recorded answer, sent by the runner over IPC. */
export interface Answer {
  readonly _tag: "Answer"
  readonly key: string
  readonly status: number
  readonly contentType: string
  readonly body: string
}

interface HonoContext {
  readonly req: { readonly header: (name: string) => string | undefined }
  readonly body: (data: string | null, status: number, headers: Record<string, string>) => Response
}
interface HonoApp {
  readonly all: (path: string, handler: (c: HonoContext) => Response) => HonoApp
  readonly fetch: (request: Request) => Response | Promise<Response>
}
interface NodeServer {
  readonly address: () => AddressInfo | string | null
  readonly close: (done: () => void) => void
}

const require = createRequire(fileURLToPath(import.meta.resolve("@switchboard/server")))
const { Hono } = (await import(pathToFileURL(require.resolve("hono")).href)) as { Hono: new () => HonoApp }
const { serve } = (await import(pathToFileURL(require.resolve("@hono/node-server")).href)) as {
  serve: (options: { fetch: HonoApp["fetch"]; port: number; hostname: string }, listening: () => void) => NodeServer
}

const answers = new Map<string, Answer>()
const app = new Hono().all("*", (c) => {
  const answer = answers.get(c.req.header("X-Bench-Answer") ?? "")
  if (answer === undefined) return c.body("no such answer", 404, {})
  return c.body(answer.body === "" ? null : answer.body, answer.status, answer.contentType === "" ? {} : { "Content-Type": answer.contentType })
})

const server: NodeServer = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => {
  const address = server.address() as AddressInfo
  process.send?.({ _tag: "Ready", url: `http://127.0.0.1:${address.port}` })
})
process.on("message", (message: unknown) => {
  if (typeof message === "object" && message !== null && (message as { _tag?: string })._tag === "Answer") {
    const answer = message as Answer
    answers.set(answer.key, answer)
    process.send?.({ _tag: "Stored", key: answer.key })
  }
  if (message === "counters") {
    const cpu = process.cpuUsage()
    process.send?.({ _tag: "Counters", statements: 0, cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage.rss() })
  }
  if (message === "stop") server.close(() => process.exit(0))
})
