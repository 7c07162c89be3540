/**
 * Finds user-visible English left outside the catalogs, by reading the sources with the TypeScript
 * parser (no rendering, so no page needs data to be checked, and every finding names its file and
 * line). What counts as user-visible:
 * - JSX text (`<p>Saved</p>`);
 * - string literals and template text a JSX expression can render (`{x ? "On" : "Off"}`,
 *   `{`${n} more`}`), but not arguments of calls (`{t("key")}`, `{routes.asset("x.css")}`);
 * - the same in user-visible attributes and props: `title`, `placeholder`, `aria-*` labels, `alt`,
 *   `label`, `hx-confirm`, `hx-prompt`, and the `message`/`heading`/`hint` props of components;
 * - in any file, an object property `message`/`notice`/`title`/`label`/`placeholder`/`heading`
 *   given a string, and the text of `c.text("...")`/`c.html("...")` responses; not a name (a
 *   property given its own name, `title: "title"`, or a lowercase kebab-case id, `"widget-notice"`).
 * A string "contains words" when it has a letter; `allowed` lists the exceptions (brand names,
 * symbols), `ignoredFiles` what is no interface text (the CLI, demo content, the catalogs).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join, relative } from "node:path"
import ts from "typescript"

export interface Finding {
  readonly file: string
  readonly line: number
  readonly text: string
}

/** Text that needs no translation: brand and product names, key names, symbols. */
export const allowed: ReadonlySet<string> = new Set(["Switchboard", "Telegram", "WhatsApp", "Viber", "Ctrl", "Ctrl+Enter", "⌘+Enter", "Enter", "Shift+Enter", "Esc", "OK", "htmx", "SSE", "JSON", "API", "SLA", "ID", "URL", "English", "Українська", "ok"])

/**
 * Files that hold no interface text: the terminal CLI, the demo's seeded content, the catalogs
 * themselves, and the JSON API for integrators (its errors are for developers, in English like the
 * HTTP specs, and never reach the panel).
 */
export const ignoredFiles: ReadonlyArray<RegExp> = [/\/i18n\//, /\/cli(\.ts|\/)/, /\/Demo\.ts$/, /\.d\.ts$/, /\/server\/src\/routes\/api\.ts$/]

const visibleAttributes = new Set(["title", "placeholder", "aria-label", "aria-description", "aria-placeholder", "aria-roledescription", "aria-valuetext", "alt", "label", "hx-confirm", "hx-prompt", "message", "heading", "hint", "caption", "legend", "summary", "any", "confirm"])
const visibleProperties = new Set(["message", "notice", "title", "label", "placeholder", "heading", "hint"])

const hasWords = (text: string): boolean => /\p{L}/u.test(text)

/** Whether a piece of text is only allowed words, numbers and punctuation. */
const isAllowed = (text: string): boolean => {
  const trimmed = text.trim()
  if (allowed.has(trimmed)) return true
  return trimmed.split(/[\s()[\],.:;!?/·—–-]+/u).filter(hasWords).every((word) => allowed.has(word))
}

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "static" ? [] : sourceFiles(path)
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : []
  })

/** The strings an expression can evaluate to, as far as reading it tells (not through calls). */
const renderedStrings = (node: ts.Node, found: Array<ts.Node>): void => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node)
  else if (ts.isTemplateExpression(node)) {
    found.push(node.head)
    for (const span of node.templateSpans) {
      found.push(span.literal)
      renderedStrings(span.expression, found)
    }
  } else if (ts.isConditionalExpression(node)) {
    renderedStrings(node.whenTrue, found)
    renderedStrings(node.whenFalse, found)
  } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(node.operatorToken.kind)) {
    renderedStrings(node.left, found)
    renderedStrings(node.right, found)
  } else if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) renderedStrings(node.expression, found)
}

const textOf = (node: ts.Node): string =>
  ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node) ? node.text : node.getText()

/** A property whose value is a name, not words: its own name (`title: "title"`) or a kebab-case id (`notice: "widget-notice"`). */
const isName = (node: ts.PropertyAssignment): boolean => {
  const value = node.initializer
  if (!ts.isStringLiteral(value)) return false
  return value.text === node.name.getText().replace(/["']/g, "") || /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/.test(value.text)
}

/** Every user-visible string outside the catalogs in one file. */
export const scanFile = (path: string, root: string): ReadonlyArray<Finding> => {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, path.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const file = relative(root, path)
  const findings: Array<Finding> = []
  const report = (node: ts.Node, text: string) => {
    const normalized = text.replace(/\s+/g, " ").trim()
    if (!hasWords(normalized) || isAllowed(normalized)) return
    findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: normalized })
  }
  const reportRendered = (expression: ts.Node) => {
    const found: Array<ts.Node> = []
    renderedStrings(expression, found)
    for (const literal of found) report(literal, textOf(literal))
  }
  const visit = (node: ts.Node): void => {
    if (ts.isJsxText(node)) report(node, node.text)
    else if (ts.isJsxExpression(node) && node.expression !== undefined && !ts.isJsxAttribute(node.parent)) reportRendered(node.expression)
    else if (ts.isJsxAttribute(node) && visibleAttributes.has(node.name.getText(source)) && node.initializer !== undefined) {
      if (ts.isStringLiteral(node.initializer)) report(node.initializer, node.initializer.text)
      else if (ts.isJsxExpression(node.initializer) && node.initializer.expression !== undefined) reportRendered(node.initializer.expression)
    } else if (ts.isPropertyAssignment(node) && visibleProperties.has(node.name.getText(source).replace(/["']/g, "")) && !isName(node)) reportRendered(node.initializer)
    else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      ["text", "html"].includes(node.expression.name.text) &&
      node.arguments[0] !== undefined
    )
      reportRendered(node.arguments[0])
    ts.forEachChild(node, visit)
  }
  visit(source)
  return findings
}

/** Every user-visible string outside the catalogs under the given source folders. */
export const scan = (root: string, dirs: ReadonlyArray<string>): ReadonlyArray<Finding> =>
  dirs
    .flatMap((dir) => sourceFiles(join(root, dir)))
    .filter((path) => !ignoredFiles.some((pattern) => pattern.test(`/${relative(root, path).replaceAll("\\", "/")}`)))
    .flatMap((path) => scanFile(path, root))
