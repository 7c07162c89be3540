import { Context, type Effect } from "effect"
import type { Message } from "../messages/Message.js"
import type { BotId, DialogId } from "../shared/Ids.js"

/**
 * The external bot (CHN-05, DLG-03, DLG-05). The engine hands dialogs to and from it: on
 * "transfer" the bot's transfer-to-operator script runs, on "return" its return script does.
 */
export interface BotPortService {
  /**
   * Run the bot's transfer script (an operator took the dialog) or return script (the dialog came back
   * to the bot).
   */
  readonly handoff: (handoff: {
    readonly direction: "transfer" | "return"
    readonly botId: BotId
    readonly dialogId: DialogId
  }) => Effect.Effect<void>
  /** A client message in a dialog the bot holds. */
  readonly deliver: (botId: BotId, message: Message) => Effect.Effect<void>
}

/**
 * The `BotPort` port's tag; without it, dialogs still move between bots and operators, but no script
 * runs.
 */
export class BotPort extends Context.Tag("@switchboard/core/BotPort")<BotPort, BotPortService>() {}
