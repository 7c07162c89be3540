import { PGlite } from "@electric-sql/pglite"
import { createHash, randomUUID } from "node:crypto"
import { readFile, rename, unlink, writeFile } from "node:fs/promises"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"

/**
 * Where the freshly initialised data folder of this PGlite build is kept: named after the path of
 * its WebAssembly file, which holds the package's version, so an upgrade never loads an old one.
 */
const templateFile = (): string => {
  const wasm = createRequire(import.meta.url).resolve("@electric-sql/pglite/pglite.wasm")
  return join(tmpdir(), `switchboard-pglite-${createHash("sha256").update(wasm).digest("hex").slice(0, 16)}.tar`)
}

/**
 * A new in-memory PGlite, started from a copy of a freshly initialised data folder instead of
 * running `initdb` again: starting PGlite 0.5 from scratch costs ~7 CPU s, from the copy ~2.7
 * (bench/suite/README.md). The first start on a machine runs `initdb` as usual and saves the
 * folder (an uncompressed tarball in the OS temporary folder, written under another name and then
 * renamed, so concurrent processes never read half a file); a copy that cannot be read or loaded
 * is ignored and PGlite starts from scratch. The copy holds `initdb`'s result only, never data.
 */
export const createInMemory = async (): Promise<PGlite> => {
  const file = templateFile()
  const saved = await readFile(file).catch(() => undefined)
  if (saved !== undefined) {
    const loaded = await PGlite.create({ loadDataDir: new Blob([saved]) }).catch(() => undefined)
    if (loaded !== undefined) return loaded
  }
  const db = await PGlite.create()
  const partial = `${file}.${randomUUID()}`
  await db
    .dumpDataDir("none")
    .then(async (dump) => {
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()))
      await rename(partial, file)
    })
    .catch(() => unlink(partial).catch(() => undefined))
  return db
}
