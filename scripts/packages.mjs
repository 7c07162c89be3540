/**
 * The public packages and how to pack them, shared by `check-packages.mjs` and the outside-project
 * test (tests/package/outside.test.ts). Plain ESM so it runs with `node` alone.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, readdirSync, renameSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = fileURLToPath(new URL("..", import.meta.url))

/**
 * Runs pnpm: the one running this script when there is one (`npx -y pnpm@10 test` puts no `pnpm`
 * on the PATH), else `pnpm` from the PATH.
 */
const pnpm = (args, options) => {
  const running = process.env["npm_execpath"]
  return running !== undefined && /pnpm/.test(running)
    ? execFileSync(process.execPath, [running, ...args], options)
    : execFileSync("pnpm", args, options)
}

/** Build every public package (`tsc -b`, incremental: quick when nothing changed). */
export const build = () => pnpm(["run", "build"], { cwd: root, stdio: "pipe" })

/** Every package published to npm, by workspace folder. */
export const publicPackages = ["core", "adapters", "ui-htmx", "server"]

/**
 * `pnpm pack` every public package into `destination` as `switchboard-<folder>.tgz`, without the
 * version, so examples/outside/package.json can name them (pnpm applies `publishConfig` and turns
 * `workspace:*` into versions, as `pnpm publish` would). Needs `pnpm build` first.
 * Returns the tarballs' paths by workspace folder.
 */
export const packAll = (destination) => {
  mkdirSync(destination, { recursive: true })
  const filters = publicPackages.flatMap((name) => ["--filter", `./packages/${name}`])
  pnpm(["-r", ...filters, "pack", "--pack-destination", resolve(destination)], { cwd: root, stdio: "pipe" })
  const files = readdirSync(destination)
  return Object.fromEntries(
    publicPackages.map((name) => {
      const file = files.find((f) => f.startsWith(`switchboard-${name}-`) && f.endsWith(".tgz"))
      if (file === undefined) throw new Error(`pnpm pack made no tarball for packages/${name}`)
      const target = join(destination, `switchboard-${name}.tgz`)
      renameSync(join(destination, file), target)
      return [name, target]
    })
  )
}

// `node scripts/packages.mjs [--build] <folder>`: (build, then) pack into that folder
// (`pnpm pack:all` packs into examples/outside/tarballs).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const destination = args.find((arg) => !arg.startsWith("--"))
  if (destination === undefined) throw new Error("usage: node scripts/packages.mjs [--build] <destination folder>")
  if (args.includes("--build")) build()
  for (const tarball of Object.values(packAll(destination))) console.log(tarball)
}
