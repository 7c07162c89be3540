import { describe, expect, it } from "@effect/vitest"
import { FileStore } from "@switchboard/core"
import { fileStoreContract } from "@switchboard/core/testing/contract"
import { Effect, Layer } from "effect"
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { LocalFileStore } from "../src/index.js"

const freshDirectory = () => mkdtempSync(join(tmpdir(), "switchboard-files-"))

fileStoreContract("local disk", () => LocalFileStore.layer({ directory: freshDirectory() }))

describe("LocalFileStore", () => {
  it.effect("keeps the bytes and their metadata JSON side by side, with no temporary file left", () => {
    const directory = freshDirectory()
    return Effect.gen(function* () {
      const files = yield* FileStore
      const stored = yield* files.put({ name: "hello.txt", mime: "text/plain", bytes: new TextEncoder().encode("hello") })
      expect(readdirSync(directory).sort()).toEqual([stored.id, `${stored.id}.json`].sort())
      expect(readFileSync(join(directory, stored.id), "utf8")).toBe("hello")
      expect(JSON.parse(readFileSync(join(directory, `${stored.id}.json`), "utf8"))).toMatchObject({ name: "hello.txt", mime: "text/plain", size: 5 })
    }).pipe(Effect.provide(LocalFileStore.layer({ directory })))
  })

  it.effect("a second store on the same folder (a restarted server) reads what the first stored", () => {
    const directory = freshDirectory()
    return Effect.gen(function* () {
      const first = yield* Effect.provide(FileStore, LocalFileStore.layer({ directory }))
      const stored = yield* first.put({ name: "a.txt", mime: "text/plain", bytes: new TextEncoder().encode("kept") })
      const second = yield* Effect.provide(FileStore, LocalFileStore.layer({ directory }))
      expect(new TextDecoder().decode((yield* second.get(stored.id)).bytes)).toBe("kept")
    })
  })

  it.effect("ids carry 128 random bits: 200 puts never repeat and share no prefix pattern", () =>
    Effect.gen(function* () {
      const files = yield* FileStore
      const ids = yield* Effect.forEach(Array.from({ length: 200 }), () => Effect.map(files.put({ name: "a", mime: "text/plain", bytes: new Uint8Array() }), (stored) => stored.id))
      expect(new Set(ids).size).toBe(ids.length)
      expect(new Set(ids.map((id) => id.slice(0, 4))).size).toBeGreaterThan(150)
    }).pipe(Effect.provide(LocalFileStore.layer({ directory: freshDirectory() }))))

  it.effect("a folder that cannot be created fails the layer with the reason", () =>
    Effect.gen(function* () {
      const file = join(freshDirectory(), "a-file")
      writeFileSync(file, "not a folder")
      const error = yield* Effect.flip(Effect.scoped(Layer.build(LocalFileStore.layer({ directory: join(file, "files") }))))
      expect(error.reason).toContain("creating the files folder")
    }))
})
