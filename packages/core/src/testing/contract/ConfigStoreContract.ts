import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Schema } from "effect"
import * as SlaClock from "../../sla/SlaClock.js"
import { defaults, Settings } from "../../settings/Settings.js"
import { ConfigStore } from "../../ports/ConfigStore.js"
import { EventStore } from "../../ports/EventStore.js"
import { TimerStore } from "../../ports/TimerStore.js"
import { Channel } from "../../channels/Channel.js"
import { telegram } from "../fixtures.js"
import { runner, type StoreLayer } from "./support.js"

/**
 * The behaviour every `ConfigStore` adapter must have: settings and channels round-trip, and every change moves the configuration version that commits check.
 * Run it with a layer that builds an empty store; a fresh layer is built per test.
 */
export const configStoreContract = (name: string, makeStore: StoreLayer) =>
  describe(`ConfigStore contract: ${name}`, () => {
    const run = runner(makeStore)

    it.effect("config reads settings and channels at a version that moves with every change", () =>
      run(Effect.gen(function* () {
        const configStore = yield* ConfigStore
        const eventStore = yield* EventStore
        const timerStore = yield* TimerStore
        const before = yield* configStore.config()
        expect(before.settings).toEqual(yield* configStore.getSettings())
        expect(before.channels.map((c) => c.id).sort()).toEqual(["tg", "web"])
        const check = { streamId: "config", expectedVersion: before.version }
        yield* eventStore.commit({ streams: [], messages: [], timers: [], checks: [check] })
        yield* configStore.saveSettings(Settings.make({ ...before.settings, topicRequired: true }))
        const afterSettings = yield* configStore.config()
        expect(afterSettings.version).toBeGreaterThan(before.version)
        expect(afterSettings.settings.topicRequired).toBe(true)
        expect((yield* Effect.flip(eventStore.commit({ streams: [], messages: [], timers: [{ _tag: "Set", timer: { key: "k", kind: "k", subject: "k", dueAt: 1 } }], checks: [check] })))._tag).toBe("VersionConflict")
        expect(yield* timerStore.claimDue(10, 10, 1000)).toEqual([])
        yield* configStore.putChannel(Channel.make({ ...telegram, name: "Telegram 2" }))
        const afterChannel = yield* configStore.config()
        expect(afterChannel.version).toBeGreaterThan(afterSettings.version)
        expect(afterChannel.channels.find((c) => c.id === telegram.id)?.name).toBe("Telegram 2")
      })))

    it.effect("settings and channels round-trip", () =>
      run(Effect.gen(function* () {
        const configStore = yield* ConfigStore
        expect(yield* configStore.getSettings()).toEqual(defaults)
        const sla = Schema.decodeUnknownSync(SlaClock.SlaSettings)({
          calendar: { name: "Kyiv", timezone: "Europe/Kyiv", week: { mon: [["09:00", "13:00"], ["14:00", "18:00"]], sat: [["22:00", "06:00"]] }, holidays: [{ date: "01-01", name: "New Year", yearly: true }], specialDays: [] },
          policies: { policies: [{ name: "web", channels: ["web"], targets: { firstResponse: 5 } }], fallback: { name: "standard", targets: { firstResponse: 60, timeToClose: 480 } } }
        })
        const changed = Settings.make({ ...defaults, inactivityCloseMinutes: null, topicRequired: true, sla })
        yield* configStore.saveSettings(changed)
        expect(yield* configStore.getSettings()).toEqual(changed)
        expect((yield* configStore.listChannels()).map((c) => c.id).sort()).toEqual(["tg", "web"])
        expect(Option.map(yield* configStore.getChannel(telegram.id), (c) => c.kind)).toEqual(Option.some("telegram"))
      })))
  })
