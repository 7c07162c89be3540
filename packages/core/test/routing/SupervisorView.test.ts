import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import * as Dialog from "../../src/dialogs/Dialog.js"
import { Engine } from "../../src/engine/Engine.js"
import { Router } from "../../src/routing/Router.js"
import { RoutingConfig, type RoutingDialog } from "../../src/routing/Routing.js"
import { supervisorView } from "../../src/routing/SupervisorView.js"
import { DialogId, QueueId, UserId } from "../../src/shared/Ids.js"
import { anna, boris, monday, owner } from "../../src/testing/fixtures.js"
import { arrive, given, layerFor } from "./harness.js"

describe("supervisor board, from the stored state the router plans on", () => {
  it.effect("shows every operator's status, load against capacity per channel and active dialogs (flagged over capacity); queue length and oldest wait", () =>
    Effect.gen(function* () {
      yield* given([
        { who: anna, capacity: { telegram: 2, widget: 1 } },
        { who: boris, capacity: { telegram: 1 }, status: "break" }
      ])
      const router = yield* Router
      const engine = yield* Engine
      const [first, second, third] = yield* arrive(3)
      yield* router.runPass()
      yield* TestClock.adjust("5 seconds")
      yield* arrive(1, "web").pipe(Effect.zipRight(TestClock.adjust("3 seconds")))
      yield* engine.execute(owner, new Dialog.Reassign({ dialogId: third!, to: { _tag: "Operator", userId: anna.id } }))

      const view = yield* router.board()
      const byId = new Map(view.operators.map((o) => [o.operatorId as string, o]))
      expect(byId.get("anna")).toMatchObject({ statusId: "online", availability: "available", absent: false })
      expect([...(byId.get("anna")?.load ?? [])].sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
        { channel: "telegram", load: 3, capacity: 2 },
        { channel: "widget", load: 0, capacity: 1 }
      ])
      expect(byId.get("anna")?.activeDialogs.map((d) => [d.dialogId, d.state, d.overCapacity]).sort()).toEqual(
        [[first, "assigned", false], [second, "assigned", false], [third, "assigned", true]].sort()
      )
      expect(byId.get("boris")).toMatchObject({ statusId: "break", availability: "unavailable", absent: true, activeDialogs: [] })
      expect(view.queues).toEqual([{ queueId: "default", length: 1, oldestEnqueuedAt: Option.some(monday + 5000), oldestWaitMs: Option.some(3000), slaBreaches: 0 }])
    }).pipe(Effect.provide(layerFor())))
})

describe("supervisor board, SLA breaches per queue", () => {
  const dialog = (id: string, queueId: string, state: RoutingDialog["state"], slaBreached: boolean, assigneeId?: string): RoutingDialog => ({
    id: DialogId.make(id),
    channel: "telegram",
    queueId: QueueId.make(queueId),
    priority: 0,
    enqueuedAt: monday,
    topics: [],
    requiredSkills: [],
    preferredSkills: [],
    excludedOperators: [],
    state,
    ...(assigneeId === undefined ? {} : { assigneeId: UserId.make(assigneeId) }),
    overCapacity: false,
    slaBreached,
    version: 1
  })

  it("counts the open dialogs of each queue with a breached target, waiting or held; a queue with only held dialogs still shows", () => {
    const view = supervisorView(
      {
        operators: [],
        dialogs: [
          dialog("d1", "sales", "queued", true),
          dialog("d2", "sales", "queued", false),
          dialog("d3", "sales", "assigned", true, "anna"),
          dialog("d4", "support", "assigned", true, "anna"),
          dialog("d5", "support", "closed", true)
        ],
        assignmentLog: []
      },
      RoutingConfig.make({}),
      monday + 60_000
    )
    expect(view.queues.map((q) => [q.queueId, q.length, q.slaBreaches, Option.getOrUndefined(q.oldestWaitMs)])).toEqual([
      ["sales", 2, 2, 60_000],
      ["support", 0, 1, undefined]
    ])
  })
})
