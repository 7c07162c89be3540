/**
 * The fake provider of `bench/channels`: a bare `node:http` receiver in its own process (a provider
 * is another machine; here it gets its own thread at least), answering the custom channel's
 * callbacks as an integrator's system would: `{"id": ...}` for each message, or a 503 for a share
 * of them (`failRate`, set over IPC). It counts what it accepted, by message id, so the parent can
 * check that every message arrived exactly once.
 */
import { createServer } from "node:http"

let failRate = 0
let accepted = 0
/** Every POST, refused or accepted. */
let posts = 0
const perMessage = new Map<string, number>()

const server = createServer((request, response) => {
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => {
    posts++
    if (Math.random() < failRate) {
      response.writeHead(503, { "content-type": "text/plain" }).end("unavailable")
      return
    }
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { readonly data: { readonly messageId: string } }
    accepted++
    perMessage.set(body.data.messageId, (perMessage.get(body.data.messageId) ?? 0) + 1)
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: `prov-${accepted}` }))
  })
})

type Command = { readonly _tag: "failRate"; readonly value: number } | { readonly _tag: "stats" } | { readonly _tag: "reset" }

process.on("message", (command: Command) => {
  switch (command._tag) {
    case "failRate":
      failRate = command.value
      process.send!({ _tag: "ok" })
      break
    case "reset":
      accepted = 0
      posts = 0
      perMessage.clear()
      process.send!({ _tag: "ok" })
      break
    case "stats": {
      let duplicates = 0
      for (const count of perMessage.values()) if (count > 1) duplicates += count - 1
      process.send!({ _tag: "stats", posts, accepted, distinct: perMessage.size, duplicates })
      break
    }
  }
})

server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  const address = server.address()
  process.send!({ _tag: "listening", port: typeof address === "object" && address !== null ? address.port : 0 })
})
