import { Clock, Effect, Layer, Random, Ref } from "effect"
import { FileNotFound, FileStore, type FileStoreService, StoredFile } from "../ports/FileStore.js"
import { FileId } from "../shared/Ids.js"

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/** A random 22-character id (132 bits), like the disk adapter's. */
const randomId = Effect.map(
  Effect.all(Array.from({ length: 22 }, () => Random.nextIntBetween(0, alphabet.length))),
  (digits) => FileId.make(digits.map((digit) => alphabet[digit]).join(""))
)

/**
 * The `FileStore` in memory, for tests and embedding; passes `fileStoreContract`. It keeps its
 * own copy of the bytes, so a caller changing its buffer later changes nothing stored.
 */
export const make: Effect.Effect<FileStoreService> = Effect.map(
  Ref.make(new Map<string, { readonly file: StoredFile; readonly bytes: Uint8Array }>()),
  (files): FileStoreService => {
    const find = (id: FileId) =>
      Effect.flatMap(Ref.get(files), (all) => {
        const found = all.get(id)
        return found === undefined ? Effect.fail(new FileNotFound({ id })) : Effect.succeed(found)
      })
    return {
      put: (input) =>
        Effect.gen(function* () {
          const id = yield* randomId
          const file = StoredFile.make({
            id,
            name: input.name,
            mime: input.mime,
            size: input.bytes.length,
            createdAt: yield* Clock.currentTimeMillis,
            dialogIds: input.dialogId === undefined ? [] : [input.dialogId]
          })
          yield* Ref.update(files, (all) => new Map(all).set(id, { file, bytes: input.bytes.slice() }))
          return file
        }),
      head: (id) => Effect.map(find(id), (found) => found.file),
      get: (id) => Effect.map(find(id), (found) => ({ file: found.file, bytes: found.bytes.slice() })),
      link: (id, dialogId) =>
        Effect.flatMap(find(id), (found) => {
          if (found.file.dialogIds.includes(dialogId)) return Effect.succeed(found.file)
          const file = StoredFile.make({ ...found.file, dialogIds: [...found.file.dialogIds, dialogId] })
          return Effect.as(Ref.update(files, (all) => new Map(all).set(id, { file, bytes: found.bytes })), file)
        }),
      remove: (id) =>
        Ref.update(files, (all) => {
          const rest = new Map(all)
          rest.delete(id)
          return rest
        })
    }
  }
)

/** A fresh, empty in-memory `FileStore`. */
export const layer: Layer.Layer<FileStore> = Layer.effect(FileStore, make)
