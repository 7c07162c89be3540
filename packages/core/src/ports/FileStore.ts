import { Context, type Effect, Schema } from "effect"
import { DialogId, FileId, Instant } from "../shared/Ids.js"

/**
 * A stored file's metadata: the name it came with, the type detected from its content, its size,
 * and the dialogs it belongs to (whoever may see one of them may download it).
 */
export class StoredFile extends Schema.Class<StoredFile>("StoredFile")({
  id: FileId,
  name: Schema.String,
  /** Detected from the bytes (never trusted from the client). */
  mime: Schema.String,
  size: Schema.Number.pipe(Schema.int(), Schema.nonNegative()),
  createdAt: Instant,
  /** The dialogs whose messages carry this file; downloads are for those who may see one of them. */
  dialogIds: Schema.optionalWith(Schema.Array(DialogId), { default: () => [] })
}) {
  /** What a store records for an upload it keeps under `id` at `createdAt` (the bytes' length is its size). */
  static fromUpload(id: FileId, input: FileUpload, createdAt: number): StoredFile {
    return StoredFile.make({
      id,
      name: input.name,
      mime: input.mime,
      size: input.bytes.length,
      createdAt,
      dialogIds: input.dialogId === undefined ? [] : [input.dialogId]
    })
  }

  /** This file linked to `dialogId` too (itself when it already is). */
  linkedTo(dialogId: DialogId): StoredFile {
    return this.dialogIds.includes(dialogId) ? this : StoredFile.make({ ...this, dialogIds: [...this.dialogIds, dialogId] })
  }
}

/** No file has this id (or it was deleted). */
export class FileNotFound extends Schema.TaggedError<FileNotFound>()("FileNotFound", { id: Schema.String }) {}

/** The file store failed (disk, network): a server fault, not the user's. */
export class FileStoreError extends Schema.TaggedError<FileStoreError>()("FileStoreError", { reason: Schema.String }) {}

/** What `put` stores: the bytes, the name they came with, the type already detected, and the dialog they go to. */
export interface FileUpload {
  readonly name: string
  readonly mime: string
  readonly bytes: Uint8Array
  /** The dialog the file is sent or received in; a file put before its dialog exists is linked later (`link`). */
  readonly dialogId?: DialogId | undefined
}

/**
 * Where attachments' bytes live (MSG-06, MSG-10). A local-disk adapter ships; the port is shaped so
 * an S3-compatible one fits: whole objects under an id the store makes (unguessable: the id is the
 * only key a download URL carries), small metadata beside them, no listing, no partial writes (a
 * reader sees a whole file or none). Checking types and limits is the caller's job, before `put`
 * (`Attachments` in core does it).
 */
export interface FileStoreService {
  /** Store bytes under a new id, with the name given, the type already detected and its dialog. */
  readonly put: (input: FileUpload) => Effect.Effect<StoredFile, FileStoreError>
  /** A file's metadata. An id the store could never have made is simply not found. */
  readonly head: (id: FileId) => Effect.Effect<StoredFile, FileNotFound | FileStoreError>
  /** A file's metadata and bytes. */
  readonly get: (id: FileId) => Effect.Effect<{ readonly file: StoredFile; readonly bytes: Uint8Array }, FileNotFound | FileStoreError>
  /** Record that a dialog's message carries the file (a resend, an inbound file put before its dialog existed); idempotent. */
  readonly link: (id: FileId, dialogId: DialogId) => Effect.Effect<StoredFile, FileNotFound | FileStoreError>
  /** Delete a file; deleting a missing one succeeds. */
  readonly remove: (id: FileId) => Effect.Effect<void, FileStoreError>
}

/** The `FileStore` port's tag. */
export class FileStore extends Context.Tag("@switchboard/core/FileStore")<FileStore, FileStoreService>() {}
