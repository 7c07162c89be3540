import { Context, type Effect, type Option } from "effect"
import type { ComposerPreferences, QuickReply, QuickReplyId } from "../composer/QuickReply.js"
import type { PersonalSettings } from "../composer/PersonalSettings.js"
import type { UserId } from "../shared/Ids.js"

/**
 * Storage of what the composer offers a user (PRD-01, MSG-08, MSG-11): quick replies, company-wide
 * and personal, each user's composer preferences and their personal settings (notifications). A port of its own beside the event store:
 * these are settings, not events of a dialog. Adapters: `MemoryComposerStore`
 * (`@switchboard/core/testing`) and the SQL one (`@switchboard/adapters`); both pass
 * `composerStoreContract`.
 */
export interface ComposerStoreService {
  /** The company's replies and `userId`'s personal ones, by category then title (other users' personal replies never). */
  readonly quickReplies: (userId: UserId) => Effect.Effect<ReadonlyArray<QuickReply>>
  /** One reply by id, whoever owns it. */
  readonly quickReply: (id: QuickReplyId) => Effect.Effect<Option.Option<QuickReply>>
  /** Store a new reply, or replace the one with its id. */
  readonly putQuickReply: (reply: QuickReply) => Effect.Effect<void>
  /** Delete a reply; `false` when there was none. */
  readonly deleteQuickReply: (id: QuickReplyId) => Effect.Effect<boolean>
  /** A user's saved preferences (none until they save). */
  readonly preferences: (userId: UserId) => Effect.Effect<Option.Option<ComposerPreferences>>
  /** Create or replace a user's preferences. */
  readonly savePreferences: (preferences: ComposerPreferences) => Effect.Effect<void>
  /** A user's own settings beside the composer's (notifications: NTF-01/02, OPS-07); none until they save. */
  readonly personal: (userId: UserId) => Effect.Effect<Option.Option<PersonalSettings>>
  /** Create or replace a user's own settings. */
  readonly savePersonal: (settings: PersonalSettings) => Effect.Effect<void>
}

/** The `ComposerStore` port's tag. */
export class ComposerStore extends Context.Tag("@switchboard/core/ComposerStore")<ComposerStore, ComposerStoreService>() {}
