import { Context, type Effect, Schema } from "effect"
import { FileId, Instant } from "../shared/Ids.js"

/** A stored file's metadata: the name it came with, the type detected from its content, its size. */
export class StoredFile extends Schema.Class<StoredFile>("StoredFile")({
  id: FileId,
  name: Schema.String,
  /** Detected from the bytes (never trusted from the client). */
  mime: Schema.String,
  size: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
  createdAt: Instant
}) {}

/** No file has this id (or it was deleted). */
export class FileNotFound extends Schema.TaggedError<FileNotFound>()("FileNotFound", { id: Schema.String }) {}

/** The file store failed (disk, network): a server fault, not the user's. */
export class FileStoreError extends Schema.TaggedError<FileStoreError>()("FileStoreError", { reason: Schema.String }) {}

/**
 * Where attachments' bytes live (MSG-06, MSG-10). A local-disk adapter ships; the port is shaped so
 * an S3-compatible one fits (whole objects by id, metadata beside them). Checking types and limits
 * is the caller's job, before `put`.
 */
export interface FileStoreService {
  /** Store bytes under a new id, with the name given and the type already detected. */
  readonly put: (input: { readonly name: string; readonly mime: string; readonly bytes: Uint8Array }) => Effect.Effect<StoredFile, FileStoreError>
  /** A file's metadata. */
  readonly head: (id: FileId) => Effect.Effect<StoredFile, FileNotFound | FileStoreError>
  /** A file's metadata and bytes. */
  readonly get: (id: FileId) => Effect.Effect<{ readonly file: StoredFile; readonly bytes: Uint8Array }, FileNotFound | FileStoreError>
  /** Delete a file; deleting a missing one succeeds. */
  readonly remove: (id: FileId) => Effect.Effect<void, FileStoreError>
}

/** The `FileStore` port's tag. */
export class FileStore extends Context.Tag("@switchboard/core/FileStore")<FileStore, FileStoreService>() {}
