import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { Catalog, Settings } from "@switchboard/core"
import { Contract } from "@switchboard/ui-htmx"
import { describe, expect, it } from "vitest"
import { fieldsOf, patchOf } from "../src/panel/SettingsForm.js"

const encode = Schema.encodeSync(Settings.Settings)
const decode = Schema.decodeUnknownEither(Settings.Settings, { onExcessProperty: "error" })

/** Catalog entries with unique ids (names and colours as the Schemas allow, markup included). */
const unique = <A extends { readonly id: string }>(schema: Schema.Schema<A, any>) =>
  fc.uniqueArray(Arbitrary.make(schema), { selector: (entry) => entry.id, maxLength: 6 })

const company = fc.record({
  tags: unique(Catalog.Tag),
  closeReasons: unique(Catalog.CloseReason),
  topicRequired: fc.boolean(),
  forbidEditing: fc.boolean(),
  operatorsMayBlockClients: fc.boolean(),
  inactivityCloseMinutes: fc.option(fc.integer({ min: 1, max: 10_080 }), { nil: null }),
  offerMissesBeforeAway: fc.integer({ min: 0, max: 100 })
})

describe("settings forms", () => {
  it("submitting any section exactly as it was rendered changes no setting (the form and the settings agree, property)", () => {
    fc.assert(
      fc.property(company, (values) => {
        // Names are stored trimmed (the Schema refuses others), as the form sends them.
        const settings = Settings.Settings.make({ ...Settings.defaults, ...values })
        for (const section of Contract.settingsSections) {
          const { patch } = patchOf(section, fieldsOf(section, settings))
          const after = decode({ ...(encode(settings) as object), ...patch })
          expect(Either.isRight(after) ? Settings.Settings.make(after.right) : after).toEqual(settings)
        }
      }),
      { numRuns: 60 }
    )
  })
})
