// The whole server from the packages: panel, API and static assets on an in-memory store with the
// demo data, on a free port; fetches the sign-in page and the panel's assets, then stops.
import { startServer } from "@switchboard/server"
import { memoryStorage } from "@switchboard/server/testing"

const server = await startServer({ port: 0, storage: memoryStorage })
try {
  for (const path of ["/login", "/assets/panel.css", "/assets/panel.js", "/assets/htmx.min.js", "/assets/sse.js"]) {
    const response = await fetch(`${server.url}${path}`)
    console.log(`GET ${path} ${response.status} ${response.headers.get("content-type")}`)
  }
} finally {
  await server.close()
}
