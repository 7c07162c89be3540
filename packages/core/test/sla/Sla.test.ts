import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, DateTime, Either, Option, Order, ParseResult, Schema } from "effect"
import * as Calendar from "../../src/sla/Calendar.js"
import * as Sla from "../../src/sla/Sla.js"

const NINE_TO_SIX = [["09:00", "18:00"]]
const office = Calendar.make(
  Schema.decodeUnknownSync(Calendar.Config)({
    timezone: "Europe/Kyiv",
    week: { mon: NINE_TO_SIX, tue: NINE_TO_SIX, wed: NINE_TO_SIX, thu: NINE_TO_SIX, fri: NINE_TO_SIX }
  })
)

const policy = (json: Record<string, unknown>): Sla.Policy => Schema.decodeUnknownSync(Sla.Policy)({ name: "Standard", ...json })

/** Local Kyiv wall time in March 2026 (UTC+2 before the 29th). */
const kyiv = (local: string): Date => new Date(`${local}+02:00`)
const iso = (instant: DateTime.Utc): string => DateTime.formatIso(instant)
const isoOf = (instant: Option.Option<DateTime.Utc>): string | undefined =>
  Option.getOrUndefined(Option.map(instant, (at) => iso(at)))

const measurement = (value: Option.Option<Sla.Measurement>): Sla.Measurement =>
  Option.getOrThrowWith(value, () => new Error("metric not measured"))

describe("Sla.evaluate: first response on office hours", () => {
  const firstResponse30 = policy({ targets: { firstResponse: 30 } })
  const friday = "2026-03-20T17:50:00"
  const timeline = [Sla.created(kyiv(friday))]
  const at = (local: string): Sla.Measurement =>
    measurement(Sla.evaluate(firstResponse30, office, timeline, kyiv(local)).firstResponse)

  it("created 17:50 Friday: due Monday 09:20, warning from Monday 09:14", () => {
    const fridayNight = at("2026-03-20T18:30:00")
    expect(fridayNight.status).toBe("running")
    expect(isoOf(fridayNight.due)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T09:20:00"))))
    expect(isoOf(fridayNight.warningAt)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T09:14:00"))))
    expect(fridayNight.elapsed).toBe(10)
    expect(fridayNight.remaining).toBe(20)
  })

  it("the status changes exactly at the warning and breach instants", () => {
    expect(at("2026-03-23T09:13:59").status).toBe("running")
    expect(at("2026-03-23T09:14:00").status).toBe("warning")
    expect(at("2026-03-23T09:14:00").remaining).toBe(6)
    expect(at("2026-03-23T09:19:59").status).toBe("warning")
    expect(at("2026-03-23T09:20:00").status).toBe("breached")
    const late = at("2026-03-23T10:00:00")
    expect(late.status).toBe("breached")
    expect(late.remaining).toBe(-40)
    expect(isoOf(late.due)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T09:20:00"))))
  })

  it("nextTransition names the Monday instants one after the other", () => {
    const next = (local: string) =>
      Option.map(Sla.nextTransition(Sla.evaluate(firstResponse30, office, timeline, kyiv(local))), (t) => ({
        at: iso(t.at),
        metric: t.metric,
        status: t.status
      }))
    expect(next("2026-03-20T17:55:00")).toEqual(
      Option.some({ at: "2026-03-23T07:14:00.000Z", metric: "firstResponse", status: "warning" })
    )
    expect(next("2026-03-23T09:14:00")).toEqual(
      Option.some({ at: "2026-03-23T07:20:00.000Z", metric: "firstResponse", status: "breached" })
    )
    expect(next("2026-03-23T09:20:00")).toEqual(Option.none())
  })

  it("a reply before the deadline is met, at the deadline too, after it breached", () => {
    const replied = (local: string) =>
      measurement(
        Sla.evaluate(firstResponse30, office, [...timeline, Sla.operatorReply(kyiv(local))], kyiv("2026-03-23T12:00:00"))
          .firstResponse
      )
    const early = replied("2026-03-23T09:05:00")
    expect(early.status).toBe("met")
    expect(early.elapsed).toBe(15)
    expect(isoOf(early.stoppedAt)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T09:05:00"))))
    expect(replied("2026-03-20T21:00:00").status).toBe("met")
    expect(replied("2026-03-23T09:20:00").status).toBe("met")
    expect(replied("2026-03-23T09:20:01").status).toBe("breached")
  })

  it("a reply after hours to a deadline that ran out at closing is on time", () => {
    const evaluation = Sla.evaluate(
      firstResponse30,
      office,
      [Sla.created(kyiv("2026-03-20T17:30:00")), Sla.operatorReply(kyiv("2026-03-20T18:30:00"))],
      kyiv("2026-03-20T19:00:00")
    )
    expect(measurement(evaluation.firstResponse).status).toBe("met")
  })

  it("statusChanges reports what the scheduler should announce", () => {
    const before = Sla.evaluate(firstResponse30, office, timeline, kyiv("2026-03-23T09:13:00"))
    const warned = Sla.evaluate(firstResponse30, office, timeline, kyiv("2026-03-23T09:14:00"))
    const breached = Sla.evaluate(firstResponse30, office, timeline, kyiv("2026-03-23T09:20:00"))
    expect(Sla.statusChanges(before, warned)).toEqual([
      { metric: "firstResponse", from: Option.some("running"), to: "warning" }
    ])
    expect(Sla.statusChanges(warned, breached)).toEqual([
      { metric: "firstResponse", from: Option.some("warning"), to: "breached" }
    ])
    expect(Sla.statusChanges(breached, breached)).toEqual([])
  })

  it("a met clock schedules nothing", () => {
    const evaluation = Sla.evaluate(
      firstResponse30,
      office,
      [...timeline, Sla.operatorReply(kyiv("2026-03-23T09:05:00"))],
      kyiv("2026-03-23T09:06:00")
    )
    expect(Sla.nextTransition(evaluation)).toEqual(Option.none())
    expect(evaluation.awaitingReply).toBe(false)
  })
})

describe("Sla.evaluate: time to close and waiting on the client", () => {
  const ttc = policy({ targets: { timeToClose: 120 } })
  const start = Sla.created(kyiv("2026-03-23T10:00:00"))

  it("waiting on the client pauses time to close", () => {
    const timeline = [
      start,
      Sla.operatorReply(kyiv("2026-03-23T10:30:00")),
      Sla.waitingOnClient(kyiv("2026-03-23T10:30:00"), true)
    ]
    const paused = measurement(Sla.evaluate(ttc, office, timeline, kyiv("2026-03-23T15:00:00")).timeToClose)
    expect(paused.status).toBe("paused")
    expect(paused.elapsed).toBe(30)
    expect(paused.due).toEqual(Option.none())
    expect(Sla.nextTransition(Sla.evaluate(ttc, office, timeline, kyiv("2026-03-23T15:00:00")))).toEqual(Option.none())

    const resumed = [...timeline, Sla.clientMessage(kyiv("2026-03-23T16:00:00"))]
    const running = measurement(Sla.evaluate(ttc, office, resumed, kyiv("2026-03-23T16:30:00")).timeToClose)
    expect(running.status).toBe("running")
    expect(running.elapsed).toBe(60)
    expect(isoOf(running.due)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T17:30:00"))))
  })

  it("clearing the flag resumes the clock", () => {
    const timeline = [
      start,
      Sla.waitingOnClient(kyiv("2026-03-23T10:30:00"), true),
      Sla.waitingOnClient(kyiv("2026-03-23T11:30:00"), false)
    ]
    expect(measurement(Sla.evaluate(ttc, office, timeline, kyiv("2026-03-23T12:00:00")).timeToClose).elapsed).toBe(60)
  })

  it("a policy may let time to close run while waiting", () => {
    const running = policy({ targets: { timeToClose: 120 }, whileWaitingOnClient: { timeToClose: "run" } })
    const timeline = [start, Sla.waitingOnClient(kyiv("2026-03-23T10:30:00"), true)]
    const result = measurement(Sla.evaluate(running, office, timeline, kyiv("2026-03-23T11:30:00")).timeToClose)
    expect(result.status).toBe("running")
    expect(result.elapsed).toBe(90)
  })

  it("a policy may count 'the operator wrote last' as waiting", () => {
    const lastWord = policy({ targets: { timeToClose: 120 }, waitingWhenOperatorRepliedLast: true })
    const timeline = [start, Sla.operatorReply(kyiv("2026-03-23T10:20:00")), Sla.clientMessage(kyiv("2026-03-23T11:00:00"))]
    const result = measurement(Sla.evaluate(lastWord, office, timeline, kyiv("2026-03-23T11:30:00")).timeToClose)
    expect(result.elapsed).toBe(20 + 30)
  })

  it("closing stops the clock and reopening resumes it", () => {
    const closedAt = [start, Sla.closed(kyiv("2026-03-23T11:00:00"))]
    const closed = Sla.evaluate(ttc, office, closedAt, kyiv("2026-03-23T15:00:00"))
    expect(measurement(closed.timeToClose).status).toBe("met")
    expect(measurement(closed.timeToClose).elapsed).toBe(60)
    expect(closed.closed).toBe(true)

    const reopened = [...closedAt, Sla.reopened(kyiv("2026-03-23T16:00:00"))]
    const again = measurement(Sla.evaluate(ttc, office, reopened, kyiv("2026-03-23T16:30:00")).timeToClose)
    expect(again.status).toBe("running")
    expect(again.elapsed).toBe(90)
    expect(isoOf(again.due)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T17:00:00"))))
    expect(again.stoppedAt).toEqual(Option.none())
  })

  it("a breach stays a breach after pausing", () => {
    const timeline = [start, Sla.waitingOnClient(kyiv("2026-03-23T12:30:00"), true)]
    const result = measurement(Sla.evaluate(ttc, office, timeline, kyiv("2026-03-23T15:00:00")).timeToClose)
    expect(result.status).toBe("breached")
    expect(isoOf(result.due)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T12:00:00"))))
  })
})

describe("Sla.evaluate: next response", () => {
  const nrt = policy({ targets: { firstResponse: 30, nextResponse: 15 } })
  const base = [
    Sla.created(kyiv("2026-03-23T10:00:00")),
    Sla.clientMessage(kyiv("2026-03-23T10:02:00")),
    Sla.operatorReply(kyiv("2026-03-23T10:05:00"))
  ]

  it("is not measured until the client writes after an operator reply", () => {
    const evaluation = Sla.evaluate(nrt, office, base, kyiv("2026-03-23T10:10:00"))
    expect(evaluation.nextResponse).toEqual(Option.none())
    expect(measurement(evaluation.firstResponse).status).toBe("met")
    expect(measurement(evaluation.firstResponse).elapsed).toBe(5)
  })

  it("starts at the first client message; later client messages do not move it", () => {
    const timeline = [
      ...base,
      Sla.clientMessage(kyiv("2026-03-23T11:00:00")),
      Sla.clientMessage(kyiv("2026-03-23T11:10:00"))
    ]
    const result = measurement(Sla.evaluate(nrt, office, timeline, kyiv("2026-03-23T11:12:00")).nextResponse)
    expect(iso(result.startedAt)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T11:00:00"))))
    expect(result.elapsed).toBe(12)
    expect(result.status).toBe("warning")
    expect(isoOf(result.due)).toBe(iso(DateTime.unsafeMake(kyiv("2026-03-23T11:15:00"))))
  })

  it("one measurement per exchange", () => {
    const timeline = [
      ...base,
      Sla.clientMessage(kyiv("2026-03-23T11:00:00")),
      Sla.operatorReply(kyiv("2026-03-23T11:10:00")),
      Sla.clientMessage(kyiv("2026-03-23T12:00:00")),
      Sla.operatorReply(kyiv("2026-03-23T12:20:00")),
      Sla.operatorReply(kyiv("2026-03-23T12:25:00")),
      Sla.clientMessage(kyiv("2026-03-23T13:00:00"))
    ]
    const evaluation = Sla.evaluate(nrt, office, timeline, kyiv("2026-03-23T13:01:00"))
    expect(evaluation.nextResponses.map((m) => [m.status, m.elapsed])).toEqual([
      ["met", 10],
      ["breached", 20],
      ["running", 1]
    ])
    expect(measurement(evaluation.nextResponse).elapsed).toBe(1)
    expect(evaluation.awaitingReply).toBe(true)
    const previous = Sla.evaluate(nrt, office, timeline, kyiv("2026-03-23T12:59:00"))
    expect(Sla.statusChanges(previous, evaluation)).toEqual([
      { metric: "nextResponse", from: Option.none(), to: "running" }
    ])
  })
})

describe("Sla policy selection", () => {
  const set = Schema.decodeUnknownSync(Sla.PolicySet)({
    policies: [
      { name: "VIP email", priorities: ["vip"], channels: ["email"], targets: { firstResponse: 60 } },
      { name: "VIP", priorities: ["vip"], targets: { firstResponse: 10 } },
      { name: "Billing", topics: ["billing", "refunds"], targets: { firstResponse: 20 } }
    ],
    fallback: { name: "Default", targets: { firstResponse: 240 } }
  })

  it("the first matching policy wins", () => {
    expect(Sla.selectPolicy(set, { priority: "vip", channel: "email" }).name).toBe("VIP email")
    expect(Sla.selectPolicy(set, { priority: "vip", channel: "telegram", topics: ["billing"] }).name).toBe("VIP")
    expect(Sla.selectPolicy(set, { priority: "normal", topics: ["delivery", "refunds"] }).name).toBe("Billing")
  })

  it("falls back when nothing matches", () => {
    expect(Sla.selectPolicy(set, { priority: "normal", channel: "email" }).name).toBe("Default")
    expect(Sla.selectPolicy(set, {}).name).toBe("Default")
  })

  it("fills defaults: 20 % warning, time to close pauses while waiting, responses run", () => {
    const fallback = Sla.selectPolicy(set, {})
    expect(fallback.warningPercent).toBe(20)
    expect(fallback.whileWaitingOnClient).toEqual({ firstResponse: "run", nextResponse: "run", timeToClose: "pause" })
    expect(fallback.waitingWhenOperatorRepliedLast).toBe(false)
  })

  it("rejects bad targets and empty conditions with their paths", () => {
    const result = Schema.decodeUnknownEither(Sla.Policy, { errors: "all" })({
      name: "x",
      priorities: [],
      targets: { firstResponse: -5 }
    })
    const paths = Either.isLeft(result) ? ParseResult.ArrayFormatter.formatErrorSync(result.left).map((issue) => issue.path) : []
    expect(paths).toEqual([["priorities", 0], ["targets", "firstResponse"]])
  })
})

describe("Sla timeline schema", () => {
  it("decodes ISO instants and rejects entries out of order", () => {
    const decode = Schema.decodeUnknownEither(Sla.Timeline)
    expect(
      Either.isRight(decode([{ _tag: "Created", at: "2026-03-23T08:00:00Z" }, { _tag: "OperatorReply", at: "2026-03-23T08:05:00Z" }]))
    ).toBe(true)
    expect(
      Either.isLeft(decode([{ _tag: "Created", at: "2026-03-23T08:00:00Z" }, { _tag: "OperatorReply", at: "2026-03-23T07:05:00Z" }]))
    ).toBe(true)
  })
})

describe("Sla processing order (DLG-20)", () => {
  const p = policy({ targets: { firstResponse: 30, nextResponse: 15 } })
  const now = kyiv("2026-03-23T12:00:00")
  const dialogs = {
    waitingLong: [Sla.created(kyiv("2026-03-23T11:00:00"))],
    waitingShort: [Sla.created(kyiv("2026-03-23T11:50:00"))],
    nextResponseDue: [
      Sla.created(kyiv("2026-03-23T09:00:00")),
      Sla.operatorReply(kyiv("2026-03-23T09:05:00")),
      Sla.clientMessage(kyiv("2026-03-23T11:40:00"))
    ],
    answeredRecently: [Sla.created(kyiv("2026-03-23T10:00:00")), Sla.operatorReply(kyiv("2026-03-23T11:55:00"))],
    answeredLongAgo: [Sla.created(kyiv("2026-03-23T09:30:00")), Sla.operatorReply(kyiv("2026-03-23T09:31:00"))]
  }

  it("unanswered first by earliest due, then answered by most recent activity", () => {
    const sorted = Arr.sort(
      Object.entries(dialogs).map(([name, timeline]) => ({ name, key: Sla.processingKey(Sla.evaluate(p, office, timeline, now)) })),
      Order.mapInput(Sla.ProcessingOrder, (row: { key: Sla.ProcessingKey }) => row.key)
    )
    expect(sorted.map((row) => row.name)).toEqual([
      "waitingLong",
      "nextResponseDue",
      "waitingShort",
      "answeredRecently",
      "answeredLongAgo"
    ])
  })
})
