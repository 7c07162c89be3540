import { Either, Option, type Schema, SchemaAST } from "effect"

/**
 * Encoding of values the domain built itself (a commit's states and events), without Effect
 * Schema's validation pass: an encoder compiled once from the schema's AST that only does what
 * encoding changes (an `Option` becomes its value or null, a class instance a plain object with
 * its fields, a struct keeps its declared keys). Refinements are not re-checked: the values were
 * made by the domain from decoded input.
 *
 * Only the AST shapes listed below are compiled; a schema with anything else (another
 * transformation, a declaration, a recursive schema) gets `Schema.encodeSync`, unchanged. Tests
 * compare both encodings on arbitrary values of every schema the store encodes.
 *
 * Kept beside Schema because it is 15× faster on a commit's dialog state and events
 * (`bench/storage/batching-results.md`, from `bench/storage/batching.ts`).
 */
type Encode = (value: unknown) => unknown

interface Compiled {
  readonly encode: Encode
  /** The encoded value is the value itself (primitives, literals). */
  readonly identity: boolean
}

const same: Compiled = { encode: (value) => value, identity: true }

const isOptionDeclaration = (ast: SchemaAST.AST): ast is SchemaAST.Declaration => {
  if (ast._tag !== "Declaration") return false
  const constructor = ast.annotations[SchemaAST.TypeConstructorAnnotationId] as { readonly _tag?: unknown } | undefined
  return constructor?._tag === "effect/Option"
}

const probe = { probe: true }

/** `OptionFromNullOr`: its encode is `Option.getOrNull` (checked on a probe). */
const encodesOptionAsNullable = (transformation: SchemaAST.FinalTransformation, ast: SchemaAST.Transformation): boolean => {
  const some = transformation.encode(Option.some(probe), { exact: true }, ast, Option.some(probe))
  const none = transformation.encode(Option.none(), { exact: true }, ast, Option.none())
  return Either.isEither(some) && Either.isEither(none) && Either.isRight(some) && some.right === probe && Either.isRight(none) && none.right === null
}

/** A property signature transformation that encodes a present key as itself and leaves an absent one absent (`optionalWith` + `default`). */
const keepsKey = (transformation: SchemaAST.PropertySignatureTransformation): boolean => {
  if (transformation.from !== transformation.to) return false
  const some = transformation.encode(Option.some(probe))
  const none = transformation.encode(Option.none())
  return Option.isSome(some) && some.value === probe && Option.isNone(none)
}

const compileTypeLiteral = (ast: SchemaAST.TypeLiteral): Compiled | undefined => {
  const properties: Array<readonly [PropertyKey, Encode, boolean]> = []
  for (const signature of ast.propertySignatures) {
    const compiled = compile(signature.type)
    if (compiled === undefined) return undefined
    properties.push([signature.name, compiled.encode, signature.isOptional])
  }
  if (ast.indexSignatures.length > 1) return undefined
  const index = ast.indexSignatures[0]
  let rest: Encode | undefined
  if (index !== undefined) {
    if (index.parameter._tag !== "StringKeyword" || properties.length > 0) return undefined
    const compiled = compile(index.type)
    if (compiled === undefined) return undefined
    rest = compiled.encode
  }
  if (rest !== undefined) {
    const value = rest
    return {
      identity: false,
      encode: (input) => {
        const record = input as Record<string, unknown>
        const out: Record<string, unknown> = {}
        for (const key of Object.keys(record)) out[key] = value(record[key])
        return out
      }
    }
  }
  return {
    identity: false,
    encode: (input) => {
      const struct = input as Record<PropertyKey, unknown>
      const out: Record<PropertyKey, unknown> = {}
      for (const [key, encode, optional] of properties) {
        if (optional && !Object.prototype.hasOwnProperty.call(struct, key)) continue
        out[key] = encode(struct[key])
      }
      return out
    }
  }
}

const compileUnion = (ast: SchemaAST.Union): Compiled | undefined => {
  const members = ast.types.map((type) => [type, compile(type)] as const)
  if (members.some(([, compiled]) => compiled === undefined)) return undefined
  const changing = members.filter(([, compiled]) => !compiled!.identity)
  if (changing.length === 0) return same
  // `X | null` / `X | undefined`: the only member that changes anything is X.
  const plain = members.filter(([, compiled]) => compiled!.identity).map(([type]) => type)
  if (changing.length === 1 && plain.every((type) => type._tag === "UndefinedKeyword" || (type._tag === "Literal" && type.literal === null))) {
    const encode = changing[0]![1]!.encode
    return { identity: false, encode: (value) => (value === undefined || value === null ? value : encode(value)) }
  }
  // Tagged classes and structs: by `_tag`.
  const byTag = new Map<unknown, Encode>()
  for (const [type, compiled] of members) {
    const tags = tagsOf(type)
    if (tags === undefined) return undefined
    for (const tag of tags) {
      if (byTag.has(tag)) return undefined
      byTag.set(tag, compiled!.encode)
    }
  }
  return {
    identity: false,
    encode: (value) => {
      const encode = byTag.get((value as { readonly _tag?: unknown })._tag)
      if (encode === undefined) throw new Error(`FastEncode: no union member for _tag ${String((value as { readonly _tag?: unknown })._tag)}`)
      return encode(value)
    }
  }
}

/** The literal `_tag`s of a union member: a struct or class, or a union of them. */
const tagsOf = (ast: SchemaAST.AST): ReadonlyArray<unknown> | undefined => {
  if (ast._tag === "Union") {
    const all: Array<unknown> = []
    for (const member of ast.types) {
      const tags = tagsOf(member)
      if (tags === undefined) return undefined
      all.push(...tags)
    }
    return all
  }
  const struct = structOf(ast)
  if (struct === undefined) return undefined
  const tag = struct.propertySignatures.find((signature) => signature.name === "_tag")
  return tag !== undefined && tag.type._tag === "Literal" && !tag.isOptional ? [tag.type.literal] : undefined
}

/** The encoded-side struct of a struct, a struct with property transformations, or a class. */
const structOf = (ast: SchemaAST.AST): SchemaAST.TypeLiteral | undefined =>
  ast._tag === "TypeLiteral" ? ast : ast._tag === "Transformation" ? structOf(ast.from) : undefined

const cache = new WeakMap<SchemaAST.AST, Compiled | null>()

const compile = (ast: SchemaAST.AST): Compiled | undefined => {
  const known = cache.get(ast)
  if (known !== undefined) return known ?? undefined
  const compiled = compileNew(ast)
  cache.set(ast, compiled ?? null)
  return compiled
}

const compileNew = (ast: SchemaAST.AST): Compiled | undefined => {
  switch (ast._tag) {
    case "Literal":
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UndefinedKeyword":
    case "TemplateLiteral":
    case "Enums":
      return same
    case "Refinement":
      return compile(ast.from)
    case "TypeLiteral":
      return compileTypeLiteral(ast)
    case "Union":
      return compileUnion(ast)
    case "UnknownKeyword":
      return same
    case "TupleType": {
      // Arrays (one rest element) and fixed tuples (required elements only).
      if (ast.elements.length === 0 && ast.rest.length === 1) {
        const element = compile(ast.rest[0]!.type)
        if (element === undefined) return undefined
        if (element.identity) return { identity: false, encode: (value) => value }
        const encode = element.encode
        return { identity: false, encode: (value) => (value as ReadonlyArray<unknown>).map(encode) }
      }
      if (ast.rest.length > 0 || ast.elements.some((element) => element.isOptional)) return undefined
      const elements = ast.elements.map((element) => compile(element.type))
      if (elements.some((element) => element === undefined)) return undefined
      if (elements.every((element) => element!.identity)) return { identity: false, encode: (value) => value }
      const encoders = elements.map((element) => element!.encode)
      return { identity: false, encode: (value) => encoders.map((encode, index) => encode((value as ReadonlyArray<unknown>)[index])) }
    }
    case "Transformation": {
      const transformation = ast.transformation
      if (transformation._tag === "FinalTransformation") {
        // OptionFromNullOr
        if (isOptionDeclaration(ast.to) && encodesOptionAsNullable(transformation, ast)) {
          const inner = compile(ast.from)
          if (inner === undefined) return undefined
          const encode = inner.encode
          return { identity: false, encode: (value) => encode(Option.getOrNull(value as Option.Option<unknown>)) }
        }
        // A Schema.Class: its encoded side is the struct of its fields, read off the instance.
        if (ast.to._tag === "Declaration" && Option.isSome(SchemaAST.getSurrogateAnnotation(ast.to)) && structOf(ast.from) !== undefined) {
          return compile(ast.from)
        }
        return undefined
      }
      if (transformation._tag === "TypeLiteralTransformation") {
        if (!transformation.propertySignatureTransformations.every(keepsKey)) return undefined
        return compile(ast.from)
      }
      return undefined
    }
    default:
      return undefined
  }
}

/** An encoder for `schema`: compiled when every part of its AST is understood, else `Schema.encodeSync`. */
export const encoder = <A, I>(schema: Schema.Schema<A, I>, fallback: (value: A) => I): ((value: A) => I) => {
  const compiled = compile(schema.ast)
  return compiled === undefined ? fallback : (compiled.encode as (value: A) => I)
}

/** Whether `schema` gets a compiled encoder (tests: the schemas the store encodes must). */
export const isCompiled = (schema: Schema.Schema.Any): boolean => compile(schema.ast) !== undefined
