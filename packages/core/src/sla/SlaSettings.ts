import { Either, Schema } from "effect"
import * as Calendar from "./Calendar.js"
import * as Sla from "./Sla.js"
import { describeAll } from "../shared/Issue.js"

/**
 * The SLA configuration of a company: one working-time calendar (omitted = 24/7) and the
 * ordered policy list with its fallback (SLA-02, SLA-03). Decoded from JSON with Schema, so a
 * bad field is reported with its path. Kept in the company `Settings` (`sla`); it knows nothing
 * of dialogs, so the settings schema does not depend on the dialog aggregate.
 */
export const SlaSettings = Schema.Struct({
  calendar: Schema.optionalWith(Calendar.Config, { exact: true }),
  policies: Sla.PolicySet
})
export type SlaSettings = typeof SlaSettings.Type

const decodeEither = Schema.decodeUnknownEither(SlaSettings, { errors: "all", onExcessProperty: "error" })

/**
 * Decodes untrusted SLA settings (parsed JSON from the admin's editor) and reports every problem
 * with the path of its field (`calendar.week.mon[0][1]`, `policies.fallback.targets`), as
 * `Calendar.decodeConfig` does for a calendar alone.
 */
export const decodeSlaSettings = (input: unknown): Either.Either<SlaSettings, Calendar.ConfigError> =>
  Either.mapLeft(decodeEither(input), (error) =>
    new Calendar.ConfigError({
      issues: describeAll(error.issue, Calendar.formatPath)
    })
  )
