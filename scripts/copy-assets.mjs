/**
 * The second half of `pnpm build`: every file under a public package's `src/` that TypeScript does
 * not compile (the panel's CSS and script, the SQL functions' bodies) is copied to the same place
 * under `dist/`, so modules that read a file beside themselves find it when built too.
 */
import { copyFileSync, mkdirSync, readdirSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { publicPackages, root } from "./packages.mjs"

for (const name of publicPackages) {
  const src = join(root, "packages", name, "src")
  for (const entry of readdirSync(src, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.tsx?$/.test(entry.name)) continue
    const from = join(entry.parentPath, entry.name)
    const to = join(root, "packages", name, "dist", relative(src, from))
    mkdirSync(dirname(to), { recursive: true })
    copyFileSync(from, to)
  }
}
