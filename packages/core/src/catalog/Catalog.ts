import { Schema } from "effect"
import { CloseReasonId, TagId, TopicId } from "../shared/Ids.js"
import { limits, StoredName } from "../shared/StoredText.js"

/** A dialog topic; topics form a tree (topic → subtopics) (DLG-18). */
export class Topic extends Schema.Class<Topic>("Topic")({
  id: TopicId,
  name: StoredName(limits.name),
  parentId: Schema.OptionFromNullOr(TopicId)
}) {}

/** A tag on clients and dialogs, shown with its colour (DLG-21). */
export class Tag extends Schema.Class<Tag>("Tag")({
  id: TagId,
  name: StoredName(limits.name),
  color: Schema.String.pipe(Schema.pattern(/^#[0-9a-fA-F]{6}$/))
}) {}

/** A configurable reason recorded when a dialog closes ("dialog status", DLG-06). */
export class CloseReason extends Schema.Class<CloseReason>("CloseReason")({
  id: CloseReasonId,
  name: StoredName(limits.name)
}) {}

/**
 * A named dialog priority (SLA-03, ROUTING): a dialog's numeric priority goes by the name of the
 * highest level at or below it (the lowest level's name below them all); SLA policies select by
 * these names.
 */
export class Priority extends Schema.Class<Priority>("Priority")({
  level: Schema.Number.pipe(Schema.int()),
  name: Schema.NonEmptyTrimmedString
}) {}

/** The priorities a new company has: low (-1), normal (0), high (1), urgent (2 and above). */
export const defaultPriorities: ReadonlyArray<Priority> = [
  Priority.make({ level: -1, name: "low" }),
  Priority.make({ level: 0, name: "normal" }),
  Priority.make({ level: 1, name: "high" }),
  Priority.make({ level: 2, name: "urgent" })
]

/** The name of a numeric priority in a priority catalog (`Priority`); "normal" for an empty catalog. */
export const priorityName = (priority: number, catalog: ReadonlyArray<Priority>): string => {
  const sorted = [...catalog].sort((a, b) => a.level - b.level)
  const at = sorted.filter((entry) => entry.level <= priority).at(-1) ?? sorted[0]
  return at?.name ?? "normal"
}
