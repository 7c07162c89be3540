/**
 * The ceiling: a bare `node:http` server, as its own process, that writes one pre-rendered list row
 * to every connected SSE client per `POST /broadcast?key=...`. No session, no store, no rendering
 * per event beyond putting the key into the row: what Node itself costs to fan bytes out. Its page
 * (`GET /page`) names its stream the way the panel does (`sse-connect`).
 */
import http from "node:http"
import type { AddressInfo } from "node:net"

const clients = new Set<http.ServerResponse>()
// A list row as the panel renders one (about the size of the real one).
const row = (key: string) =>
  `<li id="row-${key}" class="row status-new unread" data-testid="dialog-row" data-dialog-id="${key}" data-status="new">` +
  `<a href="/panel/dialogs/${key}?folder=new" hx-get="/panel/dialogs/${key}?folder=new" hx-target="#dialog-pane" hx-swap="outerHTML" hx-push-url="true">` +
  `<div class="row-top"><span class="client-name">A new client</span><time datetime="2026-12-05T07:00:00.000Z">07:00</time></div>` +
  `<div class="row-bottom"><span class="channel">Telegram</span><span class="preview">Hello, my parcel has not arrived yet, can you check the order status please?</span>` +
  `<span class="badge badge-alert" data-testid="row-unread">1</span></div></a></li>`

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://localhost")
  if (url.pathname === "/page") {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<div class="app" sse-connect="/events"></div>`)
  } else if (url.pathname === "/events") {
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" })
    response.write("event: ready\ndata: \n\n")
    clients.add(response)
    request.on("close", () => clients.delete(response))
  } else if (url.pathname === "/broadcast" && request.method === "POST") {
    const bytes = Buffer.from(`event: row\ndata: ${row(url.searchParams.get("key") ?? "")}\n\n`)
    for (const client of clients) client.write(bytes)
    response.writeHead(202).end()
  } else {
    response.writeHead(404).end()
  }
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.send?.({ _tag: "Ready", url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })
})
process.on("message", (message) => {
  if (message === "counters") {
    const cpu = process.cpuUsage()
    process.send?.({ _tag: "Counters", statements: 0, cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage.rss() })
  }
  if (message === "stop") {
    for (const client of clients) client.end()
    server.close(() => process.exit(0))
  }
})
