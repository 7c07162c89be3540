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
  execFileSync("pnpm", ["-r", ...filters, "pack", "--pack-destination", resolve(destination)], { cwd: root, stdio: "pipe" })
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

// `node scripts/packages.mjs <folder>`: pack into that folder (`pnpm pack:all` uses examples/outside/tarballs).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const destination = process.argv[2]
  if (destination === undefined) throw new Error("usage: node scripts/packages.mjs <destination folder>")
  for (const tarball of Object.values(packAll(destination))) console.log(tarball)
}
