// The README's "Embed the engine" example as an npm user writes it: plain JavaScript, the packages
// from npm (here the packed tarballs), no TypeScript tooling. `npm run embed` prints the transcript.
import { StoreEventBus } from "@switchboard/adapters"
import { Access, Channel, ChannelId, CloseReasonId, ConfigStore, Dialog, Engine, InboundMessage, Message, UserId } from "@switchboard/core"
import { MemoryStore, SequentialIds } from "@switchboard/core/testing"
import { Effect, Layer, Option } from "effect"

// The engine needs the storage ports, an EventBus and Ids: the store lives in memory here
// (SqlStore.layerPglite({ dataDir }) from @switchboard/adapters keeps it on disk).
const EngineLive = Engine.Default.pipe(
  Layer.provideMerge(Layer.mergeAll(StoreEventBus.layer, SequentialIds.layer)),
  Layer.provideMerge(MemoryStore.layer)
)
const olena = new Access.UserActor({ id: UserId.make("olena"), name: "Olena", role: "operator" })
const telegram = ChannelId.make("telegram")

const program = Effect.gen(function* () {
  const engine = yield* Engine
  const config = yield* ConfigStore
  yield* config.putChannel(Channel.Channel.make({ id: telegram, kind: "telegram", name: "Telegram" }))

  // A client writes for the first time: the client and the dialog are created.
  const { dialogId } = yield* engine.receive(
    InboundMessage.make({ channelId: telegram, from: "tg:100500", profile: { name: "Ivan" }, message: Message.MessageInput.make({ text: "Hi, where is my order #42?" }) })
  )

  // An operator accepts the dialog, replies and closes it with a reason.
  yield* engine.execute(olena, new Dialog.Accept({ dialogId }))
  yield* engine.execute(olena, new Dialog.SendMessage({ dialogId, input: Message.MessageInput.make({ text: "It ships today, Ivan." }) }))
  yield* engine.execute(olena, new Dialog.Close({ dialogId, reasonId: CloseReasonId.make("solved") }))

  // The transcript, oldest first.
  const page = yield* engine.history(olena, { dialogId, limit: 50 })
  const names = { Operator: "Olena", Client: "Ivan" }
  const lines = [...page.items].reverse().map((message) => `${names[message.author._tag] ?? message.author._tag}: ${message.text}`)
  const dialog = yield* engine.dialog(olena, dialogId)
  lines.push(`[${dialog.status}, reason: ${Option.getOrElse(dialog.closeReasonId, () => "none")}]`)
  return lines
}).pipe(Effect.provide(EngineLive))

console.log((await Effect.runPromise(program)).join("\n"))
