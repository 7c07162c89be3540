/**
 * Test kit for Switchboard: in-memory adapters of every port, a given/when/then helper for
 * deciders, and fixtures. The storage contract suite (which needs vitest) is
 * `@switchboard/core/testing/contract`.
 *
 * @module @switchboard/core/testing
 */
export * as MemoryStore from "./MemoryStore.js"
export * as MemoryAccountStore from "./MemoryAccountStore.js"
export * as MemoryWidgetSessionStore from "./memory/MemoryWidgetSessionStore.js"
export * as MemoryComposerStore from "./memory/MemoryComposerStore.js"
export * as FakeCredentials from "./FakeCredentials.js"
export * as MemoryEventBus from "./MemoryEventBus.js"
export * as SequentialIds from "./SequentialIds.js"
export * as TestBot from "./TestBot.js"
export * as MemoryFileStore from "./MemoryFileStore.js"
export * as FakeChannel from "./FakeChannel.js"
export * as Fixtures from "./fixtures.js"
export { deciderSpec } from "./deciderSpec.js"
