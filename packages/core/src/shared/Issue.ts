import { ParseResult, Schema, SchemaAST } from "effect"

/**
 * What is wrong with one field of an input, as a code a user interface can say in any language
 * (issue 22): the catalogs have a text per code with `{{params}}`; `other` is the one code whose
 * only text is core's English `message`.
 */
export const IssueCode = Schema.Literal(
  "missing",
  "type",
  "tooLong",
  "tooShort",
  "tooMany",
  "tooFew",
  "pattern",
  "notOneOf",
  "outOfRange",
  "notStorable",
  "unknownVariable",
  "duplicate",
  "unknownTimeZone",
  "reserved",
  "badCursor",
  "unexpected",
  "tooDeep",
  "webUrl",
  "notTimeOfDay",
  "notDate",
  "notMonthDay",
  "rangeOverlap",
  "rangeStartsAtEnd",
  "emptyRange",
  "noWorkingTime",
  "allHolidays",
  "notApiOption",
  "notCardField",
  "unknownCustomField",
  "needsOptions",
  "badAttributeName",
  "other"
)
export type IssueCode = typeof IssueCode.Type

/**
 * The kinds of value a `type` issue may expect (its `expected` param), so that a catalog can name
 * them; a value of no kind listed here has no `expected`.
 */
export const expectedKinds = ["string", "number", "integer", "boolean", "list", "object"] as const
/** One of `expectedKinds`: what a `type` issue's value should have been. */
export type ExpectedKind = (typeof expectedKinds)[number]

/** A code's details: limits (`max`, `min`, or `above` / `below` a bound the value must pass), the allowed `options`, an `expected` kind, a variable's `name`. */
export const IssueParams = Schema.Record({ key: Schema.String, value: Schema.Union(Schema.String, Schema.Number) })
export type IssueParams = typeof IssueParams.Type

/**
 * One issue of an input: the field's `path` (`message.text`, `attachments[2].size`, `""` for the
 * whole input), its `code` and `params`, and core's English `message` (for logs, API clients, and
 * the text of `other`).
 */
export const Issue = Schema.Struct({
  path: Schema.String,
  code: IssueCode,
  params: Schema.optional(IssueParams),
  message: Schema.String
})
export type Issue = typeof Issue.Type

/**
 * An annotation a filter carries to say which code (and params) its failure is, from the value it
 * refused; `undefined` leaves the code to the filter's `jsonSchema` annotation (else `other`).
 * Used by filters whose reason a `jsonSchema` cannot say (`storable`, a form's choice of words), and
 * by a schema whose `message` is already in the user's language (`other`: that message is the text).
 */
export const IssueAnnotationId: unique symbol = Symbol.for("@switchboard/core/IssueAnnotation")

/** The value of `IssueAnnotationId`. */
export type IssueAnnotation = (actual: unknown) => { readonly code: IssueCode; readonly params?: IssueParams } | undefined

/**
 * A filter's annotation that its failure is always `code` (with `params`), to spread into the
 * filter's options: `Schema.filter(isChoice, { message, ...issueAnnotation("notOneOf", { options }) })`.
 */
export const issueAnnotation = (code: IssueCode, params?: IssueParams): { readonly [IssueAnnotationId]: IssueAnnotation } => ({
  [IssueAnnotationId]: () => (params === undefined ? { code } : { code, params })
})

/**
 * A filter's failure at `path` inside the value it checks, with its own code: for a filter that
 * finds several problems of different kinds (return a list of these), where one annotation on the
 * filter could not say which is which. `actual` is the value the filter was given.
 */
export const codedIssue = (path: ReadonlyArray<PropertyKey>, actual: unknown, message: string, code: IssueCode, params?: IssueParams): ParseResult.ParseIssue => {
  const leaf = new ParseResult.Type(Schema.Unknown.annotations(issueAnnotation(code, params)).ast, actual, message)
  const [head, ...rest] = path
  return head === undefined ? leaf : new ParseResult.Pointer([head, ...rest], actual, leaf)
}

/** How many issues an input's answer lists, and how long an excerpt of a message or a path key may be. */
export const maxIssues = 5
const excerptLength = 160
/** How deep the issue tree is walked: deeper issues are one `tooDeep` issue at the deepest path reached. */
const maxDepth = 256

/** The first `excerptLength` characters of `text`, marked when cut. */
export const excerpt = (text: string, length: number = excerptLength): string =>
  text.length <= length ? text : `${text.slice(0, length)}… (${text.length} characters)`

/** A path as `a.b[2].c`, each key cut to an excerpt. */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  excerpt(
    path.reduce<string>(
      (acc, key) => (typeof key === "number" ? `${acc}[${key}]` : acc === "" ? excerpt(String(key), 64) : `${acc}.${excerpt(String(key), 64)}`),
      ""
    )
  )

/** The English message Effect's formatter gives one issue, cut to an excerpt; a fixed text when it cannot (a value too deep to print). */
const englishOf = (issue: ParseResult.ParseIssue, fallback: string): string => {
  try {
    return excerpt(ParseResult.ArrayFormatter.formatIssueSync(issue)[0]?.message ?? fallback)
  } catch {
    return fallback
  }
}

type Found = { readonly code: IssueCode; readonly params?: IssueParams }

/** The kind of value an AST stands for, if it is one a catalog names. */
const kindOf = (ast: SchemaAST.AST): ExpectedKind | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "string"
    case "NumberKeyword":
      return "number"
    case "BooleanKeyword":
      return "boolean"
    case "TupleType":
      return "list"
    case "TypeLiteral":
      return "object"
    case "Refinement": {
      const json = SchemaAST.getJSONSchemaAnnotation(ast)
      if (json._tag === "Some" && (json.value as { type?: unknown }).type === "integer") return "integer"
      return kindOf(ast.from)
    }
    case "Transformation":
      return kindOf(ast.to)
    default:
      return undefined
  }
}

/** The literal values of a union of literals (a choice of words), else `undefined`. */
const literalsOf = (ast: SchemaAST.AST): ReadonlyArray<string> | undefined => {
  if (ast._tag === "Literal") return [String(ast.literal)]
  if (ast._tag !== "Union") return undefined
  const values: Array<string> = []
  for (const member of ast.types) {
    const literals = literalsOf(member)
    if (literals === undefined) return undefined
    values.push(...literals)
  }
  return values
}

/** The allowed options as one short param: the first few values, comma-separated. */
export const optionsParam = (values: ReadonlyArray<string>): string =>
  excerpt(values.slice(0, 10).map((value) => excerpt(value, 40)).join(", ") + (values.length > 10 ? ", …" : ""))

/** A `type` issue, with the kind expected when a catalog can name it. */
const typeIssue = (ast: SchemaAST.AST): Found => {
  const options = literalsOf(ast)
  if (options !== undefined) return { code: "notOneOf", params: { options: optionsParam(options) } }
  const expected = kindOf(ast)
  return expected === undefined ? { code: "type" } : { code: "type", params: { expected } }
}

/** The code a schema's own `IssueAnnotation` gives a refused value, if it has one. */
const ownIssue = (ast: SchemaAST.AST, actual: unknown): Found | undefined => {
  const own = SchemaAST.getAnnotation<IssueAnnotation>(ast, IssueAnnotationId)
  return own._tag === "Some" ? own.value(actual) : undefined
}

/** A filter's failure by its annotations: its own `IssueAnnotation`, else its `jsonSchema` limits; `undefined` when neither says. */
const refinementIssue = (ast: SchemaAST.Refinement, actual: unknown): Found | undefined => {
  const own = ownIssue(ast, actual)
  if (own !== undefined) return own
  const json = SchemaAST.getJSONSchemaAnnotation(ast)
  if (json._tag === "None") return undefined
  const schema = json.value as Record<string, unknown>
  const number = (key: string) => (typeof schema[key] === "number" ? (schema[key] as number) : undefined)
  if (number("maxLength") !== undefined && typeof actual === "string" && actual.length > number("maxLength")!) return { code: "tooLong", params: { max: number("maxLength")! } }
  if (number("minLength") !== undefined) return { code: "tooShort", params: { min: number("minLength")! } }
  if (number("maxLength") !== undefined) return { code: "tooLong", params: { max: number("maxLength")! } }
  if (number("maxItems") !== undefined) return { code: "tooMany", params: { max: number("maxItems")! } }
  if (number("minItems") !== undefined) return { code: "tooFew", params: { min: number("minItems")! } }
  if (typeof schema["pattern"] === "string") return { code: "pattern" }
  if (schema["type"] === "integer") return { code: "type", params: { expected: "integer" } }
  // A bound alone that the value must pass (`positive`: more than 0) is `above` / `below`, not an inclusive `min` / `max`.
  if (number("exclusiveMinimum") !== undefined && number("maximum") === undefined && number("exclusiveMaximum") === undefined) return { code: "outOfRange", params: { above: number("exclusiveMinimum")! } }
  if (number("exclusiveMaximum") !== undefined && number("minimum") === undefined && number("exclusiveMinimum") === undefined) return { code: "outOfRange", params: { below: number("exclusiveMaximum")! } }
  const min = number("minimum") ?? number("exclusiveMinimum")
  const max = number("maximum") ?? number("exclusiveMaximum")
  if (min !== undefined || max !== undefined) {
    const params: Record<string, number> = {}
    if (min !== undefined) params["min"] = min
    if (max !== undefined) params["max"] = max
    return { code: "outOfRange", params }
  }
  return undefined
}

/**
 * The issues of a decode, each with its path, code and params: walked in the order Effect's
 * formatter lists them, at most `max` of them (the same path and code once), and never deeper than
 * `maxDepth` (a value nested thousands of levels deep is one `tooDeep` issue, not a stack overflow).
 */
export const issuesOf = (root: ParseResult.ParseIssue, max: number = maxIssues): ReadonlyArray<Issue> => {
  const found: Array<Issue> = []
  const seen = new Set<string>()
  const add = (path: ReadonlyArray<PropertyKey>, what: Found, source: ParseResult.ParseIssue, fallback: string) => {
    const formatted = formatPath(path)
    const key = `${formatted}\u0000${what.code}`
    if (found.length >= max || seen.has(key)) return
    seen.add(key)
    const message = what.code === "tooDeep" ? "nested too deeply to describe" : englishOf(source, fallback)
    found.push(what.params === undefined ? { path: formatted, code: what.code, message } : { path: formatted, code: what.code, params: what.params, message })
  }
  const walk = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>, depth: number): void => {
    if (found.length >= max) return
    if (depth > maxDepth) return add(path, { code: "tooDeep" }, issue, "nested too deeply to describe")
    switch (issue._tag) {
      case "Pointer":
        return walk(issue.issue, path.concat(issue.path), depth + 1)
      case "Missing":
        return add(path, { code: "missing" }, issue, "is missing")
      case "Unexpected":
        return add(path, { code: "unexpected" }, issue, "is unexpected")
      case "Forbidden":
        return add(path, { code: "other" }, issue, "is forbidden")
      case "Type":
        return add(path, ownIssue(issue.ast, issue.actual) ?? (issue.ast._tag === "Refinement" ? refinementIssue(issue.ast, issue.actual) ?? { code: "other" } : typeIssue(issue.ast)), issue, "is invalid")
      case "Composite": {
        const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
        // A value that matches no member of a union: one issue for the field, not one per member.
        // A member's deeper issue says more than "not the other members' types": only those are walked.
        if (issue.ast._tag === "Union") {
          const deeper = issues.filter((member) => member._tag !== "Type")
          if (deeper.length === 0) return add(path, ownIssue(issue.ast, issue.actual) ?? typeIssue(issue.ast), issue, "is invalid")
          for (const member of deeper) walk(member, path, depth + 1)
          return
        }
        for (const member of issues) walk(member, path, depth + 1)
        return
      }
      case "Refinement":
        if (issue.kind === "From") return walk(issue.issue, path, depth + 1)
        // A filter that points into its value (`{ path, message }`), lists several problems, or says
        // its own code (`codedIssue`): each problem at its field, with its code.
        if (issue.issue._tag !== "Type" || issue.issue.ast !== issue.ast) return walk(issue.issue, path, depth + 1)
        return add(path, refinementIssue(issue.ast, issue.actual) ?? { code: "other" }, issue, "is invalid")
      case "Transformation":
        // The transformation itself failed (`"x"` is no number): the field is of the wrong kind.
        if (issue.kind === "Transformation") {
          const expected = kindOf(issue.ast.to)
          const scalar = expected === "number" || expected === "integer" || expected === "boolean"
          return add(path, scalar ? { code: "type", params: { expected } } : { code: "other" }, issue, "is invalid")
        }
        return walk(issue.issue, path, depth + 1)
    }
  }
  walk(root, [], 0)
  return found
}

/** One problem of a configuration as an editor lists it: Effect's path and English message, and the code and params when `issuesOf` found them at that path. */
export interface DescribedIssue {
  readonly path: string
  readonly message: string
  readonly code?: IssueCode
  readonly params?: IssueParams
}

/**
 * Every problem of a decode as Effect's formatter lists them (all of them, in its order and words:
 * a configuration editor shows each at its field), each with the code and params of the next
 * structured issue at its path, so an editor can say it in the user's language.
 */
export const describeAll = (issue: ParseResult.ParseIssue, format: (path: ReadonlyArray<PropertyKey>) => string = formatPath): ReadonlyArray<DescribedIssue> => {
  const listed = ParseResult.ArrayFormatter.formatIssueSync(issue).map((item) => ({ path: format(item.path), message: item.message }))
  const structured = issuesOf(issue, Math.max(listed.length, maxIssues))
  // Both list in the formatter's order: each problem takes the next structured issue at its path.
  const used = new Set<Issue>()
  const described: Array<DescribedIssue> = []
  for (const item of listed) {
    const found = structured.find((candidate) => candidate.path === item.path && !used.has(candidate)) ?? structured.find((candidate) => candidate.path === item.path)
    if (found === undefined) {
      described.push(item)
      continue
    }
    // A value no member of a union takes is one problem, not one per member (`url: "ftp://x"` is no
    // URL, nor absent); an `other` is its own message, so each is kept.
    if (used.has(found) && found.code !== "other") continue
    used.add(found)
    described.push(found.code === "other" || found.params === undefined ? { ...item, code: found.code } : { ...item, code: found.code, params: found.params })
  }
  return described
}
