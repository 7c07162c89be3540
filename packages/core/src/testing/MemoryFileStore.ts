import { Clock, Effect, Layer, Random } from "effect"
import { FileNotFound, FileStore, type FileStoreService, StoredFile } from "../ports/FileStore.js"
import { FileId } from "../shared/Ids.js"

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/** A random 22-character id (132 bits), like the disk adapter's. */
const randomId = Effect.map(
  Effect.all(Array.from({ length: 22 }, () => Random.nextIntBetween(0, alphabet.length))),
  (digits) => FileId.make(digits.map((digit) => alphabet[digit]).join(""))
)

/** A stored file and its bytes (a copy of the caller's, never changed once stored). */
interface Entry {
  readonly file: StoredFile
  readonly bytes: Uint8Array
}

/** Everything the in-memory `FileStore` holds. Entries are replaced, never changed in place. */
export interface State {
  readonly files: Map<string, Entry>
}

/** No files. */
export const emptyState = (): State => ({ files: new Map() })

/** A copy of `state` that shares nothing mutable with it: writes to one never show in the other. */
export const copyState = (state: State): State => ({ files: new Map(state.files) })

/**
 * The `FileStore` in memory over a given `State` (which it reads and writes in place); passes
 * `fileStoreContract`. It keeps its own copy of the bytes, so a caller changing its buffer later
 * changes nothing stored.
 */
export const makeOver = ({ files }: State): FileStoreService => {
  const find = (id: FileId) =>
    Effect.suspend(() => {
      const found = files.get(id)
      return found === undefined ? Effect.fail(new FileNotFound({ id })) : Effect.succeed(found)
    })
  return {
    put: (input) =>
      Effect.gen(function* () {
        const id = yield* randomId
        const file = StoredFile.fromUpload(id, input, yield* Clock.currentTimeMillis)
        files.set(id, { file, bytes: input.bytes.slice() })
        return file
      }),
    head: (id) => Effect.map(find(id), (found) => found.file),
    get: (id) => Effect.map(find(id), (found) => ({ file: found.file, bytes: found.bytes.slice() })),
    link: (id, dialogId) =>
      Effect.map(find(id), (found) => {
        const file = found.file.linkedTo(dialogId)
        if (file !== found.file) files.set(id, { file, bytes: found.bytes })
        return file
      }),
    remove: (id) => Effect.sync(() => void files.delete(id))
  }
}

/** The `FileStore` in memory, for tests and embedding: a fresh, empty one. */
export const make: Effect.Effect<FileStoreService> = Effect.sync(() => makeOver(emptyState()))

/** A fresh, empty in-memory `FileStore`. */
export const layer: Layer.Layer<FileStore> = Layer.effect(FileStore, make)

/** The `FileStore` over `state` for every build of the layer (seed once, give each case a `copyState`). */
export const layerOver = (state: State): Layer.Layer<FileStore> => Layer.sync(FileStore, () => makeOver(state))
