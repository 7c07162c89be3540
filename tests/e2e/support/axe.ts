import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import type { Page } from "playwright-core"

/**
 * axe-core run inside a page driven by playwright-core. `@axe-core/playwright` needs the full
 * `playwright` package (its browsers), so the engine's own script is evaluated in the page instead:
 * as a script string through CDP's evaluate, which the page's CSP does not govern (no `<script>`
 * element is added).
 */
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

/** The rule sets of WCAG 2.1 levels A and AA (axe's tags). */
const wcag21aa = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

/** One violation as a failing test prints it: rule, impact, and where (selectors and a snippet). */
export interface AxeViolation {
  readonly rule: string
  readonly impact: string
  readonly help: string
  readonly nodes: ReadonlyArray<string>
}

/**
 * The WCAG 2.1 A/AA violations axe finds on the page as it is now (`context` limits it to a part).
 * An empty list is a pass; a test asserts `toEqual([])` so a failure names the rule and the nodes.
 */
export const axeViolations = async (page: Page, context?: string): Promise<ReadonlyArray<AxeViolation>> => {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object")
  if (!loaded) await page.evaluate(axeSource)
  return page.evaluate(
    async ({ tags, context }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: Array<unknown>; html: string }> }> }> } }).axe
      const result = await axe.run(context ?? document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
      return result.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact ?? "",
        help: violation.help,
        nodes: violation.nodes.map((node) => `${node.target.join(" ")} ${node.html.slice(0, 160)}`)
      }))
    },
    { tags: wcag21aa, context }
  )
}

/** The page's horizontal overflow: how much wider the document is than the viewport (0 when it fits). */
export const horizontalOverflow = (page: Page): Promise<number> =>
  page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth))
