import { describe, expect, it } from "@effect/vitest"
import { Effect, FastCheck as fc, type Layer, TestClock } from "effect"
import { FileStore } from "../../ports/FileStore.js"
import { DialogId, FileId } from "../../shared/Ids.js"

/** Builds an empty `FileStore` (a fresh one per test). */
export type FileStoreLayer = () => Layer.Layer<FileStore, unknown>

const text = (value: string) => new TextEncoder().encode(value)

/**
 * The behaviour every `FileStore` adapter must have (memory, local disk, and an S3-compatible one
 * later): whole files round-trip with their metadata under ids the store makes, unknown or
 * malformed ids are simply not found, linking a dialog is idempotent, removing is final.
 */
export const fileStoreContract = (name: string, makeStore: FileStoreLayer) =>
  describe(`FileStore contract: ${name}`, () => {
    const run = <A, E>(body: Effect.Effect<A, E, FileStore>) => Effect.scoped(Effect.provide(body, makeStore()))
    const dialog = DialogId.make("dlg-1")

    it.effect("a stored file comes back whole with its name, type, size, time and dialog", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        yield* TestClock.setTime(1_700_000_000_000)
        const stored = yield* files.put({ name: "report.pdf", mime: "application/pdf", bytes: text("%PDF-1.4 hello"), dialogId: dialog })
        expect(stored).toMatchObject({ name: "report.pdf", mime: "application/pdf", size: 14, createdAt: 1_700_000_000_000, dialogIds: [dialog] })
        expect(yield* files.head(stored.id)).toEqual(stored)
        const got = yield* files.get(stored.id)
        expect(got.file).toEqual(stored)
        expect(new TextDecoder().decode(got.bytes)).toBe("%PDF-1.4 hello")
      })))

    it.effect("every put makes a new id of at least 20 URL-safe characters, even for the same bytes", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        const input = { name: "a.txt", mime: "text/plain", bytes: text("same") }
        const ids = yield* Effect.forEach([1, 2, 3], () => Effect.map(files.put(input), (stored) => stored.id))
        expect(new Set(ids).size).toBe(3)
        for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{20,}$/)
      })))

    it.effect("an empty file and a file without a dialog are stored too", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        const stored = yield* files.put({ name: "empty.txt", mime: "text/plain", bytes: new Uint8Array() })
        expect(stored.size).toBe(0)
        expect(stored.dialogIds).toEqual([])
        expect((yield* files.get(stored.id)).bytes.length).toBe(0)
      })))

    it.effect("changing the caller's buffer after put changes nothing stored", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        const bytes = text("original")
        const stored = yield* files.put({ name: "a.txt", mime: "text/plain", bytes })
        bytes.fill(0)
        expect(new TextDecoder().decode((yield* files.get(stored.id)).bytes)).toBe("original")
      })))

    it.effect("unknown and malformed ids are not found", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        for (const raw of ["AAAAAAAAAAAAAAAAAAAAAA", "../../etc/passwd", "a/b", ".", "x.json", "%2e%2e"]) {
          const id = FileId.make(raw)
          expect((yield* Effect.flip(files.head(id)))._tag).toBe("FileNotFound")
          expect((yield* Effect.flip(files.get(id)))._tag).toBe("FileNotFound")
          expect((yield* Effect.flip(files.link(id, dialog)))._tag).toBe("FileNotFound")
          yield* files.remove(id)
        }
      })))

    it.effect("linking a dialog adds it once", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        const stored = yield* files.put({ name: "a.png", mime: "image/png", bytes: text("png"), dialogId: dialog })
        const other = DialogId.make("dlg-2")
        expect((yield* files.link(stored.id, other)).dialogIds).toEqual([dialog, other])
        expect((yield* files.link(stored.id, other)).dialogIds).toEqual([dialog, other])
        expect((yield* files.head(stored.id)).dialogIds).toEqual([dialog, other])
        expect(new TextDecoder().decode((yield* files.get(stored.id)).bytes)).toBe("png")
      })))

    it.effect("a removed file is gone, and removing it again succeeds", () =>
      run(Effect.gen(function* () {
        const files = yield* FileStore
        const stored = yield* files.put({ name: "a.txt", mime: "text/plain", bytes: text("bye") })
        const kept = yield* files.put({ name: "b.txt", mime: "text/plain", bytes: text("stay") })
        yield* files.remove(stored.id)
        expect((yield* Effect.flip(files.get(stored.id)))._tag).toBe("FileNotFound")
        expect((yield* Effect.flip(files.head(stored.id)))._tag).toBe("FileNotFound")
        yield* files.remove(stored.id)
        expect(new TextDecoder().decode((yield* files.get(kept.id)).bytes)).toBe("stay")
      })))

    it.effect.prop(
      "any bytes and any name round-trip",
      [fc.uint8Array({ maxLength: 4096 }), fc.string({ minLength: 1, maxLength: 255 })],
      ([bytes, fileName]) =>
        run(Effect.gen(function* () {
          const files = yield* FileStore
          const stored = yield* files.put({ name: fileName, mime: "application/octet-stream", bytes })
          const got = yield* files.get(stored.id)
          expect(got.file.name).toBe(fileName)
          expect([...got.bytes]).toEqual([...bytes])
        })),
      { fastCheck: { numRuns: 25 } }
    )
  })
