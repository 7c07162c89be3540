import { Effect, Layer, Ref } from "effect"
import type { Message } from "../messages/Message.js"
import { BotPort } from "../ports/BotPort.js"
import type { BotId, DialogId } from "../shared/Ids.js"

/** One handoff the engine asked of the bot, as recorded for assertions. */
export interface Handoff {
  readonly direction: "transfer" | "return"
  readonly botId: BotId
  readonly dialogId: DialogId
}

/** A bot that records what the engine hands it: hand-offs (transfer/return scripts) and client messages. */
export class TestBot extends Effect.Service<TestBot>()("@switchboard/core/testing/TestBot", {
  effect: Effect.gen(function* () {
    const handoffs = yield* Ref.make<ReadonlyArray<Handoff>>([])
    const delivered = yield* Ref.make<ReadonlyArray<Message>>([])
    return { handoffs, delivered } as const
  })
}) {}

/** Provides `BotPort` backed by `TestBot`'s records, and `TestBot` itself for assertions. */
export const layer: Layer.Layer<BotPort | TestBot> = Layer.effect(
  BotPort,
  Effect.map(TestBot, (bot) => ({
    handoff: (handoff) => Ref.update(bot.handoffs, (all) => [...all, handoff]),
    deliver: (_botId, message) => Ref.update(bot.delivered, (all) => [...all, message])
  }))
).pipe(Layer.provideMerge(TestBot.Default))
