import { describe, expect, it } from "@effect/vitest"
import { Calendar, Client, type Commit, Dialog, Engine, type InboundAddress, Message, Operator, wrapStore } from "@switchboard/core"
import { Fixtures, MemoryStore } from "@switchboard/core/testing"
import { Arbitrary, Effect, FastCheck, Layer, Schema } from "effect"
import { FastEncode, SqlStore } from "../src/index.js"

/** Every schema a commit encodes, with the encoding the store used before (`Schema.encodeSync`). */
const schemas: ReadonlyArray<readonly [string, Schema.Schema<any, any>]> = [
  ["DialogState", Dialog.DialogState],
  ["ClientState", Client.ClientState],
  ["DialogEvent", Dialog.DialogEvent],
  ["ClientEvent", Client.ClientEvent],
  ["Message", Message.Message]
]

const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value))
const notCompiled = (): never => {
  throw new Error("not compiled")
}

describe("FastEncode: the store's encoders without a validation pass", () => {
  for (const [name, schema] of schemas) {
    it(`${name}: compiled, and encodes arbitrary values exactly like Schema.encodeSync`, () => {
      expect(FastEncode.isCompiled(schema)).toBe(true)
      const fast = FastEncode.encoder(schema, notCompiled)
      const reference = Schema.encodeSync(schema)
      FastCheck.assert(FastCheck.property(Arbitrary.make(schema), (value) => {
        expect(json(fast(value))).toEqual(json(reference(value)))
      }), { numRuns: 300 })
    })
  }

  // Operator states and events hold calendars, whose arbitrary values are too rare to generate: real ones instead.
  it.effect("operator states and events, and every state and event of a dialog's life, encode exactly like Schema.encodeSync", () =>
    Effect.gen(function* () {
      const commits: Array<Commit> = []
      const capture = wrapStore((store) => ({
        ...store,
        commit: (commit: Commit) => Effect.tap(store.commit(commit), () => Effect.sync(() => commits.push(commit))),
        commitFirstContact: (address: InboundAddress, commit: Commit) => Effect.tap(store.commitFirstContact(address, commit), () => Effect.sync(() => commits.push(commit)))
      }))(MemoryStore.layer)
      yield* Effect.gen(function* () {
        const engine = yield* Engine
        yield* Fixtures.seed
        const shift = Schema.decodeUnknownSync(Calendar.Config)({ timezone: "Europe/Berlin", week: { mon: [["09:00", "17:00"]], tue: [["09:00", "12:00"], ["13:00", "17:00"]] }, holidays: [{ date: "2026-12-25" }] })
        yield* engine.operator(Fixtures.owner, new Operator.SetRouting({ userId: Fixtures.anna.id, capacity: { telegram: 3 }, skills: [], queues: [], shift }))
        const { dialogId } = yield* engine.receive(Fixtures.inbound("c1", "hello"))
        yield* engine.execute(Fixtures.anna, new Dialog.Accept({ dialogId }))
        yield* engine.execute(Fixtures.anna, new Dialog.SendMessage({ dialogId, input: Fixtures.text("hi"), internal: false }))
        yield* engine.execute(Fixtures.anna, new Dialog.SendMessage({ dialogId, input: Fixtures.text("note"), internal: true }))
        yield* engine.receive(Fixtures.inbound("c1", "thanks"))
      }).pipe(Effect.provide(Fixtures.engineLayer(capture)))
      const states: Record<string, Schema.Schema<any, any>> = { dialog: Dialog.DialogState, client: Client.ClientState, operator: Operator.OperatorState }
      const kinds = new Set<string>()
      for (const commit of commits) {
        for (const write of commit.streams) {
          kinds.add(write.kind)
          const schema = states[write.kind]!
          expect(json(FastEncode.encoder(schema, notCompiled)(write.state))).toEqual(json(Schema.encodeSync(schema)(write.state)))
          for (const event of write.events) {
            expect(json(FastEncode.encoder(SqlStore.DomainEvent, notCompiled)(event))).toEqual(json(Schema.encodeSync(SqlStore.DomainEvent)(event)))
          }
        }
      }
      expect([...kinds].sort()).toEqual(["client", "dialog", "operator"])
    }))

  it("schemas with shapes it does not know fall back to Schema.encodeSync", () => {
    const odd = Schema.Struct({ at: Schema.DateFromString })
    expect(FastEncode.isCompiled(odd)).toBe(false)
    const encode = FastEncode.encoder(odd, Schema.encodeSync(odd))
    expect(encode({ at: new Date(0) })).toEqual({ at: "1970-01-01T00:00:00.000Z" })
  })
})
