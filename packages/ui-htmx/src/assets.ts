import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
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
  // Notifications (NTF-01/02): the script and its sound (a short beep made by scripts/notify-sound.mjs).
  "notify.js": { file: own("notify.js"), contentType: "text/javascript; charset=utf-8" },
  "notify.wav": { file: own("notify.wav"), contentType: "audio/wav" },
  // Collision: the composer reports typing (presence.js).
  "presence.js": { file: own("presence.js"), contentType: "text/javascript; charset=utf-8" },
  // The web widget: the loader a host page includes, the frame's script and style, the demo page's style.
  "widget.js": { file: own("widget/widget.js"), contentType: "text/javascript; charset=utf-8" },
  "widget-frame.js": { file: own("widget/frame.js"), contentType: "text/javascript; charset=utf-8" },
  "widget-frame.css": { file: own("widget/frame.css"), contentType: "text/css; charset=utf-8" },
  "widget-demo.css": { file: own("widget/demo.css"), contentType: "text/css; charset=utf-8" },
  // The composer (MSG-08, PRD-01): its script, and the emoji picker with its data from their packages (no CDN).
  "composer.js": { file: own("composer.js"), contentType: "text/javascript; charset=utf-8" },
  "emoji-picker/picker.js": { file: require.resolve("emoji-picker-element/picker.js"), contentType: "text/javascript; charset=utf-8" },
  "emoji-picker/database.js": { file: require.resolve("emoji-picker-element/database.js"), contentType: "text/javascript; charset=utf-8" },
  "emoji-picker/data.json": { file: require.resolve("emoji-picker-element-data/en/emojibase/data.json"), contentType: "application/json" }
}

/**
 * The CSP hash of the one `<style>` element the emoji picker puts in its shadow root: the page's
 * `style-src` allows that exact text and no other inline style element. It is read from the
 * picker's own source (its `baseStyles` and font family, as its constructor joins them), so an
 * upgrade of the package moves the hash with it; the browser test fails on any CSP violation.
 */
export const emojiPickerStyleHash: string = (() => {
  const source = readFileSync(require.resolve("emoji-picker-element/picker.js"), "utf8")
  const base = /\nvar baseStyles = ("(?:[^"\\]|\\.)*");\n/.exec(source)?.[1]
  const font = /\nconst FONT_FAMILY = '([^']*)' \+\s*'([^']*)';\n/.exec(source)
  if (base === undefined || font === null) throw new Error("emoji-picker-element changed how it writes its styles: update emojiPickerStyleHash")
  const css = `${JSON.parse(base) as string}:host{--emoji-font-family:${font[1]}${font[2]}}`
  return `'sha256-${createHash("sha256").update(css, "utf8").digest("base64")}'`
})()
