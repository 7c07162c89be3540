/**
 * Module hooks for the outside-project test: a module that resolves to a TypeScript file fails the
 * run, naming the file and its importer (a published package must import built JavaScript only).
 */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context)
  if (/\.[cm]?tsx?$/.test(new URL(resolved.url).pathname)) {
    throw new Error(`${resolved.url} is a TypeScript file (imported from ${context.parentURL ?? "the command line"})`)
  }
  return resolved
}
