import { describe, expect, it } from "@effect/vitest"
import { ConfigStore, Settings } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Context, Effect, Layer } from "effect"
import { vi } from "vitest"
import { SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

vi.setConfig({ testTimeout: 60_000 })

/** A store as one server builds it: its own caches, on the shared database. */
const server = Effect.map(Layer.build(Layer.fresh(SqlStore.layer)), (context) => Context.get(context, ConfigStore))

describe("ConfigStore on SQL: the configuration a server keeps decoded", () => {
  it.scoped("is the same snapshot while nothing changed, and another server's change is read at once", () =>
    Effect.gen(function* () {
      const first = yield* server
      const second = yield* server
      yield* first.putChannel(Fixtures.telegram)
      const read = yield* first.config()
      // Nothing changed: the snapshot decoded last, not a copy.
      expect(yield* first.config()).toBe(read)
      // Another server renames the channel and then changes a setting: each is seen by the next read.
      yield* second.putChannel({ ...Fixtures.telegram, name: "Telegram 2" })
      const renamed = yield* first.config()
      expect(renamed.version).toBeGreaterThan(read.version)
      expect(renamed.channels.map((channel) => channel.name)).toEqual(["Telegram 2"])
      yield* second.saveSettings(Settings.Settings.make({ ...renamed.settings, topicRequired: !renamed.settings.topicRequired }))
      const changed = yield* first.config()
      expect(changed.settings.topicRequired).toBe(!renamed.settings.topicRequired)
      expect(changed.channels.map((channel) => channel.name)).toEqual(["Telegram 2"])
    }).pipe(Effect.provide(PgliteScratch.layer())))

  it.scoped("an empty database's defaults, then the first write", () =>
    Effect.gen(function* () {
      const first = yield* server
      const second = yield* server
      const empty = yield* first.config()
      expect(empty.channels).toEqual([])
      expect(yield* first.config()).toBe(empty)
      yield* second.putChannel(Fixtures.widget)
      expect((yield* first.config()).channels.map((channel) => channel.id)).toEqual([Fixtures.widget.id])
    }).pipe(Effect.provide(PgliteScratch.layer())))
})
