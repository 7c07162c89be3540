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
 * The browser scripts (`static/*.js`) have rules of their own: `scanScript`.
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
export const allowed: ReadonlySet<string> = new Set(["Switchboard", "Telegram", "WhatsApp", "Viber", "Ctrl", "Ctrl+Enter", "⌘+Enter", "Enter", "Shift+Enter", "Esc", "OK", "htmx", "SSE", "JSON", "API", "SLA", "ID", "URL", "English", "Українська", "ok", "HTTP"])

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
  // A catalog placeholder (`{{status}}`) is filled in by code, not read.
  const trimmed = text.replace(/\{\{\w+\}\}/gu, " ").trim()
  if (allowed.has(trimmed)) return true
  return trimmed.split(/[\s()[\],.:;!?/·—–-]+/u).filter(hasWords).every((word) => allowed.has(word))
}

const sourceFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "static" ? [] : sourceFiles(path)
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : []
  })

/**
 * The strings an expression can evaluate to, as far as reading it tells (not through calls); with
 * `resolve`, also through the names it reads (a variable's or an object property's initializer).
 */
const renderedStrings = (node: ts.Node, found: Array<ts.Node>, resolve?: (name: ts.Node) => ts.Node | undefined): void => {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node)
  else if (ts.isTemplateExpression(node)) {
    found.push(node.head)
    for (const span of node.templateSpans) {
      found.push(span.literal)
      renderedStrings(span.expression, found, resolve)
    }
  } else if (ts.isConditionalExpression(node)) {
    renderedStrings(node.whenTrue, found, resolve)
    renderedStrings(node.whenFalse, found, resolve)
  } else if (ts.isBinaryExpression(node) && [ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.PlusToken].includes(node.operatorToken.kind)) {
    renderedStrings(node.left, found, resolve)
    renderedStrings(node.right, found, resolve)
  } else if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) renderedStrings(node.expression, found, resolve)
  else if (resolve !== undefined && (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node))) {
    const value = resolve(node)
    if (value !== undefined) renderedStrings(value, found, resolve)
  }
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

/** Properties of a page's elements whose text a user reads, or hears from a screen reader. */
const visibleDomProperties = new Set(["textContent", "innerText", "innerHTML", "title", "placeholder", "alt", "label", "ariaLabel", "ariaDescription", "ariaValueText", "ariaRoleDescription"])

/** Calls that show their first argument: a text node, the browser's own dialogs. */
const showingCalls = new Set(["createTextNode", "alert", "confirm", "prompt"])

/** A lowercase code, not words: a language tag (`en`), a colour (`#2563eb`), an event type (`switchboard:ready`), a MIME type. */
const isCode = (text: string): boolean => /^[#a-z0-9_./:-]*$/.test(text.trim())

/**
 * Every user-visible string outside the catalogs in one browser script (`static/*.js`, served as
 * is): a script gets its texts from the page the server rendered (`data-t-*`) or from an answer
 * (the widget's settings), so any words it writes itself are in one language whatever the page's.
 * Found: strings that reach an element's text or a visible attribute (`textContent`, `title`,
 * `setAttribute("aria-label", …)`), also through a variable or an object property the file
 * declares (`labels.open`), and strings standing in for a missing text (`words.tYes || "Yes"`).
 */
export const scanScript = (path: string, root: string): ReadonlyArray<Finding> => {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true, ts.ScriptKind.JS)
  const file = relative(root, path)
  const findings: Array<Finding> = []
  const declared = new Map<string, ts.Expression>()
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer !== undefined && !declared.has(node.name.text)) declared.set(node.name.text, node.initializer)
    ts.forEachChild(node, collect)
  }
  collect(source)
  /** What a name reads, one declaration deep: `labels` → its initializer, `labels.open` → the object literal's `open`. */
  const resolve = (seen: Set<ts.Node>) => (name: ts.Node): ts.Node | undefined => {
    if (seen.has(name)) return undefined
    seen.add(name)
    if (ts.isIdentifier(name)) return declared.get(name.text)
    if (!ts.isPropertyAccessExpression(name) || !ts.isIdentifier(name.expression)) return undefined
    const object = declared.get(name.expression.text)
    if (object === undefined || !ts.isObjectLiteralExpression(object)) return undefined
    const property = object.properties.find((candidate) => ts.isPropertyAssignment(candidate) && candidate.name.getText(source).replace(/["']/g, "") === name.name.text)
    return property !== undefined && ts.isPropertyAssignment(property) ? property.initializer : undefined
  }
  const report = (expression: ts.Node, through: boolean) => {
    const found: Array<ts.Node> = []
    renderedStrings(expression, found, through ? resolve(new Set()) : undefined)
    for (const literal of found) {
      const text = textOf(literal).replace(/\s+/g, " ").trim()
      if (!hasWords(text) || isAllowed(text) || isCode(text)) continue
      findings.push({ file, line: source.getLineAndCharacterOfPosition(literal.getStart(source)).line + 1, text })
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node)) {
      const operator = node.operatorToken.kind
      if (operator === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && visibleDomProperties.has(node.left.name.text)) report(node.right, true)
      else if (operator === ts.SyntaxKind.BarBarToken || operator === ts.SyntaxKind.QuestionQuestionToken) report(node.right, false)
    } else if (ts.isCallExpression(node)) {
      const callee = ts.isPropertyAccessExpression(node.expression) ? node.expression.name.text : ts.isIdentifier(node.expression) ? node.expression.text : ""
      const [first, second] = node.arguments
      if (callee === "setAttribute" && first !== undefined && ts.isStringLiteral(first) && visibleAttributes.has(first.text) && second !== undefined) report(second, true)
      else if (showingCalls.has(callee) && first !== undefined) report(first, true)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  // A literal found twice (a fallback that is also shown) is one finding.
  return findings.filter((finding, index) => findings.findIndex((other) => other.line === finding.line && other.text === finding.text) === index)
}

/** Every user-visible string outside the catalogs in the browser scripts (`*.js`) under the given folders. */
export const scanScripts = (root: string, dirs: ReadonlyArray<string>): ReadonlyArray<Finding> =>
  dirs.flatMap((dir) => scriptFiles(join(root, dir))).flatMap((path) => scanScript(path, root))

const scriptFiles = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : scriptFiles(path)
    return entry.name.endsWith(".js") ? [path] : []
  })
