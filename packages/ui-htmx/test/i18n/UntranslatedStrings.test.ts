import { fileURLToPath } from "node:url"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { scan, scanFile, scanScript, scanScripts } from "./untranslated.js"

const root = fileURLToPath(new URL("../../../../", import.meta.url))

/** The sources whose text users read: the panel's templates and the server that renders them. */
const sources = ["packages/ui-htmx/src", "packages/server/src"]

/** The browser scripts, served as they are: the panel's and the web widget's (its loader on other sites' pages, its frame). */
const scripts = ["packages/ui-htmx/src/static"]

describe("user-visible strings", () => {
  it("all come from the catalogs (t()): none is written in a template or a server message", () => {
    // No exceptions list: every string found fails, so a new screen or a new string goes through `t()` from the start.
    const leftovers = scan(root, sources)
    const report = leftovers.map((finding) => `${finding.file}:${finding.line}: ${JSON.stringify(finding.text)}`)
    expect(report, `Move these strings into packages/ui-htmx/src/i18n/en.ts and uk.ts and render them with t() (docs/i18n.md):\n${report.join("\n")}\n`).toEqual([])
  })

  it("are not written in the browser scripts either: they show the texts the server gave them", () => {
    const leftovers = scanScripts(root, scripts)
    const report = leftovers.map((finding) => `${finding.file}:${finding.line}: ${JSON.stringify(finding.text)}`)
    expect(report, `Give these strings to the script from the catalogs (data-t-* attributes of the page, or the widget's settings) (docs/i18n.md):\n${report.join("\n")}\n`).toEqual([])
  })

  it("are found in a script's element texts, visible attributes (also through a variable or an object's property) and stand-ins for a missing text, and not in codes", () => {
    const path = join(root, "packages/ui-htmx/test/i18n/fixtures/untranslated-script.js")
    const found = scanScript(path, root).map((finding) => finding.text)
    expect(found).toEqual(["Close chat", "Yes", "Open chat", "Saved.", "Sign in first"])
  })

  it("are found in JSX text, rendered expressions, visible attributes and server messages, and not in keys or class names", () => {
    const path = join(root, "packages/ui-htmx/test/i18n/fixtures/Untranslated.tsx")
    const found = scanFile(path, root).map((finding) => finding.text)
    expect(found).toEqual(["Hello there", "Open", "Closed", "Search dialogs", "Close this dialog?", "new", "Saved.", "Sign in first"])
  })
})
