/**
 * Embedding Switchboard: run the engine in your own process with the in-memory store.
 * A client writes, an operator accepts, replies and closes the dialog with a reason;
 * then the transcript is printed. Run it: `npx tsx examples/embed/main.ts`.
 */
import { StoreEventBus } from "@switchboard/adapters"
import { Access, Channel, CloseReasonId, ConfigStore, Dialog, Engine, InboundMessage, Message, UserId } from "@switchboard/core"
import { MemoryStore, SequentialIds } from "@switchboard/core/testing"
import { Effect, Layer, Option } from "effect"

// The engine needs the storage ports, an EventBus and Ids: here the store lives in memory, and the bus hands
// subscribers what the store holds, in order (SqlStore.layerPglite({ dataDir }) keeps it on disk).
const EngineLive = Engine.Default.pipe(
  Layer.provideMerge(Layer.mergeAll(StoreEventBus.layer, SequentialIds.layer)),
  Layer.provideMerge(MemoryStore.layer)
)

const olena = new Access.UserActor({ id: UserId.make("olena"), name: "Olena", role: "operator" })

export const program = Effect.gen(function* () {
  const engine = yield* Engine
  const config = yield* ConfigStore
  yield* config.putChannel(Channel.Channel.make({ id: "telegram" as Channel.Channel["id"], kind: "telegram", name: "Telegram" }))

  // A client writes for the first time: the client and the dialog are created.
  const { dialogId } = yield* engine.receive(
    InboundMessage.make({
      channelId: "telegram" as Channel.Channel["id"],
      from: "tg:100500",
      profile: { name: "Ivan" },
      message: Message.MessageInput.make({ text: "Hi, where is my order #42?" })
    })
  )

  // An operator accepts the dialog, replies and closes it with a reason.
  yield* engine.execute(olena, new Dialog.Accept({ dialogId }))
  yield* engine.execute(olena, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "It ships today, Ivan." }) }))
  yield* engine.execute(olena, new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("solved") }))

  // The transcript, oldest first.
  const page = yield* engine.history(olena, { dialogId, limit: 50 })
  const transcript = [...page.items].reverse().map((message) => {
    const who = message.author._tag === "Operator" ? "Olena" : message.author._tag === "Client" ? "Ivan" : message.author._tag
    return `${who}: ${message.text}`
  })
  const dialog = yield* engine.dialog(olena, dialogId)
  transcript.push(`[${dialog.status}, reason: ${Option.getOrElse(dialog.closeReasonId, () => "none")}]`)
  return transcript
}).pipe(Effect.provide(EngineLive))

if (import.meta.url === `file://${process.argv[1]}`) {
  Effect.runPromise(program).then((lines) => console.log(lines.join("\n")))
}
