import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { Settings } from "../../settings/Settings.js"
import { diff, SettingsChanged } from "../../settings/SettingsAudit.js"
import { ConfigStore } from "../../ports/ConfigStore.js"
import { runner, type StoreLayer } from "./support.js"

/**
 * The settings audit log every `ConfigStore` adapter must keep: a change lands with its audit entry
 * or not at all, only on the configuration version it was made on; the log reads newest first, in
 * pages.
 */
export const settingsAuditContract = (name: string, makeStore: StoreLayer) =>
  describe(`ConfigStore settings audit contract: ${name}`, () => {
    const run = runner(makeStore)
    const changeOf = (at: number, before: Settings, after: Settings) => {
      const changes = diff(before, after)
      return SettingsChanged.make({ at, actorId: "olha", actorName: "Olha <b>", changes: [changes[0]!, ...changes.slice(1)] })
    }

    it.effect("a change writes the settings and its audit entry and moves the configuration version", () =>
      run(Effect.gen(function* () {
        const store = yield* ConfigStore
        const before = yield* store.config()
        const after = Settings.make({ ...before.settings, topicRequired: true, inactivityCloseMinutes: null })
        yield* store.changeSettings(after, changeOf(1000, before.settings, after), before.version)
        const now = yield* store.config()
        expect(now.version).toBeGreaterThan(before.version)
        expect(now.settings.topicRequired).toBe(true)
        const history = yield* store.settingsHistory({ limit: 10 })
        expect(history.items.map((entry) => entry.change)).toEqual([changeOf(1000, before.settings, after)])
        expect(history.items[0]!.change.changes.map((change) => [change.setting, change.before, change.after])).toEqual([
          ["topicRequired", before.settings.topicRequired, true],
          ["inactivityCloseMinutes", before.settings.inactivityCloseMinutes, null]
        ])
        expect(history.nextCursor).toEqual(Option.none())
      })))

    it.effect("a change made on a version that moved since is a VersionConflict and writes nothing", () =>
      run(Effect.gen(function* () {
        const store = yield* ConfigStore
        const before = yield* store.config()
        const first = Settings.make({ ...before.settings, forbidEditing: true })
        const second = Settings.make({ ...before.settings, forbidDeleting: true })
        yield* store.changeSettings(first, changeOf(1, before.settings, first), before.version)
        const conflict = yield* Effect.flip(store.changeSettings(second, changeOf(2, before.settings, second), before.version))
        expect(conflict._tag).toBe("VersionConflict")
        const now = yield* store.config()
        expect([now.settings.forbidEditing, now.settings.forbidDeleting]).toEqual([true, before.settings.forbidDeleting])
        expect((yield* store.settingsHistory({ limit: 10 })).items.map((entry) => entry.change.at)).toEqual([1])
      })))

    it.effect("the log reads newest first, a page at a time, each entry once", () =>
      run(Effect.gen(function* () {
        const store = yield* ConfigStore
        let current = yield* store.config()
        for (let minutes = 1; minutes <= 5; minutes++) {
          const next = Settings.make({ ...current.settings, inactivityCloseMinutes: minutes })
          yield* store.changeSettings(next, changeOf(minutes, current.settings, next), current.version)
          current = yield* store.config()
        }
        const first = yield* store.settingsHistory({ limit: 2 })
        expect(first.items.map((entry) => entry.change.at)).toEqual([5, 4])
        expect(Option.isSome(first.nextCursor)).toBe(true)
        const second = yield* store.settingsHistory({ limit: 2, before: Number(Option.getOrThrow(first.nextCursor)) })
        expect(second.items.map((entry) => entry.change.at)).toEqual([3, 2])
        const third = yield* store.settingsHistory({ limit: 2, before: Number(Option.getOrThrow(second.nextCursor)) })
        expect(third.items.map((entry) => entry.change.at)).toEqual([1])
        expect(third.nextCursor).toEqual(Option.none())
        expect(new Set([...first.items, ...second.items, ...third.items].map((entry) => entry.id)).size).toBe(5)
      })))
  })
