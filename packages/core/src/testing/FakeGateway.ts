import { Effect, Layer, Ref } from "effect"
import type { Message } from "../messages/Message.js"
import { ChannelGateway, DeliveryFailed } from "../ports/ChannelGateway.js"

/** One message the fake gateway was asked to send, as recorded for assertions. */
export interface Sent {
  readonly channelId: string
  readonly recipient: string
  readonly message: Message
}

/** A channel gateway that records what it sends; recipients listed in `failFor` fail with a reason. */
export class FakeGateway extends Effect.Service<FakeGateway>()("@switchboard/core/testing/FakeGateway", {
  effect: Effect.gen(function* () {
    const sent = yield* Ref.make<ReadonlyArray<Sent>>([])
    const failFor = yield* Ref.make<ReadonlySet<string>>(new Set())
    return { sent, failFor } as const
  })
}) {}

/**
 * Provides `ChannelGateway` backed by `FakeGateway`'s records (and its scripted failures), and
 * `FakeGateway` itself for assertions.
 */
export const layer: Layer.Layer<ChannelGateway | FakeGateway> = Layer.effect(
  ChannelGateway,
  Effect.map(FakeGateway, (fake) => ({
    send: (channel, recipient, message) =>
      Effect.gen(function* () {
        if ((yield* Ref.get(fake.failFor)).has(recipient)) return yield* Effect.fail(new DeliveryFailed({ reason: "The client left the channel" }))
        yield* Ref.update(fake.sent, (all) => [...all, { channelId: channel.id, recipient, message }])
      })
  }))
).pipe(Layer.provideMerge(FakeGateway.Default))
