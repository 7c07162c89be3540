import { Schema } from "effect"
import { CustomRole } from "../access/Access.js"
import { CloseReason, defaultPriorities, Priority, Tag, Topic } from "../catalog/Catalog.js"
import { defaultStatuses, OperatorStatus } from "../operators/Status.js"
import { defaultConfig, RoutingConfig } from "../routing/Routing.js"
import { SlaSettings } from "../sla/SlaSettings.js"
import { FileSettings } from "../files/FileSettings.js"
import { ClientCardConfig, defaultCardConfig } from "../clients/ClientCard.js"

import { Language } from "../shared/Ids.js"
import { issueAnnotation } from "../shared/Issue.js"

/** A language tag such as `en`, `uk`, `pt-BR` (defined with the other primitives; kept here for existing imports). */
export { Language }

const uniqueIds = (what: string) => (entries: ReadonlyArray<{ readonly id: string }>) =>
  new Set(entries.map((entry) => entry.id)).size === entries.length || `${what} ids must be unique`

/**
 * Company settings (SET-01). Every field has the default a new company gets, so `{}` decodes to
 * a complete, working configuration.
 */
export class Settings extends Schema.Class<Settings>("Settings")({
  /** Fallback language for system messages when the client's language has no translation. */
  mainLanguage: Schema.optionalWith(Language, { default: () => Language.make("en") }),
  /** The panel's language for users who chose none (issue 22); `null` = each user's browser's. */
  interfaceLanguage: Schema.optionalWith(Schema.NullOr(Language), { default: () => null }),
  /** Tell the client when an operator joins the dialog (DLG-17). */
  joinNotices: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** Tell the client when the dialog passes to another operator (DLG-17). */
  changeNotices: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** Ask "any more questions?" with Yes/No before closing (DLG-15). */
  anyMoreQuestions: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Ask the client to rate the dialog when it closes (DLG-16). */
  mandatoryRating: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Topics can be set on dialogs (DLG-18). */
  topicsEnabled: Schema.optionalWith(Schema.Boolean, { default: () => true }),
  /** Closing requires at least one topic (DLG-06). */
  topicRequired: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Operators may not edit sent messages (MSG-04). */
  forbidEditing: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Operators may not delete sent messages (MSG-04). */
  forbidDeleting: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Any operator may reassign dialogs, not only supervisors and the responsible operator (DLG-08). */
  operatorsMayChangeManager: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** Operators may block clients; by default only owners, admins and supervisors may (DLG-10). */
  operatorsMayBlockClients: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** The operator statuses of this company and whether each receives dialogs (OPS-02). */
  operatorStatuses: Schema.optionalWith(
    Schema.NonEmptyArray(OperatorStatus).pipe(
      Schema.filter((statuses) => new Set(statuses.map((status) => status.id)).size === statuses.length || "status ids must be unique", issueAnnotation("duplicate"))
    ),
    { default: () => [defaultStatuses[0]!, ...defaultStatuses.slice(1)] }
  ),
  /** After this many offers expire in a row, the operator is switched to `awayStatusId`; 0 = never (ROUTING A3). */
  offerMissesBeforeAway: Schema.optionalWith(Schema.Number.pipe(Schema.int(), Schema.between(0, 100)), { default: () => 3 }),
  /** The status an operator is switched to after missed offers; it should not receive dialogs. */
  awayStatusId: Schema.optionalWith(Schema.NonEmptyTrimmedString, { default: () => "break" }),
  /**
   * Routing (ROUTING.md A0–A2): named skill groups (topic sets), the topic tree, queue policies
   * (order, selection such as `BEST_SKILL`, delivery, redistribution), presence TTL. The router
   * reads it from the store on every pass, so an admin's change acts on the next pass.
   */
  routing: Schema.optionalWith(RoutingConfig, { default: () => defaultConfig }),
  /** SLA calendar and policies (SLA-02, SLA-03); `null` = no SLA tracking. Change it with `Engine.configureSla`. */
  sla: Schema.optionalWith(Schema.NullOr(SlaSettings), { default: () => null }),
  /** The company's client tags with their names and colours, as the panel lists them (DLG-21, CLI-01). */
  tags: Schema.optionalWith(
    Schema.Array(Tag).pipe(
      Schema.filter((tags) => new Set(tags.map((tag) => tag.id)).size === tags.length || "tag ids must be unique", issueAnnotation("duplicate"))
    ),
    { default: () => [] }
  ),
  /**
   * The reasons a dialog can be closed with (DLG-06), as the panel offers them; with none, any
   * reason id is accepted. The panel lists exactly these: the server keeps no list of its own.
   */
  closeReasons: Schema.optionalWith(Schema.Array(CloseReason).pipe(Schema.filter(uniqueIds("close reason"), issueAnnotation("duplicate"))), { default: () => [] }),
  /** The company's dialog topics (DLG-18); with none, any topic id is accepted. */
  topics: Schema.optionalWith(Schema.Array(Topic).pipe(Schema.filter(uniqueIds("topic"), issueAnnotation("duplicate"))), { default: () => [] }),
  /** The named dialog priorities SLA policies select by (SLA-03); levels must be unique. */
  priorities: Schema.optionalWith(
    Schema.NonEmptyArray(Priority).pipe(
      Schema.filter((priorities) => new Set(priorities.map((priority) => priority.level)).size === priorities.length || "priority levels must be unique", issueAnnotation("duplicate"))
    ),
    { default: () => [defaultPriorities[0]!, ...defaultPriorities.slice(1)] }
  ),
  /** Close a dialog whose client has not answered for this many minutes; `null` = off (DLG-14). */
  inactivityCloseMinutes: Schema.optionalWith(Schema.NullOr(Schema.Number.pipe(Schema.int(), Schema.between(1, 10_080))), {
    default: () => 15
  }),
  /** Custom roles (OPS-01): named sets of allowed actions that users can be given besides the built-in roles. */
  roles: Schema.optionalWith(Schema.Array(CustomRole).pipe(Schema.filter(uniqueIds("role"), issueAnnotation("duplicate"))), { default: () => [] }),
  /** Files (SET-02): the largest size and the allowed extensions and MIME types; channels' own limits apply on top. */
  files: Schema.optionalWith(FileSettings, { default: () => FileSettings.make({}) }),
  /** The client card (CLI-02, CLI-04): which fields it shows in what order, and the admin's custom fields. */
  clientCard: Schema.optionalWith(ClientCardConfig, { default: () => defaultCardConfig })
}) {}

/** The settings of a new company. */
export const defaults: Settings = Schema.decodeUnknownSync(Settings)({})

/** Decode settings from JSON (a form, a config file); unknown keys are rejected with their path. */
export const decode = Schema.decodeUnknown(Settings, { onExcessProperty: "error" })
