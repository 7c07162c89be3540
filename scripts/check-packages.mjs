/**
 * Packaging checks, run by `pnpm test` after the build (`tsc -b` and the assets copied): packs every public package once and,
 * on each tarball (what npm users would get),
 *   - publint (strict: its warnings fail too),
 *   - @arethetypeswrong/cli with the esm-only profile (the packages are ESM only: CommonJS
 *     resolution is not checked),
 *   - every bare import in the built `.js` and `.d.ts` files names a declared dependency or peer
 *     (or its `@types/` package), and no built file imports a `.ts` file;
 * and, on the workspace manifests, that every entry point of `exports` (which the workspace
 * resolves to `src/*.ts`) has its built counterpart in `publishConfig.exports` and is an entry
 * point of the API reference (typedoc.json).
 * Exits non-zero, listing the problems, when any check fails.
 */
import { execFileSync } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { isBuiltin } from "node:module"
import { tmpdir } from "node:os"
import { join, relative } from "node:path"
import { publint } from "publint"
import { formatMessage } from "publint/utils"
import { packAll, publicPackages, root } from "./packages.mjs"

const work = mkdtempSync(join(tmpdir(), "switchboard-pack-"))
const problems = []

const filesUnder = (dir) =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))

// Import specifiers as tsc emits them: static `import`/`export … from "x"` statements at the start of
// a line, side-effect `import "x"`, and `import("x")` (dynamic, or a type query in a .d.ts).
const specifiers = (source) =>
  [
    ...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm),
    ...source.matchAll(/^import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)
  ].map((m) => m[1])

const packageName = (specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/")

const checkImports = (name, dir) => {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})])
  for (const file of filesUnder(join(dir, "dist")).filter((f) => /\.(js|d\.ts)$/.test(f))) {
    for (const specifier of specifiers(readFileSync(file, "utf8"))) {
      const where = `${name}: ${relative(dir, file)} imports "${specifier}"`
      if (/\.tsx?$/.test(specifier)) problems.push(`${where}, a TypeScript file`)
      if (specifier.startsWith(".") || specifier.startsWith("node:") || isBuiltin(specifier)) continue
      // A URL (the browser scripts under dist/static load our own served assets) names no package.
      if (specifier.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(specifier)) continue
      const dependency = packageName(specifier)
      const typesPackage = `@types/${dependency.replace(/^@/, "").replace("/", "__")}`
      const ok = file.endsWith(".d.ts") ? declared.has(dependency) || declared.has(typesPackage) : declared.has(dependency)
      if (!ok) problems.push(`${where}, which is not a dependency or peer dependency`)
    }
  }
}

// A subpath added to `exports` must be published and documented too.
const typedoc = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8"))
for (const name of publicPackages) {
  const manifest = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"))
  const published = manifest.publishConfig?.exports ?? {}
  for (const [subpath, source] of Object.entries(manifest.exports ?? {})) {
    if (source === null) {
      if (published[subpath] !== null) problems.push(`${name}: exports["${subpath}"] is closed in the workspace but not in publishConfig.exports`)
      continue
    }
    const built = typeof source === "string" ? source.replace(/^\.\/src\/(.*)\.tsx?$/, "$1") : undefined
    const expected = { types: `./dist/${built}.d.ts`, import: `./dist/${built}.js` }
    if (built === undefined || JSON.stringify(published[subpath]) !== JSON.stringify(expected)) {
      problems.push(`${name}: exports["${subpath}"] (${JSON.stringify(source)}) needs publishConfig.exports["${subpath}"] = ${JSON.stringify(expected)}`)
    }
    if (typeof source === "string" && !typedoc.entryPoints.includes(`packages/${name}/${source.slice(2)}`)) problems.push(`${name}: ${source} is not an entry point in typedoc.json`)
  }
}

try {
  const tarballs = packAll(work)
  for (const [name, tarball] of Object.entries(tarballs)) {
    const before = problems.length
    const unpacked = join(work, name)
    execFileSync("mkdir", ["-p", unpacked])
    execFileSync("tar", ["xzf", tarball, "-C", unpacked])
    const dir = join(unpacked, "package")
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))

    const data = readFileSync(tarball)
    const { messages } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true })
    for (const message of messages) problems.push(`${name}: publint ${message.type}: ${formatMessage(message, pkg) ?? message.code}`)

    try {
      execFileSync(join(root, "node_modules/.bin/attw"), [tarball, "--profile", "esm-only", "--format", "table-flipped", "--no-emoji", "--no-color"], { stdio: "pipe" })
    } catch (error) {
      problems.push(`${name}: attw found problems:\n${error.stdout?.toString() ?? ""}${error.stderr?.toString() ?? ""}`)
    }

    checkImports(name, dir)
    console.log(`packages/${name}: ${problems.length === before ? "ok" : "problems below"} (${Math.round(data.byteLength / 1024)} KiB packed)`)
  }
} finally {
  rmSync(work, { recursive: true, force: true })
}

if (problems.length > 0) {
  console.error(`\nPackaging problems:\n${[...new Set(problems)].map((p) => `- ${p}`).join("\n")}`)
  process.exit(1)
}
console.log("publint, attw (esm-only) and the dependency check found no problem in any package")
