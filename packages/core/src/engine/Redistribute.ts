import { Effect } from "effect"
import type { Actor } from "../access/Access.js"
import * as Dialog from "../dialogs/Dialog.js"
import { mayRedistribute } from "../operators/Operator.js"
import type { StoredEvent } from "../ports/Store.js"
import { Forbidden, type NotFound, type VersionConflict } from "../shared/Errors.js"
import type { UserId } from "../shared/Ids.js"
import type { EnginePorts } from "./EnginePorts.js"

/** What a redistribution did: the dialogs sent back to their queues, and those that had moved on meanwhile. */
export interface Redistributed {
  readonly requeued: number
  readonly skipped: number
}

/**
 * Redistribution by hand (OPS-05, from the supervisor board): an operator's assigned dialogs go
 * back to their queues with their original waiting time (`Requeue`, INV-11), where the router hands
 * them on by the queue's rules. Pending offers are left to the router, which rescinds those of
 * absent operators. Who may is the core's permission (`dialogs.reassign`, the one `Requeue`
 * checks): a refusal happens before any dialog moves, so a forbidden request changes nothing.
 */
export const makeRedistribute = (
  { configStore, presenceStore }: Pick<EnginePorts, "configStore" | "presenceStore">,
  execute: (actor: Actor, command: Dialog.DialogCommand) => Effect.Effect<ReadonlyArray<StoredEvent>, Dialog.DialogRejected | NotFound | VersionConflict>
) => {
  /** Requeue every dialog assigned to `operatorId` on behalf of `actor`. */
  const redistribute = (actor: Actor, operatorId: UserId) =>
    Effect.gen(function* () {
      const settings = yield* configStore.getSettings()
      if (!mayRedistribute(actor, settings)) {
        return yield* Effect.fail(new Forbidden({ action: "dialogs.reassign", message: "You may not redistribute an operator's dialogs" }))
      }
      let requeued = 0
      let skipped = 0
      for (const entry of yield* presenceStore.loadOf(operatorId)) {
        if (entry.kind !== "assigned") continue
        // A dialog closed or taken over since the load was read is no longer this operator's to give back.
        const moved = yield* execute(actor, new Dialog.Requeue({ dialogId: entry.dialogId, reason: "operator_unavailable" })).pipe(
          Effect.as(true),
          Effect.catchTags({ DialogRejected: () => Effect.succeed(false), NotFound: () => Effect.succeed(false) })
        )
        if (moved) requeued++
        else skipped++
      }
      return { requeued, skipped } satisfies Redistributed
    }).pipe(Effect.withSpan("Engine.redistribute", { attributes: { operatorId } }))

  return { redistribute } as const
}
