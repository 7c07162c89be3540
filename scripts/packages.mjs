/**
 * The public packages and how to pack them, shared by `check-packages.mjs` and the outside-project
 * test (tests/package/outside.test.ts). Plain ESM so it runs with `node` alone.
 */
import { execFileSync } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = fileURLToPath(new URL("..", import.meta.url))

/** Every package published to npm, by workspace folder. */
export const publicPackages = ["core", "adapters", "ui-htmx", "server"]

/**
 * `pnpm pack` every public package into `destination` (pnpm applies `publishConfig` and turns
 * `workspace:*` into versions, as `pnpm publish` would). Needs `pnpm build` first.
 * Returns the tarballs' paths by workspace folder.
 */
export const packAll = (destination) => {
  const filters = publicPackages.flatMap((name) => ["--filter", `./packages/${name}`])
  execFileSync("pnpm", ["-r", ...filters, "pack", "--pack-destination", destination], { cwd: root, stdio: "pipe" })
  const files = readdirSync(destination).filter((file) => file.endsWith(".tgz"))
  return Object.fromEntries(
    publicPackages.map((name) => {
      const file = files.find((f) => f.startsWith(`switchboard-${name}-`))
      if (file === undefined) throw new Error(`pnpm pack made no tarball for packages/${name}`)
      return [name, join(destination, file)]
    })
  )
}
