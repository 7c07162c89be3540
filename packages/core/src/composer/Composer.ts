import { Clock, Effect, Either, Option, Schema } from "effect"
import type { Actor, UserActor } from "../access/Access.js"
import { ComposerStore } from "../ports/ComposerStore.js"
import { ConfigStore } from "../ports/ConfigStore.js"
import { Ids } from "../ports/Ids.js"
import { Forbidden, InvalidInput, NotFound } from "../shared/Errors.js"
import {
  canManage,
  canUse,
  type ComposerPreferences,
  defaultPreferences,
  fill,
  PreferencesForm,
  type QuickReply,
  QuickReplyForm,
  QuickReplyId,
  scopeOf,
  type VariableValues
} from "./QuickReply.js"
import { defaultPersonalSettings, type FolderRefusal, ListLook, NotificationsForm, type PersonalFolder, type PersonalSettings } from "./PersonalSettings.js"

/** A reply as a user sees it in the composer and on the management page: may they delete it. */
export interface ListedReply {
  readonly reply: QuickReply
  readonly mayDelete: boolean
}

/**
 * The composer's own data (PRD-01, MSG-08, MSG-11): quick replies and each user's preferences.
 * Every rule is `QuickReply.canUse` / `canManage`, the same functions the panel asks which controls
 * to show. An unknown reply, or another user's personal one, is `NotFound` (its existence is not told).
 */
export class Composer extends Effect.Service<Composer>()("@switchboard/core/Composer", {
  effect: Effect.gen(function* () {
    const store = yield* ComposerStore
    const configStore = yield* ConfigStore
    const ids = yield* Ids

    const visible = (actor: UserActor, id: string) =>
      Effect.gen(function* () {
        const decoded = yield* Effect.orElseFail(Schema.decodeUnknown(QuickReplyId)(id), () => new NotFound({ entity: "quickReply", id }))
        const found = yield* store.quickReply(decoded)
        if (Option.isNone(found) || !canUse(actor, found.value)) return yield* Effect.fail(new NotFound({ entity: "quickReply", id }))
        return found.value
      })

    /** The replies `actor` may insert (the company's and their own), by category then title, each with whether they may delete it. */
    const list = Effect.fn("Composer.list")(function* (actor: UserActor) {
      const settings = yield* configStore.getSettings()
      return (yield* store.quickReplies(actor.id)).map((reply): ListedReply => ({ reply, mayDelete: canManage(actor, scopeOf(reply), reply.owner, settings) }))
    })

    /** Whether `actor` may create company-wide replies (the management page shows the choice only then). */
    const mayManageCompany = Effect.fn("Composer.mayManageCompany")(function* (actor: Actor) {
      return canManage(actor, "company", Option.none(), yield* configStore.getSettings())
    })

    /** Save a new reply from its form (`QuickReplyForm`): 422 naming the field, 403 for a company reply without `quickReplies.manage`. */
    const create = Effect.fn("Composer.create")(function* (actor: UserActor, input: unknown) {
      const form = yield* Effect.mapError(Schema.decodeUnknown(QuickReplyForm)(input, { onExcessProperty: "ignore" }), InvalidInput.fromParseError)
      const owner = form.scope === "company" ? Option.none() : Option.some(actor.id)
      if (!canManage(actor, form.scope, owner, yield* configStore.getSettings())) {
        return yield* Effect.fail(new Forbidden({ action: "quickReplies.manage", message: "Only admins and supervisors manage the company's quick replies" }))
      }
      const reply: QuickReply = {
        id: QuickReplyId.make(yield* ids.next("qr")),
        owner,
        category: form.category,
        title: form.title,
        text: form.text,
        createdAt: yield* Clock.currentTimeMillis
      }
      yield* store.putQuickReply(reply)
      return reply
    })

    /** Delete a reply: its owner for a personal one, `quickReplies.manage` for a company one. */
    const remove = Effect.fn("Composer.remove")(function* (actor: UserActor, id: string) {
      const reply = yield* visible(actor, id)
      if (!canManage(actor, scopeOf(reply), reply.owner, yield* configStore.getSettings())) {
        return yield* Effect.fail(new Forbidden({ action: "quickReplies.manage", message: "Only admins and supervisors manage the company's quick replies" }))
      }
      yield* store.deleteQuickReply(reply.id)
    })

    /**
     * The replies `actor` may insert whose category, title or text holds `query` (any case), each
     * with its text filled in for a dialog (`QuickReply.fill`): what the composer's picker offers.
     */
    const choices = Effect.fn("Composer.choices")(function* (actor: UserActor, values: VariableValues, query: string) {
      const needle = query.trim().toLocaleLowerCase()
      const matches = (reply: QuickReply) => [reply.category, reply.title, reply.text].some((field) => field.toLocaleLowerCase().includes(needle))
      return (yield* store.quickReplies(actor.id)).filter(matches).map((reply) => ({ reply, text: fill(reply.text, values) }))
    })

    /** The user's composer preferences (the defaults until they save). */
    const preferences = Effect.fn("Composer.preferences")(function* (actor: UserActor) {
      return Option.getOrElse(yield* store.preferences(actor.id), () => defaultPreferences(actor.id))
    })

    /** Save the user's own preferences from their form (`PreferencesForm`); 422 naming the field. */
    const savePreferences = Effect.fn("Composer.savePreferences")(function* (actor: UserActor, input: unknown) {
      const form = yield* Effect.mapError(Schema.decodeUnknown(PreferencesForm)(input, { onExcessProperty: "ignore" }), InvalidInput.fromParseError)
      const saved: ComposerPreferences = { userId: actor.id, ...form }
      yield* store.savePreferences(saved)
      return saved
    })

    /** The user's own settings (notification switches; the defaults until they save). */
    const personal = Effect.fn("Composer.personal")(function* (actor: UserActor) {
      return Option.getOrElse(yield* store.personal(actor.id), () => defaultPersonalSettings(actor.id))
    })

    /** Save the user's own notification switches from their form (`NotificationsForm`); 422 naming the field. */
    const saveNotifications = Effect.fn("Composer.saveNotifications")(function* (actor: UserActor, input: unknown) {
      const notifications = yield* Effect.mapError(Schema.decodeUnknown(NotificationsForm)(input, { onExcessProperty: "ignore" }), InvalidInput.fromParseError)
      const saved: PersonalSettings = { ...(yield* personal(actor)), notifications }
      yield* store.savePersonal(saved)
      return saved
    })

    /**
     * Change the user's own folders (DLG-02) by one of `PersonalSettings`' pure changes (add, rename,
     * move, remove): a bad name is `InvalidInput` naming the field, a folder that is not theirs `NotFound`.
     */
    const changeFolders = Effect.fn("Composer.changeFolders")(function* (
      actor: UserActor,
      change: (folders: ReadonlyArray<PersonalFolder>) => Either.Either<ReadonlyArray<PersonalFolder>, FolderRefusal>,
      folderId = ""
    ) {
      const current = yield* personal(actor)
      const folders = yield* Either.match(change(current.folders), {
        onLeft: (refused) =>
          refused._tag === "Missing"
            ? Effect.fail(new NotFound({ entity: "folder", id: folderId.slice(0, 80) }))
            : Effect.fail(new InvalidInput({
                path: refused.field,
                message: refused.message,
                issues: [refused.params === undefined ? { path: refused.field, code: refused.code, message: refused.message } : { path: refused.field, code: refused.code, params: refused.params, message: refused.message }]
              })),
        onRight: Effect.succeed
      })
      yield* store.savePersonal({ ...current, folders })
      return folders
    })

    /** Save how the user's list looks (DLG-20, DLG-22) from their form; 422 naming the field. */
    const saveListLook = Effect.fn("Composer.saveListLook")(function* (actor: UserActor, input: unknown) {
      const list = yield* Effect.mapError(Schema.decodeUnknown(ListLook)(input, { onExcessProperty: "ignore" }), InvalidInput.fromParseError)
      const saved: PersonalSettings = { ...(yield* personal(actor)), list }
      yield* store.savePersonal(saved)
      return saved
    })

    /** A new folder's id. */
    const newFolderId = ids.next("folder")

    return { list, mayManageCompany, create, remove, choices, preferences, savePreferences, personal, saveNotifications, changeFolders, newFolderId, saveListLook } as const
  })
}) {}
