import { Effect, Option } from "effect"
import type { ChannelSecretStoreService } from "../../ports/ChannelSecretStore.js"
import type { ClaimedOutbox, OutboxRow, OutboxStoreService } from "../../ports/OutboxStore.js"
import { type MemoryState, nextToken } from "./MemoryState.js"

/** The row a claim names, if the claim still holds it. */
const held = (state: MemoryState, claim: ClaimedOutbox) => {
  const row = state.outbox.get(claim.message.id)
  return row !== undefined && row.token === claim.token && row.status === "pending" ? row : undefined
}

const publicRow = ({ token: _token, leasedUntil: _leasedUntil, ...row }: OutboxRow & { readonly token: string; readonly leasedUntil: number }): OutboxRow => row

/** The in-memory `OutboxStore` over a shared `MemoryState` (rows are written by `MemoryEventStore`'s commits). */
export const make = (state: MemoryState): OutboxStoreService => ({
  claimOutbox: (now, limit, leaseMs) =>
    Effect.sync(() => {
      const claimed: Array<ClaimedOutbox> = []
      const dialogs = new Set<string>()
      for (const row of state.outbox.values()) {
        if (claimed.length >= limit) break
        if (row.status !== "pending" || dialogs.has(row.message.dialogId)) continue
        // The oldest pending row of a dialog blocks the later ones, leased or not.
        dialogs.add(row.message.dialogId)
        if (row.leasedUntil > now) continue
        const token = nextToken(state)
        state.outbox.set(row.message.id, { ...row, token, leasedUntil: now + leaseMs })
        claimed.push({ message: row.message, channelId: row.channelId, recipient: row.recipient, token, attempts: row.attempts, lastError: Option.getOrUndefined(row.lastError) })
      }
      return claimed
    }),
  outboxAttemptFailed: (claim, reason, at, leaseUntil) =>
    Effect.sync(() => {
      const row = held(state, claim)
      if (row === undefined) return false
      state.outbox.set(row.message.id, { ...row, attempts: row.attempts + 1, lastError: Option.some(reason), updatedAt: at, leasedUntil: leaseUntil })
      return true
    }),
  settleOutbox: (claim, outcome, at) =>
    Effect.sync(() => {
      const row = held(state, claim)
      if (row === undefined) return false
      state.outbox.set(row.message.id, {
        ...row,
        attempts: row.attempts + (outcome._tag === "Sent" ? 1 : 0),
        status: outcome._tag === "Sent" ? "sent" : "failed",
        lastError: outcome._tag === "Failed" ? Option.some(outcome.reason) : row.lastError,
        providerMessageId: outcome._tag === "Sent" ? Option.some(outcome.providerMessageId) : Option.none(),
        updatedAt: at,
        leasedUntil: 0
      })
      return true
    }),
  findSent: (channelId, providerMessageId) =>
    Effect.sync(() => {
      for (const row of state.outbox.values()) {
        if (row.channelId === channelId && Option.contains(row.providerMessageId, providerMessageId)) {
          return Option.some({ messageId: row.message.id, dialogId: row.message.dialogId })
        }
      }
      return Option.none()
    }),
  deliveryLog: (channelId, limit) =>
    Effect.sync(() => [...state.outbox.values()].filter((row) => row.channelId === channelId).reverse().slice(0, limit).map(publicRow))
})

/** The in-memory `ChannelSecretStore` over a shared `MemoryState`. */
export const makeSecrets = (state: MemoryState): ChannelSecretStoreService => ({
  putSecrets: (channelId, secrets) => Effect.sync(() => void state.secrets.set(channelId, { ...secrets })),
  getSecrets: (channelId) => Effect.sync(() => state.secrets.get(channelId) ?? {})
})
