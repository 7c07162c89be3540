import { Schema } from "effect"

/** A configurable operator status (OPS-02): online, break, lunch, offline… each says if it receives dialogs. */
export class OperatorStatus extends Schema.Class<OperatorStatus>("OperatorStatus")({
  id: Schema.NonEmptyTrimmedString,
  name: Schema.NonEmptyTrimmedString,
  receivesDialogs: Schema.Boolean
}) {}

/** The statuses a new company starts with. */
export const defaultStatuses: ReadonlyArray<OperatorStatus> = [
  OperatorStatus.make({ id: "online", name: "Online", receivesDialogs: true }),
  OperatorStatus.make({ id: "break", name: "Break", receivesDialogs: false }),
  OperatorStatus.make({ id: "lunch", name: "Lunch", receivesDialogs: false }),
  OperatorStatus.make({ id: "offline", name: "Offline", receivesDialogs: false })
]
