/**
 * @switchboard/adapters/testing — helpers for the test suites of this and other packages: never
 * used by a running server.
 */
export * as PgliteScratch from "./sql/PgliteScratch.js"
export * as FakeTelegram from "./channels/telegram/FakeTelegram.js"
export * as FakeCustomProvider from "./testing/FakeCustomProvider.js"
export * as FakeWidgetVisitor from "./testing/FakeWidgetVisitor.js"
