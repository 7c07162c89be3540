/** The custom channel (CHN-02): any system behind a webhook, signed per Standard Webhooks. */
export { make, capabilities, type CustomChannelOptions } from "./CustomChannel.js"
export * as Payloads from "./Payloads.js"
