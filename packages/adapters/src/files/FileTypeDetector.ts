import { ContentType } from "@switchboard/core"
import { Effect, Layer, Option } from "effect"
import { fileTypeFromBuffer } from "file-type"

/**
 * `ContentTypes` by `file-type`: the type from the file's magic numbers, never from its name or a
 * claimed type. Text formats have none and come back `none` (`ContentType.resolve` decides).
 * A buffer `file-type` cannot parse is unrecognised, not an error.
 */
export const detector: ContentType.ContentTypesService = {
  detect: (bytes) =>
    Effect.promise(() => fileTypeFromBuffer(bytes).catch(() => undefined)).pipe(
      Effect.map((found) => Option.fromNullable(found).pipe(Option.map((type) => ({ mime: type.mime, ext: type.ext }))))
    )
}

/** The `file-type` detector as a layer. */
export const layer: Layer.Layer<ContentType.ContentTypes> = Layer.succeed(ContentType.ContentTypes, detector)
