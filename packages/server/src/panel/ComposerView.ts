import { Effect, Option } from "effect"
import { type Access, ChannelLimits, Composer, ConfigStore, type Dialog, Message } from "@switchboard/core"
import type { ComposerView } from "@switchboard/ui-htmx"

/**
 * The composer's settings for a user in a dialog: their send key and signature, and the channel's
 * text limit as `decide` checks it (the product's 2,000 or the channel's own, if lower).
 */
export const composerView = (actor: Access.UserActor, state: Dialog.DialogState) =>
  Effect.gen(function* () {
    const preferences = yield* (yield* Composer).preferences(actor)
    const channel = yield* (yield* ConfigStore).getChannel(state.channelId)
    const limits = yield* ChannelLimits.current
    const channelLimit = Option.match(channel, { onNone: () => Message.maxTextLength, onSome: (found) => limits.capabilities(found).maxTextLength })
    return { sendKey: preferences.sendKey, signature: preferences.signature, maxLength: Math.min(Message.maxTextLength, channelLimit) } satisfies ComposerView
  })
