import { describe, it } from "@effect/vitest"
import { Clock, Context, Effect, FastCheck as fc, Layer, ManagedRuntime, Option, Schema, TestClock, TestContext } from "effect"
import { UserActor } from "../access/Access.js"
import { Channel } from "../channels/Channel.js"
import * as Dialog from "../dialogs/Dialog.js"
import { Engine } from "../engine/Engine.js"
import { Scheduler } from "../engine/Scheduler.js"
import { RegisterOperator, SetRouting, SetStatus } from "../operators/Operator.js"
import { storeService, type StorePorts, type StoreService, wrapStore } from "../ports/Store.js"
import { Router, RoutingSettings } from "../routing/Router.js"
import { QueueOrder, QueuePolicy, RoutingConfig, Selection, SkillGroupId } from "../routing/Routing.js"

const encodeRouting = Schema.encodeSync(RoutingConfig)
import { ChannelId, type DialogId, Language, QueueId, TopicId, UserId } from "../shared/Ids.js"
import { defaultStatuses } from "../operators/Status.js"
import { engineLayer, inbound, monday, owner, storeWithSettings, supervisor } from "./fixtures.js"
import { commitViolation, compareKeys, Replay, stateViolation, type World } from "./RoutingReplay.js"

/**
 * ROUTING.md's invariants as fast-check properties over the shipping path: random command
 * sequences run through `Engine` and `Router` over a store (memory, PGlite, PostgreSQL), and
 * every commit in the store's event log is judged by the oracle in `RoutingReplay`. Nothing here
 * models routing: the code under test is the code that ships.
 *
 * Generated: two channels (Telegram → queue q1, widget → q2), named skill groups `billing` and
 * `tech` as generated sets of topics, configured through the admin path (`Engine.changeSettings`)
 * and changed mid-run (and the subtopic `billing/refunds`), a queue order, a selection
 * mode (including `BEST_SKILL` over skill levels) and a delivery mode; up to four operators with
 * capacities, skill groups, levels, own topics, queues, languages and a status; then steps:
 * arrivals with topics, priority and language, passes, concurrent passes with adversarial yields
 * (INV-14), clock advances with due timers and the router's sweep, accepts, declines, closes,
 * holds, client reopens, status and profile changes, transfers, manual reassignments, topic and
 * priority changes.
 */

const q1 = QueueId.make("q1")
const q2 = QueueId.make("q2")
const channels = [
  Channel.make({ id: ChannelId.make("tg"), kind: "telegram", name: "Telegram", queueId: q1 }),
  Channel.make({ id: ChannelId.make("web"), kind: "widget", name: "Website", queueId: q2 })
]
/**
 * The named skill groups as sets of topics (OPS-03). Generated, and configured the way the admin
 * screen does it — `Engine.changeSettings` with the routing settings' JSON (audited, read by every
 * pass) — at the start of a run and again mid-run (`regroup`), so the properties show that the
 * groups an admin sets decide who may get a dialog, from the next pass on.
 */
const groupTopics = ["billing", "tech", "sales"] as const
const groupsArb = fc.record({ billing: fc.subarray([...groupTopics]), tech: fc.subarray([...groupTopics]) })
type Groups = typeof groupsArb extends fc.Arbitrary<infer G> ? G : never
const classicGroups: Groups = { billing: ["billing"], tech: ["tech"] }
const parents = { "billing/refunds": TopicId.make("billing") }
const topics = ["billing", "billing/refunds", "tech", "sales"] as const
const languages = ["en", "uk"] as const
const operatorIds = ["o1", "o2", "o3", "o4"] as const
const actorOf = (id: string) => new UserActor({ id: UserId.make(id), name: id.toUpperCase(), role: "operator" })

const profileArb = fc.record({
  capacity: fc.record({ telegram: fc.integer({ min: 0, max: 3 }), widget: fc.integer({ min: 0, max: 2 }) }),
  skillGroups: fc.subarray(["billing", "tech"]),
  levels: fc.record({ billing: fc.integer({ min: 1, max: 10 }), tech: fc.integer({ min: 1, max: 10 }) }),
  skills: fc.subarray(["sales", "tech"]),
  queues: fc.oneof(fc.constant([]), fc.subarray([q1, q2], { minLength: 1 })),
  languages: fc.oneof(fc.constant([]), fc.subarray([...languages], { minLength: 1 }))
})
type Profile = typeof profileArb extends fc.Arbitrary<infer P> ? P : never

const setupArb = fc.record({
  groups: fc.oneof(fc.constant(classicGroups), groupsArb),
  queueOrder: fc.constantFrom(...QueueOrder.literals),
  selection: fc.constantFrom(...Selection.literals),
  offer: fc.boolean(),
  operators: fc.array(fc.record({ profile: profileArb, online: fc.boolean() }), { minLength: 1, maxLength: 4 })
})
type Setup = typeof setupArb extends fc.Arbitrary<infer S> ? S : never

const index = fc.nat({ max: 40 })
const opArb = fc.constantFrom(...operatorIds)
const arriveArb = fc.record({
  k: fc.constant("arrive" as const),
  channel: fc.constantFrom("tg", "web"),
  topic: fc.option(fc.constantFrom(...topics), { nil: undefined }),
  priority: fc.integer({ min: -1, max: 3 }),
  language: fc.option(fc.constantFrom(...languages), { nil: undefined })
})
const passArb = fc.record({ k: fc.constant("pass" as const) })
const meanwhileArb = fc.oneof(
  fc.record({ k: fc.constant("pick" as const), i: index, op: opArb }),
  fc.record({ k: fc.constant("profile" as const), op: opArb, profile: profileArb }),
  fc.record({ k: fc.constant("status" as const), op: opArb, online: fc.boolean() }),
  fc.record({ k: fc.constant("topic" as const), i: index, topic: fc.constantFrom(...topics) })
)

/**
 * Passes racing each other (two servers' routers) while a pick, a profile or status change or a
 * topic change commits: their snapshots go stale under them (INV-14).
 */
const raceArb = fc.record({
      k: fc.constant("race" as const),
      /** Dialogs that arrive just before, so the passes have work to fight over. */
      arrivals: fc.array(arriveArb, { maxLength: 4 }),
      passes: fc.integer({ min: 1, max: 3 }),
      yields: fc.array(fc.nat({ max: 3 }), { minLength: 1, maxLength: 32 }),
      /** A command committed while the passes run: their snapshots go stale under them. */
      meanwhile: fc.option(meanwhileArb, { nil: undefined })
    })

const stepArb = fc.oneof(
  { weight: 8, arbitrary: arriveArb },
  { weight: 5, arbitrary: passArb },
  { weight: 3, arbitrary: raceArb },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("advance" as const), seconds: fc.constantFrom(1, 20, 31, 301) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("accept" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("decline" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("pick" as const), i: index, op: opArb }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant("close" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("hold" as const), i: index, onHold: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("reopen" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("status" as const), op: opArb, online: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("profile" as const), op: opArb, profile: profileArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("transfer" as const), i: index, queueId: fc.constantFrom(q1, q2), resetAge: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("reassign" as const), i: index, op: opArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("topic" as const), i: index, topic: fc.constantFrom(...topics) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("priority" as const), i: index, priority: fc.integer({ min: -1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("regroup" as const), groups: groupsArb }) }
)
type Arrive = typeof arriveArb extends fc.Arbitrary<infer A> ? A : never
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never
type Meanwhile = Extract<Step, { readonly k: "pick" | "profile" | "status" | "topic" }>

/** Arrivals and passes only, with topics and priorities: the skill-group and priority-order property. */
const orderStepArb = fc.oneof(
  { weight: 4, arbitrary: arriveArb },
  { weight: 2, arbitrary: passArb },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("close" as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("regroup" as const), groups: groupsArb }) }
)

/** The routing configuration stored before a run: the policies; the skill groups come through the admin path. */
const configOf = (setup: Setup): RoutingConfig =>
  RoutingConfig.make({
    topicParents: parents,
    defaultPolicy: QueuePolicy.make({
      queueOrder: setup.queueOrder,
      selection: setup.selection,
      delivery: setup.offer ? { _tag: "OFFER", timeoutSec: 30, missesBeforeAway: 3 } : { _tag: "DIRECT" }
    })
  })

const worldOf = (setup: Setup, groups: Record<string, ReadonlyArray<string>>): World => ({
  kinds: new Map(channels.map((c) => [c.id as string, c.kind as string])),
  groups,
  parents,
  receiving: new Set(defaultStatuses.filter((s) => s.receivesDialogs).map((s) => s.id)),
  queueOrder: setup.queueOrder,
  agingStepSec: 60
})

const setRouting = (id: string, profile: Profile) =>
  new SetRouting({
    userId: UserId.make(id),
    capacity: profile.capacity,
    skills: profile.skills.map((t) => TopicId.make(t)),
    queues: profile.queues,
    skillGroups: profile.skillGroups.map((g) => SkillGroupId.make(g)),
    skillLevels: profile.levels,
    languages: profile.languages.map((l) => Language.make(l))
  })

/**
 * Adversarial interleaving for concurrent passes: while `yields` is non-empty, every store call
 * first yields its fiber a generated number of times (cycling through `yields`), so concurrent
 * passes read and commit in orders fast-check chooses and shrinks.
 */
const interleave: { yields: ReadonlyArray<number>; next: number } = { yields: [], next: 0 }

const yielding = (store: StoreService): StoreService => {
  const pause = Effect.suspend(() => {
    if (interleave.yields.length === 0) return Effect.void
    const n = interleave.yields[interleave.next++ % interleave.yields.length]!
    return Effect.repeatN(Effect.yieldNow(), n)
  })
  const wrapped: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(store)) {
    wrapped[key] = Effect.isEffect(value)
      ? Effect.zipRight(pause, value)
      : typeof value === "function"
      ? (...args: ReadonlyArray<unknown>) => Effect.zipRight(pause, (value as (...a: ReadonlyArray<unknown>) => Effect.Effect<unknown>)(...args))
      : value
  }
  return wrapped as unknown as StoreService
}

const layerFor = <E>(store: Layer.Layer<StorePorts, E>, config: RoutingConfig) =>
  Layer.mergeAll(Router.Default, Scheduler.Default).pipe(
    Layer.provideMerge(engineLayer(storeWithSettings(wrapStore(yielding)(store), { routing: config }))),
    Layer.provideMerge(RoutingSettings.layer()),
    Layer.provideMerge(TestContext.TestContext)
  )

/** Which checks a run makes besides the per-commit ones. */
interface Checks {
  /** After a sequential pass: INV-5 work conservation, INV-7 order (priority), INV-13 idempotence. */
  readonly quiescence: boolean
  /** After every pass, INV-9: round robin spreads assignments, least loaded spreads load, within one of each other. */
  readonly fairness?: "ROUND_ROBIN" | "LEAST_LOADED"
}

const fail = (message: string): never => {
  throw new Error(message)
}

/** One run: set up, then each step followed by the oracle's checks. */
const run = (setup: Setup, steps: ReadonlyArray<Step>, checks: Checks) =>
  Effect.gen(function* () {
    const store = yield* storeService
    const engine = yield* Engine
    const router = yield* Router
    const scheduler = yield* Scheduler
    // The oracle's view of the skill groups: replaced in place when a step regroups.
    const groupsNow: Record<string, ReadonlyArray<string>> = { ...setup.groups }
    const replay = new Replay(worldOf(setup, groupsNow))
    /** Set the skill groups as the admin screen does: the routing settings' JSON through `Engine.changeSettings`. */
    const configureGroups = (groups: Groups) =>
      Effect.gen(function* () {
        const current = (yield* store.config()).settings.routing
        yield* Effect.orDie(engine.changeSettings(owner, { routing: { ...encodeRouting(current), skillGroups: groups } }))
        for (const key of Object.keys(groupsNow)) delete groupsNow[key]
        Object.assign(groupsNow, groups)
      })
    const dialogs: Array<{ readonly id: DialogId; readonly client: string; readonly channel: string }> = []
    const ignore = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.ignore(effect)
    const pick = (i: number) => (dialogs.length === 0 ? undefined : dialogs[i % dialogs.length])

    /** Replay what was committed since the last look; fail on the first violation. */
    const audit = Effect.gen(function* () {
      const events = yield* store.readAll(replay.position, 100_000)
      replay.apply(events, (stored, before) => {
        const violation = commitViolation(stored, before)
        if (violation !== undefined) fail(violation)
      })
      for (const d of replay.dialogs.values()) {
        const violation = stateViolation(d)
        if (violation !== undefined) fail(violation)
      }
      // The store's load projection agrees with the dialogs: one holder per dialog (INV-3).
      const loads = yield* store.loads()
      const held = replay.holdings()
      for (const id of operatorIds) {
        const stored = (loads.get(UserId.make(id)) ?? []).map((entry) => entry.dialogId as string).sort()
        const expected = [...(held.get(id) ?? [])].sort()
        if (stored.join() !== expected.join()) fail(`INV-3 single owner: the store's load of ${id} is [${stored}] but the dialogs say [${expected}]`)
      }
    })

    const registered = (op: string) => setup.operators.length > operatorIds.indexOf(op as (typeof operatorIds)[number])
    /** The steps that can also run while passes do. */
    const command = (step: Meanwhile, dialogId: DialogId | undefined): Effect.Effect<void> => {
      switch (step.k) {
        case "pick":
          return dialogId !== undefined && registered(step.op) ? ignore(engine.execute(actorOf(step.op), new Dialog.Accept({ dialogId }))) : Effect.void
        case "profile":
          return registered(step.op) ? ignore(engine.operator(owner, setRouting(step.op, step.profile))) : Effect.void
        case "status":
          return registered(step.op) ? ignore(engine.operator(owner, new SetStatus({ userId: UserId.make(step.op), statusId: step.online ? "online" : "break" }))) : Effect.void
        case "topic":
          return dialogId !== undefined ? ignore(engine.execute(owner, new Dialog.SetTopics({ dialogId, topics: [TopicId.make(step.topic)] }))) : Effect.void
      }
    }

    /** A new client writes; the dialog gets its topic, priority and language as a bot or an operator would set them. */
    const arrive = (step: Arrive) =>
      Effect.gen(function* () {
        yield* TestClock.adjust(1000)
        const client = `c${dialogs.length}`
        const received = yield* engine.receive(inbound(client, "hello", { channelId: step.channel }))
        dialogs.push({ id: received.dialogId, client, channel: step.channel })
        const id = received.dialogId
        if (step.topic !== undefined) yield* ignore(engine.execute(owner, new Dialog.SetTopics({ dialogId: id, topics: [TopicId.make(step.topic)] })))
        if (step.priority !== 0) yield* ignore(engine.execute(supervisor, new Dialog.SetPriority({ dialogId: id, priority: step.priority })))
        if (step.language !== undefined) yield* ignore(engine.execute(owner, new Dialog.SetLanguage({ dialogId: id, language: Language.make(step.language) })))
      })

    yield* TestClock.setTime(monday)
    yield* configureGroups(setup.groups)
    for (const channel of channels) yield* store.putChannel(channel)
    for (const [i, { profile, online }] of setup.operators.entries()) {
      const id = operatorIds[i]!
      yield* engine.operator(owner, new RegisterOperator({ userId: UserId.make(id), name: id.toUpperCase(), role: "operator" }))
      yield* engine.operator(owner, new SetStatus({ userId: UserId.make(id), statusId: online ? "online" : "break" }))
      yield* engine.operator(owner, setRouting(id, profile))
    }
    yield* engine.operator(owner, new RegisterOperator({ userId: supervisor.id, name: supervisor.name, role: supervisor.role }))
    yield* audit

    for (const step of steps) {
      const target = "i" in step ? pick(step.i) : undefined
      const dialogId = target?.id
      switch (step.k) {
        case "arrive":
          yield* arrive(step)
          break
        case "regroup":
          yield* configureGroups(step.groups)
          break
        case "pass": {
          yield* audit
          const waitingBefore = replay.waiting().map((d) => ({ d, compatible: replay.compatible(d).join(), key: replay.queueKey(d) }))
          const routedBefore = replay.routed.length
          yield* router.runPass()
          yield* audit
          if (checks.fairness !== undefined) {
            const ids = operatorIds.slice(0, setup.operators.length)
            const counts = ids.map((id) =>
              checks.fairness === "ROUND_ROBIN" ? replay.routed.filter((r) => r.operatorId === id).length : replay.load(id, "telegram")
            )
            if (Math.max(...counts) - Math.min(...counts) > 1) fail(`INV-9 fairness (${checks.fairness}): ${ids.map((id, i) => `${id}=${counts[i]}`).join(" ")}`)
          }
          if (!checks.quiescence) break
          // INV-5: no queued dialog is left beside an operator with room who could take it.
          for (const d of replay.waiting()) {
            const idle = replay.candidates(d)
            if (idle.length > 0) fail(`INV-5 work conservation: ${d.id} (topics ${d.topics.join(",") || "-"}) waits while ${idle.join(",")} could take it`)
          }
          // INV-7: within a queue, among dialogs with the same compatible operators, a later key is never routed before an earlier one.
          const routedNow = new Set(replay.routed.slice(routedBefore).filter((r) => r.mode !== "sticky").map((r) => r.dialogId))
          const fair = waitingBefore.filter((w) => w.d.excludedOperators.length === 0 && Option.isNone(w.d.reopenedFrom))
          for (const later of fair) {
            if (!routedNow.has(later.d.id)) continue
            for (const earlier of fair) {
              if (earlier.d.id === later.d.id || routedNow.has(earlier.d.id)) continue
              if (earlier.d.queueId !== later.d.queueId || earlier.d.channelId !== later.d.channelId || earlier.compatible !== later.compatible) continue
              if (compareKeys(earlier.key, later.key) < 0) {
                fail(`INV-7 order: ${later.d.id} (priority ${later.d.priority}) was routed while ${earlier.d.id} (priority ${earlier.d.priority}), ahead of it in ${setup.queueOrder} order with the same operators, still waits`)
              }
            }
          }
          // INV-13: a second pass at quiescence changes nothing.
          const again = yield* router.runPass()
          if (again.applied.length > 0) fail(`INV-13 idempotence: a second pass routed ${again.applied.map((d) => d.dialogId).join(",")}`)
          break
        }
        case "race": {
          // INV-14: concurrent passes (two servers' routers) with fibers yielding every few operations.
          for (const arrival of step.arrivals) yield* arrive(arrival)
          const meanwhile = step.meanwhile
          const other = meanwhile === undefined ? Effect.void : command(meanwhile, meanwhile.k === "topic" || meanwhile.k === "pick" ? pick(meanwhile.i)?.id : undefined)
          interleave.yields = step.yields
          yield* Effect.all([other, ...Array.from({ length: step.passes }, () => router.runPass())], { concurrency: "unbounded", discard: true }).pipe(
            Effect.ensuring(Effect.sync(() => (interleave.yields = [])))
          )
          break
        }
        case "advance": {
          yield* TestClock.adjust(step.seconds * 1000)
          yield* scheduler.runDue()
          yield* router.sweep()
          yield* audit
          // INV-10: no offer stays pending past its expiry.
          const now = yield* Clock.currentTimeMillis
          for (const d of replay.dialogs.values()) {
            if (Option.isSome(d.offer) && d.offer.value.expiresAt <= now) fail(`INV-10 offer timing: ${d.id}'s offer expired at ${d.offer.value.expiresAt} and is still pending at ${now}`)
          }
          break
        }
        case "accept":
        case "decline": {
          if (dialogId === undefined) break
          const offer = Option.flatMap(Option.fromNullable(replay.dialogs.get(dialogId)), (d) => d.offer)
          if (Option.isNone(offer)) break
          const who = actorOf(offer.value.operatorId)
          yield* ignore(engine.execute(who, step.k === "accept" ? new Dialog.Accept({ dialogId }) : new Dialog.DeclineOffer({ dialogId })))
          break
        }
        case "pick":
        case "profile":
        case "topic":
          yield* command(step, dialogId)
          break
        case "close":
          if (dialogId !== undefined) yield* ignore(engine.execute(owner, new Dialog.Close({ dialogId, force: true })))
          break
        case "hold":
          if (dialogId !== undefined) yield* ignore(engine.execute(owner, new Dialog.SetHold({ dialogId, onHold: step.onHold })))
          break
        case "reopen":
          if (target !== undefined && replay.dialogs.get(target.id)?.status === "closed") {
            yield* TestClock.adjust(1000)
            yield* ignore(engine.receive(inbound(target.client, "one more thing", { channelId: target.channel })))
          }
          break
        case "status": {
          if (!registered(step.op)) break
          yield* command(step, undefined)
          yield* router.sweep()
          yield* audit
          // INV-12: an operator who stops receiving holds no pending offer once the router has reacted.
          if (!step.online) {
            for (const d of replay.dialogs.values()) {
              if (Option.exists(d.offer, (offer) => offer.operatorId === step.op)) fail(`INV-12 unavailability: ${step.op} went on break and still holds the offer of ${d.id}`)
            }
          }
          break
        }
        case "transfer":
          if (dialogId !== undefined) yield* ignore(engine.execute(owner, new Dialog.Requeue({ dialogId, reason: "transfer", queueId: step.queueId, resetAge: step.resetAge })))
          break
        case "reassign":
          if (dialogId !== undefined && setup.operators.length > operatorIds.indexOf(step.op)) {
            yield* ignore(engine.execute(owner, new Dialog.Reassign({ dialogId, to: { _tag: "Operator", userId: UserId.make(step.op) } })))
          }
          break
        case "priority":
          if (dialogId !== undefined) yield* ignore(engine.execute(supervisor, new Dialog.SetPriority({ dialogId, priority: step.priority })))
          break
      }
      yield* audit
    }
    return replay
  })

/** Run `program` on a fresh runtime over a fresh store; dispose it afterwards. */
const onFreshStore = async <E, A>(makeStore: () => Layer.Layer<StorePorts, E>, setup: Setup, program: Effect.Effect<A, unknown, StorePorts | Engine | Router | Scheduler>) => {
  const runtime = ManagedRuntime.make(layerFor(makeStore(), configOf(setup)))
  try {
    return await runtime.runPromise(program)
  } finally {
    await runtime.dispose()
  }
}

/** Options of a properties run: PGlite runs are slow, so fewer. */
export interface RoutingPropertiesOptions {
  /** Runs of each property. */
  readonly numRuns: number
  /** Runs of the skill-group and priority property, when it should differ (default `numRuns`). */
  readonly orderRuns?: number
  /** Steps per run (default 40). */
  readonly maxSteps?: number
  readonly timeout?: number
}

/**
 * Register ROUTING.md A5's invariants as properties over the shipping path on the store
 * `makeStore` builds (a fresh one per run). The failure message names the invariant broken and
 * the dialogs and operators involved; fast-check shrinks the step sequence.
 */
export const routingProperties = <E>(name: string, makeStore: () => Layer.Layer<StorePorts, E>, options: RoutingPropertiesOptions) => {
  const maxSteps = options.maxSteps ?? 40
  const timeout = options.timeout ?? 120_000
  describe(`Routing invariants on the shipping path: ${name}`, () => {
    it(
      "INV-1..5, 7, 10..14 hold at every commit and every quiescent pass of random command sequences (capacity, eligibility with skill groups and languages, single owner, transitions, work conservation, priority order, offer timing, requeue age, unavailability, idempotence, concurrent passes)",
      async () => {
        await fc.assert(
          fc.asyncProperty(setupArb, fc.array(stepArb, { minLength: 1, maxLength: maxSteps }), async (setup, steps) => {
            await onFreshStore(makeStore, setup, run(setup, steps, { quiescence: true }))
          }),
          { numRuns: options.numRuns }
        )
      },
      timeout
    )

    it(
      "INV-14: passes racing each other and a pick, a profile, status or topic change committed meanwhile never exceed capacity, route outside a skill group or leave a dialog two owners",
      async () => {
        await fc.assert(
          fc.asyncProperty(
            setupArb.map((setup) => ({
              ...setup,
              operators: setup.operators.map(({ profile }) => ({
                online: true,
                profile: { ...profile, capacity: { telegram: Math.max(1, profile.capacity.telegram), widget: Math.max(1, profile.capacity.widget) } }
              }))
            })),
            fc.array(fc.oneof({ weight: 3, arbitrary: raceArb.map((race) => ({ ...race, meanwhile: race.meanwhile ?? { k: "pick" as const, i: race.passes, op: "o1" as const } })) }, { weight: 1, arbitrary: fc.record({ k: fc.constant("close" as const), i: index }) }), {
              minLength: 1,
              maxLength: Math.ceil(maxSteps / 4)
            }),
            async (setup, steps) => {
              await onFreshStore(makeStore, setup, run(setup, steps, { quiescence: false }))
            }
          ),
          { numRuns: options.numRuns }
        )
      },
      timeout
    )

    it(
      "INV-9: with everyone eligible and room for all, round robin's assignment counts and least loaded's loads never differ by more than one",
      async () => {
        const room = { capacity: { telegram: 50, widget: 0 }, skillGroups: [], levels: { billing: 1, tech: 1 }, skills: [], queues: [], languages: [] }
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom("ROUND_ROBIN" as const, "LEAST_LOADED" as const),
            fc.integer({ min: 2, max: 4 }),
            fc.array(fc.oneof({ weight: 3, arbitrary: arriveArb.map((a) => ({ ...a, channel: "tg", topic: undefined, language: undefined })) }, { weight: 1, arbitrary: passArb }), {
              minLength: 1,
              maxLength: maxSteps
            }),
            async (selection, staff, steps) => {
              const setup: Setup = { groups: classicGroups, queueOrder: "FIFO", selection, offer: false, operators: Array.from({ length: staff }, () => ({ online: true, profile: room })) }
              await onFreshStore(makeStore, setup, run(setup, steps, { quiescence: false, fairness: selection }))
            }
          ),
          { numRuns: options.numRuns }
        )
      },
      timeout
    )

    it(
      "a dialog needing a skill group (or a language) is never routed outside it, and among dialogs the same operators could take, a higher priority is never passed over (PRIORITY_FIFO)",
      async () => {
        await fc.assert(
          fc.asyncProperty(
            setupArb.map((setup) => ({ ...setup, queueOrder: "PRIORITY_FIFO" as const })),
            fc.array(orderStepArb, { minLength: 1, maxLength: maxSteps }),
            async (setup, steps) => {
              await onFreshStore(makeStore, setup, run(setup, [...steps, { k: "pass" }], { quiescence: true }))
            }
          ),
          { numRuns: options.orderRuns ?? options.numRuns }
        )
      },
      timeout
    )
  })
}
