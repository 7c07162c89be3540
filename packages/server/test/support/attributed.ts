import { Effect } from "effect"
import { EventStore } from "@switchboard/core"

type EventFields = { readonly _tag: string; readonly by?: unknown; readonly reason?: unknown; readonly outcome?: unknown }

/**
 * The events only the engine writes on its own: routing's offers, their expiry, its assignments
 * and its requeue of an absent operator's dialog, exclusions lifted, SLA evaluations, the
 * provider's delivery reports. A user's decline, leave or transfer is not among them. The engine
 * goes on doing this while a test's request runs (a panel that opened a live stream makes its
 * user present and routing assigns, ROUTING.md A1; the outbox worker settles replies sent
 * earlier), so "the request stored nothing" is about every other event.
 */
export const engineOwn = (event: EventFields): boolean => {
  switch (event._tag) {
    case "DialogOffered":
    case "ExclusionsCleared":
    case "DeliveryUpdated":
    case "SlaUpdated":
      return true
    case "OfferEnded":
      return event.outcome !== "declined"
    case "DialogAssigned":
      return event.by === "system"
    case "DialogRequeued":
      return event.reason === "operator_unavailable"
    default:
      return false
  }
}

/** The events after `before` that someone's request wrote (not the engine's own), as `Tag by who`. */
export const attributedSince = (before: number) =>
  Effect.flatMap(EventStore, (store) => store.readAll(before, 1_000)).pipe(
    Effect.map((events) =>
      events
        .map((stored) => stored.event as EventFields)
        .filter((event) => !engineOwn(event))
        .map((event) => `${event._tag}${event.by === undefined ? "" : ` by ${String(event.by)}`}`)
    )
  )

/**
 * The position of the newest event someone's request wrote: it stays put while only the engine
 * works, so a refused request's test compares it before and after.
 */
export const attributedPosition = Effect.gen(function* () {
  const store = yield* EventStore
  let newest = 0
  let after = 0
  for (;;) {
    const page = yield* store.readAll(after, 1_000)
    for (const stored of page) if (!engineOwn(stored.event as EventFields)) newest = stored.position
    if (page.length < 1_000) return newest
    after = page.at(-1)!.position
  }
})
