/**
 * `@switchboard/adapters` — live implementations of the core ports: SQL storage on PostgreSQL and
 * embedded PGlite, the PostgreSQL LISTEN/NOTIFY event bus, and the single-server event bus.
 *
 * Entry points export namespaces only (STYLE.md).
 *
 * @module @switchboard/adapters
 */
export * as FastEncode from "./sql/FastEncode.js"
export * as Migrations from "./sql/Migrations.js"
export * as Pglite from "./sql/PgliteClient.js"
export * as SqlStore from "./sql/SqlStore.js"
export * as SqlAccountStore from "./sql/AccountStore.js"
export * as SqlWidgetSessionStore from "./sql/WidgetSessionStore.js"
export * as SqlComposerStore from "./sql/ComposerStore.js"
export * as HmacIdentityVerifier from "./crypto/HmacIdentityVerifier.js"
export * as WidgetAdapter from "./channels/WidgetAdapter.js"
export * as ScryptHasher from "./crypto/ScryptHasher.js"
export * as RandomSessionTokens from "./crypto/RandomSessionTokens.js"
export * as PgEventBus from "./sql/PgEventBus.js"
export * as StoreEventBus from "./bus/StoreEventBus.js"
export * as RandomIds from "./ids/RandomIds.js"
export * as LocalFileStore from "./files/LocalFileStore.js"
export * as FileTypeDetector from "./files/FileTypeDetector.js"
export * as TelegramAdapter from "./channels/telegram/TelegramAdapter.js"
export * as TelegramUpdate from "./channels/telegram/TelegramUpdate.js"
/** A local Bot API: the demo's Telegram sandbox runs on it (also in `@switchboard/adapters/testing` for tests). */
export * as FakeTelegram from "./channels/telegram/FakeTelegram.js"
export * as CustomChannel from "./channels/custom/index.js"
