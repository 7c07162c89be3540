import { Schema } from "effect"
import { BotId, UserId } from "../shared/Ids.js"
import { issueAnnotation } from "../shared/Issue.js"

/** Built-in roles (OPS-01). A user with a custom role is an operator plus the custom role's permissions. */
export const Role = Schema.Literal("owner", "admin", "supervisor", "operator")
export type Role = typeof Role.Type

/** Actions guarded by permissions; checked in `decide`, never only hidden in the UI. */
export const Permission = Schema.Literal(
  "dialogs.viewAll",
  "dialogs.reassign",
  "dialogs.intervene",
  "dialogs.delete",
  "clients.block",
  /** Set a client's responsible manager (CLI-01); operators too when the company lets them change managers. */
  "clients.setManager",
  /** Merge two clients who are the same person (CLI-01). */
  "clients.merge",
  "settings.manage",
  "users.manage",
  /** Create and delete the company-wide quick replies (PRD-01). */
  "quickReplies.manage",
  /** Watch the supervisor board: every operator's status and load, every queue (OPS-02, DLG-22). */
  "operators.supervise"
)
export type Permission = typeof Permission.Type

const rolePermissions: Record<Role, ReadonlyArray<Permission>> = {
  owner: ["dialogs.viewAll", "dialogs.reassign", "dialogs.intervene", "dialogs.delete", "clients.block", "clients.setManager", "clients.merge", "settings.manage", "users.manage", "quickReplies.manage", "operators.supervise"],
  admin: ["dialogs.viewAll", "dialogs.reassign", "dialogs.intervene", "dialogs.delete", "clients.block", "clients.setManager", "clients.merge", "settings.manage", "users.manage", "quickReplies.manage", "operators.supervise"],
  supervisor: ["dialogs.viewAll", "dialogs.reassign", "dialogs.intervene", "clients.block", "clients.setManager", "clients.merge", "quickReplies.manage", "operators.supervise"],
  operator: []
}

/** A custom role's id (OPS-01): lowercase letters, digits and dashes, not a built-in role's name. */
export const CustomRoleId = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: () => "use 1–40 lowercase letters, digits or dashes" }),
  Schema.filter((id) => !Role.literals.some((role) => role === id) || "a built-in role's name", issueAnnotation("reserved")),
  Schema.brand("CustomRoleId")
)
export type CustomRoleId = typeof CustomRoleId.Type

/**
 * A custom role (OPS-01): a named set of allowed actions, defined by an admin in the company
 * settings (`Settings.roles`). A user holding it is an operator with these permissions besides;
 * `can` reads the role's current permissions, so a change to the role applies to its users at once.
 */
export class CustomRole extends Schema.Class<CustomRole>("CustomRole")({
  id: CustomRoleId,
  name: Schema.NonEmptyTrimmedString.pipe(Schema.maxLength(80)),
  permissions: Schema.Array(Permission)
}) {}

/** A signed-in panel user acting on the engine. */
export class UserActor extends Schema.TaggedClass<UserActor>()("User", {
  id: UserId,
  name: Schema.String,
  role: Role,
  /** Extra permissions granted on top of the role (custom roles). */
  permissions: Schema.optionalWith(Schema.Array(Permission), { default: () => [] }),
  /** The custom role the user holds, if any; its permissions are looked up in the settings (`can`). */
  customRole: Schema.optional(Schema.String)
}) {}

/** A bot acting through the bot port. */
export class BotActor extends Schema.TaggedClass<BotActor>()("Bot", { id: BotId }) {}

/** The engine itself: timers, routing, automation. */
export class SystemActor extends Schema.TaggedClass<SystemActor>()("System", {}) {}

/**
 * Who performs a command: a panel user (with role and permissions), a bot, or the engine itself;
 * permissions are checked against it in core (`can`).
 */
export const Actor = Schema.Union(UserActor, BotActor, SystemActor)
export type Actor = typeof Actor.Type

/** The engine's own actor, for timers, routing and start-up configuration. */
export const system: Actor = new SystemActor()

/**
 * The company settings that widen operator rights (SET-01). `Settings` has them; Access names
 * only these, so it does not depend on the settings schema.
 */
export interface PermissionSettings {
  readonly operatorsMayChangeManager: boolean
  readonly operatorsMayBlockClients: boolean
  /** The company's custom roles (`Settings.roles`); absent = none. */
  readonly roles?: ReadonlyArray<{ readonly id: string; readonly permissions: ReadonlyArray<Permission> }>
}

/** The permissions a custom role grants now; an unknown (deleted) role grants none. */
const customPermissions = (actor: UserActor, settings: PermissionSettings): ReadonlyArray<Permission> =>
  actor.customRole === undefined ? [] : settings.roles?.find((role) => role.id === actor.customRole)?.permissions ?? []

/**
 * Whether `actor` holds `permission`, taking the company settings that widen operator rights
 * into account (SET-01 "operators may change the manager", "operators may block clients"), and the
 * permissions of the actor's custom role as the settings define it now (OPS-01).
 */
export const can = (actor: Actor, permission: Permission, settings: PermissionSettings): boolean => {
  if (actor._tag === "System") return true
  if (actor._tag === "Bot") return false
  if (rolePermissions[actor.role].includes(permission) || actor.permissions.includes(permission)) return true
  if (customPermissions(actor, settings).includes(permission)) return true
  if (permission === "dialogs.reassign" || permission === "clients.setManager") return settings.operatorsMayChangeManager
  if (permission === "clients.block") return settings.operatorsMayBlockClients
  return false
}
