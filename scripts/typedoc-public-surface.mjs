// @ts-check
/**
 * TypeDoc plugin (typedoc.json `plugin`) for the API reference of the four public packages.
 *
 * 1. Effect Schema's `optionalWith(…, { default })` leaves a `default: () => A` property in a
 *    field's inferred type. That is Schema's machinery, not the packages' API: it is left out.
 * 2. The undocumented-export check (TypeDoc's own `notDocumented` is off in favour of this one):
 *    every declaration exported by a module or namespace of the public surface (class, interface,
 *    type, constant, function, enum), and every method or accessor a class of ours declares, needs a
 *    JSDoc. Members of interfaces and object types (a port's methods) are documented where it
 *    helps but not required. Each miss is a warning, and `treatWarningsAsErrors` fails the build.
 */
import { Application, Converter, ReflectionKind } from "typedoc"

const packages = ["@switchboard/core", "@switchboard/adapters", "@switchboard/server", "@switchboard/ui-htmx"]

const exportedKinds = ReflectionKind.Class | ReflectionKind.Interface | ReflectionKind.TypeAlias | ReflectionKind.Variable | ReflectionKind.Function | ReflectionKind.Enum

/** A JSDoc on the declaration or on one of its signatures (functions and accessors carry theirs there). */
const documented = (/** @type {import("typedoc").Reflection} */ reflection) => {
  if (reflection.hasComment()) return true
  const declaration = /** @type {Partial<import("typedoc").DeclarationReflection>} */ (reflection)
  return [...(declaration.signatures ?? []), declaration.getSignature, declaration.setSignature].some((signature) => signature?.hasComment() === true)
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const reflection of context.project.getReflectionsByKind(ReflectionKind.Property)) {
      if (reflection.name === "default" && reflection.parent?.kindOf(ReflectionKind.TypeLiteral)) context.project.removeReflection(reflection)
    }
  })

  app.on(Application.EVENT_VALIDATE_PROJECT, (project) => {
    const ours = (/** @type {import("typedoc").Reflection} */ reflection) => packages.includes(project.getSymbolIdFromReflection(reflection)?.packageName ?? "")
    const exported = project
      .getReflectionsByKind(exportedKinds)
      .filter((reflection) => reflection.parent?.kindOf(ReflectionKind.SomeModule | ReflectionKind.Namespace) === true)
    const members = project
      .getReflectionsByKind(ReflectionKind.Method | ReflectionKind.Accessor)
      .filter((reflection) => reflection.parent?.kindOf(ReflectionKind.Class) === true && !("inheritedFrom" in reflection && reflection.inheritedFrom))
    for (const reflection of [...exported, ...members]) {
      if (ours(reflection) && !documented(reflection)) {
        app.logger.warn(`${reflection.getFriendlyFullName()} (${ReflectionKind[reflection.kind]}) is part of the public surface and has no JSDoc`)
      }
    }
  })
}
