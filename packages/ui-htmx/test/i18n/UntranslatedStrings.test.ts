import { fileURLToPath } from "node:url"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { scan, scanFile } from "./untranslated.js"

const root = fileURLToPath(new URL("../../../../", import.meta.url))

/** The sources whose text users read: the panel's templates and the server that renders them. */
const sources = ["packages/ui-htmx/src", "packages/server/src"]

describe("user-visible strings", () => {
  it("all come from the catalogs (t()): none is written in a template or a server message", () => {
    // No exceptions list: every string found fails, so a new screen or a new string goes through `t()` from the start.
    const leftovers = scan(root, sources)
    const report = leftovers.map((finding) => `${finding.file}:${finding.line}: ${JSON.stringify(finding.text)}`)
    expect(report, `Move these strings into packages/ui-htmx/src/i18n/en.ts and uk.ts and render them with t() (docs/i18n.md):\n${report.join("\n")}\n`).toEqual([])
  })

  it("are found in JSX text, rendered expressions, visible attributes and server messages, and not in keys or class names", () => {
    const path = join(root, "packages/ui-htmx/test/i18n/fixtures/Untranslated.tsx")
    const found = scanFile(path, root).map((finding) => finding.text)
    expect(found).toEqual(["Hello there", "Open", "Closed", "Search dialogs", "Close this dialog?", "new", "Saved.", "Sign in first"])
  })
})
