import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const require = createRequire(import.meta.url)
const own = (name: string) => fileURLToPath(new URL(`./static/${name}`, import.meta.url))

/** A static file the panel serves under `/assets/<name>`. */
export interface Asset {
  readonly file: string
  readonly contentType: string
}

/**
 * The panel's static assets: htmx and its SSE extension straight from their packages' `dist`
 * (versions pinned in package.json), plus the panel's own CSS and script.
 */
export const assets: Readonly<Record<string, Asset>> = {
  "htmx.min.js": { file: require.resolve("htmx.org/dist/htmx.min.js"), contentType: "text/javascript; charset=utf-8" },
  "sse.js": { file: require.resolve("htmx-ext-sse/dist/sse.min.js"), contentType: "text/javascript; charset=utf-8" },
  "panel.js": { file: own("panel.js"), contentType: "text/javascript; charset=utf-8" },
  "panel.css": { file: own("panel.css"), contentType: "text/css; charset=utf-8" },
  "board.js": { file: own("board.js"), contentType: "text/javascript; charset=utf-8" },
  // The web widget: the loader a host page includes, the frame's script and style, the demo page's style.
  "widget.js": { file: own("widget/widget.js"), contentType: "text/javascript; charset=utf-8" },
  "widget-frame.js": { file: own("widget/frame.js"), contentType: "text/javascript; charset=utf-8" },
  "widget-frame.css": { file: own("widget/frame.css"), contentType: "text/css; charset=utf-8" },
  "widget-demo.css": { file: own("widget/demo.css"), contentType: "text/css; charset=utf-8" }
}
