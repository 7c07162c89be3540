// @ts-check
/**
 * TypeDoc plugin (typedoc.json `plugin`): Effect Schema's `optionalWith(…, { default })` leaves a
 * `default: () => A` property in a field's inferred type. That is Schema's machinery, not the
 * package's API: it is left out of the reference, and so out of the undocumented-export check.
 */
import { Converter, ReflectionKind } from "typedoc"

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      if (reflection.name === "default" && reflection.parent?.kindOf(ReflectionKind.TypeLiteral)) context.project.removeReflection(reflection)
    }
  })
}
