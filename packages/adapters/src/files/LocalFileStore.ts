import { FileId, FileNotFound, FileStore, FileStoreError, type FileStoreService, StoredFile } from "@switchboard/core"
import { Clock, Effect, Layer, Schema } from "effect"
import { randomBytes } from "node:crypto"
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises"
import { join } from "node:path"

/** Options of the local-disk `FileStore`. */
export interface LocalFileStoreOptions {
  /** The folder the files live in; created when missing (`SWITCHBOARD_FILES_DIR`, default `.data/files`). */
  readonly directory: string
}

/** The ids this store makes: 16 random bytes in base64url (128 bits: not guessable, safe as a file name). */
const idPattern = /^[A-Za-z0-9_-]{22}$/

const decodeMeta = Schema.decodeUnknown(Schema.parseJson(StoredFile))
const encodeMeta = Schema.encode(Schema.parseJson(StoredFile))

const failed = (action: string) => (cause: unknown) => new FileStoreError({ reason: `${action}: ${cause instanceof Error ? cause.message : String(cause)}` })

const missing = (cause: unknown) => typeof cause === "object" && cause !== null && "code" in cause && cause.code === "ENOENT"

/**
 * The `FileStore` on a local disk: each file's bytes in `<id>` and its metadata as JSON in
 * `<id>.json` beside them. Every write goes to a temporary file first and is renamed into place
 * (atomic on one file system), bytes before metadata, so a reader sees a whole file or none and a
 * crash leaves at most a stray temporary file. Ids are random, checked against their shape before
 * any path is built (no traversal). Two `link`s of one file at the same instant may lose one of
 * them; a message's file is linked once, when it is sent or received.
 */
export const make = (options: LocalFileStoreOptions): Effect.Effect<FileStoreService, FileStoreError> =>
  Effect.gen(function* () {
    const directory = options.directory
    yield* Effect.tryPromise({ try: () => mkdir(directory, { recursive: true }), catch: failed("creating the files folder") })

    const atomicWrite = (name: string, data: Uint8Array | string) =>
      Effect.tryPromise({
        try: async () => {
          const temporary = join(directory, `.tmp-${randomBytes(8).toString("hex")}`)
          try {
            await writeFile(temporary, data, { flag: "wx" })
            await rename(temporary, join(directory, name))
          } catch (cause) {
            await rm(temporary, { force: true })
            throw cause
          }
        },
        catch: failed(`writing ${name}`)
      })

    const readMeta = (id: FileId) =>
      idPattern.test(id)
        ? Effect.tryPromise({ try: () => readFile(join(directory, `${id}.json`), "utf8"), catch: (cause) => (missing(cause) ? new FileNotFound({ id }) : failed(`reading ${id}`)(cause)) }).pipe(
            Effect.flatMap((json) => Effect.mapError(decodeMeta(json), failed(`reading ${id}`)))
          )
        : Effect.fail(new FileNotFound({ id }))

    const writeMeta = (file: StoredFile) => Effect.flatMap(Effect.mapError(encodeMeta(file), failed("encoding metadata")), (json) => atomicWrite(`${file.id}.json`, json))

    return {
      put: (input) =>
        Effect.gen(function* () {
          const id = FileId.make(randomBytes(16).toString("base64url"))
          const file = StoredFile.fromUpload(id, input, yield* Clock.currentTimeMillis)
          yield* atomicWrite(id, input.bytes)
          yield* writeMeta(file)
          return file
        }),
      head: readMeta,
      get: (id) =>
        Effect.flatMap(readMeta(id), (file) =>
          Effect.tryPromise({
            try: () => readFile(join(directory, id)),
            catch: (cause) => (missing(cause) ? new FileNotFound({ id }) : failed(`reading ${id}`)(cause))
          }).pipe(Effect.map((bytes) => ({ file, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) })))
        ),
      link: (id, dialogId) =>
        Effect.flatMap(readMeta(id), (file) => {
          const linked = file.linkedTo(dialogId)
          return linked === file ? Effect.succeed(file) : Effect.as(writeMeta(linked), linked)
        }),
      remove: (id) =>
        idPattern.test(id)
          ? Effect.tryPromise({
              // Metadata first: once it is gone the file is not found, even if removing the bytes fails.
              try: async () => {
                await rm(join(directory, `${id}.json`), { force: true })
                await rm(join(directory, id), { force: true })
              },
              catch: failed(`removing ${id}`)
            })
          : Effect.void
    } satisfies FileStoreService
  })

/** The local-disk `FileStore` as a layer. */
export const layer = (options: LocalFileStoreOptions): Layer.Layer<FileStore, FileStoreError> => Layer.effect(FileStore, make(options))
