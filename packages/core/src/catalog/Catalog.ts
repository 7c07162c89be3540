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
