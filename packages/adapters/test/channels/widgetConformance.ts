import type { StorePorts, WidgetSessionStore } from "@switchboard/core"
import { Widget } from "@switchboard/core"
import { Layer } from "effect"
import { HmacIdentityVerifier, RandomSessionTokens, WidgetAdapter } from "../../src/index.js"
import { channelConformance } from "../../src/testing/channelConformance.js"
import * as FakeWidgetVisitor from "../../src/testing/FakeWidgetVisitor.js"

/**
 * The web widget's conformance run on a store (with its sessions' store): visitors instead of a
 * provider, the feed instead of provider retries (`outbound: "feed"`). The adapter is the real one;
 * the latest fake made records what it hands to the feed.
 */
export const widgetConformance = (name: string, store: () => Layer.Layer<StorePorts | WidgetSessionStore, unknown>) => {
  let visitors = FakeWidgetVisitor.make()
  channelConformance({
    name: `web widget on ${name}`,
    adapter: { ...WidgetAdapter.adapter, send: (context, message) => visitors.send(context, message) },
    provider: () => (visitors = FakeWidgetVisitor.make()),
    store,
    services: Widget.Widget.Default.pipe(Layer.provide(Layer.merge(RandomSessionTokens.layer, HmacIdentityVerifier.layer))),
    outbound: "feed"
  })
}
