import { Context, type Effect, type Option, Schema } from "effect"
import { ChannelId, Instant, Language } from "../shared/Ids.js"
import { codedIssue, excerpt } from "../shared/Issue.js"
import { limits, StoredName, StoredText } from "../shared/StoredText.js"
import { SessionKey } from "./AccountStore.js"

/**
 * Page parameters and custom attributes a widget passes into the dialog (CHN-03, the JS API's
 * `setAttributes`): at most 50 string values, keys of at most 64 characters, values of at most 500.
 */
export const WidgetAttributes = Schema.Record({ key: Schema.String, value: StoredText(500) }).pipe(
  Schema.filter((attributes) => {
    const keys = Object.keys(attributes)
    if (keys.length > 50) return codedIssue([], attributes, "at most 50 attributes", "tooMany", { max: 50 })
    const bad = keys.find((key) => !/^[\w.-]{1,64}$/.test(key))
    return bad === undefined || codedIssue([], attributes, `an attribute name is 1 to 64 letters, digits, _, . and -, not ${JSON.stringify(bad.slice(0, 70))}`, "badAttributeName", { name: excerpt(bad, 70) })
  })
)
export type WidgetAttributes = typeof WidgetAttributes.Type

/**
 * Who the page says the visitor is (`Switchboard.setUser`). `verified` when the page signed the id
 * with the channel's identity secret (`identifier_hash`, as Chatwoot does): only a verified id
 * joins the visitor to the client of that user's earlier conversations.
 */
export const WidgetUser = Schema.Struct({
  id: StoredName(limits.externalId),
  verified: Schema.Boolean
})
export type WidgetUser = typeof WidgetUser.Type

/**
 * A visitor's widget session. The widget keeps the random token (in its own frame's storage: no
 * third-party cookie); the store keeps only `key`, a hash of it. `visitorId` is the client's id in
 * the channel (`InboundMessage.from`): random for an anonymous visitor, `user:<id>` once the page
 * proved who they are.
 */
export const WidgetSession = Schema.Struct({
  key: SessionKey,
  channelId: ChannelId,
  visitorId: StoredName(limits.externalId),
  user: Schema.OptionFromNullOr(WidgetUser),
  name: Schema.OptionFromNullOr(StoredText(limits.name)),
  email: Schema.OptionFromNullOr(StoredText(254)),
  language: Schema.OptionFromNullOr(Language),
  attributes: WidgetAttributes,
  createdAt: Instant,
  lastSeenAt: Instant
})
export type WidgetSession = typeof WidgetSession.Type

/** Where the widget's button sits on the page. */
export const WidgetPosition = Schema.Literal("right", "left")
export type WidgetPosition = typeof WidgetPosition.Type

/**
 * A widget channel's settings: its look (colour, position, greeting per language, default
 * language) and the identity secret that signs user ids (`Redacted`: never in a log or a page).
 */
export const WidgetSettings = Schema.Struct({
  channelId: ChannelId,
  colour: Schema.String.pipe(Schema.pattern(/^#[0-9a-fA-F]{6}$/, { message: () => "a colour is #rrggbb" })),
  position: WidgetPosition,
  /** The first line the visitor sees, by language (`en`, `uk`...). */
  greetings: Schema.Record({ key: Language, value: StoredText(500) }),
  /** The widget's language when the page names none and the browser's is not translated. */
  language: Language,
  identitySecret: Schema.OptionFromNullOr(Schema.Redacted(Schema.String))
})
export type WidgetSettings = typeof WidgetSettings.Type

/**
 * Storage of widget sessions and widget channel settings (CHN-03). A port of its own beside the
 * event store: sessions are not events, and a visitor who never writes leaves no client behind.
 * Adapters: `MemoryWidgetSessionStore` (`@switchboard/core/testing`) and the SQL one
 * (`@switchboard/adapters`); both pass `widgetSessionStoreContract`.
 */
export interface WidgetSessionStoreService {
  /** Store a new session; `false` (nothing stored) if its key exists. */
  readonly create: (session: WidgetSession) => Effect.Effect<boolean>
  /** The session with this key. */
  readonly find: (key: SessionKey) => Effect.Effect<Option.Option<WidgetSession>>
  /** Replace a stored session (same key; `channelId` and `createdAt` never change); nothing if it is gone. */
  readonly save: (session: WidgetSession) => Effect.Effect<void>
  /** A widget channel's settings, if any were saved. */
  readonly settings: (channelId: ChannelId) => Effect.Effect<Option.Option<WidgetSettings>>
  /** Create or replace a widget channel's settings. */
  readonly saveSettings: (settings: WidgetSettings) => Effect.Effect<void>
}

/** The `WidgetSessionStore` port's tag. */
export class WidgetSessionStore extends Context.Tag("@switchboard/core/WidgetSessionStore")<WidgetSessionStore, WidgetSessionStoreService>() {}
