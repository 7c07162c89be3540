import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Dialog, type DialogId, Engine, type StoredEvent, storeOf, type StorePorts, storeService, type StoreService, TagId, type VersionConflict } from "@switchboard/core"
import { Fixtures } from "@switchboard/core/testing"
import { Context, Effect, Either, Fiber, Layer, Option, Schedule } from "effect"
import { vi } from "vitest"
import { SqlStore } from "../src/index.js"
import { PgliteScratch } from "../src/testing.js"

vi.setConfig({ testTimeout: 60_000 })

const url = process.env["DATABASE_URL"] ?? ""

/** Every statement the store sends through `unsafe`, with its parameters. */
const sent: Array<{ readonly sql: string; readonly params: ReadonlyArray<unknown> }> = []
const spying = <E>(client: Layer.Layer<SqlClient.SqlClient, E>): Layer.Layer<SqlClient.SqlClient, E> =>
  Layer.map(client, (context) => {
    const inner = Context.get(context, SqlClient.SqlClient)
    const spy = new Proxy(inner, {
      get: (target, key, receiver) =>
        key === "unsafe"
          ? (statement: string, params?: ReadonlyArray<unknown>) => {
            sent.push({ sql: statement, params: params ?? [] })
            return target.unsafe(statement, params)
          }
          : Reflect.get(target, key, receiver)
    })
    return Context.add(context, SqlClient.SqlClient, spy)
  })

/** The engine and store on `client` (statements recorded in `sent`), the raw client beside them. */
const withEngine = <E>(client: Layer.Layer<SqlClient.SqlClient, E>) => Layer.merge(Fixtures.engineLayer(SqlStore.layer.pipe(Layer.provide(spying(client)))), client)

const targets: ReadonlyArray<readonly [string, () => Layer.Layer<Engine | StorePorts | SqlClient.SqlClient, unknown>]> = [
  ["PGlite", () => withEngine(PgliteScratch.layer())],
  ...(url === "" ? [] : [["PostgreSQL", () => withEngine(Layer.unwrapScoped(Effect.map(SqlStore.scratchSchema(url), (schema) => SqlStore.pgClientLayer({ url, schema, maxConnections: 4 }))))] as const])
]

/** A tag change on a dialog, decided on `expectedVersion`. */
const tagging = (store: StoreService, dialogId: DialogId, stale: boolean) =>
  Effect.gen(function* () {
    const dialog = Option.getOrThrow(yield* store.loadDialog(dialogId))
    const event = new Dialog.TagsSet({ tags: [TagId.make("vip")], by: "test", at: 1 })
    return {
      streams: [{ kind: "dialog" as const, id: dialogId, expectedVersion: stale ? dialog.version - 1 : dialog.version, events: [event], state: dialog.state }],
      messages: [],
      timers: []
    }
  })

for (const [name, layer] of targets) {
  describe(`SQL store on ${name}: group commit`, () => {
    it.effect("commits issued while four statements run go out together; a conflicting one fails alone, the others land in order", () =>
      Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* storeService
        yield* store.putChannel(Fixtures.telegram)
        const dialogs: Array<DialogId> = []
        for (let i = 0; i < 9; i++) dialogs.push((yield* engine.receive(Fixtures.inbound(`g${i}`, `hello ${i}`))).dialogId)
        const stale = 6
        const commits = yield* Effect.forEach(dialogs, (dialogId, i) => tagging(store, dialogId, i === stale))
        // Issued in one go: the first four go out alone (four statements in flight), the other five wait
        // and go out as one statement.
        sent.length = 0
        const results = yield* Effect.all(commits.map((commit) => Effect.either(store.commit(commit))), { concurrency: "unbounded" })
        const statements = sent.filter((statement) => statement.sql.includes("switchboard_commit"))
        expect(statements.map((statement) => statement.sql.includes("switchboard_commit_group"))).toEqual([false, false, false, false, true])
        expect(JSON.parse(String(statements[4]!.params[0])).length).toBe(5)
        const conflict = results[stale]!
        expect(Either.isLeft(conflict)).toBe(true)
        expect(Either.getLeft(conflict).pipe(Option.getOrThrow) as VersionConflict).toMatchObject({ _tag: "VersionConflict", streamId: `dialog:${dialogs[stale]}` })
        const others = dialogs.map((_, i) => i).filter((i) => i !== stale)
        const landed = others.map((i) => Either.getOrThrow(results[i]!))
        expect(landed.map((events) => events.length)).toEqual(others.map(() => 1))
        // The group's commits land in queue order (the four sent alone commit whenever they get the append lock).
        const positions = landed.slice(4).map((events: ReadonlyArray<StoredEvent>) => events[0]!.position)
        expect([...positions].sort((a, b) => a - b)).toEqual(positions)
        // Nothing of the conflicting commit was written; the others are in their streams.
        expect((yield* store.readStream(`dialog:${dialogs[stale]}`)).map((event) => event.event._tag)).not.toContain("TagsSet")
        for (const i of others) {
          expect((yield* store.readStream(`dialog:${dialogs[i]}`)).at(-1)?.event._tag).toBe("TagsSet")
          expect(Option.getOrThrow(yield* store.loadDialog(dialogs[i]!)).version).toBe(commits[i]!.streams[0]!.expectedVersion + 1)
        }
      }).pipe(Effect.provide(layer())))

    it.effect("in a group, a commit whose client message is stored already writes nothing and answers with it; the others land", () =>
      Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* storeService
        yield* store.putChannel(Fixtures.telegram)
        const received = yield* Effect.forEach(Array.from({ length: 9 }, (_, i) => i), (i) => engine.receive(Fixtures.inbound(`u${i}`, `hello ${i}`, { externalId: `e${i}` })))
        const seen = 6
        const commits = yield* Effect.forEach(received, (one) => tagging(store, one.dialogId, false))
        sent.length = 0
        const results = yield* Effect.all(
          commits.map((commit, i) => store.commitUnseen({ dialogId: received[i]!.dialogId, externalId: i === seen ? `e${i}` : `new${i}` }, commit)),
          { concurrency: "unbounded" }
        )
        const statements = sent.filter((statement) => statement.sql.includes("switchboard_commit"))
        expect(statements.map((statement) => statement.sql.includes("switchboard_commit_group"))).toEqual([false, false, false, false, true])
        expect(results.map((result) => result._tag)).toEqual(received.map((_, i) => (i === seen ? "Seen" : "Committed")))
        expect(results[seen]).toEqual({ _tag: "Seen", messageId: Option.getOrThrow(received[seen]!.messageId) })
        expect((yield* store.readStream(`dialog:${received[seen]!.dialogId}`)).map((event) => event.event._tag)).not.toContain("TagsSet")
        expect((yield* store.readStream(`dialog:${received[7]!.dialogId}`)).at(-1)?.event._tag).toBe("TagsSet")
      }).pipe(Effect.provide(layer())))

    it.effect("side-by-side point reads go out as one switchboard_lookup statement, each answered (gathered per turn, resolved by a RequestResolver)", () =>
      Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* storeService
        yield* store.putChannel(Fixtures.telegram)
        const a = yield* engine.receive(Fixtures.inbound("a", "one"))
        sent.length = 0
        const read = yield* Effect.all({
          settings: store.getSettings(),
          channel: store.getChannel(Fixtures.telegram.id),
          dialog: store.loadDialog(a.dialogId),
          client: store.loadClient(a.clientId),
          nobody: store.findClient(Fixtures.telegram.id, "nobody")
        }, { concurrency: "unbounded" })
        const lookups = sent.filter((statement) => statement.sql.includes("switchboard_lookup"))
        expect(lookups).toHaveLength(1)
        expect(JSON.parse(String(lookups[0]!.params[0])).length).toBe(5)
        expect(read.channel).toEqual(Option.some(Fixtures.telegram))
        expect(Option.map(read.dialog, (dialog) => dialog.state.id)).toEqual(Option.some(a.dialogId))
        expect(Option.map(read.client, (client) => client.state.id)).toEqual(Option.some(a.clientId))
        expect(read.nobody).toEqual(Option.none())
        // Under a caller's own request batching too (the reads are sent from a fiber of their own, not taken into its batch).
        const again = yield* Effect.all([store.getSettings(), store.loadDialog(a.dialogId)], { concurrency: "unbounded", batching: true })
        expect(Option.map(again[1], (dialog) => dialog.state.id)).toEqual(Option.some(a.dialogId))
      }).pipe(Effect.provide(layer())))

    it.effect("two commits that each check what the other writes: one lands, the other conflicts (no write skew)", () =>
      Effect.gen(function* () {
        const engine = yield* Engine
        const store = yield* storeService
        yield* store.putChannel(Fixtures.telegram)
        const a = (yield* engine.receive(Fixtures.inbound("a", "one"))).dialogId
        const b = (yield* engine.receive(Fixtures.inbound("b", "two"))).dialogId
        const [writeA, writeB] = [yield* tagging(store, a, false), yield* tagging(store, b, false)]
        const versionA = writeA.streams[0]!.expectedVersion
        const versionB = writeB.streams[0]!.expectedVersion
        const results = yield* Effect.all([
          Effect.either(store.commit({ ...writeA, checks: [{ streamId: `dialog:${b}`, expectedVersion: versionB }] })),
          Effect.either(store.commit({ ...writeB, checks: [{ streamId: `dialog:${a}`, expectedVersion: versionA }] }))
        ], { concurrency: "unbounded" })
        expect(results.map(Either.isRight)).toEqual([true, false])
      }).pipe(Effect.provide(layer())))
  })
}

if (url !== "") {
  describe("SQL store on PostgreSQL: checks lock what they read", () => {
    it.live("a commit that writes a checked stream waits until the checking transaction ends, then sees it (FOR SHARE)", () =>
      Effect.scoped(Effect.gen(function* () {
        const schema = yield* SqlStore.scratchSchema(url)
        const server = (connections: number) => Layer.build(withEngine(SqlStore.pgClientLayer({ url, schema, maxConnections: connections })))
        const one = yield* server(2)
        const two = yield* server(2)
        const store = storeOf(one)
        const sql = Context.get(one, SqlClient.SqlClient)
        yield* store.putChannel(Fixtures.telegram)
        const dialogId = (yield* Effect.provide(Effect.flatMap(Engine, (engine) => engine.receive(Fixtures.inbound("c", "hi"))), one)).dialogId
        const write = yield* tagging(store, dialogId, false)
        const version = write.streams[0]!.expectedVersion
        let written = false
        const held = yield* sql.withTransaction(Effect.gen(function* () {
          // A check (and a timer, so no events: no append lock) inside an open transaction.
          yield* store.commit({ streams: [], messages: [], timers: [{ _tag: "Set", timer: { key: "t", kind: "t", subject: "t", dueAt: 1 } }], checks: [{ streamId: `dialog:${dialogId}`, expectedVersion: version }] })
          // Started outside this fiber (a forked fiber would inherit the transaction): another server's commit.
          const writer = Effect.runFork(Effect.tap(storeOf(two).commit(write), () => Effect.sync(() => (written = true))))
          // Wait until PostgreSQL reports the writer waiting on this transaction's locks.
          yield* sql.unsafe<{ readonly n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))`).pipe(
            Effect.repeat({ schedule: Schedule.spaced("10 millis"), until: (rows) => (rows[0]?.n ?? 0) > 0 }),
            Effect.timeoutFail({ duration: "20 seconds", onTimeout: () => new Error("the writer never waited on the checking transaction") })
          )
          const blocked = !written
          return { writer, blocked }
        }))
        expect(held.blocked).toBe(true)
        const landed = yield* Fiber.await(held.writer)
        expect(landed._tag).toBe("Success")
        expect(written).toBe(true)
      })))
  })
}
