import { Effect, Option } from "effect"
import type { ClaimedTimer, TimerStoreService } from "../../ports/TimerStore.js"
import { type MemoryState, nextToken } from "./MemoryState.js"

/** The in-memory `TimerStore` over a shared `MemoryState` (timers are set by `MemoryEventStore`'s commits). */
export const make = (state: MemoryState): TimerStoreService => ({
  claimDue: (now, limit, leaseMs) =>
    Effect.sync(() => {
      const claimed: Array<ClaimedTimer> = []
      const due = [...state.timers.values()].filter((timer) => timer.dueAt <= now && timer.leasedUntil <= now).sort((a, b) => a.dueAt - b.dueAt)
      for (const timer of due.slice(0, limit)) {
        const token = nextToken(state)
        state.timers.set(timer.key, { ...timer, token, leasedUntil: now + leaseMs })
        claimed.push({ key: timer.key, kind: timer.kind, subject: timer.subject, dueAt: timer.dueAt, token })
      }
      return claimed
    }),
  completeTimer: (timer) =>
    Effect.sync(() => {
      if (state.timers.get(timer.key)?.token === timer.token) state.timers.delete(timer.key)
    }),
  nextDueAt: () =>
    Effect.sync(() => {
      let next: number | undefined
      for (const timer of state.timers.values()) next = next === undefined ? timer.dueAt : Math.min(next, timer.dueAt)
      return Option.fromNullable(next)
    })
})
