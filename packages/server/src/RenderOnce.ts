import { Deferred, Effect, FiberId } from "effect"

/** Values computed once per key and shared by every caller (`renderOnce`). */
export interface RenderOnce<A> {
  /**
   * The value for `key`: computed by the first caller and awaited by the others, then kept.
   * The computation runs on its own fiber, so a caller that is interrupted (a connection that
   * closes) stops waiting, and nobody else is handed that interruption.
   */
  readonly get: <R>(key: number, compute: Effect.Effect<A, never, R>) => Effect.Effect<A, never, R>
}

/** A `RenderOnce` that keeps the newest `size` keys. */
export const renderOnce = <A>(size: number): RenderOnce<A> => {
  const known = new Map<number, Deferred.Deferred<A>>()
  return {
    get: <R>(key: number, compute: Effect.Effect<A, never, R>) =>
      Effect.suspend(() => {
        const once = known.get(key)
        if (once !== undefined) return Deferred.await(once)
        const deferred = Deferred.unsafeMake<A>(FiberId.none)
        known.set(key, deferred)
        if (known.size > size) known.delete(known.keys().next().value!)
        return Effect.zipRight(Effect.forkDaemon(Effect.intoDeferred(compute, deferred)), Deferred.await(deferred))
      })
  }
}
