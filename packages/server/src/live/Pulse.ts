import { Clock, Context, Duration, Effect, Layer, Queue, Schedule } from "effect"
import { Accounts, ConfigStore, Routing, type SessionKey, type UserId } from "@switchboard/core"
import type { Connection, Outgoing } from "./Connection.js"

/** Heartbeat comments keep proxies from closing a quiet stream. */
const commentEvery = Duration.seconds(15)

/** The server's pulse for its open live streams (`Pulse`). */
export interface PulseService {
  /** A stream opened for its session `key`: its user is present at once (arrivals close together share one write), then on every beat. */
  readonly join: (connection: Connection, key: SessionKey) => Effect.Effect<void>
  /** The stream ended: it is beaten for no more. */
  readonly leave: (connection: Connection) => Effect.Effect<void>
}

/**
 * What keeps a server's live streams alive and honest, for all of them at once so that its cost does
 * not grow with the number of panels open (before it, every stream beat on its own: at 1,000 panels
 * about 200 statements a second, a read of every operator's presence in each):
 * - presence: everyone with a stream open here is present for routing (ROUTING.md A1; on every
 *   server, presence is stored), in ONE `Router.heartbeats` per beat, three beats per presence TTL
 *   so one late beat drops nobody; a user who opens a stream is made present at once;
 * - sign-out and expiry: every `recheckEvery` ONE read of the sessions of every stream
 *   (`Accounts.liveSessions`) closes those whose session ended (a user deactivated has their
 *   streams closed by the live hub, from the operator's event);
 * - a heartbeat comment on every stream every 15 s.
 */
export class Pulse extends Context.Tag("@switchboard/server/Pulse")<Pulse, PulseService>() {
  static readonly layer: Layer.Layer<Pulse, never, Routing.Router | Accounts.Accounts | ConfigStore> = Layer.scoped(
    Pulse,
    Effect.gen(function* () {
      const router = yield* Routing.Router
      const accounts = yield* Accounts.Accounts
      const configStore = yield* ConfigStore
      const streams = new Map<Connection, SessionKey>()
      const arrived = new Set<UserId>()
      const wake = yield* Queue.sliding<void>(1)

      const beat = (ids: ReadonlyArray<UserId>) =>
        Effect.catchAllCause(router.heartbeats(ids), (cause) => Effect.logWarning("Live streams: a presence heartbeat failed", cause))
      const everyone = () => [...new Set([...streams.keys()].filter((connection) => !connection.closed).map((connection) => connection.actor.id as UserId))]
      const interval = Effect.map(
        Effect.orElseSucceed(configStore.getSettings(), () => undefined),
        (settings) => Math.max(1_000, ((settings?.routing.presenceTtlSec ?? 60) * 1_000) / 3)
      )

      // Presence: a beat for everyone every TTL/3; arrivals in between at once, together.
      yield* Effect.forkScoped(Effect.gen(function* () {
        let due = 0
        for (;;) {
          const now = yield* Clock.currentTimeMillis
          if (now >= due) {
            arrived.clear()
            yield* beat(everyone())
            due = now + (yield* interval)
            continue
          }
          const woke = yield* Effect.raceFirst(Effect.as(Queue.take(wake), true), Effect.as(Effect.sleep(Duration.millis(due - now)), false))
          if (woke && arrived.size > 0) {
            const ids = [...arrived]
            arrived.clear()
            yield* beat(ids)
          }
        }
      }))

      // Sign-out and expiry: one read of every stream's session per recheck.
      yield* Effect.forkScoped(Effect.repeat(
        Effect.gen(function* () {
          if (streams.size === 0) return
          const open = [...streams]
          const live = yield* accounts.liveSessions(open.map(([, key]) => key))
          for (const [connection, key] of open) if (!live.has(key)) connection.close()
        }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("Live streams: the session recheck failed", cause))),
        Schedule.spaced(accounts.policy.recheckEvery)
      ))

      yield* Effect.forkScoped(Effect.repeat(
        Effect.sync(() => {
          // One batch for every stream (its bytes encoded once).
          const beat: ReadonlyArray<Outgoing> = [{ _tag: "Heartbeat" }]
          for (const connection of streams.keys()) connection.push(beat)
        }),
        Schedule.spaced(commentEvery)
      ))

      return {
        join: (connection, key) =>
          Effect.suspend(() => {
            streams.set(connection, key)
            arrived.add(connection.actor.id as UserId)
            return Queue.offer(wake, undefined)
          }).pipe(Effect.asVoid),
        leave: (connection) => Effect.sync(() => void streams.delete(connection))
      } satisfies PulseService
    })
  )
}
