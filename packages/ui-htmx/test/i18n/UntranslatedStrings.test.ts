import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { baselineKey, scan, scanFile } from "./untranslated.js"

const root = fileURLToPath(new URL("../../../../", import.meta.url))

/** The sources whose text users read: the panel's templates and the server that renders them. */
const sources = ["packages/ui-htmx/src", "packages/server/src"]

/**
 * Strings not converted yet (`file: text`). It only shrinks, to empty: a string not in it fails the
 * test, so a new screen or a new string must go through `t()` from the start.
 */
const baselinePath = join(root, "packages/ui-htmx/test/i18n/untranslated-baseline.json")
const baseline: ReadonlySet<string> = new Set(existsSync(baselinePath) ? (JSON.parse(readFileSync(baselinePath, "utf8")) as ReadonlyArray<string>) : [])

describe("user-visible strings", () => {
  it("all come from the catalogs (t()): none is written in a template or a server message", () => {
    const leftovers = scan(root, sources).filter((finding) => !baseline.has(baselineKey(finding)))
    const report = leftovers.map((finding) => `${finding.file}:${finding.line}: ${JSON.stringify(finding.text)}`)
    expect(report, `Move these strings into packages/ui-htmx/src/i18n/en.ts and uk.ts and render them with t() (docs/i18n.md):\n${report.join("\n")}\n`).toEqual([])
  })

  it("are found in JSX text, rendered expressions, visible attributes and server messages, and not in keys or class names", () => {
    const path = join(root, "packages/ui-htmx/test/i18n/fixtures/Untranslated.tsx")
    const found = scanFile(path, root).map((finding) => finding.text)
    expect(found).toEqual(["Hello there", "Open", "Closed", "Search dialogs", "Close this dialog?", "new", "Saved.", "Sign in first"])
  })
})
