import type { StorePorts } from "@switchboard/core"
import type { Layer } from "effect"
import { CustomChannel } from "../../src/index.js"
import { channelConformance } from "../../src/testing/channelConformance.js"
import * as FakeCustomProvider from "../../src/testing/FakeCustomProvider.js"

/** The custom channel's conformance run on a store: the adapter calls the latest fake provider made. */
export const customConformance = (name: string, store: () => Layer.Layer<StorePorts, unknown>) => {
  let provider = FakeCustomProvider.make()
  channelConformance({
    name: `custom channel on ${name}`,
    adapter: CustomChannel.make({ fetch: (input, init) => provider.fetch(input, init) }),
    provider: () => (provider = FakeCustomProvider.make()),
    store
  })
}
