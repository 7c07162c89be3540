import { Clock, Duration, Effect, Option, Queue, Stream } from "effect"
import { system } from "../access/Access.js"
import * as Dialog from "../dialogs/Dialog.js"
import { CloseForInactivity, ExpireOffer } from "../dialogs/Dialog.js"
import type { ClaimedTimer } from "../ports/Store.js"
import { EventBus } from "../ports/EventBus.js"
import { TimerStore } from "../ports/TimerStore.js"
import { DialogId } from "../shared/Ids.js"
import { Engine } from "./Engine.js"
import { TimerKind } from "./Timers.js"

/** How long a claim keeps a timer from other schedulers. */
const leaseMillis = 60_000
/** Timers claimed at once, and at most per `runDue`. */
const claimBatch = 25
const maxPerRun = 200

/** What a timer kind does when it comes due. A stale timer's rejection is fine: the rule re-checks in `decide`. */
export type TimerHandler = (timer: ClaimedTimer) => Effect.Effect<void>

/**
 * Fires due timers (inactivity close, offer expiry, and whatever other modules register). Timers
 * are claimed from the store with a lease, so several schedulers (one per server) never fire one
 * twice; a handler that fails leaves its timer to be claimed again when the lease runs out.
 */
export class Scheduler extends Effect.Service<Scheduler>()("@switchboard/core/Scheduler", {
  effect: Effect.gen(function* () {
    const timerStore = yield* TimerStore
    const engine = yield* Engine
    const bus = yield* EventBus
    const handlers = new Map<string, TimerHandler>()

    /**
     * Run a timer's command. A rejection means the timer was stale (the client answered, the
     * offer was accepted, settings changed): re-derive the dialog's timers instead.
     */
    const fire = (dialogId: DialogId, command: Dialog.DialogCommand) =>
      engine.execute(system, command).pipe(
        Effect.asVoid,
        Effect.catchTag("DialogRejected", () => Effect.asVoid(engine.refresh(dialogId))),
        Effect.catchTag("NotFound", () => Effect.void),
        Effect.orDie
      )

    handlers.set(TimerKind.inactivity, (timer) => fire(DialogId.make(timer.subject), new CloseForInactivity({ dialogId: DialogId.make(timer.subject) })))
    handlers.set(TimerKind.offer, (timer) => fire(DialogId.make(timer.subject), new ExpireOffer({ dialogId: DialogId.make(timer.subject) })))
    handlers.set(TimerKind.sla, (timer) => engine.refresh(DialogId.make(timer.subject)).pipe(Effect.asVoid, Effect.catchTag("NotFound", () => Effect.void), Effect.orDie))

    /** Register (or replace) the handler of a timer kind. */
    const register = (kind: string, handler: TimerHandler) => Effect.sync(() => void handlers.set(kind, handler))

    /**
     * Fire every timer due now; returns how many fired. Timers are claimed a few at a time, and a
     * claimed timer fires only in the first half of its lease: a server slowed down (a busy
     * database, a starved CPU) leaves the rest of its claim to run out and be claimed again,
     * rather than firing a timer another server may have claimed since.
     */
    const runDue = Effect.fn("Scheduler.runDue")(function* () {
      const now = yield* Clock.currentTimeMillis
      let fired = 0
      for (let pass = 0; pass < maxPerRun / claimBatch; pass++) {
        const claimedAt = yield* Clock.currentTimeMillis
        const claimed = yield* timerStore.claimDue(now, claimBatch, leaseMillis)
        for (const timer of claimed) {
          if ((yield* Clock.currentTimeMillis) - claimedAt > leaseMillis / 2) return fired
          const handler = handlers.get(timer.kind)
          if (handler === undefined) {
            yield* Effect.logWarning(`No handler for timer kind ${timer.kind}`)
            continue
          }
          const outcome = yield* Effect.exit(handler(timer))
          if (outcome._tag === "Success") {
            yield* timerStore.completeTimer(timer)
            fired++
          } else {
            yield* Effect.logError("Timer handler failed; it will be retried after its lease", outcome.cause)
          }
        }
        if (claimed.length < claimBatch) break
      }
      return fired
    })

    /**
     * Run forever: fire due timers, then sleep until the next one is due, at most `interval`.
     * Any event on the bus (a command here or on another server may have set an earlier timer)
     * wakes the loop early. A `TestClock` drives it in tests.
     */
    const run = (interval: Duration.DurationInput = Duration.seconds(1)) =>
      Effect.scoped(
        Effect.gen(function* () {
          const maxWait = Duration.toMillis(Duration.decode(interval))
          const wakeups = yield* Queue.sliding<void>(1)
          yield* Effect.forkScoped(Stream.runForEach(yield* bus.subscribe, () => Queue.offer(wakeups, undefined)))
          return yield* Effect.forever(
            Effect.gen(function* () {
              const fired = yield* runDue()
              const now = yield* Clock.currentTimeMillis
              const next = yield* timerStore.nextDueAt()
              // A timer still due after a pass is leased or failing: do not spin on it.
              const untilNext = Option.match(next, { onNone: () => maxWait, onSome: (at) => at - now })
              const wait = Math.min(maxWait, untilNext > 0 ? untilNext : fired > 0 ? 0 : Math.min(maxWait, 1_000))
              yield* Queue.takeAll(wakeups)
              yield* Effect.raceFirst(Effect.sleep(Duration.millis(wait)), Queue.take(wakeups))
            })
          )
        })
      )

    return { register, runDue, run } as const
  })
}) {}
