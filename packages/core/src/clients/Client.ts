import { Either, Option, Schema } from "effect"
import { Actor, can } from "../access/Access.js"
import type { Settings } from "../settings/Settings.js"
import { Language } from "../settings/Settings.js"
import { ChannelId, ClientId, DialogId, Instant, TagId, UserId } from "../shared/Ids.js"
import { Issue } from "../shared/Issue.js"
import { FreeForm, limits, StoredName, StoredText, WebUrl } from "../shared/StoredText.js"
import { checkValues } from "./ClientCard.js"

/** Where a client can be reached: their id in one channel (a Telegram chat id, an email address). */
export class Identity extends Schema.Class<Identity>("Identity")({
  channelId: ChannelId,
  externalId: StoredName(limits.externalId)
}) {}

/**
 * A tag on a client (DLG-21); `pinned` tags show first and can be filtered on alone. Once the
 * company's catalog lists tags, only those (or ones the client already has) are accepted.
 */
export class ClientTag extends Schema.Class<ClientTag>("ClientTag")({
  tagId: TagId,
  pinned: Schema.Boolean
}) {}

/**
 * Editable profile fields (CLI-01); all optional, since channels tell us different things. Every
 * string is storable and bounded (names 200 characters, email 254, notes 10,000); `photoUrl` is an
 * `http`/`https` URL; `customFields` is a bounded JSON object (see `FreeForm`).
 */
export const Profile = Schema.Struct({
  name: Schema.optional(StoredText(limits.name)),
  username: Schema.optional(StoredText(limits.name)),
  email: Schema.optional(StoredText(254).pipe(Schema.pattern(/^[^\s@]+@[^\s@]+$/))),
  phone: Schema.optional(Schema.String.pipe(Schema.pattern(/^\+?[0-9 ()-]{3,32}$/))),
  photoUrl: Schema.optional(WebUrl),
  language: Schema.optional(Language),
  notes: Schema.optional(StoredText(limits.notes)),
  customFields: Schema.optional(FreeForm)
})
export type Profile = typeof Profile.Type

/** A client (contact): created on first contact, reachable through its identities (CLI-01). */
export const ClientState = Schema.Struct({
  id: ClientId,
  profile: Profile,
  tags: Schema.Array(ClientTag),
  managerId: Schema.OptionFromNullOr(UserId),
  blocked: Schema.Boolean,
  identities: Schema.Array(Identity),
  /** The client's latest dialog per channel; an inbound message goes there (and reopens it if closed). */
  dialogs: Schema.Record({ key: Schema.String, value: DialogId }),
  createdAt: Instant,
  /** Set once the client was merged into another (CLI-01): the one who has their identities and dialogs now. */
  mergedInto: Schema.optional(ClientId),
  /**
   * Dialogs that came with merged clients (CLI-01) but are not the latest in their channel (this
   * client had one there already): still this client's, listed on the card, never written to by
   * an inbound message.
   */
  mergedDialogs: Schema.optional(Schema.Array(DialogId))
})
export type ClientState = typeof ClientState.Type

/** First event of a client stream: the client wrote for the first time, through this identity (CLI-01). */
export class ClientCreated extends Schema.TaggedClass<ClientCreated>()("ClientCreated", {
  clientId: ClientId,
  identity: Identity,
  profile: Profile,
  at: Instant
}) {}
/** The client's editable profile was replaced (name, contacts, language, notes, custom fields). */
export class ClientProfileUpdated extends Schema.TaggedClass<ClientProfileUpdated>()("ClientProfileUpdated", {
  clientId: ClientId,
  profile: Profile,
  at: Instant
}) {}
/** The client's tags were replaced; no tag twice. */
export class ClientTagsSet extends Schema.TaggedClass<ClientTagsSet>()("ClientTagsSet", {
  clientId: ClientId,
  tags: Schema.Array(ClientTag),
  at: Instant
}) {}
/** The client was blocked (DLG-10): nothing is sent to or received from them until unblocked. */
export class ClientBlocked extends Schema.TaggedClass<ClientBlocked>()("ClientBlocked", {
  clientId: ClientId,
  by: Schema.String,
  at: Instant
}) {}
/** The client was unblocked (DLG-10). */
export class ClientUnblocked extends Schema.TaggedClass<ClientUnblocked>()("ClientUnblocked", {
  clientId: ClientId,
  by: Schema.String,
  at: Instant
}) {}
/** The client's current dialog in a channel changed (a new dialog was opened). */
export class ClientDialogStarted extends Schema.TaggedClass<ClientDialogStarted>()("ClientDialogStarted", {
  clientId: ClientId,
  channelId: ChannelId,
  dialogId: DialogId,
  at: Instant
}) {}
/** A dialog was detached from the client (DLG-23); it no longer receives the client's messages. */
export class ClientDialogDetached extends Schema.TaggedClass<ClientDialogDetached>()("ClientDialogDetached", {
  clientId: ClientId,
  channelId: ChannelId,
  dialogId: DialogId,
  at: Instant
}) {}

/** The client's responsible manager was set or cleared (CLI-01). */
export class ClientManagerSet extends Schema.TaggedClass<ClientManagerSet>()("ClientManagerSet", {
  clientId: ClientId,
  managerId: Schema.OptionFromNullOr(UserId),
  by: Schema.String,
  at: Instant
}) {}
/**
 * Another client, the same person, was merged into this one (CLI-01): their identities and latest
 * dialogs per channel are this client's now (a channel both have keeps this client's dialog).
 */
export class ClientsMerged extends Schema.TaggedClass<ClientsMerged>()("ClientsMerged", {
  clientId: ClientId,
  mergedId: ClientId,
  identities: Schema.Array(Identity),
  dialogs: Schema.Record({ key: Schema.String, value: DialogId }),
  /** The merged client's own `mergedDialogs` (from clients merged into it earlier). */
  mergedDialogs: Schema.optional(Schema.Array(DialogId)),
  by: Schema.String,
  at: Instant
}) {}
/** This client was merged into another (CLI-01): it keeps no identity and no dialog, and takes no command. */
export class ClientMergedInto extends Schema.TaggedClass<ClientMergedInto>()("ClientMergedInto", {
  clientId: ClientId,
  into: ClientId,
  by: Schema.String,
  at: Instant
}) {}

/** Every event of a client stream, decoded by `_tag`. */
export const ClientEvent = Schema.Union(
  ClientCreated,
  ClientProfileUpdated,
  ClientTagsSet,
  ClientBlocked,
  ClientUnblocked,
  ClientDialogStarted,
  ClientDialogDetached,
  ClientManagerSet,
  ClientsMerged,
  ClientMergedInto
)
export type ClientEvent = typeof ClientEvent.Type

/**
 * The dialog through which the actor reaches the client (an operator edits the client of a dialog
 * they may see). Without it, the client's latest dialogs are tried.
 */
const via = Schema.optional(DialogId)

/**
 * Replace the client's profile; an operator only for a client of a dialog they may see (`via`),
 * supervisors and admins for any.
 */
export class UpdateClientProfile extends Schema.TaggedClass<UpdateClientProfile>()("UpdateClientProfile", {
  clientId: ClientId,
  profile: Profile,
  via
}) {}
/**
 * Replace the client's tags; each must be in the company's catalog (or already the client's), else
 * `UnknownTag`; a tag twice is `DuplicateTag`.
 */
export class SetClientTags extends Schema.TaggedClass<SetClientTags>()("SetClientTags", {
  clientId: ClientId,
  tags: Schema.Array(ClientTag),
  via
}) {}
/**
 * Block the client (DLG-10); operators only when the company setting allows it. Blocking twice is
 * `AlreadyBlocked`.
 */
export class BlockClient extends Schema.TaggedClass<BlockClient>()("BlockClient", { clientId: ClientId, via }) {}
/** Unblock the client (DLG-10); `NotBlocked` when they were not. */
export class UnblockClient extends Schema.TaggedClass<UnblockClient>()("UnblockClient", { clientId: ClientId, via }) {}

/**
 * Set (or clear, with none) the client's responsible manager (CLI-01); needs `clients.setManager`
 * (operators only when the company lets them change managers). The manager must be a user.
 */
export class SetClientManager extends Schema.TaggedClass<SetClientManager>()("SetClientManager", {
  clientId: ClientId,
  managerId: Schema.OptionFromNullOr(UserId),
  via
}) {}

/**
 * Merge another client, the same person, into this one (CLI-01): `mergedId`'s identities and
 * dialogs become `clientId`'s, and `mergedId` takes no command any more. Needs `clients.merge`;
 * a client merged with itself is `SameClient`, one already merged (either side) `Merged`. Run by
 * `engine.mergeClients`, decided on both clients (`decideMerge`).
 */
export class MergeClients extends Schema.TaggedClass<MergeClients>()("MergeClients", {
  clientId: ClientId,
  mergedId: ClientId
}) {}

/** Every command of the client aggregate (`engine.client(actor, command)`). */
export const ClientCommand = Schema.Union(UpdateClientProfile, SetClientTags, BlockClient, UnblockClient, SetClientManager)
export type ClientCommand = typeof ClientCommand.Type

/** The one rejection of the client aggregate: a small reason union and a readable message. */
export class ClientRejected extends Schema.TaggedError<ClientRejected>()("ClientRejected", {
  clientId: ClientId,
  reason: Schema.Literal("Forbidden", "AlreadyBlocked", "NotBlocked", "UnknownTag", "DuplicateTag", "InvalidField", "UnknownManager", "Merged", "SameClient"),
  message: Schema.String,
  /** The field at fault (`customFields.size`), for `InvalidField`. */
  path: Schema.optional(Schema.String),
  /** For `InvalidField`: what is wrong as codes a user interface words in the user's language (issue 22). */
  issues: Schema.optional(Schema.Array(Issue))
}) {}

/**
 * What the shell passes to the client decider besides the command: time, actor, settings and whether
 * the actor sees the client.
 */
export interface ClientContext {
  readonly now: Instant
  readonly actor: Actor
  readonly settings: Settings
  /**
   * Whether the actor may see a dialog of this client (the command's `via`, or else one of the
   * client's latest dialogs); the engine finds out. Staff who see every dialog always do.
   */
  readonly seesClient: boolean
  /** Whether a user id names one of the company's users (a responsible manager must). */
  readonly isUser: (id: UserId) => boolean
}

/** How an event's `by` names the actor: a user's or bot's id, else "system". */
export const actorName = (actor: Actor): string => (actor._tag === "User" ? actor.id : actor._tag === "Bot" ? actor.id : "system")

/** Why a tag list cannot be set: a tag twice, or one the company's catalog lacks (unless the client has it). */
const tagProblem = (
  state: ClientState,
  tags: ReadonlyArray<ClientTag>,
  settings: Settings
): { readonly reason: "UnknownTag" | "DuplicateTag"; readonly message: string } | undefined => {
  const seen = new Set<string>()
  for (const tag of tags) {
    if (seen.has(tag.tagId)) return { reason: "DuplicateTag", message: `The tag "${tag.tagId}" is listed twice` }
    seen.add(tag.tagId)
  }
  // Without a catalog, tags are free; with one, only its tags and those the client already has.
  if (settings.tags.length === 0) return undefined
  const known = new Set<string>([...settings.tags.map((tag) => tag.id), ...state.tags.map((tag) => tag.tagId)])
  const unknown = tags.find((tag) => !known.has(tag.tagId))
  return unknown === undefined ? undefined : { reason: "UnknownTag", message: `The company has no tag "${unknown.tagId}"` }
}

/**
 * Client decider (CLI-01, DLG-10): staff change a client they reach through a dialog they may see
 * (supervisors and admins reach every client); tags come from the company's catalog; blocking
 * needs its permission (operators only when the setting allows).
 */
export const decide = (
  state: ClientState,
  command: ClientCommand,
  ctx: ClientContext
): Either.Either<ReadonlyArray<ClientEvent>, ClientRejected> => {
  const reject = (reason: ClientRejected["reason"], message: string) =>
    Either.left(new ClientRejected({ clientId: state.id, reason, message }))
  if (state.mergedInto !== undefined) return reject("Merged", `The client was merged into ${state.mergedInto}`)
  if (ctx.actor._tag !== "System" && !ctx.seesClient) return reject("Forbidden", "You may change only the clients of dialogs you can see")
  switch (command._tag) {
    case "UpdateClientProfile": {
      if (command.profile.customFields !== undefined) {
        const checked = checkValues(ctx.settings.clientCard, command.profile.customFields)
        if (Either.isLeft(checked)) return Either.left(new ClientRejected(checked.left.issues === undefined
          ? { clientId: state.id, reason: "InvalidField", message: checked.left.message, path: checked.left.path }
          : { clientId: state.id, reason: "InvalidField", message: checked.left.message, path: checked.left.path, issues: checked.left.issues }))
      }
      return Either.right([new ClientProfileUpdated({ clientId: state.id, profile: command.profile, at: ctx.now })])
    }
    case "SetClientManager":
      if (!can(ctx.actor, "clients.setManager", ctx.settings)) return reject("Forbidden", "You may not change the client's responsible manager")
      if (Option.isSome(command.managerId) && !ctx.isUser(command.managerId.value)) return reject("UnknownManager", `There is no user "${command.managerId.value}"`)
      if (Option.getEquivalence((a: UserId, b: UserId) => a === b)(state.managerId, command.managerId)) return Either.right([])
      return Either.right([new ClientManagerSet({ clientId: state.id, managerId: command.managerId, by: actorName(ctx.actor), at: ctx.now })])
    case "SetClientTags": {
      const problem = tagProblem(state, command.tags, ctx.settings)
      if (problem !== undefined) return reject(problem.reason, problem.message)
      return Either.right([new ClientTagsSet({ clientId: state.id, tags: command.tags, at: ctx.now })])
    }
    case "BlockClient":
      if (!can(ctx.actor, "clients.block", ctx.settings)) return reject("Forbidden", "You may not block clients")
      if (state.blocked) return reject("AlreadyBlocked", "The client is already blocked")
      return Either.right([new ClientBlocked({ clientId: state.id, by: actorName(ctx.actor), at: ctx.now })])
    case "UnblockClient":
      if (!can(ctx.actor, "clients.block", ctx.settings)) return reject("Forbidden", "You may not unblock clients")
      if (!state.blocked) return reject("NotBlocked", "The client is not blocked")
      return Either.right([new ClientUnblocked({ clientId: state.id, by: actorName(ctx.actor), at: ctx.now })])
  }
}

/** The state a client stream starts from, before `ClientCreated`. */
export const initial = (id: ClientId): ClientState => ({
  id,
  profile: {},
  tags: [],
  managerId: Option.none(),
  blocked: false,
  identities: [],
  dialogs: {},
  createdAt: 0
})

/** What the merge decider needs besides the survivor and the command: time, actor, settings and the other client. */
export interface MergeContext {
  readonly now: Instant
  readonly actor: Actor
  readonly settings: Settings
  /** The client to merge into the survivor (`MergeClients.mergedId`), as loaded. */
  readonly merged: ClientState
}

/**
 * Merge decider (CLI-01), on the surviving client `state`: the permission first (so a refusal says
 * nothing about the clients), then `SameClient`, then `Merged` for either side. The survivor's
 * event carries what moves: the merged client's identities and dialogs. The merged client's own
 * event comes from `mergedIntoEvents`, written in the same commit.
 */
export const decideMerge = (
  state: ClientState,
  command: MergeClients,
  ctx: MergeContext
): Either.Either<ReadonlyArray<ClientEvent>, ClientRejected> => {
  const reject = (clientId: ClientId, reason: ClientRejected["reason"], message: string) =>
    Either.left(new ClientRejected({ clientId, reason, message }))
  if (!can(ctx.actor, "clients.merge", ctx.settings)) return reject(state.id, "Forbidden", "You may not merge clients")
  if (command.mergedId === state.id || ctx.merged.id === state.id) return reject(state.id, "SameClient", "A client cannot be merged into itself")
  if (state.mergedInto !== undefined) return reject(state.id, "Merged", `The client was merged into ${state.mergedInto}`)
  if (ctx.merged.mergedInto !== undefined) return reject(ctx.merged.id, "Merged", `The client ${ctx.merged.id} was merged into ${ctx.merged.mergedInto} already`)
  return Either.right([
    new ClientsMerged({
      clientId: state.id,
      mergedId: ctx.merged.id,
      identities: ctx.merged.identities,
      dialogs: ctx.merged.dialogs,
      ...(ctx.merged.mergedDialogs === undefined ? {} : { mergedDialogs: ctx.merged.mergedDialogs }),
      by: actorName(ctx.actor),
      at: ctx.now
    })
  ])
}

/** The merged client's side of a decided merge: it now points at the survivor and keeps nothing. */
export const mergedIntoEvents = (merged: ClientState, into: ClientId, actor: Actor, now: Instant): ReadonlyArray<ClientEvent> => [
  new ClientMergedInto({ clientId: merged.id, into, by: actorName(actor), at: now })
]

/** Every dialog the client has: the latest per channel, then those that came with merged clients. */
export const dialogsOf = (state: ClientState): ReadonlyArray<DialogId> => [...new Set([...Object.values(state.dialogs), ...(state.mergedDialogs ?? [])])]

/** Total fold: an event that does not apply leaves the state unchanged. */
export const evolve = (state: ClientState, event: ClientEvent): ClientState => {
  switch (event._tag) {
    case "ClientCreated":
      return { ...state, profile: event.profile, identities: [event.identity], createdAt: event.at }
    case "ClientProfileUpdated":
      return { ...state, profile: { ...state.profile, ...event.profile } }
    case "ClientTagsSet":
      return { ...state, tags: event.tags }
    case "ClientBlocked":
      return { ...state, blocked: true }
    case "ClientUnblocked":
      return { ...state, blocked: false }
    case "ClientDialogStarted":
      return { ...state, dialogs: { ...state.dialogs, [event.channelId]: event.dialogId } }
    case "ClientDialogDetached": {
      if (state.mergedDialogs?.includes(event.dialogId) === true) {
        const mergedDialogs = state.mergedDialogs.filter((id) => id !== event.dialogId)
        const { mergedDialogs: _, ...rest } = state
        return mergedDialogs.length === 0 ? rest : { ...rest, mergedDialogs }
      }
      if (state.dialogs[event.channelId] !== event.dialogId) return state
      const { [event.channelId]: _, ...rest } = state.dialogs
      return { ...state, dialogs: rest }
    }
    case "ClientManagerSet":
      return { ...state, managerId: event.managerId }
    case "ClientsMerged": {
      const known = new Set(state.identities.map((identity) => `${identity.channelId}\u0000${identity.externalId}`))
      const added = event.identities.filter((identity) => !known.has(`${identity.channelId}\u0000${identity.externalId}`))
      // A channel both have keeps this client's dialog; the other one stays theirs, as a merged dialog.
      const current = new Set(Object.values(state.dialogs))
      const displaced = Object.entries(event.dialogs).flatMap(([channelId, dialogId]) =>
        state.dialogs[channelId] !== undefined && state.dialogs[channelId] !== dialogId ? [dialogId] : []
      )
      const mergedDialogs = [...new Set([...(state.mergedDialogs ?? []), ...displaced, ...(event.mergedDialogs ?? [])])].filter((id) => !current.has(id))
      return {
        ...state,
        identities: [...state.identities, ...added],
        dialogs: { ...event.dialogs, ...state.dialogs },
        ...(mergedDialogs.length === 0 ? {} : { mergedDialogs })
      }
    }
    case "ClientMergedInto": {
      const { mergedDialogs: _, ...rest } = state
      return { ...rest, identities: [], dialogs: {}, mergedInto: event.into }
    }
  }
}
