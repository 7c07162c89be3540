import { Schema } from "effect"
import { CloseReasonId, TagId, TopicId } from "../shared/Ids.js"

/** A dialog topic; topics form a tree (topic → subtopics) (DLG-18). */
export class Topic extends Schema.Class<Topic>("Topic")({
  id: TopicId,
  name: Schema.NonEmptyTrimmedString,
  parentId: Schema.OptionFromNullOr(TopicId)
}) {}

/** A tag on clients and dialogs, shown with its colour (DLG-21). */
export class Tag extends Schema.Class<Tag>("Tag")({
  id: TagId,
  name: Schema.NonEmptyTrimmedString,
  color: Schema.String.pipe(Schema.pattern(/^#[0-9a-fA-F]{6}$/))
}) {}

/** A configurable reason recorded when a dialog closes ("dialog status", DLG-06). */
export class CloseReason extends Schema.Class<CloseReason>("CloseReason")({
  id: CloseReasonId,
  name: Schema.NonEmptyTrimmedString
}) {}
