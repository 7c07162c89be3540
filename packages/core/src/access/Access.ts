import { Schema } from "effect"
import { BotId, UserId } from "../shared/Ids.js"

/** Built-in roles (OPS-01). Custom roles are an operator plus extra permissions. */
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

/** A signed-in panel user acting on the engine. */
export class UserActor extends Schema.TaggedClass<UserActor>()("User", {
  id: UserId,
  name: Schema.String,
  role: Role,
  /** Extra permissions granted on top of the role (custom roles). */
  permissions: Schema.optionalWith(Schema.Array(Permission), { default: () => [] })
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
}

/**
 * Whether `actor` holds `permission`, taking the company settings that widen operator rights
 * into account (SET-01 "operators may change the manager", "operators may block clients").
 */
export const can = (actor: Actor, permission: Permission, settings: PermissionSettings): boolean => {
  if (actor._tag === "System") return true
  if (actor._tag === "Bot") return false
  if (rolePermissions[actor.role].includes(permission) || actor.permissions.includes(permission)) return true
  if (permission === "dialogs.reassign" || permission === "clients.setManager") return settings.operatorsMayChangeManager
  if (permission === "clients.block") return settings.operatorsMayBlockClients
  return false
}
