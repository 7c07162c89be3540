import { Effect } from "effect"
import { ChannelAdapter, ChannelLimits } from "@switchboard/core"

/**
 * What the web widget can do (CHN-03): receipts both ways, edits and deletions, buttons, files of
 * every kind up to MSG-06's ceiling (the company's file settings, SET-02, govern below it; the
 * visitor downloads ours with their session token); no quotes yet.
 */
export const capabilities = ChannelAdapter.AdapterCapabilities.make({
  maxTextLength: 2000,
  attachments: ChannelLimits.defaultAttachments("widget"),
  deliveryReceipts: true,
  readReceipts: true,
  editMessages: true,
  deleteMessages: true,
  quotes: false,
  buttons: true
})

/**
 * The web widget's `ChannelAdapter`. The widget is ours: its visitor reads their dialog through the
 * widget's live stream (`Widget.feed`, on every server through the event bus), so sending a message
 * is handing it to that feed, which holds it once it is committed: `send` answers with our own
 * message id. `delivered` follows when the visitor's stream took the message, `read` when the
 * visitor saw it (MSG-02). Visitors write through `/widget/v1`, never through a webhook, so there is
 * no inbound request to parse.
 */
export const adapter: ChannelAdapter.ChannelAdapter = {
  kind: "widget",
  capabilities: () => capabilities,
  parseInbound: () =>
    Effect.fail(new ChannelAdapter.InboundRejected({ reason: "The web widget's visitors write through /widget/v1, not through a webhook", unauthorized: false })),
  send: (_context, message) => Effect.succeed({ providerMessageId: message.messageId })
}
